import Engine

/// One sequence of a task: what goes in at every timestep, what should come out, which steps are scored
/// and what each step is for.
///
/// Invariants (checked by the initialiser): `inputs` is [T, inputWidth], `targets` is [T, outputWidth],
/// and `mask` and `phases` have T entries. Targets of unscored steps are zero. For the copy-like tasks the
/// input of every scored step is zero: the model answers from memory alone (parity scores the step that
/// carries its input; nothing here checks either).
public struct Example: Equatable, Sendable {
    /// [T, inputWidth], row-major: row t is the input at timestep t.
    public let inputs: Tensor
    /// [T, outputWidth]: row t is the wanted output at timestep t (zero where `mask[t]` is false).
    public let targets: Tensor
    /// `mask[t]` is true when the output at step t is scored (the answer phase).
    public let mask: [Bool]
    /// What each timestep is for; the viewer labels steps with it.
    public let phases: [Phase]
    /// The task (with its configuration) that made this example.
    public let task: TaskConfig
    /// The random choices behind this example (length, repeat count, query, priorities).
    public let parameters: ExampleParameters

    /// An example from its parts; the shapes must agree as described on the type.
    public init(inputs: Tensor, targets: Tensor, mask: [Bool], phases: [Phase], task: TaskConfig,
                parameters: ExampleParameters) {
        let steps = mask.count
        let bits = task.bits
        precondition(bits != nil, "an Example comes from a bit-sequence task, not \(task.name)")
        precondition(inputs.shape == [steps, bits!.inputWidth],
                     "inputs have shape \(inputs.shape), expected [\(steps), \(bits!.inputWidth)]")
        precondition(targets.shape == [steps, bits!.outputWidth],
                     "targets have shape \(targets.shape), expected [\(steps), \(bits!.outputWidth)]")
        precondition(phases.count == steps, "\(phases.count) phases for \(steps) timesteps")
        self.inputs = inputs
        self.targets = targets
        self.mask = mask
        self.phases = phases
        self.task = task
        self.parameters = parameters
    }

    /// The number of timesteps T.
    public var steps: Int { mask.count }
    public var inputWidth: Int { inputs.shape[1] }
    public var outputWidth: Int { targets.shape[1] }

    /// The number of scored timesteps.
    public var answerSteps: Int { mask.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The number of scored bits: scored timesteps × output width.
    public var scoredBits: Int { answerSteps * outputWidth }

    /// Row t of the inputs, without copying the tensor.
    public func input(at t: Int) -> ArraySlice<Float> {
        inputs.data[(t * inputWidth)..<((t + 1) * inputWidth)]
    }

    /// Row t of the targets, without copying the tensor.
    public func target(at t: Int) -> ArraySlice<Float> {
        targets.data[(t * outputWidth)..<((t + 1) * outputWidth)]
    }
}

/// The random choices an example was built from, per task, so the viewer and traces can show them.
public enum ExampleParameters: Equatable, Sendable, Codable {
    /// Copy: the number of vectors to copy.
    case copy(length: Int)
    /// Repeat copy: the sequence length, the repeat count and the value fed on the count channel.
    case repeatCopy(length: Int, repeats: Int, encodedCount: Float)
    /// Associative recall: the number of stored items and which one (0-based) is the query; the answer
    /// is item `queryIndex + 1`.
    case associativeRecall(items: Int, queryIndex: Int)
    /// Priority sort: every input's priority, and the input indices in answer order (highest first).
    case prioritySort(priorities: [Float], order: [Int])
    /// Parity: the number of nonzero entries and how many of them are +1.
    case parity(entries: Int, ones: Int)
    /// Logic: each vector's gates in chunk order, as `LogicTask.Gate` raw values (Table 1's column order).
    case logic(gates: [[Int]])
    /// Logic by gates (`logic-gates`): as `logic`, every vector with the same number of gates, the length.
    case logicGates(gates: [[Int]])
    /// Copy episodes: the number of vectors of each episode, in order.
    case copyEpisodes(lengths: [Int])
}

/// Writes into a [T, width] row-major buffer; keeps index arithmetic in one place.
struct RowWriter {
    let width: Int
    var data: [Float]

    init(steps: Int, width: Int) {
        self.width = width
        self.data = [Float](repeating: 0, count: steps * width)
    }

    subscript(t: Int, channel: Int) -> Float {
        get { data[t * width + channel] }
        set { data[t * width + channel] = newValue }
    }

    /// Writes `bits` into channels 0..<bits.count of row t.
    mutating func setBits(_ bits: ArraySlice<Float>, at t: Int) {
        var c = t * width
        for b in bits { data[c] = b; c += 1 }
    }

    func tensor() -> Tensor { Tensor(shape: [data.count / width, width], data: data) }
}

extension SeededRNG {
    /// `count` independent fair bits as 0/1 Floats, drawn in order with `bernoulli(0.5)`.
    mutating func bits(_ count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for i in 0..<count where bernoulli(0.5) { out[i] = 1 }
        return out
    }
}

extension ExampleParameters {
    /// The example's length in its task's unit: vectors (copy, repeat copy, logic), items, inputs (sort),
    /// nonzero entries (parity), episodes (copy episodes), or gates a vector (logic by gates).
    public var length: Int {
        switch self {
        case .copy(let n), .repeatCopy(let n, _, _), .associativeRecall(let n, _), .parity(let n, _): n
        case .prioritySort(let priorities, _): priorities.count
        case .logic(let gates): gates.count
        case .copyEpisodes(let lengths): lengths.count
        case .logicGates(let gates): gates.first?.count ?? 0
        }
    }

    /// The repeat count of a repeat-copy example; nil for other tasks.
    public var repeats: Int? {
        if case .repeatCopy(_, let repeats, _) = self { return repeats }
        return nil
    }
}
