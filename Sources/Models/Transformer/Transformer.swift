import Engine

/// A transformer encoder–decoder after Vaswani et al. (2017), pre-norm: token embeddings scaled by √d
/// plus sinusoidal positions, multi-head attention (encoder self-attention, decoder causal self-attention,
/// cross-attention), ReLU feed-forward blocks, residual connections. Follows docs/models/transformer.md;
/// equation numbers in comments refer to it.
///
/// One `step` serves training (teacher forcing, recording graph) and decoding (greedy or beam search). The
/// decoder state caches every layer's self-attention keys and values, so step t computes position t alone
/// and attends to positions 0…t: causal by construction, with no mask.
public final class Transformer: EncoderDecoderModel, @unchecked Sendable {
    public static let kind = "transformer"

    public let config: TransformerConfig
    /// Eq. (1): `source_embedding.weight` [V_s, d], `target_embedding.weight` [V_t, d].
    public let sourceEmbedding: Parameter
    public let targetEmbedding: Parameter
    /// Eqs. (7), (8): `encoder.layers.ℓ.*` and the final `encoder.norm`.
    public let encoderLayers: [TransformerEncoderLayer]
    public let encoderNorm: LayerNorm
    /// Eqs. (10), (11): `decoder.layers.ℓ.*` and the final `decoder.norm`.
    public let decoderLayers: [TransformerDecoderLayer]
    public let decoderNorm: LayerNorm
    /// Eq. (12): `output` [V_t, d] with a bias [V_t] (not tied to the target embedding).
    public let output: Linear

    public var parameters: [Parameter] {
        [sourceEmbedding, targetEmbedding] + encoderLayers.flatMap(\.parameters) + encoderNorm.parameters
            + decoderLayers.flatMap(\.parameters) + decoderNorm.parameters + output.parameters
    }

    public var sourceVocabularySize: Int { config.sourceVocabulary }
    public var targetVocabularySize: Int { config.targetVocabulary }

    /// A freshly initialised model (docs/models/transformer.md, "Initialisation"), drawn in this order:
    /// embeddings N(0, 1/d), encoder layers, decoder layers, output.
    public init(config c: TransformerConfig, rng: inout SeededRNG) {
        config = c
        let d = c.modelSize
        let std = 1 / Float(d).squareRoot()
        sourceEmbedding = Parameter("source_embedding.weight", rng.normalTensor([c.sourceVocabulary, d], std: std))
        targetEmbedding = Parameter("target_embedding.weight", rng.normalTensor([c.targetVocabulary, d], std: std))
        encoderLayers = (0..<c.encoderLayers).map {
            TransformerEncoderLayer("encoder.layers.\($0)", modelSize: d, feedForwardSize: c.feedForwardSize, rng: &rng)
        }
        encoderNorm = LayerNorm("encoder.norm", size: d)
        decoderLayers = (0..<c.decoderLayers).map {
            TransformerDecoderLayer("decoder.layers.\($0)", modelSize: d, feedForwardSize: c.feedForwardSize, rng: &rng)
        }
        decoderNorm = LayerNorm("decoder.norm", size: d)
        output = Linear("output", inFeatures: d, outFeatures: c.targetVocabulary, rng: &rng)
    }

    // MARK: Attention

    /// What `attend` gives back: the heads' outputs [B·h, T_q, d_k] and their attention weights
    /// [B·h, T_q, T_k] (each row sums to 1).
    public struct Attended {
        public var output: Var
        public var weights: Var
    }

    /// Eq. (4) for every head of a batch at once: queries [B·h, T_q, d_k], keys and values [B·h, T_k, d_k]
    /// (head j of example b in row b·h + j), and an additive mask [B, 1, 1, T_k] (0 to keep, −10⁹ to drop)
    /// or nil. The one place that says how a head attends: an approximation replaces this function.
    public func attend(_ g: Graph, queries q: Var, keys k: Var, values v: Var, maskBias: Var?, batch b: Int) -> Attended {
        switch config.attention {
        case .softmax:
            return Self.softmaxAttention(g, queries: q, keys: k, values: v, maskBias: maskBias, batch: b)
        }
    }

    /// Exact scaled dot-product attention, eq. (4): softmax(Q Kᵀ / √d_k + M) V, with Q scaled before the
    /// product (the same numbers, over d_k entries instead of T_k).
    public static func softmaxAttention(_ g: Graph, queries q: Var, keys k: Var, values v: Var, maskBias: Var?,
                                        batch b: Int) -> Attended {
        let qs = g.shape(q), ks = g.shape(k)
        let rows = qs[0], tq = qs[1], tk = ks[1], dk = qs[2]
        var scores = g.matmul(g.scale(q, 1 / Float(dk).squareRoot()), k, transposeB: true)    // [B·h, T_q, T_k]
        if let maskBias {
            scores = g.reshape(g.add(g.reshape(scores, [b, rows / b, tq, tk]), maskBias), [rows, tq, tk])
        }
        let weights = g.softmax(scores, axis: -1)
        return Attended(output: g.matmul(weights, v), weights: weights)
    }

