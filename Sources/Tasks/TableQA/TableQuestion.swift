/// Which template a question comes from: a short stable name that evaluation reports accuracy by
/// (docs/tasks/table-qa.md, "The grammar").
public enum TableQuestionKind: String, CaseIterable, Codable, Sendable {
    case sum, count, difference, greatest, lowest
    case countWhere, sumWhere, countAnd, countOr, sumAnd, sumOr
    case lookupGreatest, lookupLowest

    /// Whether the answer is a cell (a lookup) rather than a number.
    public var isLookup: Bool { [.greatest, .lowest, .lookupGreatest, .lookupLowest].contains(self) }

    /// How many conditions (`price greater than 40`) the template has.
    public var conditionCount: Int {
        switch self {
        case .countWhere, .sumWhere: 1
        case .countAnd, .countOr, .sumAnd, .sumOr: 2
        default: 0
        }
    }

    /// Whether the template names a column to sum, look up or compare first and last rows of.
    public var hasTarget: Bool { ![.count, .countWhere, .countAnd, .countOr].contains(self) }

    /// Whether the template names a second column whose greatest or lowest row is looked up.
    public var hasKey: Bool { self == .lookupGreatest || self == .lookupLowest }
}

/// `greater than` or `less than`.
public enum TableComparison: String, CaseIterable, Codable, Sendable {
    case greater, less
}

/// `price greater than 40`: a column, a comparison and the pivot number.
public struct TableCondition: Equatable, Sendable {
    public var column: String
    public var comparison: TableComparison
    public var pivot: Double

    public init(_ column: String, _ comparison: TableComparison, _ pivot: Double) {
        self.column = column
        self.comparison = comparison
        self.pivot = pivot
    }
}

/// A question about a table, as its template's parts: the kind, the columns it names and its conditions.
/// Its words come from `TableQuestionGrammar`, its program from `program(in:)`.
public struct TableQuestion: Equatable, Sendable {
    public var kind: TableQuestionKind
    /// The column summed, looked up, or whose first and last rows are compared; nil for counts.
    public var target: String?
    /// The column whose greatest or lowest row a lookup reads (`lookupGreatest`, `lookupLowest`).
    public var key: String?
    /// The conditions, in the order the question says them.
    public var conditions: [TableCondition]

    /// A question of `kind` with the parts it needs: a target unless it counts, a key for the two keyed
    /// lookups, and one or two conditions for the templates that have them (a programmer error otherwise).
    public init(_ kind: TableQuestionKind, target: String? = nil, key: String? = nil, conditions: [TableCondition] = []) {
        precondition((target != nil) == kind.hasTarget, "\(kind) \(kind.hasTarget ? "needs" : "takes no") target column")
        precondition((key != nil) == kind.hasKey, "\(kind) \(kind.hasKey ? "needs" : "takes no") key column")
        precondition(conditions.count == kind.conditionCount, "\(kind) has \(kind.conditionCount) conditions, not \(conditions.count)")
        self.kind = kind
        self.target = target
        self.key = key
        self.conditions = conditions
    }

    /// The columns the question names, each once, in the order it names them.
    public var namedColumns: [String] {
        var seen: [String] = []
        for c in TableQuestionGrammar.columnsInOrder(self) where !seen.contains(c) { seen.append(c) }
        return seen
    }

    /// A single-column question names at most one column (the paper's single-column experiments); the
    /// others are multi-column.
    public var isSingleColumn: Bool { namedColumns.count <= 1 }

    /// The question's words, numbers as digits, ending with `?`.
    public var words: [String] { TableQuestionGrammar.words(self) }

    /// The question as one line of text.
    public var text: String { words.joined(separator: " ") }

    /// The program that answers the question on a table with these columns; nil when it names a column
    /// the table does not have.
    public func program(columns: [String]) -> TableProgram? {
        // -1 stands for a part the kind does not have; the switch below never reads it.
        var target = -1, key = -1
        if let name = self.target {
            guard let i = columns.firstIndex(of: name) else { return nil }
            target = i
        }
        if let name = self.key {
            guard let i = columns.firstIndex(of: name) else { return nil }
            key = i
        }
        var selecting: [TableOperation] = []
        for c in conditions {
            guard let column = columns.firstIndex(of: c.column) else { return nil }
            selecting.append(c.comparison == .greater ? .greater(column: column, pivot: c.pivot) : .lesser(column: column, pivot: c.pivot))
        }
        // The programs of docs/tasks/table-qa.md, "The grammar", column "program".
        switch kind {
        case .sum: return TableProgram([.sum(column: target)])
        case .count: return TableProgram([.count])
        case .difference: return TableProgram([.first, .sum(column: target), .last, .sum(column: target), .difference])
        case .greatest: return TableProgram([.greatest(column: target), .print(column: target)])
        case .lowest: return TableProgram([.lowest(column: target), .print(column: target)])
        case .countWhere: return TableProgram(selecting + [.count])
        case .sumWhere: return TableProgram(selecting + [.sum(column: target)])
        case .countAnd: return TableProgram(selecting + [.and, .count])
        case .countOr: return TableProgram(selecting + [.or, .count])
        case .sumAnd: return TableProgram(selecting + [.and, .sum(column: target)])
        case .sumOr: return TableProgram(selecting + [.or, .sum(column: target)])
        case .lookupGreatest: return TableProgram([.greatest(column: key), .print(column: target)])
        case .lookupLowest: return TableProgram([.lowest(column: key), .print(column: target)])
        }
    }
}
