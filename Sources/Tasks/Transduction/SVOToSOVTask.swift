import Engine

/// SVO → SOV, the inversion transduction grammar of Grefenstette et al. 2015 (§4.2, Appendix C;
/// docs/tasks/transduction.md, "SVO to SOV"): a subject–verb–object sentence with relative clauses, to be
/// written with its main verb last, `si1 vi3 oi2 oi4 → so1 oo2 oo4 vo3`. The model reads the source, then
/// writes the target (`RecurrentTokenLearner`); source and target have vocabularies of their own.
///
/// `length` counts source words exactly (3…256), and the target has as many. A sentence of n words is
/// drawn from the grammar's distribution over sentences of exactly n words (`SVOGrammar`); with no length,
/// n is drawn from `minLength...maxLength` with the grammar's own probabilities, which is the
/// distribution the paper's rejection of lengths outside the range gives. Random draws, in order: the
/// length when none is given (one `uniformDouble`), then the sentence as `SVOGrammar.sentence` documents.
public struct SVOToSOVTask: TaskGenerator {
    public typealias Sample = SVOPair
    public static let name = "svo-sov"
    public static let lengthName = "words"
    public static let summary = "SVO to SOV: read a subject–verb–object sentence with relative clauses, then write it with the main verb last (Grefenstette 2015)"

    /// Words of each class: subjects si1…, verbs vi1…, objects oi1… (the paper: 33).
    public var wordsPerClass: Int
    /// The training range of lengths (the paper: 8–64).
    public var minLength: Int
    public var maxLength: Int

    public init(wordsPerClass: Int = 4, minLength: Int = 8, maxLength: Int = 32) {
        self.wordsPerClass = wordsPerClass
        self.minLength = minLength
        self.maxLength = maxLength
    }

    /// The shortest sentence: a subject, the verb, an object.
    public static let shortestLength = 3
    /// The longest sentence a sample or a typed input may have.
    public static var longestLength: Int { SVOGrammar.longest }
    /// The words a class may have (the paper's had 33).
    public static let wordsPerClassRange = 1...33

    private enum CodingKeys: String, CodingKey { case wordsPerClass, minLength, maxLength }



    public func validate() throws {
        try Check.atLeast(wordsPerClass, Self.wordsPerClassRange.lowerBound, field: "wordsPerClass", task: Self.name)
        try Check.atMost(wordsPerClass, Self.wordsPerClassRange.upperBound, field: "wordsPerClass", task: Self.name,
                         why: " (the paper's)")
        try validate(length: minLength, field: "minLength")
        try validate(length: maxLength, field: "maxLength")
        try Check.ordered(min: minLength, max: maxLength, minField: "minLength", maxField: "maxLength", task: Self.name)
    }

    public func validate(length: Int) throws { try validate(length: length, field: "length") }

    private func validate(length: Int, field: String) throws {
        try Check.atLeast(length, Self.shortestLength, field: field, task: Self.name, why: " (subject, verb, object)")
        try Check.atMost(length, Self.longestLength, field: field, task: Self.name)
    }

    /// The source words: subjects, verbs, objects (each 1…`wordsPerClass`), then `rpi`.
    public var sourceWords: [String] { Self.words(\.sourcePrefix, wordsPerClass) }
    /// The target words, in the same order: a source word and its target word have the same id.
    public var targetWords: [String] { Self.words(\.targetPrefix, wordsPerClass) }

    private static func words(_ prefix: KeyPath<SVOGrammar.WordClass, String>, _ perClass: Int) -> [String] {
        [SVOGrammar.WordClass.subject, .verb, .object].flatMap { c in
            stride(from: 1, through: perClass, by: 1).map { "\(c[keyPath: prefix])\($0)" }
        } + [SVOGrammar.WordClass.relative[keyPath: prefix]]
    }

    /// The vocabularies of every valid `wordsPerClass`, made once: every sample encodes its words with them.
    private static let vocabularies = wordsPerClassRange.map { w in
        (source: Vocabulary(words: words(\.sourcePrefix, w)), target: Vocabulary(words: words(\.targetPrefix, w)))
    }

    public func sample(rng: inout SeededRNG, length: Int?) -> SVOPair {
        let n = length ?? SVOGrammar.length(in: lengthRange, rng: &rng)
        precondition((try? validate(length: n)) != nil, "\(Self.name): invalid length \(n); validate first")
        let (source, verb) = SVOGrammar.sentence(words: n, wordsPerClass: wordsPerClass, rng: &rng)
        return SVOPair(source: source, verb: verb, task: self)
    }

    /// Twice the shortest trained length, the longest, and twice and four times it (16, 32, 64, 128 for the
    /// default range).
    public var evaluationLengths: [Int] {
        Array(Set([2 * minLength, maxLength, 2 * maxLength, 4 * maxLength].map { min($0, Self.longestLength) })).sorted()
    }
}

extension SVOToSOVTask: TokenTask {
    public var sourceVocabulary: Vocabulary {
        Self.wordsPerClassRange.contains(wordsPerClass)
            ? Self.vocabularies[wordsPerClass - 1].source : Vocabulary(words: sourceWords)
    }
    public var targetVocabulary: Vocabulary {
        Self.wordsPerClassRange.contains(wordsPerClass)
            ? Self.vocabularies[wordsPerClass - 1].target : Vocabulary(words: targetWords)
    }
    public var maxSourceWords: Int { Self.longestLength }

    /// Words typed with spaces or commas between them, in any case.
    static func tokenize(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
    }

    public func unknownWords(_ text: String) -> [String] {
        let known = sourceVocabulary
        return Self.tokenize(text).filter { known.id(of: $0) == nil }
    }

    /// The pair for a typed source sentence, its target written by the grammar. Throws one line for empty
    /// input, an unknown word (naming the closest known one), more than 256 words, or a sentence the
    /// grammar does not make (naming the first word where it goes wrong).
    public func sample(text: String) throws -> SVOPair {
        let words = Self.tokenize(text), known = sourceVocabulary
        guard !words.isEmpty else {
            throw ArnnError("type a sentence: subject, verb, object, e.g. \"si1 vi2 oi3\" or \"si1 rpi si2 vi1 vi2 oi3 oi1\"")
        }
        if let unknown = words.first(where: { known.id(of: $0) == nil }) {
            throw ArnnError("unknown word \"\(unknown)\" (closest known word: \"\(known.closest(to: unknown))\"; the words are "
                            + "si1–si\(wordsPerClass), vi1–vi\(wordsPerClass), oi1–oi\(wordsPerClass) and rpi)")
        }
        guard words.count <= Self.longestLength else {
            throw ArnnError("the sentence has \(words.count) words; the model reads at most \(Self.longestLength)")
        }
        return SVOPair(source: words, verb: try SVOGrammar.mainVerb(of: words, wordsPerClass: wordsPerClass), task: self)
    }
}

extension SVOToSOVTask {
    public static var defaults: Self { Self() }
    public static var requiredFields: [String] { [] }
}

extension SVOToSOVTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<SVOToSOVTask, Int>, max: WritableKeyPath<SVOToSOVTask, Int>) { (\.minLength, \.maxLength) }
}
