import Engine

/// Grefenstette et al.'s synthetic transduction tasks (§4.1; docs/tasks/transduction.md): a sequence of
/// symbols drawn uniformly with replacement from `symbols` letters, and the rule's rewriting of it. The
/// model reads the source, then writes the target (`RecurrentTokenLearner`).
///
/// `length` counts source symbols exactly. With no length, it is drawn uniformly from
/// `minLength...maxLength` (even lengths only for bigram flip). Random draws, in order: the length when
/// none is given, then each symbol.
public struct TransductionTask<Rule: TransductionRule>: TaskGenerator {
    public typealias Sample = SymbolPair
    public static var name: String { Rule.name }
    public static var lengthName: String { "symbols" }
    public static var summary: String { Rule.summary }

    /// How many symbols the alphabet has (8–16; the paper's had 128).
    public var symbols: Int
    /// The training range of lengths (the paper: 8–64).
    public var minLength: Int
    public var maxLength: Int

    public init(symbols: Int = Rule.defaultSymbols, minLength: Int = Rule.defaultLengths.lowerBound,
                maxLength: Int = Rule.defaultLengths.upperBound) {
        self.symbols = symbols
        self.minLength = minLength
        self.maxLength = maxLength
    }

    /// The longest sequence a sample or a typed input may have.
    public static var longestLength: Int { 256 }
    /// The symbols a task may have.
    public static var symbolRange: ClosedRange<Int> { 2...26 }

    private enum CodingKeys: String, CodingKey { case symbols, minLength, maxLength }



    public func validate() throws {
        try Check.atLeast(symbols, Self.symbolRange.lowerBound, field: "symbols", task: Self.name)
        try Check.atMost(symbols, Self.symbolRange.upperBound, field: "symbols", task: Self.name, why: " (the letters a–z)")
        try validate(length: minLength, field: "minLength")
        try validate(length: maxLength, field: "maxLength")
        try Check.ordered(min: minLength, max: maxLength, minField: "minLength", maxField: "maxLength", task: Self.name)
    }

    public func validate(length: Int) throws { try validate(length: length, field: "length") }

    private func validate(length: Int, field: String) throws {
        try Check.atLeast(length, Rule.evenLengthsOnly ? 2 : 1, field: field, task: Self.name)
        try Check.atMost(length, Self.longestLength, field: field, task: Self.name)
        if Rule.evenLengthsOnly && length % 2 != 0 {
            throw ArnnError("\(Self.name): \(field) must be even (pairs are swapped), got \(length)")
        }
    }

    /// The letters a, b, c, … of the alphabet.
    public var alphabet: [String] { (0..<symbols).map { String(UnicodeScalar(UInt8(97 + $0))) } }

    /// `<pad>`, `<bos>`, `<eos>`, `<unk>`, then the alphabet; source and target share it.
    public var vocabulary: Vocabulary { Vocabulary(words: alphabet) }

    public func sample(rng: inout SeededRNG, length: Int?) -> SymbolPair {
        let n: Int
        if let length {
            n = length
        } else if Rule.evenLengthsOnly {
            let lo = (minLength + 1) / 2, hi = maxLength / 2
            n = 2 * rng.int(in: lo...max(lo, hi))
        } else {
            n = rng.int(in: lengthRange)
        }
        precondition((try? validate(length: n)) != nil, "\(Self.name): invalid length \(n); validate first")
        let letters = alphabet
        let source = (0..<n).map { _ in letters[rng.int(below: symbols)] }
        return SymbolPair(sourceWords: source, targetWords: Rule.target(source), vocabulary: vocabulary)
    }

    /// Twice and four times the longest trained length, and the range's ends (the 16, 32, 64, 128
    /// for the default range); for a rule that does not score longer lengths, the range's ends and middle.
    public var evaluationLengths: [Int] {
        guard Rule.scoresLongerLengths else {
            return Array(Set([minLength, (minLength + maxLength) / 2, maxLength])).sorted()
        }
        var lengths = [2 * minLength, maxLength, 2 * maxLength, 4 * maxLength].map { min($0, Self.longestLength) }
        if Rule.evenLengthsOnly { lengths = lengths.map { $0 - $0 % 2 } }
        return Array(Set(lengths)).sorted()
    }
}

extension TransductionTask: TokenTask {
    public var sourceVocabulary: Vocabulary { vocabulary }
    public var targetVocabulary: Vocabulary { vocabulary }
    /// The longest sequence a typed input may have: 256, or for a rule scored inside its trained lengths
    /// (sorting), the longest trained length: a model that sorts has never seen more, and a Linformer's
    /// projections stop there.
    public var maxSourceWords: Int { Rule.scoresLongerLengths ? Self.longestLength : maxLength }

    /// Symbols typed with or without spaces between them ("a b c" or "abc").
    static func tokenize(_ text: String) -> [String] {
        let parts = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        return parts.count == 1 && parts[0].count > 1 && parts[0].allSatisfy(\.isLetter) ? parts[0].map { String($0) } : parts
    }

    public func unknownWords(_ text: String) -> [String] {
        Self.tokenize(text).filter { vocabulary.id(of: $0) == nil }
    }

    public func sample(text: String) throws -> SymbolPair {
        let words = Self.tokenize(text)
        let letters = alphabet
        guard !words.isEmpty else {
            throw ArnnError("type a sequence of symbols \(letters.first!)–\(letters.last!) (e.g. \"\(letters.prefix(4).joined(separator: " "))\")")
        }
        if let unknown = words.first(where: { vocabulary.id(of: $0) == nil }) {
            throw ArnnError("unknown symbol \"\(unknown)\": the task's symbols are \(letters.first!)–\(letters.last!)"
                            + " (closest: \"\(vocabulary.closest(to: unknown))\")")
        }
        guard words.count <= maxSourceWords else {
            throw ArnnError("the sequence has \(words.count) symbols; the model reads at most \(maxSourceWords)")
        }
        if Rule.evenLengthsOnly && words.count % 2 != 0 {
            throw ArnnError("\(Self.name) needs an even number of symbols (pairs are swapped); got \(words.count)")
        }
        return SymbolPair(sourceWords: words, targetWords: Rule.target(words), vocabulary: vocabulary)
    }
}

extension TransductionTask {
    public static var defaults: Self { Self() }
    public static var requiredFields: [String] { [] }
}

extension TransductionTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<TransductionTask, Int>, max: WritableKeyPath<TransductionTask, Int>) { (\.minLength, \.maxLength) }
}
