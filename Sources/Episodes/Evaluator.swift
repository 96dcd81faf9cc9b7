import Dispatch
import Engine
import Models
import Tasks

/// Scores of a model at one sequence length over many fresh examples.
public struct LengthReport: Codable, Equatable, Sendable {
    public var length: Int
    public var count: Int
    /// Mean wrong bits per sequence (outputs thresholded at 0.5).
    public var meanWrongBits: Double
    /// Share of sequences with no wrong bit.
    public var perfectShare: Double
    /// Mean binary cross-entropy per sequence, in bits.
    public var meanBCEBits: Double
}

/// Runs a model over many seeded examples without a tape, in batches split over threads.
public enum Evaluator {
    /// The examples for `length` come from `SeededRNG(seed: seed ⊕ length)`, so a report is reproducible
    /// and each length's examples do not depend on which other lengths are asked for.
    public static func evaluate(_ ntm: NTM, task: TaskConfig, lengths: [Int], count: Int, seed: UInt64,
                                batchSize: Int = 32, threads: Int = 2) throws -> [LengthReport] {
        try lengths.map { length in
            try task.validate(length: length)
            var rng = SeededRNG(seed: seed ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15))
            let examples = (0..<count).map { _ in task.example(rng: &rng, length: length) }
            let batches = stride(from: 0, to: examples.count, by: batchSize).map {
                Array(examples[$0..<min($0 + batchSize, examples.count)])
            }
            var scores = [[SequenceScore]](repeating: [], count: batches.count)
            let workers = max(1, min(threads, batches.count))
            scores.withUnsafeMutableBufferPointer { out in
                let shared = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let g = Graph()
                    for i in stride(from: w, to: batches.count, by: workers) {
                        shared.value[i] = score(ntm, batches[i], g)
                    }
                }
            }
            let summary = MetricsSummary(scores.flatMap { $0 })
            return LengthReport(length: length, count: count, meanWrongBits: summary.meanWrongBits,
                                perfectShare: summary.perfectShare, meanBCEBits: summary.meanBCEBits)
        }
    }

    /// Runs one batch step by step and scores every example from its logits.
    static func score(_ ntm: NTM, _ examples: [Example], _ g: Graph) -> [SequenceScore] {
        let batch = Batch(stacking: examples)
        let b = batch.size, y = batch.outputWidth
        var logits = [Float](repeating: 0, count: batch.steps * b * y)
        ntm.runStepwise(g, batch: b, steps: batch.steps, input: { t in
            Tensor(shape: [b, batch.inputWidth], data: Array(batch.inputs(at: t)))
        }) { t, vars in
            g.withValue(vars.logits) { l in
                for i in 0..<(b * y) { logits[t * b * y + i] = l[i] }
            }
        }
        return Metrics.scores(outputs: Tensor(shape: [batch.steps, b, y], data: logits), batch: batch, kind: .logits)
    }
}
