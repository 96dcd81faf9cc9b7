import Engine
import Foundation

/// How a model's outputs are given to the metrics.
public enum OutputKind: String, Codable, Sendable {
    /// Sigmoid outputs in [0, 1].
    case probabilities
    /// Pre-sigmoid values; BCE is then computed with a stable formula, never through a sigmoid.
    case logits
}

/// The scores of one sequence over its answer phase.
public struct SequenceScore: Codable, Equatable, Sendable {
    /// Scored bits whose thresholded output differs from the target.
    public var wrongBits: Int
    /// Bits scored: answer steps × output width.
    public var scoredBits: Int
    /// Binary cross-entropy summed over the scored bits, in bits (log base 2).
    public var bceBits: Double

    public init(wrongBits: Int, scoredBits: Int, bceBits: Double) {
        self.wrongBits = wrongBits
        self.scoredBits = scoredBits
        self.bceBits = bceBits
    }

    /// True when no scored bit is wrong.
    public var isPerfect: Bool { wrongBits == 0 }
}

/// Pure scoring functions: outputs and targets of shape [T, width], a per-step mask of what is scored.
///
/// Conventions (those of the PyTorch NTM, so figures compare):
/// - An output predicts 1 when its probability is ≥ 0.5 (its logit ≥ 0); a target counts as 1 when ≥ 0.5.
/// - BCE of probability p against target y is −(y·log₂ p + (1−y)·log₂(1−p)), with each log clamped below
///   at −100 nats (as PyTorch's `BCELoss`), so p = 0 or 1 gives a large finite loss, never infinity.
/// - BCE from a logit x uses max(x, 0) − x·y + log(1 + e^−|x|) (in nats, then ÷ ln 2), which cannot
///   overflow.
/// - Unscored steps contribute nothing. A NaN output gives a NaN BCE, so a training loop can stop on it.
public enum Metrics {
    /// The PyTorch `BCELoss` floor on each log term, in nats.
    public static let logFloorNats: Double = -100

    /// BCE in bits of one probability against one target (see the type's conventions).
    public static func bceBits(probability p: Float, target y: Float) -> Double {
        let p = Double(p), y = Double(y)
        if p.isNaN { return .nan }
        let floor = logFloorNats / M_LN2
        let logP = Swift.max(Foundation.log2(p), floor)
        let log1mP = Swift.max(Foundation.log2(1 - p), floor)
        return -(y * logP + (1 - y) * log1mP)
    }

    /// BCE in bits of one logit against one target, computed stably (see the type's conventions).
    public static func bceBits(logit x: Float, target y: Float) -> Double {
        let x = Double(x), y = Double(y)
        let nats = Swift.max(x, 0) - x * y + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        return nats / M_LN2
    }

    /// Whether an output predicts a 1 bit.
    public static func predictsOne(_ output: Float, _ kind: OutputKind) -> Bool {
        switch kind {
        case .probabilities: output >= 0.5
        case .logits: output >= 0
        }
    }

    /// Wrong bits over the steps where `mask` is true.
    public static func wrongBits(outputs: Tensor, targets: Tensor, mask: [Bool],
                                 kind: OutputKind = .probabilities) -> Int {
        score(outputs: outputs, targets: targets, mask: mask, kind: kind).wrongBits
    }

    /// Whether every scored bit is right.
    public static func isPerfect(outputs: Tensor, targets: Tensor, mask: [Bool],
                                 kind: OutputKind = .probabilities) -> Bool {
        wrongBits(outputs: outputs, targets: targets, mask: mask, kind: kind) == 0
    }

    /// BCE in bits summed over the steps where `mask` is true.
    public static func bceBits(outputs: Tensor, targets: Tensor, mask: [Bool],
                               kind: OutputKind = .probabilities) -> Double {
        score(outputs: outputs, targets: targets, mask: mask, kind: kind).bceBits
    }

    /// All scores of one sequence: `outputs` and `targets` are [T, width], `mask` has T entries.
    public static func score(outputs: Tensor, targets: Tensor, mask: [Bool],
                             kind: OutputKind = .probabilities) -> SequenceScore {
        precondition(outputs.shape == targets.shape && outputs.rank == 2,
                     "outputs \(outputs.shape) and targets \(targets.shape) must be the same [T, width]")
        precondition(mask.count == outputs.shape[0], "mask has \(mask.count) steps, outputs \(outputs.shape[0])")
        let width = outputs.shape[1]
        let rows = mask.indices.lazy.filter { mask[$0] }.map { $0 * width }
        return accumulate(outputs.data, targets.data, width: width, rowOffsets: rows, kind: kind)
    }

    /// The scores of a model's outputs ([T, outputWidth]) on an example.
    public static func score(outputs: Tensor, example: Example, kind: OutputKind = .probabilities) -> SequenceScore {
        score(outputs: outputs, targets: example.targets, mask: example.mask, kind: kind)
    }

    /// One score per example of a batch; `outputs` is [T, B, outputWidth] like `batch.targets`.
    public static func scores(outputs: Tensor, batch: Batch, kind: OutputKind = .probabilities) -> [SequenceScore] {
        precondition(outputs.shape == batch.targets.shape,
                     "outputs \(outputs.shape) must match the batch targets \(batch.targets.shape)")
        let b = batch.size, width = batch.outputWidth
        return (0..<b).map { j in
            let rows = (0..<batch.steps).lazy.filter { batch.mask.data[$0 * b + j] != 0 }
                .map { ($0 * b + j) * width }
            return accumulate(outputs.data, batch.targets.data, width: width, rowOffsets: rows, kind: kind)
        }
    }

    /// Scores the rows of `width` values starting at each offset.
    static func accumulate(_ outputs: [Float], _ targets: [Float], width: Int,
                           rowOffsets: some Sequence<Int>, kind: OutputKind) -> SequenceScore {
        var wrong = 0, scored = 0
        var bce: Double = 0
        for start in rowOffsets {
            for i in start..<(start + width) {
                let o = outputs[i], y = targets[i]
                if predictsOne(o, kind) != (y >= 0.5) { wrong += 1 }
                switch kind {
                case .probabilities: bce += bceBits(probability: o, target: y)
                case .logits: bce += bceBits(logit: o, target: y)
                }
            }
            scored += width
        }
        return SequenceScore(wrongBits: wrong, scoredBits: scored, bceBits: bce)
    }
}
