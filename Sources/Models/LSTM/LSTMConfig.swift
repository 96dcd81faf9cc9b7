import Engine

/// The sizes of the LSTM baseline (docs/models/lstm.md). Codable: stored as JSON in a checkpoint's
/// `arnn.config`; `hiddenSize` and `layers` take their defaults when the JSON leaves them out, so a
/// hand-written config for a PyTorch model needs only the widths the task sets.
public struct LSTMConfig: ModelConfig {
    /// Input width X and output width Y (set by the task).
    public var inputSize: Int
    public var outputSize: Int
    /// Hidden size H of every layer.
    public var hiddenSize: Int = 256
    /// Number L of stacked LSTM layers.
    public var layers: Int = 1

    public init(inputSize: Int, outputSize: Int, hiddenSize: Int = 256, layers: Int = 1) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
    }

    private enum CodingKeys: String, CodingKey { case inputSize, outputSize, hiddenSize, layers }

    /// Width of layer k's input: x for the first layer, the previous layer's h above it, eq. (2).
    public func layerInputSize(_ k: Int) -> Int { k == 0 ? inputSize : hiddenSize }

    /// Throws an `ArnnError` naming the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "LSTM", field, expected, value)
        }
        try check(inputSize >= 1, "inputSize", "at least 1", inputSize)
        try check(outputSize >= 1, "outputSize", "at least 1", outputSize)
        try check(hiddenSize >= 1 && hiddenSize <= 8192, "hiddenSize", "in 1...8192", hiddenSize)
        try check(layers >= 1 && layers <= 16, "layers", "in 1...16", layers)
    }
}

extension LSTMConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the widths must be given.
    public static let defaults = LSTMConfig(inputSize: 0, outputSize: 0)
    public static let requiredFields = ["inputSize", "outputSize"]
}
