import Engine

/// An attention encoder–decoder over tokens (Bahdanau et al. 2015): token embeddings, a bidirectional GRU
/// encoder, and a GRU decoder that attends to the encoder's annotations at every step, additively or by
/// dot products. Follows docs/models/seq2seq.md; equation numbers in comments refer to it.
///
/// One `step` serves training (teacher forcing, recording graph) and decoding (greedy or beam search).
public final class Seq2Seq: EncoderDecoderModel, @unchecked Sendable {
    public static let kind = "seq2seq"

    public let config: Seq2SeqConfig
    /// Eq. (1): `source_embedding.weight` [V_s, D], `target_embedding.weight` [V_t, D].
    public let sourceEmbedding: Parameter
    public let targetEmbedding: Parameter
    /// Eqs. (2), (3): `encoder.forward.*`, `encoder.backward.*` (nn.GRUCell names).
    public let encoderForward: GRUCell
    public let encoderBackward: GRUCell
    /// Eq. (5): `bridge` [H_d, H_e].
    public let bridge: Linear
    /// Eq. (6): `attention.key` (U), and for additive attention `attention.query` (W_q) and `attention.v`.
    public let attentionKey: Linear
    public let attentionQuery: Linear?
    public let attentionV: Parameter?
    /// Eq. (9): `decoder.*` (nn.GRUCell names).
    public let decoder: GRUCell
    /// Eq. (10): `output` [V_t, H_d + 2H_e + D].
    public let output: Linear

    public var parameters: [Parameter] {
        [sourceEmbedding, targetEmbedding] + encoderForward.parameters + encoderBackward.parameters
            + bridge.parameters + attentionKey.parameters + (attentionQuery?.parameters ?? [])
            + (attentionV.map { [$0] } ?? []) + decoder.parameters + output.parameters
    }

    public var sourceVocabularySize: Int { config.sourceVocabulary }
    public var targetVocabularySize: Int { config.targetVocabulary }

    /// A freshly initialised model: embeddings N(0, 1) as `nn.Embedding`, the rest as PyTorch's
    /// `nn.GRUCell` and `nn.Linear` (docs/models/seq2seq.md, "Initialisation"); drawn in this order.
    public init(config c: Seq2SeqConfig, rng: inout SeededRNG) {
        config = c
        sourceEmbedding = Parameter("source_embedding.weight", rng.normalTensor([c.sourceVocabulary, c.embeddingSize], std: 1))
        targetEmbedding = Parameter("target_embedding.weight", rng.normalTensor([c.targetVocabulary, c.embeddingSize], std: 1))
        encoderForward = GRUCell("encoder.forward", inputSize: c.embeddingSize, hiddenSize: c.encoderSize, rng: &rng)
        encoderBackward = GRUCell("encoder.backward", inputSize: c.embeddingSize, hiddenSize: c.encoderSize, rng: &rng)
        bridge = Linear("bridge", inFeatures: c.encoderSize, outFeatures: c.decoderSize, rng: &rng)
        attentionKey = Linear("attention.key", inFeatures: c.annotationSize, outFeatures: c.keySize, bias: false, rng: &rng)
        if c.attention == .additive {
            attentionQuery = Linear("attention.query", inFeatures: c.decoderSize, outFeatures: c.attentionSize, bias: false,
                                    rng: &rng)
            let bound = 1 / Float(c.attentionSize).squareRoot()
            attentionV = Parameter("attention.v", rng.uniformTensor([c.attentionSize], -bound, bound))
        } else {
            attentionQuery = nil
            attentionV = nil
        }
        decoder = GRUCell("decoder", inputSize: c.embeddingSize + c.annotationSize, hiddenSize: c.decoderSize, rng: &rng)
        output = Linear("output", inFeatures: c.decoderSize + c.annotationSize + c.embeddingSize,
                        outFeatures: c.targetVocabulary, rng: &rng)
    }

    // MARK: Encoder

    /// What the encoder leaves for the decoder, for a batch padded to S positions.
    public struct Memory: CarriedState {
        public var annotations: Var      // a [B, S, 2H_e], eq. (4)
        public var keys: Var             // U a [B, S, K], eq. (6)
        public var maskBias: Var         // [B, S]: 0 at real positions, −10⁹ at padding (eq. 7)
        public var initial: Var          // s₀ [B, H_d], eq. (5)

        public init(annotations: Var, keys: Var, maskBias: Var, initial: Var) {
            self.annotations = annotations; self.keys = keys; self.maskBias = maskBias; self.initial = initial
        }

        public func mapVars(_ f: (Var) -> Var) -> Memory {
            Memory(annotations: f(annotations), keys: f(keys), maskBias: f(maskBias), initial: f(initial))
        }
    }

