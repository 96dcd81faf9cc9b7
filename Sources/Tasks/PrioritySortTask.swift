import Engine

/// The priority sort task of Graves et al. (2014), section 4.5.
///
/// n random vectors of B = `bitWidth` bits (default 8) arrive, each with a priority drawn uniformly from
/// [−1, 1); the answer is the m = min(`outputCount`, n) highest-priority vectors, highest first.
///
/// Encoding:
/// - input width B + 2: channels 0..<B bits, channel B the delimiter flag, channel B+1 the priority;
///   output width B.
/// - T = n + 1 + m timesteps: steps 0..<n `.input` (bits and priority); step n `.delimiter` (channel B =
///   1, priority 0); steps n+1 ..< n+1+m `.answer` with zero input, target j being the input with the
///   j-th highest priority (ties, which need equal 24-bit draws, go to the earlier input). All scored.
///
/// The paper uses n = 20 and m = 16 (the defaults). `length` is n; the paper's training has a fixed n,
/// so `minInputs == maxInputs` by default.
///
/// Random draws, in order: n = `rng.int(in: minInputs...maxInputs)` when no count is given; then for each
/// input its B bits (`bernoulli(0.5)`) followed by its priority (`uniform(-1, 1)`).
public struct PrioritySortTask: SequenceTask {
    public static let name = "priority-sort"
    public static let lengthName = "inputs"
    public static let summary = "priority sort: read vectors with priorities, write them back sorted by priority"

    public var bitWidth: Int
    public var minInputs: Int
    public var maxInputs: Int
    /// How many of the highest-priority vectors the answer holds (fewer when there are fewer inputs).
    public var outputCount: Int

    /// The paper's setup: 20 inputs of 8 bits, the 16 highest-priority ones as the answer.
    public init(bitWidth: Int = 8, minInputs: Int = 20, maxInputs: Int = 20, outputCount: Int = 16) {
        self.bitWidth = bitWidth
        self.minInputs = minInputs
        self.maxInputs = maxInputs
        self.outputCount = outputCount
    }

    public var inputWidth: Int { bitWidth + 2 }
    public var outputWidth: Int { bitWidth }
    public var inputChannelNames: [String] { bitChannelNames(bitWidth) + ["delim", "priority"] }
    public var outputChannelNames: [String] { bitChannelNames(bitWidth) }


    public func validate() throws {
        try Check.atLeast(bitWidth, 1, field: "bitWidth", task: Self.name)
        try Check.atMost(bitWidth, TaskLimits.maxBitWidth, field: "bitWidth", task: Self.name)
        try Check.atLeast(minInputs, 1, field: "minInputs", task: Self.name)
        try Check.ordered(min: minInputs, max: maxInputs, minField: "minInputs", maxField: "maxInputs",
                          task: Self.name)
        // outputCount may exceed maxInputs (a curriculum may start with few inputs): the answer then holds
        // every input, sorted.
        try Check.atLeast(outputCount, 1, field: "outputCount", task: Self.name)
        try validate(length: maxInputs)
    }

    public func validate(length inputs: Int) throws {
        try Check.atLeast(inputs, 1, field: "inputs", task: Self.name)
        try Check.steps(steps(inputs: inputs), task: Self.name, what: "inputs \(inputs)")
    }

    /// The number of answer vectors for n inputs: min(outputCount, n).
    public func answerCount(inputs: Int) -> Int { min(outputCount, inputs) }

    /// T for n inputs: n + 1 + min(outputCount, n).
    public func steps(inputs: Int) -> Int { saturatingSum(inputs, 1, answerCount(inputs: inputs)) }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let n = length ?? rng.int(in: lengthRange)
        requireValid(length: n)
        var vectors = [Float](repeating: 0, count: n * bitWidth)
        var priorities = [Float](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<bitWidth where rng.bernoulli(0.5) { vectors[i * bitWidth + j] = 1 }
            priorities[i] = rng.uniform(-1, 1)
        }
        return example(vectors: vectors, priorities: priorities)
    }

    /// Lays out the timeline described on the type for n vectors (row-major) and their priorities.
    package func example(vectors: [Float], priorities: [Float]) -> Example {
        let n = priorities.count, m = answerCount(inputs: n)
        let order = (0..<n).sorted { a, b in
            priorities[a] != priorities[b] ? priorities[a] > priorities[b] : a < b
        }
        let steps = steps(inputs: n)
        var inputs = RowWriter(steps: steps, width: inputWidth)
        var targets = RowWriter(steps: steps, width: outputWidth)
        func vector(_ i: Int) -> ArraySlice<Float> { vectors[(i * bitWidth)..<((i + 1) * bitWidth)] }
        for i in 0..<n {
            inputs.setBits(vector(i), at: i)
            inputs[i, bitWidth + 1] = priorities[i]
        }
        inputs[n, bitWidth] = 1
        for j in 0..<m { targets.setBits(vector(order[j]), at: n + 1 + j) }
        let phases = [Phase](repeating: .input, count: n) + [.delimiter] + [Phase](repeating: .answer, count: m)
        let mask = [Bool](repeating: false, count: n + 1) + [Bool](repeating: true, count: m)
        return Example(inputs: inputs.tensor(), targets: targets.tensor(), mask: mask, phases: phases,
                       task: TaskConfig(self),
                       parameters: .prioritySort(priorities: priorities, order: Array(order.prefix(m))))
    }
}

extension PrioritySortTask {
    private enum CodingKeys: String, CodingKey { case bitWidth, minInputs, maxInputs, outputCount }

}

extension PrioritySortTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = PrioritySortTask()
}

extension PrioritySortTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<PrioritySortTask, Int>, max: WritableKeyPath<PrioritySortTask, Int>) { (\.minInputs, \.maxInputs) }
}
