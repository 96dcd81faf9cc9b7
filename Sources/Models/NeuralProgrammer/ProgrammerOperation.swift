/// The Neural Programmer's operations, in the order of the rows of its embedding U
/// (docs/models/neural-programmer.md, "Sizes and inputs"): the paper's nine on numbers, then arnn's four.
public enum ProgrammerOperation: Int, CaseIterable, Sendable, Codable {
    case sum, count, difference, greater, lesser, and, or, print, reset, greatest, lowest, first, last

    /// What the operation writes: a number, a row selector, or the lookup answer.
    public enum Output: Sendable { case scalar, rows, lookup }

    public var output: Output {
        switch self {
        case .sum, .count, .difference: .scalar
        case .print: .lookup
        default: .rows
        }
    }

    /// Its name as the docs, the viewer and `arnn ask` print it.
    public var name: String { "\(self)" }

    /// True when what it computes depends on the column chosen (α^col).
    public var readsColumn: Bool {
        switch self {
        case .sum, .greater, .lesser, .print, .greatest, .lowest: true
        default: false
        }
    }

    /// True when it compares with a number of the question (β, eq. 7).
    public var readsNumber: Bool { self == .greater || self == .lesser }
}
