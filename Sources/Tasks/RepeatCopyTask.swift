import Engine

/// The repeat copy task of Graves et al. (2014), section 4.2, encoded as the PyTorch NTM does.
///
/// Encoding for L vectors of B = `bitWidth` bits (default 8) repeated R times:
/// - input width B + 2: channels 0..<B bits, channel B the delimiter flag, channel B+1 the repeat count;
///   output width B + 1: channels 0..<B bits, channel B the end marker.
/// - T = L + 2 + L·R + 1 timesteps:
///   steps 0..<L `.input` (a vector); step L `.delimiter` (channel B = 1); step L+1 `.repeatCount`
///   (channel B+1 = the normalised count, everything else 0); then L·R + 1 `.answer` steps with zero
///   input: the sequence R times over (end marker 0), and a last step whose only target is the end
///   marker (channel B = 1). All answer steps are scored, end-marker channel included.
/// - The count is normalised to mean 0 and variance 1 over the *training* range of repeats, as the paper
///   does: (R − μ) / σ with μ = (minRepeats + maxRepeats) / 2 and σ² = ((maxRepeats − minRepeats + 1)² − 1)
///   / 12 (the variance of a discrete uniform). A count outside the training range uses the same μ and σ,
///   so it is encoded beyond the values seen in training. With a single training count (σ = 0) the count
///   is encoded as R − μ = 0.
///
/// Random draws, in order: L = `rng.int(in: minLength...maxLength)` when no length is given, then
/// R = `rng.int(in: minRepeats...maxRepeats)` when no count is given, then L·B bits row by row.
public struct RepeatCopyTask: BitInputTask {
    public static let name = "repeat-copy"
    public static let lengthName = "length"
    public static let summary = "repeat copy: read a sequence and a count, write the sequence back that many times"

    public var bitWidth: Int
    public var minLength: Int
    public var maxLength: Int
    public var minRepeats: Int
    public var maxRepeats: Int

    /// The paper's training setup: 8-bit vectors, lengths 1–10, 1–10 repeats.
    public init(bitWidth: Int = 8, minLength: Int = 1, maxLength: Int = 10, minRepeats: Int = 1,
                maxRepeats: Int = 10) {
        self.bitWidth = bitWidth
        self.minLength = minLength
        self.maxLength = maxLength
        self.minRepeats = minRepeats
        self.maxRepeats = maxRepeats
    }

    public var inputWidth: Int { bitWidth + 2 }
    public var outputWidth: Int { bitWidth + 1 }
    public var inputChannelNames: [String] { bitChannelNames(bitWidth) + ["delim", "count"] }
    public var outputChannelNames: [String] { bitChannelNames(bitWidth) + ["end"] }
    public var repeatRange: ClosedRange<Int> { minRepeats...maxRepeats }


    public func validate() throws {
        try Check.atLeast(bitWidth, 1, field: "bitWidth", task: Self.name)
        try Check.atMost(bitWidth, TaskLimits.maxBitWidth, field: "bitWidth", task: Self.name)
        try Check.atLeast(minLength, 1, field: "minLength", task: Self.name)
        try Check.ordered(min: minLength, max: maxLength, minField: "minLength", maxField: "maxLength",
                          task: Self.name)
        try Check.atLeast(minRepeats, 1, field: "minRepeats", task: Self.name)
        try Check.ordered(min: minRepeats, max: maxRepeats, minField: "minRepeats", maxField: "maxRepeats",
                          task: Self.name)
        try validate(length: maxLength)
    }

    /// Checks `length` against the longest count this configuration samples.
    public func validate(length: Int) throws {
        try validate(length: length, repeats: max(maxRepeats, 1))
    }

    /// Checks an explicit length and repeat count.
    public func validate(length: Int, repeats: Int) throws {
        try Check.atLeast(length, 1, field: "length", task: Self.name)
        try Check.atLeast(repeats, 1, field: "repeats", task: Self.name)
        try Check.steps(Self.steps(length: length, repeats: repeats), task: Self.name,
                        what: "length \(length) with \(repeats) repeats")
    }

