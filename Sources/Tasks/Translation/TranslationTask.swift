import Engine

/// English→French translation of a small fragment with a real grammar (issue 9): the model must reorder
/// (`the white apple` → `la pomme blanche`), split (`saw` → `a vu`, `not` → `ne … pas`) and merge
/// (`of the boy` → `du garçon`) words. The grammar is `Grammar`, the words `Lexicon`, the rules and
/// vocabularies docs/tasks/translation.md.
///
/// `length` counts source words: `sample(rng:length: n)` returns a sentence of **at most** n English words
/// (n ≥ 3; sentences never exceed `SentenceSampler.longestSentence` = 27 words, so longer budgets add
/// nothing). With no length, n is drawn from `minWords...maxWords` first.
///
/// Splits: a sentence belongs to one split, decided by a hash of its words keyed by `splitSeed` (see
/// `splitOf(sourceWords:)`): `heldOutPercent` of all sentences are held out, `validationPercent` are for
/// validation, the rest for training. Sampling a split redraws any sentence of another split, so a
/// held-out sentence — a new combination of known words — can never appear in training.
///
/// Random draws, in order: n = `rng.int(in: minWords...maxWords)` when no length is given; then sentences
/// as `SentenceSampler` documents, one after another, until one belongs to `split` (at most
/// `maxDraws`; running out is a precondition failure, which `validate()` makes all but impossible by
/// requiring the split a share of at least 1 %).
public struct TranslationTask: TaskGenerator {
    public typealias Sample = TranslationPair
    public static let name = "translation"
    public static let lengthName = "words"
    public static let summary = "translation: English sentences to French, with agreement, elision, negation and reordering"

    /// Which part of the sentence space a configuration samples.
    public enum Split: String, Codable, Sendable, CaseIterable {
        case train, validation, heldOut
    }

    /// Shortest training budget.
    public var minWords: Int
    /// Longest training budget.
    public var maxWords: Int
    public var split: Split
    /// Keys the hash that assigns sentences to splits; the same key gives the same splits everywhere.
    public var splitSeed: UInt64
    /// Share of all sentences held out of training and validation, in percent.
    public var heldOutPercent: Int
    /// Share of all sentences kept for validation, in percent.
    public var validationPercent: Int

    public init(minWords: Int = 3, maxWords: Int = 15, split: Split = .train, splitSeed: UInt64 = 9,
                heldOutPercent: Int = 10, validationPercent: Int = 5) {
        self.minWords = minWords
        self.maxWords = maxWords
        self.split = split
        self.splitSeed = splitSeed
        self.heldOutPercent = heldOutPercent
        self.validationPercent = validationPercent
    }

    /// The shortest budget every split can be drawn at (two-word sentences are too few to split).
    public static let shortestLength = 3
    /// Sentences drawn for one sample before giving up on finding one of the wanted split.
    public static let maxDraws = 100_000



    public func validate() throws {
        try validate(length: minWords, field: "minWords")
        try Check.ordered(min: minWords, max: maxWords, minField: "minWords", maxField: "maxWords", task: Self.name)
        try validate(length: maxWords, field: "maxWords")
        for (value, field) in [(heldOutPercent, "heldOutPercent"), (validationPercent, "validationPercent")] {
            try Check.atLeast(value, 0, field: field, task: Self.name)
            try Check.atMost(value, 100, field: field, task: Self.name)
        }
        try Check.atMost(heldOutPercent + validationPercent, 100, field: "heldOutPercent + validationPercent",
                         task: Self.name)
        switch split {
        case .train:
            try Check.atMost(heldOutPercent + validationPercent, 99, field: "heldOutPercent + validationPercent",
                             task: Self.name, why: " (the train split needs a share)")
        case .validation:
            try Check.atLeast(validationPercent, 1, field: "validationPercent", task: Self.name,
                              why: " (the validation split needs a share)")
        case .heldOut:
            try Check.atLeast(heldOutPercent, 1, field: "heldOutPercent", task: Self.name,
                              why: " (the heldOut split needs a share)")
        }
    }

    public func validate(length: Int) throws { try validate(length: length, field: "words") }

