/// The templates of table questions (docs/tasks/table-qa.md, "The grammar"): one per kind, written as
/// words and slots. A question's words come from its template, and a typed question is read by matching
/// it against every template, so the two directions cannot drift apart.
///
/// Slots: `{target}` and `{key}` are column names; `{1}` and `{2}` are conditions, four words each: a
/// column name, `greater` or `less`, `than`, and a number.
public enum TableQuestionGrammar {
    public static let templates: [(kind: TableQuestionKind, pattern: String)] = [
        (.sum, "what is the sum of {target} ?"),
        (.count, "how many rows are there ?"),
        (.difference, "what is the difference between the {target} of the first row and the last row ?"),
        (.greatest, "what is the greatest {target} ?"),
        (.lowest, "what is the lowest {target} ?"),
        (.countWhere, "how many rows have {1} ?"),
        (.sumWhere, "what is the sum of {target} where {1} ?"),
        (.countAnd, "how many rows have {1} and {2} ?"),
        (.countOr, "how many rows have {1} or {2} ?"),
        (.sumAnd, "what is the sum of {target} where {1} and {2} ?"),
        (.sumOr, "what is the sum of {target} where {1} or {2} ?"),
        (.lookupGreatest, "what is the {target} where {key} is greatest ?"),
        (.lookupLowest, "what is the {target} where {key} is lowest ?"),
    ]

    enum Piece: Equatable {
        case word(String)
        case target
        case key
        case condition(Int)
    }

    /// Each kind's template, split into pieces once.
    static let piecesByKind: [TableQuestionKind: [Piece]] = Dictionary(uniqueKeysWithValues: templates.map { kind, pattern in
        (kind, pattern.split(separator: " ").map { token -> Piece in
            switch token {
            case "{target}": .target
            case "{key}": .key
            case "{1}": .condition(0)
            case "{2}": .condition(1)
            default: .word(String(token))
            }
        })
    })

    static func pieces(_ kind: TableQuestionKind) -> [Piece] { piecesByKind[kind]! }

    /// The words of `question`: its template with the slots filled, numbers as digits.
    public static func words(_ question: TableQuestion) -> [String] {
        pieces(question.kind).flatMap { piece -> [String] in
            switch piece {
            case let .word(w): [w]
            case .target: [question.target!]
            case .key: [question.key!]
            case let .condition(i):
                [question.conditions[i].column, question.conditions[i].comparison.rawValue, "than",
                 Table.text(question.conditions[i].pivot)]
            }
        }
    }

    /// The column names of `question` in the order its words say them, repeats included.
    static func columnsInOrder(_ question: TableQuestion) -> [String] {
        pieces(question.kind).compactMap { piece -> String? in
            switch piece {
            case .word: nil
            case .target: question.target
            case .key: question.key
            case let .condition(i): question.conditions[i].column
            }
        }
    }

    /// The question whose words are `tokens` (lower-case, `?` last), or nil when no template has them.
    /// Columns may be any of `TableQAVocabulary.columnNames`; whether the table has them is the caller's
    /// to check.
    public static func question(_ tokens: [String]) -> TableQuestion? {
        for (kind, _) in templates {
            if let q = match(kind, tokens) { return q }
        }
        return nil
    }

    static func match(_ kind: TableQuestionKind, _ tokens: [String]) -> TableQuestion? {
        let names = Set(TableQAVocabulary.columnNames)
        var rest = tokens[...]
        var target: String?, key: String?
        var conditions: [TableCondition] = []
        for piece in pieces(kind) {
            switch piece {
            case let .word(w):
                guard rest.popFirst() == w else { return nil }
            case .target, .key:
                guard let name = rest.popFirst(), names.contains(name) else { return nil }
                if piece == .target { target = name } else { key = name }
            case .condition:
                guard rest.count >= 4 else { return nil }
                let words = Array(rest.prefix(4))
                rest = rest.dropFirst(4)
                guard names.contains(words[0]), let comparison = TableComparison(rawValue: words[1]), words[2] == "than",
                      let pivot = TableQAVocabulary.number(words[3]) else { return nil }
                conditions.append(TableCondition(words[0], comparison, pivot))
            }
        }
        guard rest.isEmpty else { return nil }
        return TableQuestion(kind, target: target, key: key, conditions: conditions)
    }
}
