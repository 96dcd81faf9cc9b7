import Engine

/// A bit-sequence task (copy, repeat copy, associative recall, priority sort): every sample is an
/// `Example` of input and target bit vectors, one per timestep, with a mask of the scored steps.
///
/// Named `SequenceTask`, not `Task`, so it never shadows Swift's concurrency `Task`.
public protocol SequenceTask: TaskGenerator where Sample == Example {
    /// Channels of every input row.
    var inputWidth: Int { get }
    /// Channels of every output (target) row.
    var outputWidth: Int { get }
    /// One short label per input channel (`b0`…, `delim`, `count`), for the viewer's axes.
    var inputChannelNames: [String] { get }
    /// One short label per output channel.
    var outputChannelNames: [String] { get }

    /// A fresh example. `length == nil` samples it from `lengthRange`. Same configuration, same RNG state
    /// and same `length` give the same example, bit for bit. A `length` that fails `validate(length:)` is a
    /// programmer error (precondition): validate user input first.
    func example(rng: inout SeededRNG, length: Int?) -> Example
}

extension SequenceTask {
    public func sample(rng: inout SeededRNG, length: Int?) -> Example { example(rng: &rng, length: length) }

    /// Validates `length` (when given) and returns an example; the throwing form for user input.
    public func checkedExample(rng: inout SeededRNG, length: Int?) throws -> Example {
        try checkedSample(rng: &rng, length: length)
    }

    /// Stops with the validation message; used where invalid settings are a programmer error.
    func requireValid(length: Int) {
        do { try validate(length: length) } catch { preconditionFailure("\(error)") }
    }
}

/// Channel labels `b0`, `b1`, ... for `count` data bits.
func bitChannelNames(_ count: Int) -> [String] { (0..<count).map { "b\($0)" } }
