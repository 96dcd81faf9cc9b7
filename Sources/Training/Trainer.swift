import Dispatch
import Engine
import Models
import Tasks
import Episodes

/// What one batch of training measured.
public struct BatchResult: Sendable {
    /// Sequences trained on so far, this batch included.
    public var sequencesDone: Int
    /// The objective's metrics, each the mean over the batch (by name: `meanBCEBits`, `meanWrongBits`...).
    public var metrics: MetricValues
    /// Global gradient norm before clamping.
    public var gradNorm: Float
    /// The longest sequence length trained on now (the curriculum's stage, or the task's maximum).
    public var maxLength: Int

    /// The objective's loss (its first metric).
    public var loss: Double
}

/// Trains any model (through its `Learner`) on its task, batch by batch.
///
/// Batch i's samples come from `SeededRNG(seed: mix(options.seed, i))`, so a run resumed from a
/// checkpoint sees exactly the data it would have seen, and the same options give the same weights.
/// Each batch is split over `options.threads` graphs, each accumulating its own gradients, which are added
/// in a fixed order.
public final class Trainer {
    public let learner: any Learner
    public let options: TrainingOptions
    public let optimizer: Optimizer
    public private(set) var sequencesDone: Int
    /// The longest length samples are drawn with now: the curriculum raises it from the task's shortest
    /// to its longest; without a curriculum it is the task's longest throughout.
    public private(set) var maxLength: Int
    private var recentError: RecentMean
    private let graphs: [Graph]

    public var task: TaskConfig { learner.task }
    public var metrics: [MetricSpec] { learner.metrics }

    /// - Parameter curriculumLength: the curriculum's stage when resuming (nil: from the start).
    public init(learner: any Learner, options: TrainingOptions, sequencesDone: Int = 0, curriculumLength: Int? = nil) {
        self.learner = learner
        self.options = options
        self.sequencesDone = sequencesDone
        let range = learner.task.lengthRange
        maxLength = options.curriculum ? min(max(curriculumLength ?? range.lowerBound, range.lowerBound), range.upperBound)
                                       : range.upperBound
        recentError = RecentMean(window: max(1, options.curriculumWindow / options.batchSize))
        optimizer = options.makeOptimizer(learner.parameters)
        graphs = (0..<options.threads).map { _ in Graph(recording: true, privateGradients: options.threads > 1) }
    }

    /// The generator for batch `index` of a run with `seed`.
    public static func batchRNG(seed: UInt64, batch index: Int) -> SeededRNG {
        var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        z ^= z >> 29
        return SeededRNG(seed: z)
    }

    /// Adds the options' gradient noise for this optimiser step (sequences done / batch size) to every
    /// gradient, from a generator of the run's seed and the step: the same on a resumed run.
    func addGradientNoise(_ params: [Parameter]) {
        let step = sequencesDone / options.batchSize
        let std = options.gradientNoiseStd(step: step)
        guard std > 0 else { return }
        var rng = Self.batchRNG(seed: options.seed ^ 0x6E6F_6973_6521, batch: step)
        for p in params {
            for i in 0..<p.count { p.grad[i] += rng.normal(mean: 0, std: std) }
        }
    }

    /// Trains on one batch and applies one optimiser step.
    public func trainBatch() -> BatchResult {
        let values = forwardBackward(learner)
        let params = learner.parameters
        let norm = params.gradNorm()
        if options.clipValue > 0 { params.clipGradValue(options.clipValue) }
        if options.clipNorm > 0 { _ = params.clipGradNorm(options.clipNorm) }
        addGradientNoise(params)
        optimizer.learningRate = options.learningRate(after: sequencesDone)
        optimizer.step()
        params.zeroGrad()
        sequencesDone += options.batchSize
        let means = MetricValues.mean(values)
        let result = BatchResult(sequencesDone: sequencesDone, metrics: means, gradNorm: norm, maxLength: maxLength,
                                 loss: means[learner.metrics[0].name] ?? .nan)
        let range = learner.task.lengthRange
        if options.curriculum && maxLength < range.upperBound {
            recentError.add(means[learner.curriculumMetric] ?? 0)
            if recentError.isFull && recentError.mean < options.curriculumThreshold {
                maxLength += 1
                recentError = RecentMean(window: recentError.window)
            }
        }
        return result
    }

    /// The samples of batch `index` of the run, drawn from the run's seed at the curriculum's current stage.
    public func batchSamples<L: Learner>(_ learner: L, batch index: Int) -> [L.Sample] {
        var rng = Trainer.batchRNG(seed: options.seed, batch: index)
        // With a curriculum, the lengths up to the current stage that the task takes (all of them for most
        // tasks, which then draw as they always have; the even ones for Dyck and bigram flip). With
        // --same-length, one length of those is drawn for the whole batch, before its samples.
        let lengths = options.curriculum || options.sameLength
            ? (learner.task.lengthRange.lowerBound...maxLength).filter { (try? learner.task.validate(length: $0)) != nil } : []
        let batchLength = options.sameLength ? lengths[rng.int(below: lengths.count)] : nil
        return (0..<options.batchSize).map { _ in
            // Without a curriculum the task draws the length itself (the stream the shipped demos were
            // trained on); with one, the length is drawn up to the current stage.
            if let batchLength { return learner.sample(rng: &rng, length: batchLength) }
            return options.curriculum
                ? learner.sample(rng: &rng, length: lengths[rng.int(below: lengths.count)])
                : learner.sample(rng: &rng, length: nil)
        }
    }

    /// Draws the batch, splits it over the worker graphs and runs forward and backward on each; returns
    /// every sample's metric values in batch order.
    private func forwardBackward<L: Learner>(_ learner: L) -> [MetricValues] {
        let batchIndex = sequencesDone / options.batchSize
        let samples = batchSamples(learner, batch: batchIndex)
        let scale = 1 / Float(max(learner.lossUnits(samples), 1))
        let workers = options.threads
        let chunks: [[L.Sample]] = (0..<workers).map { w in
            let lo = w * samples.count / workers, hi = (w + 1) * samples.count / workers
            return Array(samples[lo..<hi])
        }
        var partial = [[MetricValues]](repeating: [], count: workers)
        // Each worker's context: how far the run is, and noise seeded by the batch and the sample's place
        // in it, so a sample's noise is the same at any thread count.
        var noiseRNG = Trainer.batchRNG(seed: options.seed ^ 0x5EED_7015E, batch: batchIndex)
        let noiseSeed = noiseRNG.next()
        let contexts = (0..<workers).map { w in
            TrainingContext(sequencesDone: sequencesDone, seed: noiseSeed, firstSample: w * samples.count / workers,
                            batch: batchIndex)
        }
        if workers == 1 {
            partial[0] = learner.run(graphs[0], chunks[0], lossScale: scale, training: contexts[0])
        } else {
            // Each worker uses only its own graph and chunk and writes only its own slot; the parameters'
            // values are read-only until every worker is done.
            partial.withUnsafeMutableBufferPointer { out in
                let shared = UncheckedSendable((graphs: graphs, out: out))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    shared.value.out[w] = chunks[w].isEmpty ? []
                        : learner.run(shared.value.graphs[w], chunks[w], lossScale: scale, training: contexts[w])
                }
            }
            for g in graphs { g.flushGradients() }
        }
        return partial.flatMap { $0 }
    }
}