    public func encode(_ g: Graph, sources: [[Int]]) -> Memory {
        precondition(!sources.isEmpty && sources.allSatisfy { !$0.isEmpty }, "every source has at least one token")
        let b = sources.count, s = sources.map(\.count).max()!, h = config.encoderSize
        // Eq. (1): embeddings, position-major so step i's rows are contiguous: x_i [B, D].
        let ids = (0..<s).flatMap { i in sources.map { i < $0.count ? $0[i] : 0 } }
        let embedded = g.embedding(g.param(sourceEmbedding), ids: ids)                       // [S·B, D]
        let x = (0..<s).map { i in g.slice(embedded, axis: 0, start: i * b, count: b) }
        func mask(_ i: Int) -> Var {
            g.constant(Tensor(shape: [b, 1], data: sources.map { i < $0.count ? 1 : 0 }))
        }
        let zeros = g.constant(Shape(b, h), repeating: 0)
        // Positions every sentence has need no mask.
        let shortest = sources.map(\.count).min()!
        // Eq. (2): forward GRU; padding keeps the state (h_i = m_i h̃_i + (1 − m_i) h_{i−1}).
        var forward: [Var] = []
        var hf = zeros
        for i in 0..<s {
            let next = encoderForward(g, x[i], h: hf)
            hf = i < shortest ? next : g.add(hf, g.mul(mask(i), g.sub(next, hf)))
            forward.append(hf)
        }
        // Eq. (3): backward GRU from each sentence's own last token (padding first keeps it at zero).
        var backward = [Var](repeating: zeros, count: s)
        var hb = zeros
        for i in stride(from: s - 1, through: 0, by: -1) {
            let next = encoderBackward(g, x[i], h: hb)
            hb = i < shortest ? next : g.add(hb, g.mul(mask(i), g.sub(next, hb)))
            backward[i] = hb
        }
        // Eq. (4): a_i = [h→_i ; h←_i], stacked to [B, S, 2H_e].
        let annotations = g.concat((0..<s).map { i in
            g.reshape(g.concat([forward[i], backward[i]], axis: -1), [b, 1, 2 * h])
        }, axis: 1)
        // Eq. (6): keys U a_i, once per sentence.
        let keys = g.reshape(attentionKey(g, g.reshape(annotations, [b * s, 2 * h])), [b, s, config.keySize])
        let maskBias = g.constant(Tensor(shape: [b, s], data: sources.flatMap { src in
            (0..<s).map { $0 < src.count ? 0 : -1e9 }
        }))
        let initial = g.tanh(bridge(g, backward[0]))                                         // (5)
        return Memory(annotations: annotations, keys: keys, maskBias: maskBias, initial: initial)
    }

    // MARK: Decoder

    public struct DecoderState: CarriedState {
        public var hidden: Var           // s_{t−1} [B, H_d]
        public init(hidden: Var) { self.hidden = hidden }
        public func mapVars(_ f: (Var) -> Var) -> DecoderState { DecoderState(hidden: f(hidden)) }
    }

    public func initialState(_ g: Graph, memory: Memory) -> DecoderState { DecoderState(hidden: memory.initial) }

    /// Everything one decoder step computed that a view may draw, as graph values.
    public struct StepVars: DecoderStepVars {
        public var scores: Var           // e_t [B, S] (6)
        public var weights: Var          // α_t [B, S] (7)
        public var context: Var          // c_t [B, 2H_e] (8)
        public var hidden: Var           // s_t [B, H_d] (9)
        public var logits: Var           // [B, V_t] (10)
        public var annotations: Var      // a [B, S, 2H_e], for the view of the encoder
        public var maskBias: Var         // [B, S], to crop padding from an example's snapshot
        public var initial: Var          // s₀ [B, H_d] (5), for traces
    }

    /// One decoder step, eqs. (6)–(10).
    public func step(_ g: Graph, previous: [Int], state: DecoderState, memory m: Memory) -> (state: DecoderState, vars: StepVars) {
        let b = previous.count
        let shape = g.shape(m.keys)
        let s = shape[1], k = shape[2]
        let y = g.embedding(g.param(targetEmbedding), ids: previous)                         // (1) E y_{t−1}
        let scores: Var
        switch config.attention {
        case .additive:                                                                      // (6a)
            let q = g.reshape(attentionQuery!(g, state.hidden), [b, 1, k])
            let t = g.tanh(g.add(m.keys, q))                                                 // [B, S, A]
            scores = g.reshape(g.matmul(g.reshape(t, [b * s, k]), g.param(attentionV!)), [b, s])
        case .dot:                                                                           // (6b)
            scores = g.scale(g.reshape(g.matmul(m.keys, g.reshape(state.hidden, [b, k, 1])), [b, s]),
                             1 / Float(k).squareRoot())
        }
        let weights = g.softmax(g.add(scores, m.maskBias), axis: -1)                         // (7)
        let context = g.reshape(g.matmul(g.reshape(weights, [b, 1, s]), m.annotations),
                                [b, config.annotationSize])                                  // (8)
        let hidden = decoder(g, g.concat([y, context], axis: -1), h: state.hidden)           // (9)
        let logits = output(g, g.concat([hidden, context, y], axis: -1))                     // (10)
        return (DecoderState(hidden: hidden),
                StepVars(scores: scores, weights: weights, context: context, hidden: hidden, logits: logits,
                         annotations: m.annotations, maskBias: m.maskBias, initial: m.initial))
    }

    public func reorder(_ g: Graph, _ state: DecoderState, rows: [Int]) -> DecoderState {
        DecoderState(hidden: g.embedding(state.hidden, ids: rows))
    }
}
