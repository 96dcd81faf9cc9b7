import Engine

/// The logic task of Graves (2016), "Adaptive Computation Time for Recurrent Neural Networks",
/// section 3.2: every input vector names a chain of binary logic gates to apply to two bits, and the
/// first bit of every vector after the first is the previous vector's answer, which the network must
/// carry itself.
///
/// Encoding for a sequence of L vectors (1 ≤ L, default 1–10) with `chunks` (C, default 10) gate chunks:
/// - input width 2 + 10·C (102 by default): channel 0 is b₀, channel 1 is b₁, channels 2 + 10k ..< 12 + 10k
///   are chunk k (0-based). The first B chunks (1 ≤ B ≤ C, drawn per vector) each hold a one-hot choice
///   of one of the ten gates of `Gate` (channel 2 + 10k + gate's raw value), the other chunks are zero.
///   Output width 1.
/// - T = L timesteps, all `.answer` and scored: each step carries its vector and its target is that
///   vector's result. Like parity (and unlike the copy-like tasks) the scored step carries the input.
/// - The recursion, per vector, with gates T₁ … T_B in chunk order: `b_{i+1} = T_i(b_i, b_{i−1})` for
///   i = 1 … B, starting from the vector's b₀, b₁; the target is b_{B+1}. The gate's first argument p is
///   the newer bit b_i, the second q the older b_{i−1} (`Gate.apply(_:_:)`).
/// - The first vector's b₀ and b₁ are both random and both in its input. For every later vector b₁ is
///   random and in the input, while b₀ is the previous vector's target and its input channel is 0: the
///   network has to remember its last answer.
/// - No flag channel: a model that wants one (ACT's first-sub-step flag) adds it itself.
///
/// Random draws, in order: L = `rng.int(in: minVectors...maxVectors)` when no length is given; then the
/// first vector's b₀ (`bernoulli(0.5)`); then, for each vector in order, its b₁ (`bernoulli(0.5)`), its
/// B = `rng.int(in: minGates...maxGates)` and its B gates, each `Gate(rawValue: rng.int(below: 10))`.
public struct LogicTask: SequenceTask {
    public static let name = "logic"
    public static let lengthName = "vectors"
    public static let summary = "logic: apply a chain of binary logic gates to two bits, carrying each answer into the next vector"

    /// Gate chunks per input vector.
    public var chunks: Int
    /// Fewest and most gates of one vector.
    public var minGates: Int
    public var maxGates: Int
    /// Fewest and most vectors of a training sequence.
    public var minVectors: Int
    public var maxVectors: Int

    /// The paper's setup: 10 chunks (vectors of 102 entries), 1–10 gates per vector, 1–10 vectors.
    public init(chunks: Int = 10, minGates: Int = 1, maxGates: Int? = nil, minVectors: Int = 1,
                maxVectors: Int = 10) {
        self.chunks = chunks
        self.minGates = minGates
        self.maxGates = maxGates ?? chunks
        self.minVectors = minVectors
        self.maxVectors = maxVectors
    }

    /// The ten non-trivial binary gates of the paper's Table 1, in its column order (the raw value is the
    /// gate's place in a one-hot chunk). `T(p, q)` for (p, q) = (0,0), (0,1), (1,0), (1,1):
    ///
    /// | gate | name | 00 | 01 | 10 | 11 |
    /// |---|---|---|---|---|---|
    /// | 0 | NOR      ¬(p ∨ q) | 1 | 0 | 0 | 0 |
    /// | 1 | Xq       ¬p ∧ q   | 0 | 1 | 0 | 0 |
    /// | 2 | ABJ      p ∧ ¬q   | 0 | 0 | 1 | 0 |
    /// | 3 | XOR      p ⊕ q    | 0 | 1 | 1 | 0 |
    /// | 4 | NAND     ¬(p ∧ q) | 1 | 1 | 1 | 0 |
    /// | 5 | AND      p ∧ q    | 0 | 0 | 0 | 1 |
    /// | 6 | XNOR     p ↔ q    | 1 | 0 | 0 | 1 |
    /// | 7 | if/then  p → q    | 1 | 1 | 0 | 1 |
    /// | 8 | then/if  q → p    | 1 | 0 | 1 | 1 |
    /// | 9 | OR       p ∨ q    | 0 | 1 | 1 | 1 |
    ///
    /// The six gates left out of the sixteen (constant 0 and 1, p, q, ¬p, ¬q) ignore an argument.
    public enum Gate: Int, CaseIterable, Codable, Sendable {
        case nor, xq, abj, xor, nand, and, xnor, ifThen, thenIf, or

        /// The gate's truth table, bit 2p + q of the mask being T(p, q) (the table's rows read right to
        /// left).
        private var table: Int {
            switch self {
            case .nor: 0b0001
            case .xq: 0b0010
            case .abj: 0b0100
            case .xor: 0b0110
            case .nand: 0b0111
            case .and: 0b1000
            case .xnor: 0b1001
            case .ifThen: 0b1011
            case .thenIf: 0b1101
            case .or: 0b1110
            }
        }

        /// T(p, q): in the task's recursion p is the newer bit b_i and q the older b_{i−1}.
        public func apply(_ p: Bool, _ q: Bool) -> Bool { (table >> ((p ? 2 : 0) + (q ? 1 : 0))) & 1 == 1 }

        /// The paper's name for the gate.
        public var label: String {
            ["NOR", "Xq", "ABJ", "XOR", "NAND", "AND", "XNOR", "if/then", "then/if", "OR"][rawValue]
        }
    }

