import Dispatch
import Engine
import Models
import Tasks

/// What one batch of training measured.
public struct BatchResult: Sendable {
    /// Sequences trained on so far, this batch included.
    public var sequencesDone: Int
    /// Mean over the batch of the BCE summed over each sequence's answer bits, in bits.
    public var lossBits: Double
    /// Mean wrong bits per sequence (outputs thresholded at 0.5).
    public var wrongBits: Double
    /// Global gradient norm before clamping.
    public var gradNorm: Float
    /// The longest sequence length trained on now (the curriculum's stage, or the task's maximum).
    public var maxLength: Int
}

/// Trains a `SequenceModel` on a task, batch by batch.
///
/// Batch i's examples come from `SeededRNG(seed: mix(options.seed, i))`, so a run resumed from a
/// checkpoint sees exactly the data it would have seen, and the same options give the same weights.
/// Each batch is split over `options.threads` graphs, each accumulating its own gradients, which are added
/// in a fixed order.
public final class Trainer {
    public let model: any SequenceModel
    public let task: TaskConfig
    public let options: TrainingOptions
    public let optimizer: Optimizer
    public private(set) var sequencesDone: Int
    /// The longest length examples are drawn with now: the curriculum raises it from the task's shortest
    /// to its longest; without a curriculum it is the task's longest throughout.
    public private(set) var maxLength: Int
    private var recentWrong: RecentMean
    private let graphs: [Graph]

    /// - Parameter curriculumLength: the curriculum's stage when resuming (nil: from the start).
    public init(model: any SequenceModel, task: TaskConfig, options: TrainingOptions, sequencesDone: Int = 0,
                curriculumLength: Int? = nil) {
        self.model = model
        self.task = task
        self.options = options
        self.sequencesDone = sequencesDone
        let range = task.lengthRange
        maxLength = options.curriculum ? min(max(curriculumLength ?? range.lowerBound, range.lowerBound), range.upperBound)
                                       : range.upperBound
        recentWrong = RecentMean(window: max(1, options.curriculumWindow / options.batchSize))
        optimizer = options.makeOptimizer(model.parameters)
        graphs = (0..<options.threads).map { _ in Graph(recording: true, privateGradients: options.threads > 1) }
    }

    /// The generator for batch `index` of a run with `seed`.
    public static func batchRNG(seed: UInt64, batch index: Int) -> SeededRNG {
        var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        z ^= z >> 29
        return SeededRNG(seed: z)
    }

    /// Trains on one batch and applies one optimiser step.
    public func trainBatch() -> BatchResult {
        let batchIndex = sequencesDone / options.batchSize
        var rng = Trainer.batchRNG(seed: options.seed, batch: batchIndex)
        let range = task.lengthRange
        let examples = (0..<options.batchSize).map { _ in
            // Without a curriculum the task draws the length itself (the stream the shipped demos were
            // trained on); with one, the length is drawn up to the current stage.
            options.curriculum
                ? task.example(rng: &rng, length: range.lowerBound + rng.int(below: maxLength - range.lowerBound + 1))
                : task.example(rng: &rng, length: nil)
        }
        let scoredBits = examples.reduce(0) { $0 + $1.mask.filter { $0 }.count * task.outputWidth }

        // Split the batch into contiguous chunks, one per worker graph.
        let workers = options.threads
        let chunks: [[Example]] = (0..<workers).map { w in
            let lo = w * examples.count / workers, hi = (w + 1) * examples.count / workers
            return Array(examples[lo..<hi])
        }
        var partial = [(loss: Double, wrong: Int)](repeating: (0, 0), count: workers)
        let scale = 1 / Float(max(scoredBits, 1))
        if workers == 1 {
            partial[0] = run(graphs[0], chunks[0], lossScale: scale)
        } else {
            // Each worker uses only its own graph and chunk and writes only its own slot; the parameters'
            // values are read-only until every worker is done.
            partial.withUnsafeMutableBufferPointer { out in
                let shared = UncheckedSendable((trainer: self, out: out))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let t = shared.value.trainer
                    shared.value.out[w] = t.run(t.graphs[w], chunks[w], lossScale: scale)
                }
            }
            for g in graphs { g.flushGradients() }
        }
        let params = model.parameters
        let norm = params.gradNorm()
        if options.clipValue > 0 { params.clipGradValue(options.clipValue) }
        optimizer.step()
        params.zeroGrad()
        sequencesDone += options.batchSize
        let n = Double(options.batchSize)
        let result = BatchResult(sequencesDone: sequencesDone,
                                 lossBits: partial.reduce(0) { $0 + $1.loss } / n,
                                 wrongBits: Double(partial.reduce(0) { $0 + $1.wrong }) / n,
                                 gradNorm: norm, maxLength: maxLength)
        if options.curriculum && maxLength < range.upperBound {
            recentWrong.add(result.wrongBits)
            if recentWrong.isFull && recentWrong.mean < options.curriculumThreshold {
                maxLength += 1
                recentWrong = RecentMean(window: recentWrong.window)
            }
        }
        return result
    }

    /// Forward and backward over some examples; returns their summed BCE bits and wrong bits.
    private func run(_ g: Graph, _ examples: [Example], lossScale: Float) -> (loss: Double, wrong: Int) {
        guard !examples.isEmpty else { return (0, 0) }
        g.reset()
        let batch = Batch(stacking: examples)
        let b = batch.size, x = batch.inputWidth, y = batch.outputWidth
        let inputs = (0..<batch.steps).map { t in
            g.constant(Tensor(shape: [b, x], data: Array(batch.inputs(at: t))))
        }
        let logits = model.logits(g, inputs: inputs)
        let all = g.concat(logits, axis: 0)                      // [T·B, Y], the layout of batch.targets
        let targets = g.constant(batch.targets.reshaped([batch.steps * b, y]))
        var weights = [Float](repeating: 0, count: batch.steps * b * y)
        for r in 0..<(batch.steps * b) where batch.mask.data[r] != 0 {
            for j in 0..<y { weights[r * y + j] = 1 }
        }
        let w = g.constant(Tensor(shape: [batch.steps * b, y], data: weights))
        let bce = g.bceWithLogits(all, targets: targets, weights: w)
        g.backward(g.scale(bce, lossScale))
        // Scores from the same logits: wrong bits where the sign disagrees with the target.
        var wrong = 0
        g.withValue(all) { l in
            for i in 0..<l.count where weights[i] != 0 {
                if (l[i] >= 0) != (batch.targets.data[i] >= 0.5) { wrong += 1 }
            }
        }
        return (Double(g.scalar(bce)) / 0.6931471805599453, wrong)
    }
}
