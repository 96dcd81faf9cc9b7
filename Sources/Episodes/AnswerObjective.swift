import Engine
import Foundation
import Tasks

/// An objective of samples answered once (`ReadThenAnswerLearner`): the loss of one answer per sample and
/// its metrics, with the answer read back for an episode's last step.
public protocol OneAnswerObjective: Sendable {
    /// In display order; `metrics[0]` is the loss, `metrics[1]` the error a curriculum watches.
    var metrics: [MetricSpec] { get }
    /// The summed loss of `answer` (one row per sample) against `rights` (nil rows count nothing),
    /// backpropagated times `lossScale` when given, and each sample's metric values.
    func score(_ g: Graph, answer: Var, rights: [Answer?], lossScale: Float?) -> [MetricValues]
    /// The answer row `b` of `answer` gives, and a right answer, as an episode step shows them.
    func given(_ g: Graph, answer: Var, example b: Int) -> AnswerStep.Given
    func shown(_ right: Answer) -> AnswerStep.Given
    /// How far a number may be from the right one and still count as right (0 for words).
    var tolerance: Double { get }
}

/// One answer out of a vocabulary of words (bAbI's answers): cross-entropy of the right word under
/// softmax(logits), with the cross-entropy in bits, the share of wrong answers and the share of right ones.
public struct AnswerObjective: OneAnswerObjective {
    public static let crossEntropyBits = "meanCEBits"
    public static let errorRate = "errorRate"
    public static let accuracy = "accuracy"

    public let metrics: [MetricSpec] = [
        MetricSpec(crossEntropyBits, label: "CE bits/answer", short: "loss", unit: "bits"),
        MetricSpec(errorRate, label: "wrong answers", short: "wrong", isShare: true),
        MetricSpec(accuracy, label: "right answers", short: "right", isShare: true, lowerIsBetter: false),
    ]
    /// The answer vocabulary, by id.
    public let words: [String]
    public var tolerance: Double { 0 }

    public init(words: [String]) { self.words = words }

    public func score(_ g: Graph, answer: Var, rights: [Answer?], lossScale: Float?) -> [MetricValues] {
        let ids = rights.map { r -> Int in if case let .word(id)? = r { id } else { -1 } }
        let perRow = g.crossEntropy(answer, targets: ids, ignoreIndex: -1, reduction: .none)
        if let lossScale { g.backward(g.scale(g.sum(perRow), lossScale)) }
        let v = g.shape(answer)[1]
        return g.withValue(perRow) { loss in
            g.withValue(answer) { l in
                ids.indices.map { b in
                    let right = ids[b] >= 0 && TokenObjective.argmax(l, row: b, width: v) == ids[b]
                    return MetricValues([Self.crossEntropyBits: Double(loss[b]) / M_LN2,
                                         Self.errorRate: right ? 0 : 1, Self.accuracy: right ? 1 : 0])
                }
            }
        }
    }

    public func given(_ g: Graph, answer: Var, example b: Int) -> AnswerStep.Given {
        let id = g.withValue(answer) { TokenObjective.argmax($0, row: b, width: g.shape(answer)[1]) }
        return .word(id: id, word: id < words.count ? words[id] : "#\(id)")
    }

    public func shown(_ right: Answer) -> AnswerStep.Given {
        switch right {
        case let .word(id): .word(id: id, word: id < words.count ? words[id] : "#\(id)")
        case let .number(x): .number(x)
        case let .cell(row, column): .cell(row: row, column: column)
        }
    }
}

/// A number for an answer (the Neural Programmer's scalar answers): the Huber loss with `delta`, with the
/// mean absolute error and the share of answers within `tolerance` of the right number.
public struct ScalarObjective: OneAnswerObjective {
    public static let huber = "meanHuber"
    public static let errorRate = "errorRate"
    public static let absoluteError = "meanAbsoluteError"
    public static let accuracy = "accuracy"

    public let metrics: [MetricSpec] = [
        MetricSpec(huber, label: "Huber loss/answer", short: "loss"),
        MetricSpec(errorRate, label: "wrong answers", short: "wrong", isShare: true),
        MetricSpec(absoluteError, label: "mean |error|", short: "|err|"),
        MetricSpec(accuracy, label: "right answers", short: "right", isShare: true, lowerIsBetter: false),
    ]
    public let delta: Float
    public let tolerance: Double

    public init(delta: Float = 10, tolerance: Double = 0.5) {
        self.delta = delta
        self.tolerance = tolerance
    }

    public func score(_ g: Graph, answer: Var, rights: [Answer?], lossScale: Float?) -> [MetricValues] {
        let targets = rights.map { r -> Float in if case let .number(x)? = r { Float(x) } else { 0 } }
        let known = rights.map { r -> Float in if case .number? = r { 1 } else { 0 } }
        let perRow = g.mul(g.huber(g.reshape(answer, [rights.count]), targets: targets, delta: delta),
                           g.constant(Tensor(shape: [rights.count], data: known)))
        if let lossScale { g.backward(g.scale(g.sum(perRow), lossScale)) }
        return g.withValue(perRow) { loss in
            g.withValue(answer) { a in
                rights.indices.map { b in
                    let error = known[b] == 0 ? 0 : abs(Double(a[b]) - Double(targets[b]))
                    let right = known[b] != 0 && error <= tolerance
                    return MetricValues([Self.huber: Double(loss[b]), Self.errorRate: right ? 0 : 1,
                                         Self.absoluteError: error, Self.accuracy: right ? 1 : 0])
                }
            }
        }
    }

    public func given(_ g: Graph, answer: Var, example b: Int) -> AnswerStep.Given {
        .number(Double(g.withValue(answer) { $0[b] }))
    }

    public func shown(_ right: Answer) -> AnswerStep.Given {
        switch right {
        case let .number(x): .number(x)
        case let .word(id): .word(id: id, word: "#\(id)")
        case let .cell(row, column): .cell(row: row, column: column)
        }
    }
}
