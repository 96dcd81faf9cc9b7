import Engine
import Foundation
import Tasks

/// A question about a table answered by a number or by cells (the Neural Programmer's;
/// docs/models/neural-programmer.md, "Training and testing"). The answer record of each example is
/// [s, α(print), cells, lookup over rows × `columns` cells]: a number question costs the Huber loss of s
/// (16), a cell question λ times the mean log loss of the lookup over the table's cells (17).
///
/// A number is right when the model answers with a number (α(print) < ½) within `tolerance`; a cell when
/// it answers with cells and exactly that cell is at least ½.
public struct TableAnswerObjective: OneAnswerObjective {
    public static let loss = "meanLoss"
    public static let errorRate = "errorRate"
    public static let accuracy = "accuracy"

    public let metrics: [MetricSpec] = [
        MetricSpec(loss, label: "loss/answer", short: "loss"),
        MetricSpec(errorRate, label: "wrong answers", short: "wrong", isShare: true),
        MetricSpec(accuracy, label: "right answers", short: "right", isShare: true, lowerIsBetter: false),
    ]
    /// The record's lookup has this many columns per row.
    public let columns: Int
    /// λ of (17) and δ of (16).
    public let lookupWeight: Float
    public let delta: Float
    public let tolerance: Double

    /// The record's leading entries before the lookup cells: s, α(print), the table's cell count.
    static let header = 3

    public init(columns: Int, lookupWeight: Float, delta: Float, tolerance: Double = 0.5) {
        self.columns = columns
        self.lookupWeight = lookupWeight
        self.delta = delta
        self.tolerance = tolerance
    }

    public func score(_ g: Graph, answer: Var, rights: [Answer?], lossScale: Float?) -> [MetricValues] {
        let b = rights.count, width = g.shape(answer)[1], cells = width - Self.header
        precondition(cells > 0 && cells % columns == 0, "a table answer record of \(width) entries for \(columns) columns")
        var targets = [Float](repeating: 0, count: b), isNumber = targets, isCell = targets
        var wanted = [Float](repeating: 0, count: b * cells)
        for (i, right) in rights.enumerated() {
            switch right {
            case let .number(y)?:
                targets[i] = Float(y)
                isNumber[i] = 1
            case let .cell(row, column)?:
                wanted[i * cells + row * columns + column] = 1
                isCell[i] = 1
            default: break
            }
        }
        // (16): the Huber loss of s on number questions.
        let scalar = g.reshape(g.slice(answer, axis: 1, start: 0, count: 1), [b])
        let numberLoss = g.mul(g.huber(scalar, targets: targets, delta: delta), g.constant(Tensor(shape: [b], data: isNumber)))
        // (17): λ/(MC) Σ over the cells of the log loss, on cell questions; cells outside a table are 0 and
        // wanted 0, so they add (almost) nothing.
        let lookup = g.clamp(g.slice(answer, axis: 1, start: Self.header, count: cells), min: 1e-6, max: 1 - 1e-6)
        let y = g.constant(Tensor(shape: [b, cells], data: wanted))
        let logLoss = g.neg(g.add(g.mul(y, g.log(lookup)), g.mul(g.oneMinus(y), g.log(g.oneMinus(lookup)))))
        let perCell = g.withValue(answer) { a in (0..<b).map { i in isCell[i] * lookupWeight / max(a[i * width + 2], 1) } }
        let cellLoss = g.mul(g.sum(logLoss, axis: 1), g.constant(Tensor(shape: [b], data: perCell)))
        let perRow = g.add(numberLoss, cellLoss)
        if let lossScale { g.backward(g.scale(g.sum(perRow), lossScale)) }
        return g.withValue(perRow) { loss in
            (0..<b).map { i in
                let right = rights[i].map { self.isRight(g, answer: answer, example: i, $0) } ?? false
                return MetricValues([Self.loss: Double(loss[i]), Self.errorRate: right ? 0 : 1, Self.accuracy: right ? 1 : 0])
            }
        }
    }

    func isRight(_ g: Graph, answer: Var, example i: Int, _ right: Answer) -> Bool {
        let width = g.shape(answer)[1]
        return g.withValue(answer) { a in
            let row = a[(i * width)..<((i + 1) * width)]
            let s = row[row.startIndex], byCells = row[row.startIndex + 1] >= 0.5
            let lookup = row.dropFirst(Self.header)
            switch right {
            case let .number(y): return !byCells && abs(Double(s) - y) <= tolerance
            case let .cell(r, c):
                let at = r * columns + c
                return byCells && lookup.enumerated().allSatisfy { k, x in (k == at) == (x >= 0.5) }
            case .word: return false
            }
        }
    }

    public func given(_ g: Graph, answer: Var, example i: Int) -> AnswerStep.Given {
        let width = g.shape(answer)[1]
        return g.withValue(answer) { a in
            let row = Array(a[(i * width)..<((i + 1) * width)])
            guard row[1] >= 0.5 else { return .number(Double(row[0])) }
            let lookup = row.dropFirst(Self.header)
            let best = lookup.indices.max { lookup[$0] < lookup[$1] }! - Self.header
            return .cell(row: best / columns, column: best % columns)
        }
    }

    public func shown(_ right: Answer) -> AnswerStep.Given {
        switch right {
        case let .number(x): .number(x)
        case let .cell(row, column): .cell(row: row, column: column)
        case let .word(id): .word(id: id, word: "#\(id)")
        }
    }
}