    private func validate(length: Int, field: String) throws {
        try Check.atLeast(length, Self.shortestLength, field: field, task: Self.name)
        try Check.atMost(length, SentenceSampler.longestSentence, field: field, task: Self.name,
                         why: " (the longest sentence of the grammar)")
    }

    public func sample(rng: inout SeededRNG, length: Int?) -> TranslationPair {
        let n = length ?? rng.int(in: lengthRange)
        precondition((try? validate(length: n)) != nil, "\(Self.name): invalid length \(n); validate first")
        for _ in 0..<Self.maxDraws {
            let sentence = SentenceSampler.sentence(rng: &rng, maxWords: n)
            let words = Grammar.english(sentence)
            if splitOf(sourceWords: words) == split { return TranslationPair(sentence) }
        }
        preconditionFailure("\(Self.name): no \(split.rawValue) sentence of at most \(n) words in \(Self.maxDraws) draws")
    }

    /// The split a source sentence belongs to: bucket = keyedHash(words) mod 100; buckets below
    /// `heldOutPercent` are held out, the next `validationPercent` are validation, the rest train.
    public func splitOf(sourceWords: [String]) -> Split {
        let bucket = Int(Self.keyedHash(sourceWords.joined(separator: " "), key: splitSeed) % 100)
        if bucket < heldOutPercent { return .heldOut }
        if bucket < heldOutPercent + validationPercent { return .validation }
        return .train
    }

    /// FNV-1a over the UTF-8 bytes, started from and finished with SplitMix64's mixer so that the key changes
    /// every bucket. Written out here (not `Hasher`, which is seeded per process) so splits are the same on
    /// every run and machine.
    static func keyedHash(_ text: String, key: UInt64) -> UInt64 {
        var h = mix(key ^ 0xCBF2_9CE4_8422_2325)
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return mix(h)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: Vocabularies and tokenizing

    /// English words in lexicon order: function words, pronouns, possessives, numbers, nouns (singular then
    /// plural), colours, sizes, verbs (base, third person, past). Independent of any seed.
    public static let sourceVocabulary = Vocabulary(words:
        Lexicon.englishFunctionWords
        + Person.allCases.map(\.english)
        + Person.allCases.map(\.englishPossessive)
        + Lexicon.numbers.map(\.english)
        + Lexicon.nouns.flatMap { [$0.english, $0.englishPlural] }
        + Lexicon.colours.map(\.english)
        + Lexicon.sizes.map(\.english)
        + Lexicon.verbs.flatMap { [$0.english, $0.englishThird, $0.englishPast] })

    /// French words in lexicon order: function words, pronouns, possessives, numbers, nouns, colour forms,
    /// size forms, verb forms (present then participle).
    public static let targetVocabulary = Vocabulary(words:
        Lexicon.frenchFunctionWords
        + Person.allCases.map(\.french)
        + Person.allCases.flatMap { p in
            let f = p.frenchPossessives
            return [f.masculine, f.feminine, f.plural]
        }
        + Lexicon.numbers.map(\.french)
        + Lexicon.nouns.flatMap { [$0.french, $0.frenchPlural] }
        + Lexicon.colours.flatMap(\.frenchForms)
        + Lexicon.sizes.flatMap(\.frenchForms)
        + Lexicon.verbs.flatMap { $0.french + [$0.participle] })

    public enum Language: Sendable { case english, french }

    /// Words of user-typed text: lowercased, split at anything that is not a letter. In French an apostrophe
    /// (' or ’) ends its word and stays with it (`L'oiseau` → `l'`, `oiseau`); in English it splits like
    /// other punctuation.
    public static func tokenize(_ text: String, language: Language = .english) -> [String] {
        var words: [String] = [], current = ""
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
        }
        for c in text.lowercased() {
            if c.isLetter {
                current.append(c)
            } else if (c == "'" || c == "’") && language == .french && !current.isEmpty {
                current.append("'")
                flush()
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}

extension TranslationTask {
    private enum CodingKeys: String, CodingKey {
        case minWords, maxWords, split, splitSeed, heldOutPercent, validationPercent
    }

}

extension TranslationTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = TranslationTask()
}

extension TranslationTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<TranslationTask, Int>, max: WritableKeyPath<TranslationTask, Int>) { (\.minWords, \.maxWords) }
}
