import Engine

extension Vocabulary: TokenVocabulary {}

extension TranslationPair: TokenPairSample, CategorisedSample, MeasuredSample {
    /// The grammar rules the sentence uses.
    public var categories: [String] { rules.map(\.rawValue).sorted() }
    /// The English sentence's number of words.
    public var ownLength: Int { sourceIds.count }

    public var sourceTokens: [Int] { sourceIds }
    public var targetTokens: [Int] { targetIds }
}

extension TranslationTask: TokenTask {
    public var sourceVocabulary: Vocabulary { Self.sourceVocabulary }
    public var targetVocabulary: Vocabulary { Self.targetVocabulary }
    /// A typed sentence may be as long as the longest the grammar makes (the model was trained on up to
    /// `maxWords`; longer ones show how it generalises).
    public var maxSourceWords: Int { SentenceSampler.longestSentence }

    public func unknownWords(_ text: String) -> [String] {
        Self.tokenize(text).filter { Self.sourceVocabulary.id(of: $0) == nil }
    }

    /// The pair for a typed English sentence, with no reference translation (the grammar does not parse).
    public func sample(text: String) throws -> TranslationPair {
        let words = Self.tokenize(text)
        guard !words.isEmpty else { throw ArnnError("type a sentence in English (e.g. \"the small cats do not see the red car\")") }
        if let unknown = words.first(where: { Self.sourceVocabulary.id(of: $0) == nil }) {
            throw ArnnError("unknown word \"\(unknown)\" (closest known word: \"\(Self.sourceVocabulary.closest(to: unknown))\")")
        }
        guard words.count <= maxSourceWords else {
            throw ArnnError("the sentence has \(words.count) words; the model reads at most \(maxSourceWords)")
        }
        return TranslationPair(sourceWords: words, targetWords: [], rules: [])
    }
}

extension TranslationTask {
    /// Evaluation draws held-out sentences: new combinations of known words, never seen in training.
    public func forEvaluation() -> TranslationTask {
        var t = self
        t.split = .heldOut
        return t
    }

    /// Sentences up to the training budget.
    public var evaluationLengths: [Int] { [maxWords] }

    /// A length is the most words a sentence may have: sentences of `minWords` up to it are drawn.
    public func lengthLabel(_ length: Int) -> String { length > minWords ? "\(minWords)–\(length)" : String(length) }
}
