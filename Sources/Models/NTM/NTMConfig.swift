import Engine

/// The sizes of a Neural Turing Machine. Codable: stored as JSON in a checkpoint's `arnn.config`.
public struct NTMConfig: ModelConfig {
    /// Input width X and output width Y (set by the task).
    public var inputSize: Int
    public var outputSize: Int
    /// Memory rows N and row width M.
    public var memoryRows: Int = 128
    public var memoryWidth: Int = 20
    /// Controller (LSTMCell) hidden size H.
    public var controllerSize: Int = 100
    /// Number of read heads R (≥ 1); there is always one write head.
    public var readHeads: Int = 1
    /// Shift range S: shifts −S…+S, a kernel of 2S + 1.
    public var shiftRange: Int = 1
    /// The constant every memory cell starts each sequence with, eq. (1).
    public var memoryInit: Float = 1e-6

    public init(inputSize: Int, outputSize: Int, memoryRows: Int = 128, memoryWidth: Int = 20,
                controllerSize: Int = 100, readHeads: Int = 1, shiftRange: Int = 1, memoryInit: Float = 1e-6) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.memoryRows = memoryRows
        self.memoryWidth = memoryWidth
        self.controllerSize = controllerSize
        self.readHeads = readHeads
        self.shiftRange = shiftRange
        self.memoryInit = memoryInit
    }

    public var shiftWidth: Int { 2 * shiftRange + 1 }
    /// Width of the controller's input: x and every read vector.
    public var controllerInputSize: Int { inputSize + readHeads * memoryWidth }
    /// Width of a read head's linear layer: k, β, g, s, γ.
    public var readHeadOutputs: Int { memoryWidth + 3 + shiftWidth }
    /// Width of the write head's linear layer: k, β, g, s, γ, e, a.
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
        try check(readHeads >= 1 && readHeads <= 16, "readHeads", "in 1...16", readHeads)
        try check(shiftRange >= 0 && 2 * shiftRange + 1 <= memoryRows, "shiftRange", "in 0...(memoryRows-1)/2", shiftRange)
        try check(memoryInit.isFinite, "memoryInit", "finite", memoryInit)
    }
}