    /// Rows [B·T, parts·d] of stacked projections (queries, keys, values side by side), as `parts` values
    /// [B·h, T, d_k], head j of example b in row b·h + j (eq. 5's split into heads).
    func splitHeads(_ g: Graph, _ x: Var, batch b: Int, length t: Int, parts: Int) -> [Var] {
        let h = config.heads, dk = config.headSize
        // [B, T, parts·h, d_k] → [B, parts·h, T, d_k]; at T = 1 the two share one layout.
        let stacked = t == 1 ? g.reshape(x, [b, parts * h, 1, dk]) : g.swapAxes(g.reshape(x, [b, t, parts * h, dk]), 1, 2)
        if parts == 1 { return [g.reshape(stacked, [b * h, t, dk])] }
        return (0..<parts).map { p in
            g.reshape(g.slice(stacked, axis: 1, start: p * h, count: h), [b * h, t, dk])
        }
    }

    /// The heads' outputs [B·h, T, d_k] side by side again: [B·T, d] (eq. 5's concatenation).
    func mergeHeads(_ g: Graph, _ o: Var, batch b: Int, length t: Int) -> Var {
        let h = config.heads, dk = config.headSize, d = config.modelSize
        if t == 1 { return g.reshape(o, [b, d]) }
        return g.reshape(g.swapAxes(g.reshape(o, [b, h, t, dk]), 1, 2), [b * t, d])
    }

    /// Eq. (6): FFN(z) = W₂ ReLU(W₁ z + b₁) + b₂.
    func feedForward(_ g: Graph, _ z: Var, _ linear1: Linear, _ linear2: Linear) -> Var {
        linear2(g, g.relu(linear1(g, z)))
    }

    /// Eq. (1): √d · E[token] + P_p for rows of tokens; `positions` [rows, d] or [d] broadcast.
    func embed(_ g: Graph, _ table: Parameter, ids: [Int], positions: Tensor, rows shape: [Int]) -> Var {
        let e = g.scale(g.embedding(g.param(table), ids: ids), Float(config.modelSize).squareRoot())
        return g.add(g.reshape(e, shape), g.constant(positions))
    }

    // MARK: Encoder

    /// What the encoder leaves for the decoder, for a batch padded to S positions.
    public struct Memory: CarriedState {
        /// The keys and values of every decoder layer's cross-attention [B·h, S, d_k], eq. (10b).
        public var crossKeys: [Var]
        public var crossValues: [Var]
        /// [B, 1, 1, S]: 0 at real positions, −10⁹ at padding (eq. 4's M).
        public var maskBias: Var
        /// Every encoder layer's self-attention weights [B·h, S, S], for the view.
        public var encoderWeights: [Var]
        /// Each source's own length; `padded` when some are shorter than S (the mask is then added).
        public var sourceLengths: [Int]
        public var padded: Bool

        public func mapVars(_ f: (Var) -> Var) -> Memory {
            Memory(crossKeys: crossKeys.map(f), crossValues: crossValues.map(f), maskBias: f(maskBias),
                   encoderWeights: encoderWeights.map(f), sourceLengths: sourceLengths, padded: padded)
        }
    }

    public func encode(_ g: Graph, sources: [[Int]]) -> Memory {
        precondition(!sources.isEmpty && sources.allSatisfy { !$0.isEmpty }, "every source has at least one token")
        let b = sources.count, s = sources.map(\.count).max()!, d = config.modelSize
        // Eq. (1), example-major: row b·S + i is position i of example b.
        let ids = sources.flatMap { src in (0..<s).map { $0 < src.count ? src[$0] : 0 } }
        var x = g.reshape(embed(g, sourceEmbedding, ids: ids, positions: SinusoidalPositions.table(count: s, size: d),
                                rows: [b, s, d]), [b * s, d])
        let padded = sources.contains { $0.count < s }
        let maskBias = g.constant(Tensor(shape: [b, 1, 1, s], data: sources.flatMap { src in
            (0..<s).map { $0 < src.count ? 0 : -1e9 }
        }))
        var weights: [Var] = []
        for layer in encoderLayers {                                                         // (7)
            let a = layer.norm1(g, x)
            let qkv = splitHeads(g, layer.selfAttention.project(g, a, part: 0, parts: 3), batch: b, length: s, parts: 3)
            let attended = attend(g, queries: qkv[0], keys: qkv[1], values: qkv[2], maskBias: padded ? maskBias : nil, batch: b)
            x = g.add(x, layer.selfAttention.outProjection(g, mergeHeads(g, attended.output, batch: b, length: s)))
            x = g.add(x, feedForward(g, layer.norm2(g, x), layer.linear1, layer.linear2))
            weights.append(attended.weights)
        }
        let m = encoderNorm(g, x)                                                            // (8)
        // Eq. (10b): every decoder layer's cross-attention keys and values, once per source.
        var keys: [Var] = [], values: [Var] = []
        for layer in decoderLayers {
            let kv = splitHeads(g, layer.crossAttention.project(g, m, part: 1, parts: 2), batch: b, length: s, parts: 2)
            keys.append(kv[0])
            values.append(kv[1])
        }
        return Memory(crossKeys: keys, crossValues: values, maskBias: maskBias, encoderWeights: weights,
                      sourceLengths: sources.map(\.count), padded: padded)
    }

