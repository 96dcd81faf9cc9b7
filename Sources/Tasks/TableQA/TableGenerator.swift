import Engine

/// Seeded tables and questions about them, by the rules of docs/tasks/table-qa.md ("Tables", "Choosing
/// columns and pivots"): integers 0–99 under column names drawn without repeats, and questions that avoid
/// degenerate answers.
public enum TableGenerator {
    /// The values of generated cells and pivots.
    public static let values = 0...99
    /// The share of questions with conditions whose pivots are drawn so that every condition, and their
    /// combination, selects some rows but not all (and the combination differs from each condition alone);
    /// the rest take uniform pivots, empty and full selections included, so a model also meets those.
    public static let nonTrivialShare: Float = 0.9
    /// Pivot draws tried before giving up on a question (the caller then draws another).
    static let pivotTries = 100

    /// A table of `rows` rows and `columns` columns. Draws, in order: the column names (each uniform among
    /// the names left), then the cells row by row, each uniform in 0–99.
    public static func table(rows: Int, columns: Int, rng: inout SeededRNG) -> Table {
        precondition(rows >= 1 && (1...TableQAVocabulary.columnNames.count).contains(columns), "a table of \(rows) × \(columns)")
        var names = TableQAVocabulary.columnNames
        let chosen = (0..<columns).map { _ in names.remove(at: rng.int(below: names.count)) }
        let cells = (0..<rows).map { _ in (0..<columns).map { _ in Double(rng.int(in: values)) } }
        return Table(columns: chosen, rows: cells)
    }

    /// A question of `kind` about `table`, or nil when this draw is degenerate: a lookup whose column has
    /// its greatest (lowest) value in more than one row, or conditions for which no pivot tried was
    /// non-trivial. Draws, in order: the target column, the key column (a lookup's, never the target),
    /// then per condition its column and its comparison (each uniform), then whether the pivots must be
    /// non-trivial (`nonTrivialShare`), then the pivots.
    public static func question(_ kind: TableQuestionKind, table: Table, rng: inout SeededRNG) -> TableQuestion? {
        let n = table.columns.count
        precondition(!kind.hasKey || n >= 2, "\(kind) needs two columns")
        let target = kind.hasTarget ? rng.int(below: n) : nil
        var key: Int?
        if kind.hasKey, let target {
            let other = rng.int(below: n - 1)
            key = other >= target ? other + 1 : other
        }
        let columns = (0..<kind.conditionCount).map { _ in
            (column: rng.int(below: n), comparison: TableComparison.allCases[rng.int(below: 2)])
        }
        // A lookup reads the one row holding its column's greatest (lowest) value.
        switch kind {
        case .greatest: if !hasOneExtreme(table, column: target!, greatest: true) { return nil }
        case .lowest: if !hasOneExtreme(table, column: target!, greatest: false) { return nil }
        case .lookupGreatest: if !hasOneExtreme(table, column: key!, greatest: true) { return nil }
        case .lookupLowest: if !hasOneExtreme(table, column: key!, greatest: false) { return nil }
        default: break
        }
        var conditions: [TableCondition] = []
        if !columns.isEmpty {
            let nonTrivial = rng.bernoulli(nonTrivialShare)
            for attempt in 0..<(nonTrivial ? pivotTries : 1) {
                conditions = columns.map { TableCondition(table.columns[$0.column], $0.comparison, Double(rng.int(in: values))) }
                if !nonTrivial || isNonTrivial(conditions, kind: kind, table: table) { break }
                if attempt == pivotTries - 1 { return nil }
            }
        }
        return TableQuestion(kind, target: target.map { table.columns[$0] }, key: key.map { table.columns[$0] }, conditions: conditions)
    }

    /// Whether exactly one row holds the greatest (or lowest) value of `column`.
    static func hasOneExtreme(_ table: Table, column: Int, greatest: Bool) -> Bool {
        let values = table.rows.map { $0[column] }
        guard let best = greatest ? values.max() : values.min() else { return false }
        return values.filter { $0 == best }.count == 1
    }

    /// The rows `condition` selects.
    static func selection(_ condition: TableCondition, table: Table) -> [Bool] {
        let c = table.columns.firstIndex(of: condition.column)!
        return table.rows.map { condition.comparison == .greater ? $0[c] > condition.pivot : $0[c] < condition.pivot }
    }

    /// Each condition selects some rows but not all; so does their combination (by `and` or `or`, as
    /// `kind` says), which also differs from each condition alone, so that both matter.
    static func isNonTrivial(_ conditions: [TableCondition], kind: TableQuestionKind, table: Table) -> Bool {
        func proper(_ s: [Bool]) -> Bool { s.contains(true) && s.contains(false) }
        let selections = conditions.map { selection($0, table: table) }
        guard selections.allSatisfy(proper) else { return false }
        guard selections.count == 2 else { return true }
        let both = kind == .countOr || kind == .sumOr ? zip(selections[0], selections[1]).map { $0 || $1 }
            : zip(selections[0], selections[1]).map { $0 && $1 }
        return proper(both) && both != selections[0] && both != selections[1]
    }
}
