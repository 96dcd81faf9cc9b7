import Engine

/// A sample that maps a sequence of source tokens to a sequence of target tokens (a sentence and its
/// translation). Token ids index the task's vocabularies; neither list holds `<bos>` or `<eos>`.
public protocol TokenPairSample: Sendable, Equatable {
    var sourceWords: [String] { get }
    var targetWords: [String] { get }
    var sourceTokens: [Int] { get }
    var targetTokens: [Int] { get }
}

/// The words of one side of a token task, with the special tokens every token model needs at fixed ids.
public protocol TokenVocabulary: Sendable {
    /// Every token, by id: `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3, then the words.
    var tokens: [String] { get }
}

extension TokenVocabulary {
    public var size: Int { tokens.count }
    public static var pad: Int { 0 }
    public static var bos: Int { 1 }
    public static var eos: Int { 2 }
    public static var unknown: Int { 3 }
}

/// A task that reads text a user types (a sentence; a story and its question; a table and its question):
/// the player's `t`, `--sentence` on the command line, and any model on the task take it, whatever its shape.
public protocol TextInputTask: TaskGenerator {
    /// The sample for typed `text` (its answer unknown). Throws a one-line error naming an unknown word
    /// and the closest known one, for empty input, or for text that is too long.
    func sample(text: String) throws -> Sample
    /// The words of `text` the task does not know, in order (for the viewer to mark them).
    func unknownWords(_ text: String) -> [String]
    /// Throws the one-line error `text` would get, without making a sample (the viewer checks as the user
    /// types). Default: `sample(text:)`'s.
    func check(text: String) throws
    /// The sample for `text` typed over `current`, the sample on screen (a question asked of the table
    /// shown). Default: `sample(text:)`, which needs nothing on screen.
    func sample(text: String, like current: Sample?) throws -> Sample
}

extension TextInputTask {
    public func check(text: String) throws { _ = try sample(text: text) }
    public func sample(text: String, like current: Sample?) throws -> Sample { try sample(text: text) }
}

/// A task whose samples are token pairs (translation): its vocabularies, and reading a sentence a user
/// typed. Its named outputs are the target vocabulary's tokens.
public protocol TokenTask: TextInputTask, NamedOutputTask where Sample: TokenPairSample {
    associatedtype Vocab: TokenVocabulary
    var sourceVocabulary: Vocab { get }
    var targetVocabulary: Vocab { get }
    /// The longest source sentence, in words, a sample (or a typed sentence) may have.
    var maxSourceWords: Int { get }
}

extension TokenTask {
    public var outputNames: [String] { targetVocabulary.tokens }
}

/// A sample that belongs to named categories (the grammar rules a sentence uses), so evaluation can
/// report its metrics per category.
public protocol CategorisedSample {
    var categories: [String] { get }
}

/// A sample that knows the length it would be drawn at (`TaskGenerator.sample(rng:length:)`'s, as the
/// player's `[`/`]` change it), for models that read it whole: their episodes report it, not their count
/// of steps (a table question's rows, not the Neural Programmer's program steps).
public protocol LengthParameterSample {
    var lengthParameter: Int { get }
}

/// A sample whose own length may be shorter than the length it was drawn at (a translation pair drawn at
/// "at most 12 words" has its own number of words), so evaluation can report its metrics per own length.
public protocol MeasuredSample {
    /// The sample's own length, in its task's length unit.
    var ownLength: Int { get }
}