    // MARK: Decoder

    /// The decoder before position t: every layer's self-attention keys and values of positions 0…t−1
    /// [B·h, t, d_k] (empty before the first step).
    public struct DecoderState: CarriedState {
        public var position: Int
        public var selfKeys: [Var]
        public var selfValues: [Var]

        public init(position: Int, selfKeys: [Var], selfValues: [Var]) {
            self.position = position; self.selfKeys = selfKeys; self.selfValues = selfValues
        }

        public func mapVars(_ f: (Var) -> Var) -> DecoderState {
            DecoderState(position: position, selfKeys: selfKeys.map(f), selfValues: selfValues.map(f))
        }
    }

    public func initialState(_ g: Graph, memory: Memory) -> DecoderState {
        DecoderState(position: 0, selfKeys: [], selfValues: [])
    }

    /// Everything one decoder step computed that a view may draw, as graph values.
    public struct StepVars: DecoderStepVars {
        public var logits: Var               // [B, V_t] (12)
        public var selfWeights: [Var]        // per decoder layer [B·h, 1, t + 1] (10a)
        public var crossWeights: [Var]       // per decoder layer [B·h, 1, S] (10b)
        public var encoderWeights: [Var]     // per encoder layer [B·h, S, S] (7)
        public var sourceLengths: [Int]
        public var heads: Int
    }

    /// Decoder position t = `state.position`, eqs. (9)–(12): reads each example's previous token, writes
    /// logits for the next.
    public func step(_ g: Graph, previous: [Int], state: DecoderState, memory m: Memory) -> (state: DecoderState, vars: StepVars) {
        let b = previous.count, t = state.position, d = config.modelSize
        var x = embed(g, targetEmbedding, ids: previous,
                      positions: Tensor(shape: [d], data: SinusoidalPositions.encoding(position: t, size: d)), rows: [b, d])
        var keys: [Var] = [], values: [Var] = [], selfWeights: [Var] = [], crossWeights: [Var] = []
        for (l, layer) in decoderLayers.enumerated() {
            // (10a) causal self-attention: this position's key and value join the cache, and its query sees
            // positions 0…t, all there is.
            let qkv = splitHeads(g, layer.selfAttention.project(g, layer.norm1(g, x), part: 0, parts: 3),
                                 batch: b, length: 1, parts: 3)
            let k = t == 0 ? qkv[1] : g.concat([state.selfKeys[l], qkv[1]], axis: 1)
            let v = t == 0 ? qkv[2] : g.concat([state.selfValues[l], qkv[2]], axis: 1)
            let own = attend(g, queries: qkv[0], keys: k, values: v, maskBias: nil, batch: b)
            x = g.add(x, layer.selfAttention.outProjection(g, mergeHeads(g, own.output, batch: b, length: 1)))
            // (10b) cross-attention over the source.
            let q = splitHeads(g, layer.crossAttention.project(g, layer.norm2(g, x), part: 0, parts: 1),
                               batch: b, length: 1, parts: 1)[0]
            let cross = attend(g, queries: q, keys: m.crossKeys[l], values: m.crossValues[l],
                               maskBias: m.padded ? m.maskBias : nil, batch: b)
            x = g.add(x, layer.crossAttention.outProjection(g, mergeHeads(g, cross.output, batch: b, length: 1)))
            // (10c) feed-forward.
            x = g.add(x, feedForward(g, layer.norm3(g, x), layer.linear1, layer.linear2))
            keys.append(k)
            values.append(v)
            selfWeights.append(own.weights)
            crossWeights.append(cross.weights)
        }
        let logits = output(g, decoderNorm(g, x))                                            // (11), (12)
        return (DecoderState(position: t + 1, selfKeys: keys, selfValues: values),
                StepVars(logits: logits, selfWeights: selfWeights, crossWeights: crossWeights,
                         encoderWeights: m.encoderWeights, sourceLengths: m.sourceLengths, heads: config.heads))
    }

    /// The caches with their batch rows reordered: example `rows[i]`'s h head rows become example i's.
    public func reorder(_ g: Graph, _ state: DecoderState, rows: [Int]) -> DecoderState {
        let h = config.heads
        func pick(_ cache: Var) -> Var {
            let s = g.shape(cache)
            let table = g.reshape(cache, [s[0] / h, h * s[1] * s[2]])
            return g.reshape(g.embedding(table, ids: rows), [rows.count * h, s[1], s[2]])
        }
        return DecoderState(position: state.position, selfKeys: state.selfKeys.map(pick), selfValues: state.selfValues.map(pick))
    }
}
