/// A grammar rule a translation pair exercises; docs/tasks/translation.md has an example of each.
public enum TranslationRule: String, CaseIterable, Codable, Sendable {
    /// `le`, `la`, `ne`, `je` lose their vowel before a vowel sound: `l'oiseau`, `n'aime`, `j'ai`.
    case elision
    /// A colour adjective follows the noun: the white apple → la pomme blanche.
    case adjectiveAfterNoun
    /// `petit` and `grand` precede the noun, as in English: the small car → la petite voiture.
    case adjectiveBeforeNoun
    /// A noun phrase is feminine or plural (its determiner and adjectives change form), or the subject
    /// is a plural pronoun (the verb changes form).
    case agreement
    /// do/does/did not → ne … pas around the conjugated verb.
    case negation
    /// The simple past becomes avoir + participle: saw → a vu, ont vu.
    case past
    /// A possessive determiner, agreeing with the possessed noun: her cars → ses voitures.
    case possessive
    /// `of the` merges with the article: of the boy → du garçon, of the boys → des garçons.
    case ofTheMerge
    /// A number as determiner: three red cars → trois voitures rouges.
    case number
    /// that + verb → qui + verb agreeing with the head noun: the dog that sees → le chien qui voit.
    case relativeClause
}

/// One English sentence and its French translation, as words and as token ids.
///
/// The ids are the words' ids in `TranslationTask.sourceVocabulary` and `targetVocabulary`, without
/// `<bos>` or `<eos>`: a model adds those itself.
public struct TranslationPair: Sendable, Equatable {
    public let sourceWords: [String]
    public let targetWords: [String]
    public let sourceIds: [Int]
    public let targetIds: [Int]
    /// The rules this sentence exercises.
    public let rules: Set<TranslationRule>

    public init(sourceWords: [String], targetWords: [String], rules: Set<TranslationRule>) {
        self.sourceWords = sourceWords
        self.targetWords = targetWords
        self.sourceIds = TranslationTask.sourceVocabulary.encode(sourceWords)
        self.targetIds = TranslationTask.targetVocabulary.encode(targetWords)
        self.rules = rules
    }

    /// The pair for a sentence of the grammar.
    public init(_ sentence: Grammar.Sentence) {
        self.init(sourceWords: Grammar.english(sentence), targetWords: Grammar.french(sentence),
                  rules: Grammar.rules(sentence))
    }

    /// The source words joined by single spaces: what the split hash reads.
    public var canonicalSource: String { sourceWords.joined(separator: " ") }
}
