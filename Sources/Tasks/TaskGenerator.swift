import Engine

/// A seeded generator of one task's samples (bit sequences today; token pairs and parity vectors next).
///
/// A conforming type *is* its configuration: a small Codable value (lengths, counts, widths) that goes
/// into checkpoint metadata and demo manifests, wrapped in a `TaskConfig`.
public protocol TaskGenerator: DefaultedConfig, Equatable, Sendable {
    /// What one draw of the task is: an `Example` for bit-sequence tasks.
    associatedtype Sample: Sendable
    /// The task's name on the command line and in checkpoints: `copy`, `repeat-copy`, ...
    static var name: String { get }
    /// What the `length` argument of `sample(rng:length:)` counts, as named in messages and help:
    /// `length` for copy tasks, `items` for associative recall, `inputs` for priority sort.
    static var lengthName: String { get }
    /// One line for `arnn help tasks`.
    static var summary: String { get }

    /// The training range `sample(rng:length: nil)` draws `length` from, uniformly.
    var lengthRange: ClosedRange<Int> { get }
    /// The same task with another training range; throws if the range is not valid for this task.
    func withLengthRange(_ range: ClosedRange<Int>) throws -> Self
    /// Throws a one-line `ArnnError` naming the field if the configuration is unusable.
    func validate() throws
    /// Throws a one-line `ArnnError` if `length` is not a valid explicit length for this configuration
    /// (it may lie outside the training range: that is how generalisation is tested).
    func validate(length: Int) throws
    /// A fresh sample. `length == nil` draws it from `lengthRange`. Same configuration, same RNG state and
    /// same `length` give the same sample. An invalid `length` is a programmer error: validate first.
    func sample(rng: inout SeededRNG, length: Int?) -> Sample
    /// The configuration `arnn eval` draws from: the held-out split where the task has one (default: this
    /// one).
    func forEvaluation() -> Self
    /// The lengths `arnn eval` reports when none are given.
    var evaluationLengths: [Int] { get }
    /// How `arnn eval` labels the samples drawn at `length` (default: the number; a task whose `length` is
    /// a most, such as translation's, gives the range it draws from).
    func lengthLabel(_ length: Int) -> String
    /// A fixed set of samples that `arnn eval` scores at `length`, all of them and in order, instead of
    /// drawing fresh ones (a dataset's own test file); nil for generated tasks.
    func evaluationSet(length: Int) -> [Sample]?
}

/// A task whose training range of lengths is two of its fields (`minLength`/`maxLength`, `minItems`/
/// `maxItems`, ...): `lengthRange` and `withLengthRange` come from naming them.
public protocol LengthRangeFields: TaskGenerator {
    /// The fields holding the shortest and the longest training length.
    static var lengthFields: (min: WritableKeyPath<Self, Int>, max: WritableKeyPath<Self, Int>) { get }
}

extension LengthRangeFields {
    public var lengthRange: ClosedRange<Int> { self[keyPath: Self.lengthFields.min]...self[keyPath: Self.lengthFields.max] }

    public func withLengthRange(_ range: ClosedRange<Int>) throws -> Self {
        var t = self
        t[keyPath: Self.lengthFields.min] = range.lowerBound
        t[keyPath: Self.lengthFields.max] = range.upperBound
        try t.validate()
        return t
    }
}

/// A task that can read its examples from a dataset's own files (`--data DIR`) instead of generating them.
public protocol FileDataTask: TaskGenerator {
    /// The same task drawing training samples from the files in `directory` and scoring the test files
    /// there; throws one line when the folder holds none of its files or a file is malformed.
    func withData(directory: String) throws -> Self
}

extension TaskGenerator {
    public func forEvaluation() -> Self { self }
    public func lengthLabel(_ length: Int) -> String { String(length) }
    public func evaluationSet(length: Int) -> [Sample]? { nil }
    public var evaluationLengths: [Int] { [10, 20, 40, 80] }
}

extension TaskGenerator {
    public var name: String { Self.name }
    public var lengthName: String { Self.lengthName }

    /// Validates `length` (when given) and returns a sample; the throwing form for user input.
    public func checkedSample(rng: inout SeededRNG, length: Int?) throws -> Sample {
        try validate()
        if let length { try validate(length: length) }
        return sample(rng: &rng, length: length)
    }
}

/// A task whose input the user can edit entry by entry in the viewer (`e`): each entry of each input
/// vector takes one of a few values, and the task builds the example around the edited vectors.
public protocol EditableInputTask: SequenceTask {
    /// The values an entry cycles through when toggled, the first being "off" (bits: 0, 1; parity: 0,
    /// +1, −1).
    var entryValues: [Float] { get }
    /// True when every change runs the model at once (one-vector inputs), false when the user runs the
    /// edited input when done.
    var editRunsAtOnce: Bool { get }
    /// The example for these input vectors; `current` is the example being edited (its settings, such as
    /// a repeat count, carry over).
    func example(entries: [[Float]], like current: Example?) throws -> Example
    /// The input vectors of `example` the editor opens on (the inverse of `example(entries:like:)`).
    func editedEntries(of example: Example) -> [[Float]]
}

/// A task whose input the user can give as a matrix of bits (a file, or the viewer's editor).
public protocol BitInputTask: EditableInputTask {
    /// Bits per input vector.
    var bitWidth: Int { get }
    /// The example for these input vectors; `repeats` only for tasks that take a count.
    func example(bits: [[Bool]], repeats: Int?) throws -> Example
}

extension BitInputTask {
    public var entryValues: [Float] { [0, 1] }
    public var editRunsAtOnce: Bool { false }
    /// The first `length` steps carry the vectors (copy and repeat copy), in their first `bitWidth` channels.
    public func editedEntries(of example: Example) -> [[Float]] {
        (0..<example.parameters.length).map { Array(example.input(at: $0).prefix(bitWidth)) }
    }
    public func example(entries: [[Float]], like current: Example?) throws -> Example {
        try example(bits: entries.map { $0.map { $0 >= 0.5 } }, repeats: current?.parameters.repeats)
    }
}