    /// T for `length` vectors repeated `repeats` times: L + 2 + L·R + 1.
    public static func steps(length: Int, repeats: Int) -> Int {
        saturatingSum(length, 3, saturatingProduct(length, repeats))
    }

    /// The value fed on the count channel for `repeats` (see the type's documentation).
    public func encodedCount(_ repeats: Int) -> Float {
        let mean = Double(minRepeats + maxRepeats) / 2
        let span = Double(maxRepeats - minRepeats + 1)
        let std = ((span * span - 1) / 12).squareRoot()
        let centred = Double(repeats) - mean
        return Float(std > 0 ? centred / std : centred)
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        example(rng: &rng, length: length, repeats: nil)
    }

    /// A fresh example with an optional fixed repeat count (nil samples it from `repeatRange`).
    public func example(rng: inout SeededRNG, length: Int?, repeats: Int?) -> Example {
        let n = length ?? rng.int(in: lengthRange)
        let r = repeats ?? rng.int(in: repeatRange)
        do { try validate(length: n, repeats: r) } catch { preconditionFailure("\(error)") }
        return example(vectors: rng.bits(n * bitWidth), length: n, repeats: r)
    }

    /// The example for a user-given bit matrix of L rows × `bitWidth` columns repeated `repeats` times.
    /// `BitInputTask`: without a count, the fewest repeats.
    public func example(bits rows: [[Bool]], repeats: Int?) throws -> Example {
        try example(bits: rows, repeats: repeats ?? minRepeats)
    }

    public func example(bits rows: [[Bool]], repeats: Int) throws -> Example {
        try validate()
        if rows.isEmpty {
            throw ArnnError("\(Self.name): the input has no rows; expected at least one row of \(bitWidth) bits")
        }
        for (i, row) in rows.enumerated() where row.count != bitWidth {
            throw ArnnError("\(Self.name): input row \(i + 1) has \(row.count) bits, expected \(bitWidth)")
        }
        try validate(length: rows.count, repeats: repeats)
        return example(vectors: rows.flatMap { $0.map { $0 ? Float(1) : 0 } }, length: rows.count,
                       repeats: repeats)
    }

    func example(vectors: [Float], length n: Int, repeats r: Int) -> Example {
        let answerStart = n + 2
        let steps = Self.steps(length: n, repeats: r)
        var inputs = RowWriter(steps: steps, width: inputWidth)
        var targets = RowWriter(steps: steps, width: outputWidth)
        let count = encodedCount(r)
        for i in 0..<n {
            let v = vectors[(i * bitWidth)..<((i + 1) * bitWidth)]
            inputs.setBits(v, at: i)
            for k in 0..<r { targets.setBits(v, at: answerStart + k * n + i) }
        }
        inputs[n, bitWidth] = 1
        inputs[n + 1, bitWidth + 1] = count
        targets[steps - 1, bitWidth] = 1
        let phases = [Phase](repeating: .input, count: n) + [.delimiter, .repeatCount]
            + [Phase](repeating: .answer, count: n * r + 1)
        let mask = [Bool](repeating: false, count: answerStart) + [Bool](repeating: true, count: n * r + 1)
        return Example(inputs: inputs.tensor(), targets: targets.tensor(), mask: mask, phases: phases,
                       task: TaskConfig(self),
                       parameters: .repeatCopy(length: n, repeats: r, encodedCount: count))
    }
}

extension RepeatCopyTask {
    private enum CodingKeys: String, CodingKey { case bitWidth, minLength, maxLength, minRepeats, maxRepeats }

}

extension RepeatCopyTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = RepeatCopyTask()
}

extension RepeatCopyTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<RepeatCopyTask, Int>, max: WritableKeyPath<RepeatCopyTask, Int>) { (\.minLength, \.maxLength) }
}
