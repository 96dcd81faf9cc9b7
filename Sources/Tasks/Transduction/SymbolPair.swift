/// A sequence of symbols and what a transduction task makes of it, as words and as ids of the task's
/// vocabulary (without `<bos>` or `<eos>`).
public struct SymbolPair: Sendable, Equatable, TokenPairSample, MeasuredSample {
    public let sourceWords: [String]
    public let targetWords: [String]
    public let sourceTokens: [Int]
    public let targetTokens: [Int]

    public init(sourceWords: [String], targetWords: [String], vocabulary: Vocabulary) {
        self.sourceWords = sourceWords
        self.targetWords = targetWords
        sourceTokens = vocabulary.encode(sourceWords)
        targetTokens = vocabulary.encode(targetWords)
    }

    /// The number of source symbols.
    public var ownLength: Int { sourceWords.count }
}
