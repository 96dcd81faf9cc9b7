import Engine

/// How the heads of the encoder's self-attention and of the cross-attention turn queries, keys and values
/// into their output (docs/models/transformer.md, eq. 4 and "Approximate attention"). The decoder's causal
/// self-attention is exact under every value.
public enum TransformerAttention: String, Codable, Sendable, CaseIterable {
    /// softmax(Q Kᵀ / √d_k + M) V, exactly (eq. 4).
    case softmax
    /// Wang et al. (2020): keys and values projected along the sequence to k rows by learned E and F
    /// (eqs. 13–15).
    case linformer
    /// Choromanski et al. (2021), FAVOR+: positive orthogonal random features (eqs. 16–20).
    case performer
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
    /// How the encoder's self-attention and the cross-attention attend (eq. 4, or eqs. 13–20).
    public var attention: TransformerAttention = .softmax
    /// Linformer's k: the rows keys and values are projected to (eq. 13).
    public var projection: Int = 16
    /// Linformer's n: the longest source its projections E, F [k, n] cover; longer sources are refused.
    public var maxSourceLength: Int = 64
    /// Performer's m: random features per attention (eq. 16).
    public var features: Int = 64
    /// Seeds the Performer's features (eq. 20; draw 0 is the one evaluation and the viewer use) and the
    /// stand-in Linformer projections of `Transformer.withAttention`.
    public var featureSeed: UInt64 = 1
    /// Training draws fresh Performer features every `redrawEvery` batches (0: never; eq. 20).
    public var redrawEvery: Int = 100

    public init(sourceVocabulary: Int, targetVocabulary: Int, modelSize: Int = 64, heads: Int = 4,
                feedForwardSize: Int = 256, encoderLayers: Int = 2, decoderLayers: Int = 2,
                attention: TransformerAttention = .softmax, projection: Int = 16, maxSourceLength: Int = 64,
                features: Int = 64, featureSeed: UInt64 = 1, redrawEvery: Int = 100) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.modelSize = modelSize
        self.heads = heads
        self.feedForwardSize = feedForwardSize
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.attention = attention
        self.projection = projection
        self.maxSourceLength = maxSourceLength
        self.features = features
        self.featureSeed = featureSeed
        self.redrawEvery = redrawEvery
    }

    private enum CodingKeys: String, CodingKey {
        case sourceVocabulary, targetVocabulary, modelSize, heads, feedForwardSize, encoderLayers, decoderLayers, attention
        case projection, maxSourceLength, features, featureSeed, redrawEvery
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
        // Checked whatever the attention, so a config stays valid when a viewer switches it.
        try check(maxSourceLength >= 1 && maxSourceLength <= 4096, "maxSourceLength", "in 1...4096", maxSourceLength)
        try check(projection >= 1 && projection <= maxSourceLength, "projection",
                  "in 1...maxSourceLength \(maxSourceLength) (k projected rows of at most n)", projection)
        try check(features >= 1 && features <= 16384, "features", "in 1...16384", features)
        try check(redrawEvery >= 0, "redrawEvery", "at least 0 (0: never redraw)", redrawEvery)
    }

    /// Throws when a source of `length` tokens is longer than the Linformer's projections cover (only under
    /// `linformer`; the other attentions read any length).
    public func validate(sourceLength length: Int) throws {
        guard attention == .linformer, length > maxSourceLength else { return }
        throw ArnnError("transformer config: maxSourceLength must be at least \(length) (the longest source to read; "
                        + "the Linformer's projections cover \(maxSourceLength) positions), got \(maxSourceLength)")
    }
}

extension TransformerConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the vocabularies must be given.
    public static let defaults = TransformerConfig(sourceVocabulary: 0, targetVocabulary: 0)
    public static let requiredFields = ["sourceVocabulary", "targetVocabulary"]
}
