/// A number of a question: its value and where it stands among the question's words (from 0). The Neural
/// Programmer reads its pivots from these, not from word embeddings.
public struct QuestionNumber: Equatable, Sendable {
    public var value: Double
    public var position: Int

    public init(value: Double, position: Int) {
        self.value = value
        self.position = position
    }
}

/// One table and one question about it, as a model reads them: the table, the question's words and ids
/// (every number as `<number>`), its numbers with their positions, the program that answers it and the
/// answer (docs/tasks/table-qa.md).
public struct TableQASample: AnswerSample, CategorisedSample, MeasuredSample, LengthParameterSample, TableQuestionSample, Equatable {
    public var table: Table
    public var question: TableQuestion
    /// The question's words, `?` last.
    public var words: [String]
    /// The words as ids of `TableQAVocabulary.words`.
    public var questionIds: [Int]
    /// The numbers of the question, in order.
    public var numbers: [QuestionNumber]
    /// The program that answers the question on this table.
    public var program: TableProgram
    /// A number (`sum`, `count`, ...), or a cell (the lookups); nil for a typed lookup whose rows tie.
    public var answer: Answer?

    /// `question` about `table`, whose columns it must name (a programmer error otherwise). The answer is
    /// the program's: a scalar, or the one cell of a lookup (nil when a lookup finds several).
    public init(table: Table, question: TableQuestion) {
        guard let program = question.program(columns: table.columns) else {
            preconditionFailure("\"\(question.text)\" names a column the table (\(table.columns.joined(separator: ", "))) does not have")
        }
        self.table = table
        self.question = question
        self.program = program
        words = question.words
        questionIds = words.map { TableQAVocabulary.isNumber($0) ? TableQAVocabulary.id(TableQAVocabulary.numberToken) : TableQAVocabulary.id($0) }
        numbers = words.enumerated().compactMap { i, w in TableQAVocabulary.number(w).map { QuestionNumber(value: $0, position: i) } }
        switch program.run(on: table).result {
        case let .scalar(x): answer = .number(x)
        case let .cells(cells): answer = cells.count == 1 ? .cell(row: cells[0].row, column: cells[0].column) : nil
        }
    }

    public var kind: TableQuestionKind { question.kind }

    /// The question's kind, and `singleColumn` or `multiColumn`: `arnn eval` reports each under
    /// `byCategory`.
    public var categories: [String] { [kind.rawValue, question.isSingleColumn ? "singleColumn" : "multiColumn"] }

    /// The number of rows.
    public var ownLength: Int { table.rows.count }
    public var lengthParameter: Int { table.rows.count }

    public var questionWords: [String] { words }
    public var numberPositions: [Int] { numbers.map(\.position) }

    /// The question as one line of text.
    public var text: String { words.joined(separator: " ") }
}
