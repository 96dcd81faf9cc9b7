import Engine

/// The sizes of a continuous stack, queue or deque with an LSTM controller (docs/models/neural-stack.md).
/// Codable: stored as JSON in a checkpoint's `arnn.config`; fields left out take their defaults.
public struct NeuralStackConfig: ModelConfig {
    /// Input width X and output width Y (set by the task).
    public var inputSize: Int
    public var outputSize: Int
    /// The controller LSTM's hidden size H (the paper: 256 or 512).
    public var hiddenSize: Int = 64
    /// The width m of each stored value vector (the paper: 256).
    public var valueSize: Int = 32
    /// The pop gate's initial bias (the paper's Appendix B: −1, for every structure).
    public var popBias: Float = -1
    /// The push gate's initial bias (the paper says nothing; 0 starts every push at ½).
    public var pushBias: Float = 0
    /// The initial push bias of a head that pushes at the bottom (the deque's bottom head); nil: `pushBias`.
    /// A deque started with every end pushing alike reads only recent rows at both ends, so it never finds
    /// copy's bottom-to-top use (docs/models/neural-stack.md, "Training"); a stack or queue has no such
    /// head and refuses it (`NeuralStack.validate`).
    public var bottomPushBias: Float?

    public init(inputSize: Int, outputSize: Int, hiddenSize: Int = 64, valueSize: Int = 32, popBias: Float = -1, pushBias: Float = 0,
                bottomPushBias: Float? = nil) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.hiddenSize = hiddenSize
        self.valueSize = valueSize
        self.popBias = popBias
        self.pushBias = pushBias
        self.bottomPushBias = bottomPushBias
    }

    private enum CodingKeys: String, CodingKey { case inputSize, outputSize, hiddenSize, valueSize, popBias, pushBias, bottomPushBias }

    /// Every field, `bottomPushBias` as null when unset, so that `--set` finds it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputSize, forKey: .inputSize)
        try c.encode(outputSize, forKey: .outputSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(valueSize, forKey: .valueSize)
        try c.encode(popBias, forKey: .popBias)
        try c.encode(pushBias, forKey: .pushBias)
        try c.encode(bottomPushBias, forKey: .bottomPushBias)
    }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "neural stack", field, expected, value)
        }
        try check(inputSize >= 1, "inputSize", "at least 1", inputSize)
        try check(outputSize >= 1, "outputSize", "at least 1", outputSize)
        try check(hiddenSize >= 1 && hiddenSize <= 4096, "hiddenSize", "in 1...4096", hiddenSize)
        try check(valueSize >= 1 && valueSize <= 4096, "valueSize", "in 1...4096", valueSize)
        try check(popBias.isFinite && abs(popBias) <= 100, "popBias", "a finite number in -100...100", popBias)
        try check(pushBias.isFinite && abs(pushBias) <= 100, "pushBias", "a finite number in -100...100", pushBias)
        if let b = bottomPushBias {
            try check(b.isFinite && abs(b) <= 100, "bottomPushBias", "a finite number in -100...100", b)
        }
    }
}

extension NeuralStackConfig {
    public static let defaults = NeuralStackConfig(inputSize: 0, outputSize: 0)
    public static let requiredFields = ["inputSize", "outputSize"]
}
