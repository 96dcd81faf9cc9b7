import Engine

/// The sizes of a Neural Turing Machine. Codable: stored as JSON in a checkpoint's `arnn.config`; every
/// field but the task's widths takes its default when left out, so checkpoints written before a field
/// existed (`writeHeads`, `controller`) load as the model they were.
public struct NTMConfig: ModelConfig {
    /// The controllers of docs/models/ntm.md: an LSTMCell, eq. (5), or one feed-forward layer, eq. (15).
    public static let controllers = ["lstm", "feedforward"]

    /// Input width X and output width Y (set by the task).
    public var inputSize: Int
    public var outputSize: Int
    /// Memory rows N and row width M.
    public var memoryRows: Int = 128
    public var memoryWidth: Int = 20
    /// Controller hidden size H.
    public var controllerSize: Int = 100
    /// The controller: "lstm" (an LSTMCell carrying (h, c) from step to step, eq. (5)) or "feedforward"
    /// (h_t = tanh(W [x_t ; r_{t−1}] + b), no state of its own, eq. (15)).
    public var controller: String = "lstm"
    /// Number of read heads R (≥ 1).
    public var readHeads: Int = 1
    /// Number of write heads W (≥ 1); several write heads combine as in eq. (13).
    public var writeHeads: Int = 1
    /// Shift range S: shifts −S…+S, a kernel of 2S + 1.
    public var shiftRange: Int = 1
    /// The constant every memory cell starts each sequence with, eq. (1).
    public var memoryInit: Float = 1e-6

    public init(inputSize: Int, outputSize: Int, memoryRows: Int = 128, memoryWidth: Int = 20,
                controllerSize: Int = 100, readHeads: Int = 1, shiftRange: Int = 1, memoryInit: Float = 1e-6,
                writeHeads: Int = 1, controller: String = "lstm") {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.memoryRows = memoryRows
        self.memoryWidth = memoryWidth
        self.controllerSize = controllerSize
        self.readHeads = readHeads
        self.shiftRange = shiftRange
        self.memoryInit = memoryInit
        self.writeHeads = writeHeads
        self.controller = controller
    }

    private enum CodingKeys: String, CodingKey {
        case inputSize, outputSize, memoryRows, memoryWidth, controllerSize, controller, readHeads, writeHeads,
             shiftRange, memoryInit
    }

    public var isFeedForward: Bool { controller == "feedforward" }
    public var shiftWidth: Int { 2 * shiftRange + 1 }
    /// Width of the controller's input: x and every read vector.
    public var controllerInputSize: Int { inputSize + readHeads * memoryWidth }
    /// Width of a read head's linear layer: k, β, g, s, γ.
    public var readHeadOutputs: Int { memoryWidth + 3 + shiftWidth }
    /// Width of a write head's linear layer: k, β, g, s, γ, e, a.
    public var writeHeadOutputs: Int { 3 * memoryWidth + 3 + shiftWidth }

    /// Throws an `ArnnError` naming the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "NTM", field, expected, value)
        }
        try check(inputSize >= 1, "inputSize", "at least 1", inputSize)
        try check(outputSize >= 1, "outputSize", "at least 1", outputSize)
        try check(memoryRows >= 1 && memoryRows <= 65_536, "memoryRows", "in 1...65536", memoryRows)
        try check(memoryWidth >= 1 && memoryWidth <= 4096, "memoryWidth", "in 1...4096", memoryWidth)
        try check(controllerSize >= 1 && controllerSize <= 8192, "controllerSize", "in 1...8192", controllerSize)
        try check(Self.controllers.contains(controller), "controller",
                  Self.controllers.map { "\"\($0)\"" }.joined(separator: " or "), controller)
        try check(readHeads >= 1 && readHeads <= 16, "readHeads", "in 1...16", readHeads)
        try check(writeHeads >= 1 && writeHeads <= 16, "writeHeads", "in 1...16", writeHeads)
        try check(shiftRange >= 0 && 2 * shiftRange + 1 <= memoryRows, "shiftRange", "in 0...(memoryRows-1)/2", shiftRange)
        try check(memoryInit.isFinite, "memoryInit", "finite", memoryInit)
    }
}

extension NTMConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the widths must be given.
    public static let defaults = NTMConfig(inputSize: 0, outputSize: 0)
    public static let requiredFields = ["inputSize", "outputSize"]
}
