import Engine

/// The logic task (`LogicTask`, Graves 2016 section 3.2) with the number of gates as its length instead
/// of the number of vectors (docs/tasks/logic.md, "By gates"): every vector of a sequence holds exactly
/// g gates, g being the example's length. `--curriculum` then raises the gate count, the task's own
/// difficulty, from `minGates` to `maxGates`, as parity's curriculum raises its non-zero entries; and
/// `arnn eval --lengths` scores each gate count apart.
///
/// Encoding, recursion and targets are `LogicTask`'s. Random draws, in order: g =
/// `rng.int(in: minGates...maxGates)` when no length is given; L = `rng.int(in: minVectors...maxVectors)`;
/// the first vector's b₀ (`bernoulli(0.5)`); then for each vector its b₁ (`bernoulli(0.5)`) and its g
/// gates, each `rng.int(below: 10)`. Without a curriculum, g is drawn per sequence, where `logic` draws a
/// count per vector.
public struct LogicGatesTask: SequenceTask {
    public static let name = "logic-gates"
    public static let lengthName = "gates"
    public static let summary = "logic with the gate count as the length: every vector of a sequence has that many gates (a curriculum over gates)"

    /// `LogicTask`'s settings, with the same meanings and defaults.
    public var chunks: Int
    public var minGates: Int
    public var maxGates: Int
    public var minVectors: Int
    public var maxVectors: Int

    public init(chunks: Int = 10, minGates: Int = 1, maxGates: Int? = nil, minVectors: Int = 1, maxVectors: Int = 10) {
        self.chunks = chunks
        self.minGates = minGates
        self.maxGates = maxGates ?? chunks
        self.minVectors = minVectors
        self.maxVectors = maxVectors
    }

    /// The same settings as the plain logic task.
    public var logic: LogicTask {
        LogicTask(chunks: chunks, minGates: minGates, maxGates: maxGates, minVectors: minVectors, maxVectors: maxVectors)
    }

    public var inputWidth: Int { logic.inputWidth }
    public var outputWidth: Int { logic.outputWidth }
    public var inputChannelNames: [String] { logic.inputChannelNames }
    public var outputChannelNames: [String] { logic.outputChannelNames }
    /// One gate, half the most and the most.
    public var evaluationLengths: [Int] { Array(Set([1, max(1, maxGates / 2), maxGates])).sorted() }

    public func validate() throws { try logic.validate() }

    /// Any gate count from 1 to `chunks` (a vector has no more chunks to hold gates in).
    public func validate(length: Int) throws {
        try Check.atLeast(length, 1, field: "gates", task: Self.name)
        try Check.atMost(length, chunks, field: "gates", task: Self.name, why: " (the number of chunks)")
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let g = length ?? rng.int(in: lengthRange)
        requireValid(length: g)
        let n = rng.int(in: minVectors...maxVectors)
        let b0 = rng.bernoulli(0.5)
        let vectors = (0..<n).map { _ in
            let b1 = rng.bernoulli(0.5)
            return LogicTask.Vector(b1: b1, gates: (0..<g).map { _ in LogicTask.Gate(rawValue: rng.int(below: LogicTask.Gate.allCases.count))! })
        }
        // Logic's layout, named as this task's example.
        let ex = logic.layOut(b0: b0, vectors: vectors)
        return Example(inputs: ex.inputs, targets: ex.targets, mask: ex.mask, phases: ex.phases, task: TaskConfig(self),
                       parameters: .logicGates(gates: vectors.map { $0.gates.map(\.rawValue) }))
    }
}

extension LogicGatesTask {
    private enum CodingKeys: String, CodingKey { case chunks, minGates, maxGates, minVectors, maxVectors }
}

extension LogicGatesTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = LogicGatesTask()
    public static let derivedDefaults = ["maxGates": "chunks"]
}

extension LogicGatesTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<LogicGatesTask, Int>, max: WritableKeyPath<LogicGatesTask, Int>) {
        (\.minGates, \.maxGates)
    }
}
