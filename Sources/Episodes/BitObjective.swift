import Engine
import Foundation
import Tasks

/// The objective of bit-sequence tasks: binary cross-entropy over the scored (answer) bits, with wrong
/// bits per sequence, the share of perfect sequences and BCE in bits per sequence as its metrics.
public struct BitObjective: Sendable {
    public static let bceBits = "meanBCEBits"
    public static let wrongBits = "meanWrongBits"
    public static let perfect = "perfectShare"

    public let metrics: [MetricSpec] = [
        MetricSpec(bceBits, label: "BCE bits/seq", short: "loss", unit: "bits/seq"),
        MetricSpec(wrongBits, label: "wrong bits/seq", short: "wrong", unit: "bits/seq"),
        MetricSpec(perfect, label: "perfect", short: "perfect", isShare: true, lowerIsBetter: false),
    ]

    public init() {}

    /// The metric values of one scored sequence.
    public static func values(_ score: SequenceScore) -> MetricValues {
        MetricValues([bceBits: score.bceBits, wrongBits: Double(score.wrongBits), perfect: score.isPerfect ? 1 : 0])
    }

    /// Scored bits: the loss of a batch is normalised by them.
    public func lossUnits(_ examples: [Example]) -> Int {
        examples.reduce(0) { $0 + $1.answerSteps * $1.outputWidth }
    }

    /// The summed BCE (nats) of `logits` (one [B, Y] value per step of `batch`), backpropagated with
    /// `lossScale`, and each example's metric values scored from the same logits.
    public func train(_ g: Graph, logits: [Var], batch: Batch, lossScale: Float) -> [MetricValues] {
        let b = batch.size, y = batch.outputWidth
        let all = g.concat(logits, axis: 0)                      // [T·B, Y], the layout of batch.targets
        let targets = g.constant(batch.targets.reshaped([batch.steps * b, y]))
        var weights = [Float](repeating: 0, count: batch.steps * b * y)
        for r in 0..<(batch.steps * b) where batch.mask.data[r] != 0 {
            for j in 0..<y { weights[r * y + j] = 1 }
        }
        let w = g.constant(Tensor(shape: [batch.steps * b, y], data: weights))
        let bce = g.bceWithLogits(all, targets: targets, weights: w)
        g.backward(g.scale(bce, lossScale))
        let scores = g.withValue(all) { l in
            Metrics.scores(outputs: Tensor(shape: [batch.steps, b, y], data: Array(l)), batch: batch, kind: .logits)
        }
        return scores.map(Self.values)
    }
}
