import Engine

/// A seeded generator of one task's samples (bit sequences today; token pairs and parity vectors next).
///
/// A conforming type *is* its configuration: a small Codable value (lengths, counts, widths) that goes
/// into checkpoint metadata and demo manifests, wrapped in a `TaskConfig`.
public protocol TaskGenerator: Codable, Equatable, Sendable {
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
}

extension TaskGenerator {
    public func forEvaluation() -> Self { self }
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

/// A task whose input the user can give as a matrix of bits (a file, or the viewer's editor).
public protocol BitInputTask: SequenceTask {
    /// Bits per input vector.
    var bitWidth: Int { get }
    /// The example for these input vectors; `repeats` only for tasks that take a count.
    func example(bits: [[Bool]], repeats: Int?) throws -> Example
}
