import Engine
import Foundation
import Tasks

/// The objective of bit-sequence tasks: binary cross-entropy over the scored (answer) bits, with wrong
/// bits per sequence, the share of perfect sequences and BCE in bits per sequence as its metrics.
public struct BitObjective: Sendable {
    public static let bceBits = "meanBCEBits"
    public static let wrongBits = "meanWrongBits"
    public static let perfect = "perfectShare"
    public static let accuracy = "accuracy"

    public let metrics: [MetricSpec] = [
        MetricSpec(bceBits, label: "BCE bits/seq", short: "loss", unit: "bits/seq"),
        MetricSpec(wrongBits, label: "wrong bits/seq", short: "wrong", unit: "bits/seq"),
        MetricSpec(perfect, label: "perfect", short: "perfect", isShare: true, lowerIsBetter: false),
        MetricSpec(accuracy, label: "bits right", short: "right", isShare: true, lowerIsBetter: false),
    ]

    public init() {}

    /// The metric values of one scored sequence.
    public static func values(_ score: SequenceScore) -> MetricValues {
        MetricValues([bceBits: score.bceBits, wrongBits: Double(score.wrongBits), perfect: score.isPerfect ? 1 : 0,
                      accuracy: score.scoredBits == 0 ? 1 : 1 - Double(score.wrongBits) / Double(score.scoredBits)])
    }

    /// An episode's score: wrong and scored bits and the BCE in bits, as traces have always held it.
    public static func episodeScore(_ score: SequenceScore) -> EpisodeScore {
        EpisodeScore(wrong: score.wrongBits, scored: score.scoredBits, unit: "bits", details: ["bceBits": score.bceBits])
    }

    /// Scored bits: the loss of a batch is normalised by them.
    public func lossUnits(_ examples: [Example]) -> Int {
        examples.reduce(0) { $0 + $1.answerSteps * $1.outputWidth }
    }

    /// The summed BCE (nats) of `logits` (one [B, Y] value per step of `batch`) plus `auxiliaryWeight`
    /// times the model's auxiliary cost (one [B] value per step, or none) summed over each example's own
    /// steps, backpropagated with `lossScale`, and each example's metric values scored from the same
    /// values; the cost per input step is reported as `auxiliaryMetric`.
    public func train(_ g: Graph, logits: [Var], auxiliary: [Var] = [], auxiliaryWeight: Float = 0,
                      auxiliaryMetric: String? = nil, batch: Batch, lossScale: Float) -> [MetricValues] {
        let b = batch.size, y = batch.outputWidth
        let all = g.concat(logits, axis: 0)                      // [T·B, Y], the layout of batch.targets
        let targets = g.constant(batch.targets.reshaped([batch.steps * b, y]))
        var weights = [Float](repeating: 0, count: batch.steps * b * y)
        for r in 0..<(batch.steps * b) where batch.mask.data[r] != 0 {
            for j in 0..<y { weights[r * y + j] = 1 }
        }
        let w = g.constant(Tensor(shape: [batch.steps * b, y], data: weights))
        let bce = g.bceWithLogits(all, targets: targets, weights: w)
        guard !auxiliary.isEmpty else {
            g.backward(g.scale(bce, lossScale))
            return scores(g, all, batch).map(Self.values)
        }
        // The auxiliary loss of each example over its own steps: padding after its end is masked out.
        var valid = [Float](repeating: 0, count: batch.steps * b)
        for (j, length) in batch.lengths.enumerated() { for t in 0..<length { valid[t * b + j] = 1 } }
        let aux = g.mul(g.concat(auxiliary, axis: 0), g.constant(Tensor(shape: [batch.steps * b], data: valid)))
        g.backward(g.scale(g.add(bce, g.scale(g.sum(aux), auxiliaryWeight)), lossScale))
        var perExample = [Double](repeating: 0, count: b)
        g.withValue(aux) { a in for i in 0..<a.count { perExample[i % b] += Double(a[i]) } }
        return zip(scores(g, all, batch), zip(perExample, batch.lengths)).map { score, extra in
            var v = Self.values(score)
            v[auxiliaryMetric ?? "auxiliaryCost"] = extra.0 / Double(max(1, extra.1))
            return v
        }
    }

    func scores(_ g: Graph, _ all: Var, _ batch: Batch) -> [SequenceScore] {
        g.withValue(all) { l in
            Metrics.scores(outputs: Tensor(shape: [batch.steps, batch.size, batch.outputWidth], data: Array(l)),
                           batch: batch, kind: .logits)
        }
    }
}
