import Engine

/// The copy task of Graves et al. (2014), section 4.1, encoded as the PyTorch NTM does.
///
/// Encoding for a sequence of L vectors of `bitWidth` (B, default 8) bits:
/// - input width B + 1: channels 0..<B carry the bits, channel B is the delimiter flag;
///   output width B.
/// - T = 2L + 1 timesteps: steps 0..<L `.input` (a vector, delimiter 0); step L `.delimiter` (only
///   channel B is 1); steps L+1 ..< 2L+1 `.answer` (input all zero, target = vector t-L-1, scored).
///
/// Random draws, in order: L = `rng.int(in: minLength...maxLength)` when no length is given, then
/// L·B bits, row by row, each `bernoulli(0.5)`.
public struct CopyTask: BitInputTask {
    public static let name = "copy"
    public static let lengthName = "length"
    public static let summary = "copy: read a sequence of bit vectors, then write it back"

    /// Bits per vector.
    public var bitWidth: Int
    /// Shortest training sequence.
    public var minLength: Int
    /// Longest training sequence.
    public var maxLength: Int

    /// The paper's training setup: 8-bit vectors, lengths 1–20.
    public init(bitWidth: Int = 8, minLength: Int = 1, maxLength: Int = 20) {
        self.bitWidth = bitWidth
        self.minLength = minLength
        self.maxLength = maxLength
    }

    public var inputWidth: Int { bitWidth + 1 }
    public var outputWidth: Int { bitWidth }
    public var inputChannelNames: [String] { bitChannelNames(bitWidth) + ["delim"] }
    public var outputChannelNames: [String] { bitChannelNames(bitWidth) }


    public func validate() throws {
        try Check.atLeast(bitWidth, 1, field: "bitWidth", task: Self.name)
        try Check.atMost(bitWidth, TaskLimits.maxBitWidth, field: "bitWidth", task: Self.name)
        try Check.atLeast(minLength, 1, field: "minLength", task: Self.name)
        try Check.ordered(min: minLength, max: maxLength, minField: "minLength", maxField: "maxLength",
                          task: Self.name)
        try validate(length: maxLength)
    }

    public func validate(length: Int) throws {
        try Check.atLeast(length, 1, field: "length", task: Self.name)
        try Check.steps(Self.steps(length: length), task: Self.name, what: "length \(length)")
    }

    /// T for a sequence of `length` vectors: 2·length + 1.
    public static func steps(length: Int) -> Int { saturatingSum(saturatingProduct(length, 2), 1) }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let n = length ?? rng.int(in: lengthRange)
        requireValid(length: n)
        return example(vectors: rng.bits(n * bitWidth), length: n)
    }

    /// The copy example for a user-given bit matrix of L rows × `bitWidth` columns (the viewer's "edit
    /// the input" and `arnn trace --input FILE`). Throws if there are no rows, a row has the wrong width,
    /// or L is too long.
    /// `BitInputTask`: copy takes no repeat count.
    public func example(bits rows: [[Bool]], repeats: Int?) throws -> Example {
        if repeats != nil { throw ArnnError("copy takes no repeat count") }
        return try example(bits: rows)
    }

    public func example(bits rows: [[Bool]]) throws -> Example {
        try validate()
        if rows.isEmpty {
            throw ArnnError("\(Self.name): the input has no rows; expected at least one row of \(bitWidth) bits")
        }
        for (i, row) in rows.enumerated() where row.count != bitWidth {
            throw ArnnError("\(Self.name): input row \(i + 1) has \(row.count) bits, expected \(bitWidth)")
        }
        try validate(length: rows.count)
        return example(vectors: rows.flatMap { $0.map { $0 ? Float(1) : 0 } }, length: rows.count)
    }

    /// Lays out the timeline described on the type for `length` vectors stored row-major in `vectors`.
    func example(vectors: [Float], length n: Int) -> Example {
        let steps = 2 * n + 1
        var inputs = RowWriter(steps: steps, width: inputWidth)
        var targets = RowWriter(steps: steps, width: outputWidth)
        for i in 0..<n {
            let v = vectors[(i * bitWidth)..<((i + 1) * bitWidth)]
            inputs.setBits(v, at: i)
            targets.setBits(v, at: n + 1 + i)
        }
        inputs[n, bitWidth] = 1
        let phases = [Phase](repeating: .input, count: n) + [.delimiter]
            + [Phase](repeating: .answer, count: n)
        let mask = [Bool](repeating: false, count: n + 1) + [Bool](repeating: true, count: n)
        return Example(inputs: inputs.tensor(), targets: targets.tensor(), mask: mask, phases: phases,
                       task: TaskConfig(self), parameters: .copy(length: n))
    }
}

extension CopyTask {
    private enum CodingKeys: String, CodingKey { case bitWidth, minLength, maxLength }

}

extension CopyTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = CopyTask()
}

extension CopyTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<CopyTask, Int>, max: WritableKeyPath<CopyTask, Int>) { (\.minLength, \.maxLength) }
}
