import Engine

/// One pass of a dynamic memory network for one example (docs/models/dmn.md, "Snapshot"). Arrays over
/// facts list the story's kept statements in story order, oldest first.
public struct DMNSnapshot: SentenceAttentionSnapshot, Equatable {
    /// Zᵗ (9) and the gates gᵗ (10), which sum to 1 over the kept statements.
    public var scores: [Float]
    public var gates: [Float]
    /// The AttnGRU's state h_i after each fact (11), [N][H]: the episode as it builds up.
    public var states: [[Float]]
    /// cᵗ (12), m^{t−1} (m⁰ = q, eq. 7) and mᵗ (13).
    public var episode: [Float]
    public var memoryBefore: [Float]
    public var memory: [Float]
    /// Eq. (14) with mᵗ in place of m^T, and its softmax: the answer on the last pass, and on earlier ones
    /// the answer the model would give if it stopped there (a viewer aid; the loss never sees it).
    public var logits: [Float]
    public var output: [Float]

    /// What the input module computed once per story: the same in every pass's snapshot.
    public var once: Encoding

    /// The facts F_i (6) [N][H], the sentence encodings f_i (2) [N][D], and the question q (3) [H].
    public struct Encoding: Encodable, Sendable, Equatable {
        public var facts: [[Float]]
        public var sentences: [[Float]]
        public var question: [Float]
    }

    public var episodeFields: (any Encodable & Sendable)? { once }
    /// What `arnn ask` prints per pass: the gates over the kept statements.
    public var sentenceAttention: [Float] { gates }
    public static var stepName: String { "pass" }

    private enum CodingKeys: String, CodingKey { case scores, gates, states, episode, memoryBefore, memory, logits, output }

    /// The trace fields (docs/trace.md); the input module's are written once, as `encoder`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scores, forKey: .scores)
        try c.encode(gates, forKey: .gates)
        try c.encode(states, forKey: .states)
        try c.encode(episode, forKey: .episode)
        try c.encode(memoryBefore, forKey: .memoryBefore)
        try c.encode(memory, forKey: .memory)
        try c.encode(logits, forKey: .logits)
        try c.encode(output, forKey: .output)
    }
}
