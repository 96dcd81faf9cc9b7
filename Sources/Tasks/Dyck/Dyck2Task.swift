import Engine
import Foundation

/// Dyck-2 recognition as sequence labelling (Suzgun et al. 2019, "Memory-Augmented Recurrent Neural
/// Networks Can Learn Generalized Dyck Languages"; docs/tasks/dyck.md): a model reads a balanced string of
/// `(`, `)`, `[`, `]` one bracket a step and says at each position which closing bracket may come next
/// (`)`, `]`, or `none`: the string may end).
/// A recurrent model runs it through `RecurrentLabellingLearner`.
///
/// `length` counts brackets (`lengthName` "brackets") and is even (a balanced string). With no length, the
/// number of pairs is drawn uniformly from `minLength/2 … maxLength/2`; the string is then drawn from the
/// grammar conditioned on that length (`DyckGrammar`). Random draws, in order: the length when none is
/// given, then the grammar's.
public struct Dyck2Task: TaskGenerator {
    public typealias Sample = BracketString
    public static let name = "dyck2"
    public static let lengthName = "brackets"
    public static let summary = "Dyck-2 recognition: read balanced ( ) [ ] strings, say at each bracket which closer may come next (Suzgun 2019)"

    /// The training range of lengths, in brackets (even).
    public var minLength: Int
    public var maxLength: Int
    /// p: the probability of S → (S) | [S] (each kind p/2).
    public var nestProbability: Double
    /// q: the probability of S → S S. S → ε takes the rest, 1 − p − q.
    public var concatProbability: Double

    public init(minLength: Int = 8, maxLength: Int = 32, nestProbability: Double = 0.5, concatProbability: Double = 0.25) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.nestProbability = nestProbability
        self.concatProbability = concatProbability
    }

    /// The longest string a sample or a typed input may have.
    public static let longestLength = 256

    private enum CodingKeys: String, CodingKey { case minLength, maxLength, nestProbability, concatProbability }



    public func validate() throws {
        let p = nestProbability, q = concatProbability
        guard p.isFinite, p > 0, p <= 1 else {
            throw ArnnError("\(Self.name): nestProbability must be in (0, 1] (S → (S) | [S] makes the brackets), got \(p)")
        }
        guard q.isFinite, q >= 0, q < 1 else { throw ArnnError("\(Self.name): concatProbability must be in [0, 1), got \(q)") }
        guard p + q < 1 else {
            throw ArnnError("\(Self.name): nestProbability + concatProbability must be below 1 (S → ε takes the rest, or no string ends), got \(p + q)")
        }
        try validate(length: minLength, field: "minLength")
        try validate(length: maxLength, field: "maxLength")
        try Check.ordered(min: minLength, max: maxLength, minField: "minLength", maxField: "maxLength", task: Self.name)
    }

    public func validate(length: Int) throws { try validate(length: length, field: "length") }

    private func validate(length: Int, field: String) throws {
        try Check.atLeast(length, 2, field: field, task: Self.name)
        try Check.atMost(length, Self.longestLength, field: field, task: Self.name)
        if length % 2 != 0 { throw ArnnError("\(Self.name): \(field) must be even (a balanced string), got \(length)") }
    }

    var grammar: DyckGrammar { DyckGrammar(p: nestProbability, q: concatProbability) }

    public func sample(rng: inout SeededRNG, length: Int?) -> BracketString {
        let n = length ?? 2 * rng.int(in: (minLength / 2)...(maxLength / 2))
        precondition((try? validate(length: n)) != nil, "\(Self.name): invalid length \(n); validate first")
        return BracketString(symbols: grammar.sample(pairs: n / 2, rng: &rng))
    }

    /// Twice the shortest, the longest, and twice and four times the longest trained length (16, 32, 64,
    /// 128 for the default range).
    public var evaluationLengths: [Int] {
        Array(Set([2 * minLength, maxLength, 2 * maxLength, 4 * maxLength].map { min($0, Self.longestLength) })).sorted()
    }
}

extension Dyck2Task: LabellingTask {
    public var inputSymbols: [String] { BracketString.symbols }
    public var labelNames: [String] { BracketString.labelNames }

    /// The characters of `text` that are not brackets (spaces, tabs and commas separate, and are dropped).
    static func characters(_ text: String) -> [String] {
        text.filter { !$0.isWhitespace && $0 != "," }.map { String($0) }
    }

    public func unknownWords(_ text: String) -> [String] {
        Self.characters(text).filter { !BracketString.symbols.contains($0) }
    }

    /// Brackets typed with or without spaces (`( [ ] )` or `([])`): any prefix of a balanced string, since
    /// every prefix has its labels.
    public func sample(text: String) throws -> BracketString {
        let chars = Self.characters(text)
        guard !chars.isEmpty else { throw ArnnError("type brackets ( ) [ ], e.g. \"( [ ] ) [\"") }
        if let unknown = chars.first(where: { !BracketString.symbols.contains($0) }) {
            throw ArnnError("unknown character \"\(unknown)\": \(Self.name) reads only the brackets ( ) [ ], with or without spaces")
        }
        guard chars.count <= Self.longestLength else {
            throw ArnnError("the string has \(chars.count) brackets; the model reads at most \(Self.longestLength)")
        }
        let symbols = chars.map { BracketString.symbols.firstIndex(of: $0)! }
        if let error = BracketString.firstError(symbols) {
            let closer = BracketString.symbols[symbols[error.position]]
            let why = error.open.map { "does not close the \"\(BracketString.symbols[$0.bracket])\" of bracket \($0.position + 1)" }
                ?? "closes nothing"
            throw ArnnError("\"\(closer)\" at bracket \(error.position + 1) \(why): only prefixes of balanced strings have labels")
        }
        return BracketString(symbols: symbols)
    }
}

extension Dyck2Task {
    public static var defaults: Self { Self() }
}

extension Dyck2Task: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<Dyck2Task, Int>, max: WritableKeyPath<Dyck2Task, Int>) { (\.minLength, \.maxLength) }
}
