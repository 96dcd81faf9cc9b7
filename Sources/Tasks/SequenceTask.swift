import Engine

/// A seeded generator of one kind of algorithmic sequence task (copy, repeat copy, ...).
///
/// A conforming type *is* its configuration: a small Codable value (lengths, counts, bit widths) that goes
/// into checkpoint metadata. `TaskConfig` wraps any of them for the command line and for JSON.
///
/// Named `SequenceTask`, not `Task`, so it never shadows Swift's concurrency `Task`.
public protocol SequenceTask: Codable, Equatable, Sendable {
    /// The task's name on the command line and in checkpoints: `copy`, `repeat-copy`, ...
    static var name: String { get }
    /// What the `length` argument of `example(rng:length:)` counts, as named in messages and help:
    /// `length` for copy tasks, `items` for associative recall, `inputs` for priority sort.
    static var lengthName: String { get }

    /// Channels of every input row.
    var inputWidth: Int { get }
    /// Channels of every output (target) row.
    var outputWidth: Int { get }
    /// One short label per input channel (`b0`…, `delim`, `count`), for the viewer's axes.
    var inputChannelNames: [String] { get }
    /// One short label per output channel.
    var outputChannelNames: [String] { get }

    /// The training range `example(rng:length: nil)` samples `length` from, uniformly.
    var lengthRange: ClosedRange<Int> { get }
    /// The same task with another training range (for a curriculum or a `--lengths` flag);
    /// throws if the range is not valid for this task.
    func withLengthRange(_ range: ClosedRange<Int>) throws -> Self

    /// Throws a one-line `ArnnError` naming the field if the configuration is unusable.
    func validate() throws
    /// Throws a one-line `ArnnError` if `length` is not a valid explicit length for this configuration
    /// (it may lie outside the training range: that is how generalisation is tested).
    func validate(length: Int) throws

    /// A fresh example. `length == nil` samples it from `lengthRange`. Same configuration, same RNG state
    /// and same `length` give the same example, bit for bit. A `length` that fails `validate(length:)` is a
    /// programmer error (precondition): validate user input first.
    func example(rng: inout SeededRNG, length: Int?) -> Example
}

extension SequenceTask {
    public var lengthName: String { Self.lengthName }

    /// Validates `length` (when given) and returns an example; the throwing form for user input.
    public func checkedExample(rng: inout SeededRNG, length: Int?) throws -> Example {
        try validate()
        if let length { try validate(length: length) }
        return example(rng: &rng, length: length)
    }

    /// Stops with the validation message; used where invalid settings are a programmer error.
    func requireValid(length: Int) {
        do { try validate(length: length) } catch { preconditionFailure("\(error)") }
    }
}

/// Channel labels `b0`, `b1`, ... for `count` data bits.
func bitChannelNames(_ count: Int) -> [String] { (0..<count).map { "b\($0)" } }
