import Engine

/// The sizes and halting settings of the ACT model (docs/models/act.md). Codable: stored as JSON in a
/// checkpoint's `arnn.config`; every field but the task's widths takes its default when left out.
public struct ACTConfig: ModelConfig {
    /// Input width X and output width Y (set by the task). The model adds its own first-sub-step flag,
    /// so its cell reads X + 1 channels.
    public var inputSize: Int
    public var outputSize: Int
    /// Hidden size H of the cell.
    public var hiddenSize: Int = 128
    /// The cell that ponders: "rnn" (a tanh RNN, as the paper's parity experiment) or "lstm" (an LSTM,
    /// as its logic and addition experiments), whose state s is [h ; c].
    public var cell: String = "rnn"
    /// The cap M on sub-steps per input step, eq. (4).
    public var maxSteps: Int = 100
    /// ε of the halting threshold 1 − ε, eq. (4).
    public var epsilon: Float = 0.01
    /// The ponder weight τ of the auxiliary loss, eq. (9).
    public var tau: Float = 1e-3

    public init(inputSize: Int, outputSize: Int, hiddenSize: Int = 128, cell: String = "rnn",
                maxSteps: Int = 100, epsilon: Float = 0.01, tau: Float = 1e-3) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.hiddenSize = hiddenSize
        self.cell = cell
        self.maxSteps = maxSteps
        self.epsilon = epsilon
        self.tau = tau
    }

    private enum CodingKeys: String, CodingKey {
        case inputSize, outputSize, hiddenSize, cell, maxSteps, epsilon, tau
    }

    /// Throws an `ArnnError` naming the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "ACT", field, expected, value)
        }
        try check(inputSize >= 1, "inputSize", "at least 1", inputSize)
        try check(outputSize >= 1, "outputSize", "at least 1", outputSize)
        try check(hiddenSize >= 1 && hiddenSize <= 8192, "hiddenSize", "in 1...8192", hiddenSize)
        try check(Self.cells.contains(cell), "cell", "\"rnn\" or \"lstm\"", cell)
        try check(maxSteps >= 1 && maxSteps <= 10_000, "maxSteps", "in 1...10000", maxSteps)
        try check(epsilon > 0 && epsilon < 1, "epsilon", "in (0, 1)", epsilon)
        try check(tau >= 0 && tau.isFinite, "tau", "finite and at least 0", tau)
    }
}

extension ACTConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the widths must be given.
    public static let defaults = ACTConfig(inputSize: 0, outputSize: 0)
    public static let requiredFields = ["inputSize", "outputSize"]
    /// The cells ACT can ponder with.
    public static let cells = ["rnn", "lstm"]

    /// The width S of the state s that carries between steps and feeds (2) and (3): H, or 2H for the
    /// LSTM, whose state is [h ; c].
    public var stateSize: Int { cell == "lstm" ? 2 * hiddenSize : hiddenSize }
}
