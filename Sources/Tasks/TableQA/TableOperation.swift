/// One step of a table program: the Neural Programmer's operations (Neelakantan, Le and Sutskever 2016),
/// or the subset the question grammar needs, with their arguments made hard: a column by index and a
/// pivot by value. What each does is written in docs/tasks/table-qa.md, "Operations", and done by
/// `TableProgram.run(on:)`.
///
/// Selecting operations (`greater` … `last`) look at the whole table, as the paper's comparisons do; `and`
/// and `or` combine the selections of the two steps before; `sum`, `count` and `print` read the selection
/// of the step before, and `difference` the scalars of the third and the first step before.
public enum TableOperation: Equatable, Sendable, CustomStringConvertible {
    /// Every row selected.
    case reset
    /// The rows whose value in `column` is greater than `pivot` (strictly).
    case greater(column: Int, pivot: Double)
    /// The rows whose value in `column` is less than `pivot` (strictly).
    case lesser(column: Int, pivot: Double)
    /// The rows holding the greatest value of `column` (several on a tie).
    case greatest(column: Int)
    /// The rows holding the lowest value of `column`.
    case lowest(column: Int)
    /// The first row of the table.
    case first
    /// The last row of the table.
    case last
    /// The rows selected at both of the two steps before.
    case and
    /// The rows selected at either of the two steps before.
    case or
    /// A scalar: the sum of `column` over the rows selected at the step before.
    case sum(column: Int)
    /// A scalar: the number of rows selected at the step before.
    case count
    /// A scalar: the scalar of three steps before minus the scalar of the step before.
    case difference
    /// A lookup: the cells of `column` in the rows selected at the step before (the paper's assign).
    case print(column: Int)

    /// The operation's name, as docs and traces write it.
    public var name: String {
        switch self {
        case .reset: "reset"
        case .greater: "greater"
        case .lesser: "lesser"
        case .greatest: "greatest"
        case .lowest: "lowest"
        case .first: "first"
        case .last: "last"
        case .and: "and"
        case .or: "or"
        case .sum: "sum"
        case .count: "count"
        case .difference: "difference"
        case .print: "print"
        }
    }

    /// The column the operation reads, if it takes one.
    public var column: Int? {
        switch self {
        case let .greater(c, _), let .lesser(c, _), let .greatest(c), let .lowest(c), let .sum(c), let .print(c): c
        default: nil
        }
    }

    /// The pivot the operation compares with, if it takes one.
    public var pivot: Double? {
        switch self {
        case let .greater(_, p), let .lesser(_, p): p
        default: nil
        }
    }

    /// `greater(1, 40)`, `sum(0)`, `and`.
    public var description: String {
        switch (column, pivot) {
        case let (c?, p?): "\(name)(\(c), \(Table.text(p)))"
        case let (c?, nil): "\(name)(\(c))"
        default: name
        }
    }
}
