import Engine

/// How a head turns queries, keys and values into its output (docs/models/transformer.md, eq. 5). Exact
/// softmax attention only, for now; Linformer and Performer are to come as further cases, each replacing
/// `Transformer.attend` for the attentions it applies to.
public enum TransformerAttention: String, Codable, Sendable, CaseIterable {
    /// softmax(Q Kᵀ / √d_k + M) V, exactly.
    case softmax
}

/// The sizes of the transformer encoder–decoder. Codable: stored as JSON in a checkpoint's `arnn.config`;
/// fields left out take their defaults.
public struct TransformerConfig: ModelConfig {
    /// Vocabulary sizes V_s and V_t (set by the task).
    public var sourceVocabulary: Int
    public var targetVocabulary: Int
    /// d: the width of every position's vector (PyTorch's `d_model`).
    public var modelSize: Int = 64
    /// h: attention heads per attention (`nhead`); each head has d_k = d / h dimensions.
    public var heads: Int = 4
    /// F: the feed-forward block's inner width (`dim_feedforward`).
    public var feedForwardSize: Int = 256
    /// N_e and N_d: layers of the encoder and of the decoder.
    public var encoderLayers: Int = 2
    public var decoderLayers: Int = 2
    /// How every head attends (eq. 5).
    public var attention: TransformerAttention = .softmax

    public init(sourceVocabulary: Int, targetVocabulary: Int, modelSize: Int = 64, heads: Int = 4,
                feedForwardSize: Int = 256, encoderLayers: Int = 2, decoderLayers: Int = 2,
                attention: TransformerAttention = .softmax) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.modelSize = modelSize
        self.heads = heads
        self.feedForwardSize = feedForwardSize
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.attention = attention
    }

    private enum CodingKeys: String, CodingKey {
        case sourceVocabulary, targetVocabulary, modelSize, heads, feedForwardSize, encoderLayers, decoderLayers, attention
    }

    /// d_k = d / h: the width of one head's queries, keys and values.
    public var headSize: Int { modelSize / heads }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "transformer", field, expected, value)
        }
        try check(sourceVocabulary >= 5, "sourceVocabulary", "at least 5 (4 special tokens and a word)", sourceVocabulary)
        try check(targetVocabulary >= 5, "targetVocabulary", "at least 5 (4 special tokens and a word)", targetVocabulary)
        try check(modelSize >= 2 && modelSize <= 4096 && modelSize % 2 == 0, "modelSize",
                  "even and in 2...4096 (positions pair a sine with a cosine)", modelSize)
        try check(heads >= 1 && heads <= 64, "heads", "in 1...64", heads)
        try check(modelSize % heads == 0, "heads", "a divisor of modelSize \(modelSize)", heads)
        try check(feedForwardSize >= 1 && feedForwardSize <= 16384, "feedForwardSize", "in 1...16384", feedForwardSize)
        try check(encoderLayers >= 1 && encoderLayers <= 24, "encoderLayers", "in 1...24", encoderLayers)
        try check(decoderLayers >= 1 && decoderLayers <= 24, "decoderLayers", "in 1...24", decoderLayers)
    }
}

extension TransformerConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the vocabularies must be given.
    public static let defaults = TransformerConfig(sourceVocabulary: 0, targetVocabulary: 0)
    public static let requiredFields = ["sourceVocabulary", "targetVocabulary"]
}
