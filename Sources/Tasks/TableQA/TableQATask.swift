import Engine

/// Questions about generated tables of numbers, the Neural Programmer's task (Neelakantan, Le and
/// Sutskever 2016; issue 21; docs/tasks/table-qa.md). A sample is a table of `minRows`–`maxRows` rows and
/// `columns` columns of integers 0–99 and one question from the templates of `TableQuestionGrammar`; the
/// answer is a number, or a cell for the lookups.
///
/// `length` is the number of rows. Random draws, in order: the kind (uniform over `kinds`, those a table of
/// `columns` columns can ask), the number of rows when none is given, then tables (`TableGenerator.table`)
/// until one of the split's, then up to 8 questions of that kind about it (`TableGenerator.question`)
/// until one is not degenerate, else another table.
///
/// Held out: a table belongs to the held-out split by its fingerprint (`TableSplit`); training draws only
/// the others, and `forEvaluation()` only those.
public struct TableQATask: AnswerTask, TableInputTask, Equatable {
    public typealias Sample = TableQASample
    public static let name = "table-qa"
    public static let lengthName = "rows"
    public static let summary = "questions about generated tables of numbers, answered by a number or a cell (Neural Programmer, Neelakantan 2016)"
    public static let defaults = TableQATask()

    public enum Split: String, Codable, Sendable, CaseIterable { case train, heldOut }

    /// The training range of the number of rows.
    public var minRows: Int
    public var maxRows: Int
    /// Columns per generated table, 1–5.
    public var columns: Int
    /// The kinds drawn from (`TableQuestionKind` names); the keyed lookups only when `columns` ≥ 2.
    public var kinds: [String]
    public var split: Split

    public init(minRows: Int = 8, maxRows: Int = 16, columns: Int = 3,
                kinds: [String] = TableQuestionKind.allCases.map(\.rawValue), split: Split = .train) {
        self.minRows = minRows
        self.maxRows = maxRows
        self.columns = columns
        self.kinds = kinds
        self.split = split
    }

    /// The most rows a table may have, generated or typed.
    public static let mostRows = 32
    /// The most columns a table may have, generated or typed.
    public static let mostColumns = 5
    /// The largest magnitude a typed table's cell or a typed question's number may have: with at most 32
    /// rows every sum of integers stays below 2^24, exact in a Float.
    public static let largestMagnitude: Double = 10_000

    /// Numbers and cells: no answer vocabulary.
    public var answerWords: [String] { [] }

    // MARK: Configuration

    public func validate() throws {
        try validate(length: minRows, field: "minRows")
        try validate(length: maxRows, field: "maxRows")
        try Check.ordered(min: minRows, max: maxRows, minField: "minRows", maxField: "maxRows", task: Self.name)
        try Check.atLeast(columns, 1, field: "columns", task: Self.name)
        try Check.atMost(columns, Self.mostColumns, field: "columns", task: Self.name)
        let known = TableQuestionKind.allCases.map(\.rawValue)
        for kind in kinds where !known.contains(kind) {
            let near = NameSuggestion.closest(to: kind, among: known).map { " (closest: \($0))" } ?? ""
            throw ArnnError("\(Self.name): unknown kind \"\(kind)\"\(near); the kinds are \(known.joined(separator: ", "))")
        }
        guard !usableKinds.isEmpty else {
            throw ArnnError("\(Self.name): kinds must name at least one kind a table of \(columns) column\(columns == 1 ? "" : "s") can ask"
                            + (kinds.isEmpty ? "" : " (lookupGreatest and lookupLowest need 2 columns)"))
        }
    }

    public func validate(length: Int) throws { try validate(length: length, field: "length") }

    private func validate(length: Int, field: String) throws {
        try Check.atLeast(length, 2, field: field, task: Self.name, why: " (the first and the last row must differ)")
        try Check.atMost(length, Self.mostRows, field: field, task: Self.name)
    }

    /// The configured kinds a table of `columns` columns can ask, in `TableQuestionKind`'s order.
    public var usableKinds: [TableQuestionKind] {
        TableQuestionKind.allCases.filter { kinds.contains($0.rawValue) && (!$0.hasKey || columns >= 2) }
    }

    public func forEvaluation() -> TableQATask {
        var t = self
        t.split = .heldOut
        return t
    }

    /// The shortest, middle and longest trained number of rows (8, 12, 16 by default).
    public var evaluationLengths: [Int] { Array(Set([minRows, (minRows + maxRows) / 2, maxRows])).sorted() }

    // MARK: Drawing samples

    public func sample(rng: inout SeededRNG, length: Int?) -> TableQASample {
        let usable = usableKinds
        precondition(!usable.isEmpty, "\(Self.name): no kind to draw; validate first")
        let kind = usable[rng.int(below: usable.count)]
        let rows = length ?? rng.int(in: minRows...maxRows)
        precondition((try? validate(length: rows)) != nil, "\(Self.name): invalid number of rows \(rows); validate first")
        while true {
            let table = TableGenerator.table(rows: rows, columns: columns, rng: &rng)
            guard TableSplit.isHeldOut(table) == (split == .heldOut) else { continue }
            for _ in 0..<8 {
                if let question = TableGenerator.question(kind, table: table, rng: &rng) {
                    return TableQASample(table: table, question: question)
                }
            }
        }
    }

    // MARK: A table and a question the user gives

    /// `question` about `table` (`--table FILE --question "..."`), read by the rules of
    /// docs/tasks/table-qa.md, "Typed tables and questions"; its answer is computed from the table (nil
    /// for a lookup whose rows tie). One-line errors name the problem: a table too large, a column name or
    /// a word the task does not know (with the closest known one), a column not in the table, a number
    /// too large, or a question no template has.
    public func sample(table: Table, question: String) throws -> TableQASample {
        let table = try TableQAInput.table(table)
        return TableQASample(table: table, question: try TableQAInput.question(question, columns: table.columns))
    }
}

extension TableQATask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<TableQATask, Int>, max: WritableKeyPath<TableQATask, Int>) { (\.minRows, \.maxRows) }
}

/// A question typed in the viewer (`t`) is asked of the table on screen; on its own, with no table, a
/// question cannot be answered.
extension TableQATask: TextInputTask {
    public func sample(text: String) throws -> TableQASample { try sample(text: text, like: nil) }

    public func sample(text: String, like current: TableQASample?) throws -> TableQASample {
        guard let current else {
            _ = try TableQAInput.question(text, columns: TableQAVocabulary.columnNames)
            throw ArnnError("a question needs a table: give --table FILE.csv with --question, or type it in the viewer over a table")
        }
        return try sample(table: current.table, question: text)
    }

    /// The question's words checked against the grammar, with any column name the task knows (the table's
    /// own columns are checked when it runs).
    public func check(text: String) throws {
        _ = try TableQAInput.question(text, columns: TableQAVocabulary.columnNames)
    }

    public func unknownWords(_ text: String) -> [String] {
        let known = Set(TableQAVocabulary.grammarWords + TableQAVocabulary.columnNames)
        return TableQAInput.tokens(text).filter { !known.contains($0) && TableQAVocabulary.number($0) == nil }
    }
}
