import Engine
import Foundation
import Tasks

/// The objective of token tasks (translation): cross-entropy of every target token (and `<eos>`) under
/// teacher forcing; its metrics are the cross-entropy in bits per sentence, the target tokens decoded wrong
/// per sentence, the share decoded right, and the share of sentences decoded exactly (greedy decoding when evaluating; under
/// teacher forcing while training, which only approximates it).
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

    public init() {}

    /// Position-wise agreement of a decoded sequence with the target (both ending at `<eos>`, which counts
    /// as a token): right tokens over the target's tokens, and whether the two are equal.
    public static func compare(decoded: [Int], target: [Int]) -> (right: Int, total: Int, exact: Bool) {
        let right = zip(decoded, target).filter { $0 == $1 }.count
        return (right, target.count, decoded == target)
    }
}
