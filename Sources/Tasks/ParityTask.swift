import Engine

/// The parity task of Graves (2016), "Adaptive Computation Time for Recurrent Neural Networks",
/// section 3.1: the network sees one vector and must say whether it holds an odd number of +1 entries.
///
/// Encoding for an example with k nonzero entries out of `size` (S, default 64):
/// - input width S: k entries, at random positions, are +1 or −1 (each with probability ½), the other
///   S − k are 0; output width 1.
/// - T = 1 timestep, `.answer`, scored: the target is 1 when the number of +1 entries is odd, else 0.
///   Unlike the copy-like tasks the scored step carries the input: the model has one step to look at
///   it (an ACT model ponders that step as long as it needs).
/// - No flag channel: a model that wants one (ACT's first-sub-step flag) adds it itself.
///
/// Random draws, in order: k = `rng.int(in: minEntries...maxEntries)` when no count is given; then the k
/// positions, as the first k swaps of a Fisher–Yates shuffle of 0..<S (draw i is `rng.int(below: S − i)`
/// for i in 0..<k); then k signs in position-draw order, each +1 when `bernoulli(0.5)`.
public struct ParityTask: EditableInputTask {
    public static let name = "parity"
    public static let lengthName = "entries"
    public static let summary = "parity: say whether a vector of ±1 and 0 entries holds an odd number of +1s"

    /// Entries of the input vector.
    public var size: Int
    /// Fewest and most nonzero entries of a training example.
    public var minEntries: Int
    public var maxEntries: Int

    /// The paper's setup: vectors of 64 entries, 1–64 of them nonzero.
    public init(size: Int = 64, minEntries: Int = 1, maxEntries: Int? = nil) {
        self.size = size
        self.minEntries = minEntries
        self.maxEntries = maxEntries ?? size
    }

    public var inputWidth: Int { size }
    public var outputWidth: Int { 1 }
    public var inputChannelNames: [String] { (0..<size).map { "e\($0)" } }
    public var outputChannelNames: [String] { ["odd"] }

    /// A quarter, half and all of the vector (never more entries than it has).
    public var evaluationLengths: [Int] {
        Array(Set([max(1, size / 4), max(1, size / 2), size])).sorted()
    }


    public func validate() throws {
        try Check.atLeast(size, 1, field: "size", task: Self.name)
        try Check.atMost(size, TaskLimits.maxBitWidth, field: "size", task: Self.name)
        try Check.atLeast(minEntries, 1, field: "minEntries", task: Self.name)
        try Check.ordered(min: minEntries, max: maxEntries, minField: "minEntries", maxField: "maxEntries",
                          task: Self.name)
        try Check.atMost(maxEntries, size, field: "maxEntries", task: Self.name, why: " (the vector's size)")
    }

    public func validate(length: Int) throws {
        try Check.atLeast(length, 1, field: "entries", task: Self.name)
        try Check.atMost(length, size, field: "entries", task: Self.name, why: " (the vector's size)")
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let k = length ?? rng.int(in: lengthRange)
        requireValid(length: k)
        var order = Array(0..<size)
        for i in 0..<k { order.swapAt(i, i + rng.int(below: size - i)) }
        var vector = [Float](repeating: 0, count: size)
        for i in 0..<k { vector[order[i]] = rng.bernoulli(0.5) ? 1 : -1 }
        return example(vector: vector)
    }

    /// The example for a vector of 0 and ±1 entries (valid by construction).
    func example(vector: [Float]) -> Example {
        let ones = vector.filter { $0 > 0 }.count
        return Example(inputs: Tensor(shape: [1, size], data: vector),
                       targets: Tensor(shape: [1, 1], data: [Float(ones % 2)]),
                       mask: [true], phases: [.answer],
                       task: TaskConfig(self), parameters: .parity(entries: vector.filter { $0 != 0 }.count, ones: ones))
    }

    // MARK: EditableInputTask: the viewer flips entries 0 → +1 → −1 and the model answers at once.

    public var entryValues: [Float] { [0, 1, -1] }
    public var editRunsAtOnce: Bool { true }
    public func editedEntries(of example: Example) -> [[Float]] { [Array(example.input(at: 0))] }

    /// Throws unless `entries` is one vector of `size` entries, each 0, +1 or −1, at least one non-zero.
    public func example(entries: [[Float]], like current: Example?) throws -> Example {
        try validate()
        guard entries.count == 1 else {
            throw ArnnError("parity: the input is one vector, got \(entries.count)")
        }
        let vector = entries[0]
        guard vector.count == size else {
            throw ArnnError("parity: the vector has \(vector.count) entries, expected \(size)")
        }
        if let bad = vector.first(where: { $0 != 0 && $0 != 1 && $0 != -1 }) {
            throw ArnnError("parity: entries are 0, +1 or −1, got \(bad)")
        }
        guard vector.contains(where: { $0 != 0 }) else {
            throw ArnnError("parity: the input needs at least one non-zero entry")
        }
        return example(vector: vector)
    }
}

extension ParityTask {
    private enum CodingKeys: String, CodingKey { case size, minEntries, maxEntries }

}

extension ParityTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = ParityTask()
    public static let derivedDefaults = ["maxEntries": "size"]
}

extension ParityTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<ParityTask, Int>, max: WritableKeyPath<ParityTask, Int>) { (\.minEntries, \.maxEntries) }
}
