/// A sentence of the SVO → SOV grammar and its reordering (docs/tasks/transduction.md, "SVO to SOV"), as
/// words and as ids of the task's source and target vocabularies (without `<bos>` or `<eos>`).
public struct SVOPair: Sendable, Equatable, TokenPairSample, CategorisedSample, MeasuredSample {
    public let sourceWords: [String]
    public let targetWords: [String]
    public let sourceTokens: [Int]
    public let targetTokens: [Int]
    /// The main verb's position in the source (from 0): the word that moves to the end of the target.
    public let verb: Int
    /// Where the relative clauses are (`SVOGrammar.categories`), for `arnn eval` to report apart.
    public let categories: [String]

    /// The pair for a source sentence whose main verb is at `verb`.
    public init(source: [String], verb: Int, task: SVOToSOVTask) {
        sourceWords = source
        targetWords = SVOGrammar.target(source, verb: verb)
        sourceTokens = task.sourceVocabulary.encode(source)
        targetTokens = task.targetVocabulary.encode(targetWords)
        self.verb = verb
        categories = SVOGrammar.categories(source, verb: verb)
    }

    /// The number of source words.
    public var ownLength: Int { sourceWords.count }
}
