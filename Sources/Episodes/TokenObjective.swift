import Engine
import Foundation
import Tasks

/// The objective of token tasks (translation): cross-entropy of every target token (and `<eos>`) under
/// teacher forcing; its metrics are the cross-entropy in bits per sentence, the target tokens decoded wrong
/// per sentence, the share decoded right, and the share of sentences decoded exactly (greedy decoding when
/// evaluating; under teacher forcing while training, which only approximates it). Any runner that gives
/// it one [B, V] logit value per step and the target id of each row uses it: the encoder–decoder and a
/// recurrent model that reads the source and then writes.
public struct TokenObjective: Sendable {
    public static let crossEntropyBits = "meanCEBits"
    public static let wrongTokens = "meanWrongTokens"
    public static let tokenAccuracy = "tokenAccuracy"
    public static let exactMatch = "exactMatch"

    public let metrics: [MetricSpec] = [
        MetricSpec(crossEntropyBits, label: "CE bits/sentence", short: "loss", unit: "bits/sent"),
        MetricSpec(wrongTokens, label: "wrong words/sentence", short: "wrong", unit: "words/sent"),
        MetricSpec(tokenAccuracy, label: "token accuracy", short: "tokens", isShare: true, lowerIsBetter: false),
        MetricSpec(exactMatch, label: "exact match", short: "exact", isShare: true, lowerIsBetter: false),
    ]

    /// The id that marks a row without a target (`<pad>`).
    public let ignore: Int

    public init(ignore: Int = 0) { self.ignore = ignore }

    /// What one teacher-forced run scored, per sample: cross-entropy in bits and the tokens whose argmax
    /// was right, of how many.
    public struct TeacherForced {
        public var crossEntropyBits: [Double]
        public var right: [Int]
        public var total: [Int]
    }

    /// The summed cross-entropy of `logits` (one [B, V] value per step) against `targets` (one id per step
    /// and sample; `ignore` where a row has none), backpropagated times `lossScale` when given, and each
    /// sample's figures from the same values.
    public func teacherForced(_ g: Graph, logits: [Var], targets: [[Int]], lossScale: Float?) -> TeacherForced {
        teacherForced(g, logits: g.concat(logits, axis: 0), targets: targets, lossScale: lossScale)
    }

    /// The same for every step's logits at once, [T·B, V], step-major (row t·B + b).
    public func teacherForced(_ g: Graph, logits all: Var, targets: [[Int]], lossScale: Float?) -> TeacherForced {
        let b = targets.first?.count ?? 0
        let perRow = g.crossEntropy(all, targets: targets.flatMap { $0 }, ignoreIndex: ignore, reduction: .none)
        if let lossScale { g.backward(g.scale(g.sum(perRow), lossScale)) }
        var result = TeacherForced(crossEntropyBits: Array(repeating: 0, count: b), right: Array(repeating: 0, count: b),
                                   total: Array(repeating: 0, count: b))
        let v = g.shape(all)[1]
        g.withValue(perRow) { loss in
            g.withValue(all) { l in
                for t in targets.indices {
                    for j in 0..<b where targets[t][j] != ignore {
                        let r = t * b + j
                        result.crossEntropyBits[j] += Double(loss[r]) / M_LN2
                        result.total[j] += 1
                        if Self.argmax(l, row: r, width: v) == targets[t][j] { result.right[j] += 1 }
                    }
                }
            }
        }
        return result
    }

    /// Each sample's metric values under teacher forcing (training).
    public func values(_ run: TeacherForced) -> [MetricValues] {
        run.crossEntropyBits.indices.map { j in
            Self.values(crossEntropyBits: run.crossEntropyBits[j], right: run.right[j], total: run.total[j],
                        exact: run.right[j] == run.total[j])
        }
    }

    /// Each sample's metric values with accuracy and exact match from what a decoder wrote (evaluation).
    public func values(_ run: TeacherForced, decoded: [[Int]], targets: [[Int]]) -> [MetricValues] {
        zip(run.crossEntropyBits, zip(decoded, targets)).map { ce, pair in
            let (right, total, exact) = Self.compare(decoded: pair.0, target: pair.1)
            return Self.values(crossEntropyBits: ce, right: right, total: total, exact: exact)
        }
    }

    static func values(crossEntropyBits ce: Double, right: Int, total: Int, exact: Bool) -> MetricValues {
        MetricValues([crossEntropyBits: ce, wrongTokens: Double(total - right),
                      tokenAccuracy: Double(right) / Double(max(total, 1)), exactMatch: exact ? 1 : 0])
    }

    /// Position-wise agreement of a decoded sequence with the target (both ending at `<eos>`, which counts
    /// as a token): right tokens over the target's tokens, and whether the two are equal.
    public static func compare(decoded: [Int], target: [Int]) -> (right: Int, total: Int, exact: Bool) {
        let right = zip(decoded, target).filter { $0 == $1 }.count
        return (right, target.count, decoded == target)
    }

    /// The episode score of a decoded sentence: target words (and `<eos>`) not matched in place, of how
    /// many; nothing scored for a typed sentence (no reference).
    public static func score(decoded: [Int], reference: [Int], eos: Int) -> EpisodeScore {
        guard !reference.isEmpty else { return EpisodeScore(wrong: 0, scored: 0, unit: "words") }
        let (right, total, exact) = compare(decoded: decoded, target: reference + [eos])
        return EpisodeScore(wrong: total - right, scored: total, unit: "words", details: ["exactMatch": exact ? 1 : 0])
    }

    /// The id of the largest logit of row `row` (`width` logits a row); the first of equal ones. The one
    /// argmax every decoder and metric uses.
    @inlinable
    public static func argmax(_ logits: UnsafeBufferPointer<Float>, row: Int, width: Int) -> Int {
        let base = row * width
        var best = 0
        for c in 1..<width where logits[base + c] > logits[base + best] { best = c }
        return best
    }
}

/// A learner on a token task scored by `TokenObjective`, whatever runs the model (an encoder–decoder, a
/// recurrent model that reads then writes): what they share comes with the protocol.
public protocol TokenTaskLearner: Learner where Sample == T.Sample {
    associatedtype T: TokenTask
    var tokenTask: T { get }
    var objective: TokenObjective { get }
}

extension TokenTaskLearner {
    public var metrics: [MetricSpec] { objective.metrics }
    /// A curriculum (and the training watch's second chart) follows the wrong words per sentence.
    public var curriculumMetric: String { TokenObjective.wrongTokens }

    public func sample(rng: inout SeededRNG, length: Int?) -> Sample { tokenTask.sample(rng: &rng, length: length) }
    public func evaluationSample(rng: inout SeededRNG, length: Int?) -> Sample {
        tokenTask.forEvaluation().sample(rng: &rng, length: length)
    }

    /// Target tokens and `<eos>`: the units the loss is a sum over.
    public func lossUnits(_ samples: [Sample]) -> Int { samples.reduce(0) { $0 + $1.targetTokens.count + 1 } }
}
