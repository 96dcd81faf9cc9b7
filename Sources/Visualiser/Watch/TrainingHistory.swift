/// Loss and wrong bits over a whole training run, kept as the mean over each bucket of `bucketSize`
/// sequences (100 at first). When more than `capacity` buckets exist, neighbours are merged and the bucket
/// doubles, so memory stays bounded however long the run and the chart always covers it from the start.
public struct TrainingHistory: Sendable, Equatable {
    /// Sequences each completed point averages over.
    public private(set) var bucketSize: Int
    /// Mean loss (bits per sequence) of each completed bucket, oldest first.
    public private(set) var loss: [Double] = []
    /// Mean wrong bits per sequence of each completed bucket.
    public private(set) var wrong: [Double] = []
    /// The sequence count the history starts at (not 0 when training resumed from a checkpoint).
    public let firstSequence: Int
    public let capacity: Int

    // The bucket being filled: sums weighted by sequences, so batches of any size average correctly.
    private var pendingLoss = 0.0
    private var pendingWrong = 0.0
    private var pendingCount = 0

    public init(firstSequence: Int = 0, bucketSize: Int = 100, capacity: Int = 4000) {
        precondition(bucketSize > 0 && capacity >= 2, "a history needs a positive bucket and room for two points")
        self.firstSequence = firstSequence
        self.bucketSize = bucketSize
        self.capacity = capacity
    }

    /// Adds one batch's means, measured over `sequences` sequences. Non-finite values are skipped (training
    /// stops on them anyway) so one bad batch cannot blank the chart.
    public mutating func add(lossBits: Double, wrongBits: Double, sequences: Int) {
        guard lossBits.isFinite, wrongBits.isFinite, sequences > 0 else { return }
        pendingLoss += lossBits * Double(sequences)
        pendingWrong += wrongBits * Double(sequences)
        pendingCount += sequences
        guard pendingCount >= bucketSize else { return }
        loss.append(pendingLoss / Double(pendingCount))
        wrong.append(pendingWrong / Double(pendingCount))
        pendingLoss = 0
        pendingWrong = 0
        pendingCount = 0
        if loss.count > capacity { mergeNeighbours() }
    }

    /// Halves the number of points: each pair becomes its mean, and an odd last point goes back into the
    /// bucket being filled (as `bucketSize` sequences' worth), so no sequence is counted twice or lost.
    private mutating func mergeNeighbours() {
        let odd = loss.count % 2 == 1
        if odd {
            pendingLoss += loss.removeLast() * Double(bucketSize)
            pendingWrong += wrong.removeLast() * Double(bucketSize)
            pendingCount += bucketSize
        }
        loss = stride(from: 0, to: loss.count, by: 2).map { (loss[$0] + loss[$0 + 1]) / 2 }
        wrong = stride(from: 0, to: wrong.count, by: 2).map { (wrong[$0] + wrong[$0 + 1]) / 2 }
        bucketSize *= 2
    }

    /// Completed points, then the bucket being filled (so the chart moves before the first 100 sequences).
    public var lossPoints: [Double] { pendingCount > 0 ? loss + [pendingLoss / Double(pendingCount)] : loss }
    public var wrongPoints: [Double] { pendingCount > 0 ? wrong + [pendingWrong / Double(pendingCount)] : wrong }

    /// Sequences the points cover, the partial bucket included.
    public var sequencesCovered: Int { loss.count * bucketSize + pendingCount }

    public var isEmpty: Bool { loss.isEmpty && pendingCount == 0 }

    /// `values` shrunk to at most `count` points, each the mean of a run of neighbours (unchanged when they
    /// already fit), for a chart `count` dots wide.
    public static func downsample(_ values: [Double], to count: Int) -> [Double] {
        guard count > 0 else { return [] }
        guard values.count > count else { return values }
        return (0..<count).map { i in
            let lo = i * values.count / count, hi = (i + 1) * values.count / count
            return values[lo..<hi].reduce(0, +) / Double(hi - lo)
        }
    }
}