    /// One vector's own choices: its random bit b₁ and its gates in chunk order (b₀ is the previous
    /// vector's target, or the sequence's random first bit).
    public struct Vector: Equatable, Sendable {
        public var b1: Bool
        public var gates: [Gate]
        public init(b1: Bool, gates: [Gate]) {
            self.b1 = b1
            self.gates = gates
        }
    }

    /// b_{B+1} for gates T₁ … T_B applied as `b_{i+1} = T_i(b_i, b_{i−1})` from b₀, b₁.
    public static func result(b0: Bool, b1: Bool, gates: [Gate]) -> Bool {
        var (older, newer) = (b0, b1)
        for gate in gates { (older, newer) = (newer, gate.apply(newer, older)) }
        return newer
    }

    public var inputWidth: Int { 2 + Gate.allCases.count * chunks }
    public var outputWidth: Int { 1 }
    /// `b0`, `b1`, then `g1.NOR` … `g1.OR`, `g2.NOR`, …: chunk (1-based) and gate.
    public var inputChannelNames: [String] {
        ["b0", "b1"] + (0..<max(0, chunks)).flatMap { k in Gate.allCases.map { "g\(k + 1).\($0.label)" } }
    }
    public var outputChannelNames: [String] { ["result"] }

    /// One vector, half the training maximum and the maximum.
    public var evaluationLengths: [Int] { Array(Set([1, max(1, maxVectors / 2), maxVectors])).sorted() }


    public func validate() throws {
        try Check.atLeast(chunks, 1, field: "chunks", task: Self.name)
        try Check.atMost(chunks, (TaskLimits.maxBitWidth - 2) / Gate.allCases.count, field: "chunks", task: Self.name,
                         why: " (the input is 2 + 10·chunks wide, at most \(TaskLimits.maxBitWidth))")
        try Check.atLeast(minGates, 1, field: "minGates", task: Self.name)
        try Check.ordered(min: minGates, max: maxGates, minField: "minGates", maxField: "maxGates", task: Self.name)
        try Check.atMost(maxGates, chunks, field: "maxGates", task: Self.name, why: " (the number of chunks)")
        try Check.atLeast(minVectors, 1, field: "minVectors", task: Self.name)
        try Check.ordered(min: minVectors, max: maxVectors, minField: "minVectors", maxField: "maxVectors",
                          task: Self.name)
        try validate(length: maxVectors)
    }

    /// Any number of vectors from 1 up to the timestep limit: the input width does not depend on it, so
    /// lengths beyond the training range test generalisation.
    public func validate(length: Int) throws {
        try Check.atLeast(length, 1, field: "vectors", task: Self.name)
        try Check.steps(length, task: Self.name, what: "\(length) vectors")
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let n = length ?? rng.int(in: lengthRange)
        requireValid(length: n)
        let b0 = rng.bernoulli(0.5)
        let vectors = (0..<n).map { _ in
            let b1 = rng.bernoulli(0.5)
            let count = rng.int(in: minGates...maxGates)
            return Vector(b1: b1, gates: (0..<count).map { _ in Gate(rawValue: rng.int(below: Gate.allCases.count))! })
        }
        return layOut(b0: b0, vectors: vectors)
    }

    /// The example for given choices: the first vector's b₀, then each vector's b₁ and gates. Throws if
    /// there are no vectors, a vector has no gates or more than `chunks`, or there are too many vectors.
    /// (The gate counts may lie outside `minGates...maxGates`.)
    public func example(b0: Bool, vectors: [Vector]) throws -> Example {
        try validate()
        if vectors.isEmpty { throw ArnnError("\(Self.name): the sequence has no vectors") }
        try validate(length: vectors.count)
        for (i, v) in vectors.enumerated() where v.gates.isEmpty || v.gates.count > chunks {
            throw ArnnError("\(Self.name): vector \(i + 1) has \(v.gates.count) gates, expected 1 to \(chunks)")
        }
        return layOut(b0: b0, vectors: vectors)
    }

    /// Lays out the timeline described on the type.
    func layOut(b0 first: Bool, vectors: [Vector]) -> Example {
        let n = vectors.count
        var inputs = RowWriter(steps: n, width: inputWidth)
        var targets = RowWriter(steps: n, width: 1)
        var b0 = first
        for (t, v) in vectors.enumerated() {
            // Only the first vector shows its b₀; later ones leave channel 0 at zero (the carried answer).
            if t == 0 && b0 { inputs[t, 0] = 1 }
            if v.b1 { inputs[t, 1] = 1 }
            for (k, gate) in v.gates.enumerated() { inputs[t, 2 + Gate.allCases.count * k + gate.rawValue] = 1 }
            b0 = Self.result(b0: b0, b1: v.b1, gates: v.gates)
            targets[t, 0] = b0 ? 1 : 0
        }
        return Example(inputs: inputs.tensor(), targets: targets.tensor(),
                       mask: [Bool](repeating: true, count: n), phases: [Phase](repeating: .answer, count: n),
                       task: TaskConfig(self), parameters: .logic(gates: vectors.map { $0.gates.map(\.rawValue) }))
    }
}

extension LogicTask {
    private enum CodingKeys: String, CodingKey { case chunks, minGates, maxGates, minVectors, maxVectors }

}

extension LogicTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = LogicTask()
    public static let derivedDefaults = ["maxGates": "chunks"]
}

extension LogicTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<LogicTask, Int>, max: WritableKeyPath<LogicTask, Int>) { (\.minVectors, \.maxVectors) }
}
