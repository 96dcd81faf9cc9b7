import Engine

/// One hop of a memory network for one example: the attention over the story's kept sentences (oldest
/// first), the query u before the hop and what it read, o.
public struct MemN2NSnapshot: SentenceAttentionSnapshot, Equatable {
    public var attention: [Float]
    /// The attention on the empty memories (`emptySlots`), summed; nil without them.
    public var emptyAttention: Float?
    public var query: [Float]
    public var read: [Float]
    /// The hop's memory and output embeddings of each kept sentence, oldest first: m_i (eq. 5) and c_i
    /// (eq. 6), each [d].
    public var memories: [[Float]]
    public var outputs: [[Float]]
    /// The last hop's: the distribution over the answers, softmax of eq. (11); empty for earlier hops.
    public var answer: [Float]
    public var output: [Float] { answer }
    public var sentenceAttention: [Float] { attention }
}
