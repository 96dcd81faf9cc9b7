/// A cell of a table: its row and column, both from 0.
public struct TableCell: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String { "(\(row), \(column))" }
}

/// What a program gives: a number, or the cells a lookup points at (several when rows tie).
public enum TableResult: Equatable, Sendable {
    case scalar(Double)
    case cells([TableCell])
}

/// A question's program: the operations a Neural Programmer would run, one a step, to answer it
/// (docs/tasks/table-qa.md, "Operations" and "The grammar"). The task computes every answer by running it,
/// so the answers are right by construction of the interpreter below, and the tests check the
/// interpreter against a direct computation per template.
public struct TableProgram: Equatable, Sendable, CustomStringConvertible {
    public var steps: [TableOperation]

    public init(_ steps: [TableOperation]) { self.steps = steps }

    /// Everything a run computed, step by step: what the viewer may draw beside a model's soft program.
    public struct Run: Equatable, Sendable {
        /// The rows selected after each step (`selections[t]` after step t; before step 0, every row).
        public var selections: [[Bool]]
        /// Each step's scalar, for `sum`, `count` and `difference` (nil elsewhere).
        public var scalars: [Double?]
        /// The program's answer: the output of its last step.
        public var result: TableResult
    }

    /// Runs the program on `table`. The last step must give an answer (a scalar or a lookup), every column
    /// must be the table's, and `difference` needs scalars three steps and one step before it: programmer
    /// errors, since programs come from `TableQuestion.program(in:)`.
    public func run(on table: Table) -> Run {
        let n = table.rows.count
        let all = [Bool](repeating: true, count: n)
        var selections: [[Bool]] = []
        var scalars: [Double?] = []
        var lookup: [TableCell]?
        /// The selection after step t (t = −1, −2: before the program, every row).
        func selection(_ t: Int) -> [Bool] { t >= 0 ? selections[t] : all }
        func rows(where keep: (Int) -> Bool) -> [Bool] { (0..<n).map(keep) }
        func value(_ i: Int, _ c: Int) -> Double {
            precondition(table.columns.indices.contains(c), "column \(c) of a table of \(table.columns.count)")
            return table.rows[i][c]
        }
        for (t, op) in steps.enumerated() {
            let before = selection(t - 1)
            var scalar: Double?
            var selected = before
            lookup = nil
            switch op {
            case .reset: selected = all
            case let .greater(c, p): selected = rows { value($0, c) > p }
            case let .lesser(c, p): selected = rows { value($0, c) < p }
            case let .greatest(c):
                let best = (0..<n).map { value($0, c) }.max()
                selected = rows { value($0, c) == best }
            case let .lowest(c):
                let best = (0..<n).map { value($0, c) }.min()
                selected = rows { value($0, c) == best }
            case .first: selected = rows { $0 == 0 }
            case .last: selected = rows { $0 == n - 1 }
            case .and: selected = zip(before, selection(t - 2)).map { $0 && $1 }
            case .or: selected = zip(before, selection(t - 2)).map { $0 || $1 }
            case let .sum(c): scalar = (0..<n).filter { before[$0] }.reduce(0) { $0 + value($1, c) }
            case .count: scalar = Double(before.filter { $0 }.count)
            case .difference:
                precondition(t >= 3, "difference at step \(t) needs the scalars of steps \(t - 3) and \(t - 1)")
                guard let a = scalars[t - 3], let b = scalars[t - 1] else {
                    preconditionFailure("difference at step \(t): steps \(t - 3) and \(t - 1) give no scalar")
                }
                scalar = a - b
            case let .print(c):
                lookup = (0..<n).filter { before[$0] }.map { TableCell(row: $0, column: c) }
            }
            selections.append(selected)
            scalars.append(scalar)
        }
        let result: TableResult
        if let x = scalars.last ?? nil {
            result = .scalar(x)
        } else if let lookup {
            result = .cells(lookup)
        } else {
            preconditionFailure("the program \(self) ends on a step that gives no answer")
        }
        return Run(selections: selections, scalars: scalars, result: result)
    }

    /// `greater(1, 40) → count`.
    public var description: String { steps.map(\.description).joined(separator: " → ") }
}
