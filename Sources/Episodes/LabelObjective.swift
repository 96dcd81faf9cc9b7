import Engine
import Foundation
import Tasks

/// The objective of sequence-labelling tasks (Dyck-2): cross-entropy of every position's label; its
/// metrics are the cross-entropy in bits per sequence, the positions labelled wrong per sequence, the share
/// of positions labelled right, and the share of sequences with every position right. A position's label
/// is the argmax of its logits; nothing a model writes is read back, so the scores while training are the
/// scores of what it writes.
public struct LabelObjective: Sendable {
    public static let crossEntropyBits = "meanCEBits"
    public static let wrongLabels = "meanWrongLabels"
    public static let positionAccuracy = "positionAccuracy"
    public static let exactMatch = "exactMatch"
    /// The label of a position past a sample's end in a batch: not scored, no gradient.
    public static let noLabel = -1

    public let metrics: [MetricSpec] = [
        MetricSpec(crossEntropyBits, label: "CE bits/sequence", short: "loss", unit: "bits/seq"),
        MetricSpec(wrongLabels, label: "wrong labels/seq", short: "wrong", unit: "labels/seq"),
        MetricSpec(positionAccuracy, label: "position accuracy", short: "positions", isShare: true, lowerIsBetter: false),
        MetricSpec(exactMatch, label: "exact match", short: "exact", isShare: true, lowerIsBetter: false),
    ]

    public init() {}

    /// The summed cross-entropy of `logits` (one [B, L] value per position) against `labels` (one id per
    /// position and sample; `noLabel` past a sample's end), backpropagated times `lossScale` when given,
    /// and each sample's figures from the same values. The token objective's sum, with no padding id.
    public func scored(_ g: Graph, logits: [Var], labels: [[Int]], lossScale: Float?) -> TokenObjective.TeacherForced {
        TokenObjective(ignore: Self.noLabel).teacherForced(g, logits: logits, targets: labels, lossScale: lossScale)
    }

    /// Each sample's metric values.
    public func values(_ run: TokenObjective.TeacherForced) -> [MetricValues] {
        run.crossEntropyBits.indices.map { j in
            let right = run.right[j], total = run.total[j]
            return MetricValues([Self.crossEntropyBits: run.crossEntropyBits[j], Self.wrongLabels: Double(total - right),
                                 Self.positionAccuracy: Double(right) / Double(max(total, 1)),
                                 Self.exactMatch: right == total ? 1 : 0])
        }
    }

    /// The episode score of a labelled sequence: positions labelled wrong, of how many.
    public static func score(written: [Int], labels: [Int]) -> EpisodeScore {
        let wrong = zip(written, labels).filter { $0 != $1 }.count
        return EpisodeScore(wrong: wrong, scored: labels.count, unit: "labels", details: ["exactMatch": wrong == 0 ? 1 : 0])
    }
}
