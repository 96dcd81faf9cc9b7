import Engine

/// How the decoder scores source positions: Bahdanau's additive attention or a dot product.
public enum AttentionKind: String, Codable, Sendable, CaseIterable {
    /// e = vᵀ tanh(W_q s + U a): eq. (6a) in docs/models/seq2seq.md.
    case additive
    /// e = s · (U a): eq. (6b).
    case dot
}

/// The sizes of the attention encoder–decoder. Codable: stored as JSON in a checkpoint's `arnn.config`;
/// fields left out take their defaults.
public struct Seq2SeqConfig: ModelConfig {
    /// Vocabulary sizes V_s and V_t (set by the task).
    public var sourceVocabulary: Int
    public var targetVocabulary: Int
    /// Token embedding size D, encoder GRU size per direction H_e, decoder GRU size H_d, attention size A.
    public var embeddingSize: Int = 64
    public var encoderSize: Int = 128
    public var decoderSize: Int = 256
    public var attentionSize: Int = 128
    public var attention: AttentionKind = .additive

    public init(sourceVocabulary: Int, targetVocabulary: Int, embeddingSize: Int = 64, encoderSize: Int = 128,
                decoderSize: Int = 256, attentionSize: Int = 128, attention: AttentionKind = .additive) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.embeddingSize = embeddingSize
        self.encoderSize = encoderSize
        self.decoderSize = decoderSize
        self.attentionSize = attentionSize
        self.attention = attention
    }

    private enum CodingKeys: String, CodingKey {
        case sourceVocabulary, targetVocabulary, embeddingSize, encoderSize, decoderSize, attentionSize, attention
    }

    /// Width of an annotation a_i = [h→_i ; h←_i].
    public var annotationSize: Int { 2 * encoderSize }
    /// Width of the keys U a_i: A for additive attention, H_d for dot products.
    public var keySize: Int { attention == .additive ? attentionSize : decoderSize }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "seq2seq", field, expected, value)
        }
        try check(sourceVocabulary >= 5, "sourceVocabulary", "at least 5 (4 special tokens and a word)", sourceVocabulary)
        try check(targetVocabulary >= 5, "targetVocabulary", "at least 5 (4 special tokens and a word)", targetVocabulary)
        try check(embeddingSize >= 1 && embeddingSize <= 4096, "embeddingSize", "in 1...4096", embeddingSize)
        try check(encoderSize >= 1 && encoderSize <= 4096, "encoderSize", "in 1...4096", encoderSize)
        try check(decoderSize >= 1 && decoderSize <= 4096, "decoderSize", "in 1...4096", decoderSize)
        try check(attentionSize >= 1 && attentionSize <= 4096, "attentionSize", "in 1...4096", attentionSize)
    }
}

extension Seq2SeqConfig {
    /// What a config JSON leaves out takes these values (`DefaultedConfig`); the widths must be given.
    public static let defaults = Seq2SeqConfig(sourceVocabulary: 0, targetVocabulary: 0)
    public static let requiredFields = ["sourceVocabulary", "targetVocabulary"]
}
