import Engine

/// The sizes of a Differentiable Neural Computer (docs/models/dnc.md). Codable: stored as JSON in a
/// checkpoint's `arnn.config`; every field but the task's widths takes its default when left out.
public struct DNCConfig: ModelConfig {
    /// Input width X and output width Y (set by the task).
    public var inputSize: Int
    public var outputSize: Int
    /// Memory rows N and row width W.
    public var memoryRows: Int = 32
    public var memoryWidth: Int = 16
    /// Number of read heads R (≥ 1); there is always one write head.
    public var readHeads: Int = 1
    /// Controller (LSTMCell) hidden size H.
    public var controllerSize: Int = 128
    /// The constant μ every memory cell starts each sequence with, eq. (1).
    public var memoryInit: Float = 1e-6

    public init(inputSize: Int, outputSize: Int, memoryRows: Int = 32, memoryWidth: Int = 16, readHeads: Int = 1,
                controllerSize: Int = 128, memoryInit: Float = 1e-6) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.memoryRows = memoryRows
        self.memoryWidth = memoryWidth
        self.readHeads = readHeads
        self.controllerSize = controllerSize
        self.memoryInit = memoryInit
    }

    private enum CodingKeys: String, CodingKey {
        case inputSize, outputSize, memoryRows, memoryWidth, readHeads, controllerSize, memoryInit
    }

    /// Width of the controller's input: x and every read vector, eq. (3).
    public var controllerInputSize: Int { inputSize + readHeads * memoryWidth }
    /// Width I of the interface vector, eq. (4): R·W + 3W + 5R + 3.
    public var interfaceSize: Int { readHeads * memoryWidth + 3 * memoryWidth + 5 * readHeads + 3 }
    /// Width of the output layer's input: h and this step's read vectors, eq. (19).
    public var outputInputSize: Int { controllerSize + readHeads * memoryWidth }

    /// Throws an `ArnnError` naming the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "DNC", field, expected, value)
        }
        try check(inputSize >= 1, "inputSize", "at least 1", inputSize)
        try check(outputSize >= 1, "outputSize", "at least 1", outputSize)
        // The link matrix is N × N per example and per step.
        try check(memoryRows >= 1 && memoryRows <= 1024, "memoryRows", "in 1...1024", memoryRows)
        try check(memoryWidth >= 1 && memoryWidth <= 4096, "memoryWidth", "in 1...4096", memoryWidth)
        try check(readHeads >= 1 && readHeads <= 16, "readHeads", "in 1...16", readHeads)
        try check(controllerSize >= 1 && controllerSize <= 8192, "controllerSize", "in 1...8192", controllerSize)
        try check(memoryInit.isFinite, "memoryInit", "finite", memoryInit)
    }
}

extension DNCConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the widths must be given.
    public static let defaults = DNCConfig(inputSize: 0, outputSize: 0)
    public static let requiredFields = ["inputSize", "outputSize"]
}
