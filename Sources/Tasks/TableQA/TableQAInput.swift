import Engine

/// A table and a question a user gives (`--table FILE --question "..."`), checked by the rules of
/// docs/tasks/table-qa.md, "Typed tables and questions". Every refusal is one `ArnnError` line naming the
/// problem, so the command line can print it and exit 2.
public enum TableQAInput {
    /// `table` with its column names in lower case, or an error: more than `TableQATask.mostRows` rows or
    /// `mostColumns` columns, a column name the task does not know (naming the closest) or named twice,
    /// or a cell beyond ±`largestMagnitude`.
    public static func table(_ table: Table) throws -> Table {
        let rows = table.rows.count, columns = table.columns.count
        guard rows <= TableQATask.mostRows else {
            throw ArnnError("the table has \(rows) rows; \(TableQATask.name) reads at most \(TableQATask.mostRows)")
        }
        guard columns <= TableQATask.mostColumns else {
            throw ArnnError("the table has \(columns) columns; \(TableQATask.name) reads at most \(TableQATask.mostColumns)")
        }
        let names = table.columns.map { $0.lowercased() }
        let known = TableQAVocabulary.columnNames
        for (name, given) in zip(names, table.columns) where !known.contains(name) {
            let near = NameSuggestion.closest(to: name, among: known).map { " (closest: \"\($0)\")" } ?? ""
            throw ArnnError("the table's column \"\(given)\" is not a column name \(TableQATask.name) knows\(near); "
                            + "the names are \(known.joined(separator: ", "))")
        }
        for (i, name) in names.enumerated() where names[..<i].contains(name) {
            throw ArnnError("the table names column \"\(name)\" twice")
        }
        for (r, row) in table.rows.enumerated() {
            for (c, x) in row.enumerated() where !(abs(x) <= TableQATask.largestMagnitude) {
                throw ArnnError("the table's cell in row \(r + 1), column \(names[c]) is \(Table.text(x)), "
                                + "beyond ±\(Table.text(TableQATask.largestMagnitude))")
            }
        }
        return Table(columns: names, rows: table.rows)
    }

    /// The words of a typed question: lower case, split at white space, a `?` split off the word it ends
    /// and added at the end when missing.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        for raw in text.lowercased().split(whereSeparator: \.isWhitespace) {
            var word = String(raw)
            var marks = 0
            while word.count > 1 && word.hasSuffix("?") {
                word.removeLast()
                marks += 1
            }
            tokens.append(word)
            tokens += Array(repeating: "?", count: marks)
        }
        if !tokens.isEmpty && tokens.last != "?" { tokens.append("?") }
        return tokens
    }

    /// The question `text` asks about a table with `columns` (lower case), or an error, checked in this
    /// order: an empty question; a word that is neither the grammar's, a column name nor a number (naming
    /// the closest known word); a column name not in the table (naming its columns); a number beyond
    /// ±`largestMagnitude`; no template with these words.
    public static func question(_ text: String, columns: [String]) throws -> TableQuestion {
        let tokens = tokens(text)
        let example = columns.first ?? "price"
        guard !tokens.isEmpty else { throw ArnnError("the question is empty; ask e.g. \"what is the sum of \(example) ?\"") }
        let grammar = Set(TableQAVocabulary.grammarWords), names = Set(TableQAVocabulary.columnNames)
        for token in tokens where TableQAVocabulary.number(token) == nil && !names.contains(token) && !grammar.contains(token) {
            let near = NameSuggestion.closest(to: token, among: TableQAVocabulary.grammarWords + columns)
                .map { " (closest known word: \"\($0)\")" } ?? ""
            throw ArnnError("unknown word \"\(token)\" in the question\(near)")
        }
        for token in tokens where names.contains(token) && !columns.contains(token) {
            throw ArnnError("column \"\(token)\" is not in the table; its columns are \(columns.joined(separator: ", "))")
        }
        for token in tokens {
            if let x = TableQAVocabulary.number(token), !(abs(x) <= TableQATask.largestMagnitude) {
                throw ArnnError("the number \(token) in the question is beyond ±\(Table.text(TableQATask.largestMagnitude))")
            }
        }
        guard let question = TableQuestionGrammar.question(tokens) else {
            let other = columns.count > 1 ? columns[1] : example
            throw ArnnError("no template asks \"\(tokens.joined(separator: " "))\"; ask e.g. \"what is the sum of \(example) ?\", "
                            + "\"how many rows have \(example) greater than 50 ?\" or \"what is the \(example) where \(other) is greatest ?\"")
        }
        return question
    }
}
