/// The words of table questions (docs/tasks/table-qa.md, "The grammar"): the grammar's own words, the
/// column names a table may use, and the ids a model reads them by.
public enum TableQAVocabulary {
    /// The names a column may have, generated or typed. A generated table draws its names from these
    /// without repeats; a typed table's header must use them, since a model reads a column by its name's
    /// embedding. Ten, so that a 5-column table still leaves a choice, and none a word of the grammar.
    public static let columnNames = ["price", "weight", "height", "age", "score",
                                     "length", "width", "speed", "distance", "volume"]

    /// Every word the templates use besides column names and numbers (`?` included).
    public static let grammarWords = ["?", "and", "are", "between", "difference", "first", "greatest", "greater",
                                      "have", "how", "is", "last", "less", "lowest", "many", "of", "or", "row",
                                      "rows", "sum", "than", "the", "there", "what", "where"]

    /// The token every number of a question reads as; its value goes to the model apart (the pivots).
    public static let numberToken = "<number>"

    /// Ids: `<pad>` 0, `<unk>` 1, `<number>` 2, then the grammar's words in the order above, then the
    /// column names in the order above.
    public static let words: [String] = ["<pad>", "<unk>", numberToken] + grammarWords + columnNames

    static let index: [String: Int] = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })

    /// The id of `word` (`<unk>` for one the vocabulary does not hold).
    public static func id(_ word: String) -> Int { index[word] ?? 1 }

    /// Whether `token` is a number as questions write them: digits, optionally a leading `-` and a
    /// fractional part (`40`, `-3`, `2.5`).
    public static func isNumber(_ token: String) -> Bool { number(token) != nil }

    /// The value of a number token, or nil for any other token.
    public static func number(_ token: String) -> Double? {
        var rest = Substring(token)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        return Double(token)
    }

}
