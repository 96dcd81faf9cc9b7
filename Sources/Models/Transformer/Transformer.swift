import Engine

/// A transformer encoder–decoder after Vaswani et al. (2017), pre-norm: token embeddings scaled by √d
/// plus sinusoidal positions, multi-head attention (encoder self-attention, decoder causal self-attention,
/// cross-attention), ReLU feed-forward blocks, residual connections. Follows docs/models/transformer.md;
/// equation numbers in comments refer to it.
///
/// One `step` serves training (teacher forcing, recording graph) and decoding (greedy or beam search). The
/// decoder state caches every layer's self-attention keys and values, so step t computes position t alone
/// and attends to positions 0…t: causal by construction, with no mask.
///
/// `config.attention` may replace the encoder's self-attention and the cross-attention by the Linformer or
/// the Performer (eqs. 13–20); the decoder's self-attention stays exact.
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
    /// Under `performer`, the random features evaluation and viewing use (eq. 20: draw 0 of `featureSeed`,
    /// unless `withFeatures` set others); nil for the other attentions.
    public let performerFeatures: PerformerFeatures?

    public var parameters: [Parameter] {
        [sourceEmbedding, targetEmbedding] + encoderLayers.flatMap(\.parameters) + encoderNorm.parameters
            + decoderLayers.flatMap(\.parameters) + decoderNorm.parameters + output.parameters
    }

    public var sourceVocabularySize: Int { config.sourceVocabulary }
    public var targetVocabularySize: Int { config.targetVocabulary }

    /// A freshly initialised model (docs/models/transformer.md, "Initialisation"), drawn in this order:
    /// embeddings N(0, 1/d), encoder layers, decoder layers, output, and last the Linformer's projections
    /// (encoder layers', then the cross-attentions'), so every other weight is the one a softmax model of
    /// the same seed starts with. The Performer's features come from `featureSeed`, not from `rng`.
    public init(config c: TransformerConfig, rng: inout SeededRNG) {
        config = c
        let d = c.modelSize
        let std = 1 / Float(d).squareRoot()
        sourceEmbedding = Parameter("source_embedding.weight", rng.normalTensor([c.sourceVocabulary, d], std: std))
        targetEmbedding = Parameter("target_embedding.weight", rng.normalTensor([c.targetVocabulary, d], std: std))
        var encoder = (0..<c.encoderLayers).map {
            TransformerEncoderLayer("encoder.layers.\($0)", modelSize: d, feedForwardSize: c.feedForwardSize, rng: &rng)
        }
        encoderNorm = LayerNorm("encoder.norm", size: d)
        var decoder = (0..<c.decoderLayers).map {
            TransformerDecoderLayer("decoder.layers.\($0)", modelSize: d, feedForwardSize: c.feedForwardSize, rng: &rng)
        }
        decoderNorm = LayerNorm("decoder.norm", size: d)
        output = Linear("output", inFeatures: d, outFeatures: c.targetVocabulary, rng: &rng)
        if c.attention == .linformer {
            for l in encoder.indices {
                encoder[l].selfAttention.linformer = LinformerProjection(
                    "\(AttentionSite.encoder(layer: l))", projection: c.projection, maxSourceLength: c.maxSourceLength, rng: &rng)
            }
            for l in decoder.indices {
                decoder[l].crossAttention.linformer = LinformerProjection(
                    "\(AttentionSite.cross(layer: l))", projection: c.projection, maxSourceLength: c.maxSourceLength, rng: &rng)
            }
        }
        encoderLayers = encoder
        decoderLayers = decoder
        performerFeatures = c.attention == .performer ? PerformerFeatures.draw(c, seed: c.featureSeed) : nil
    }

    /// A model made of given pieces (`withAttention`, `withFeatures`): parameters are shared, not copied.
    init(config: TransformerConfig, sourceEmbedding: Parameter, targetEmbedding: Parameter,
         encoderLayers: [TransformerEncoderLayer], encoderNorm: LayerNorm, decoderLayers: [TransformerDecoderLayer],
         decoderNorm: LayerNorm, output: Linear, performerFeatures: PerformerFeatures?) {
        self.config = config
        self.sourceEmbedding = sourceEmbedding
        self.targetEmbedding = targetEmbedding
        self.encoderLayers = encoderLayers
        self.encoderNorm = encoderNorm
        self.decoderLayers = decoderLayers
        self.decoderNorm = decoderNorm
        self.output = output
        self.performerFeatures = performerFeatures
    }

    // MARK: Attention

    /// What `attend` gives back: the heads' outputs [B·h, T_q, d_k] and their attention weights
    /// [B·h, T_q, T_k], padded keys' columns 0. Exact attention's rows sum to 1 (eq. 4); an approximation's
    /// weights are the map its output implies, `output` = weights · V (eqs. 15, 19).
    public struct Attended {
        public var output: Var
        public var weights: Var
    }

    /// The key side of an attention at `site` (keys and values [B·h, T_k, d_k], head j of example b in row
    /// b·h + j; an additive mask [B, 1, 1, T_k], 0 to keep and −10⁹ to drop, or nil), and with `attend` the
    /// one place that says how a head attends: at the sites it applies to, `config.attention` picks the
    /// Linformer (eq. 13, with the site's E and F) or the Performer (eqs. 16–18, with the site's matrix of
    /// `features`, the draw in use); elsewhere attention is exact (eq. 4).
    public func prepare(_ g: Graph, keys k: Var, values v: Var, maskBias: Var?, batch b: Int, site: AttentionSite,
                        features: PerformerFeatures?) -> AttentionKeys {
        switch site.isApproximated ? config.attention : .softmax {
        case .softmax:
            return AttentionKeys(keys: k, values: v, maskBias: maskBias, batch: b, prepared: .exact)
        case .linformer:
            guard let p = linformer(at: site) else { preconditionFailure("\(site) has no Linformer projections") }
            return Self.linformerKeys(g, keys: k, values: v, maskBias: maskBias, batch: b, e: g.param(p.e), f: g.param(p.f))
        case .performer:
            guard let features else { preconditionFailure("\(site) needs Performer features") }
            return Self.performerKeys(g, keys: k, values: v, maskBias: maskBias, batch: b, features: features.matrix(for: site))
        }
    }

    /// Queries [B·h, T_q, d_k] attend to prepared keys: eq. (4), or eqs. (14)–(15), or eqs. (16)–(19). The
    /// weights come too: under an approximation, the map its output implies, which costs T_q × T_k more.
    public static func attend(_ g: Graph, queries q: Var, keys k: AttentionKeys) -> Attended {
        let (output, weights) = attend(g, queries: q, keys: k, map: true)
        return Attended(output: output, weights: weights!)
    }

    /// The same output alone, the same numbers: an approximation then does only its O(T_q·k) or O(T_q·m) work
    /// a head and builds no T_q × T_k map (exact attention's weights are part of its output anyway).
    public static func attendOutput(_ g: Graph, queries q: Var, keys k: AttentionKeys) -> Var {
        attend(g, queries: q, keys: k, map: false).output
    }

    /// Both of the above: the weights are nil when `map` is false and the attention approximates.
    static func attend(_ g: Graph, queries q: Var, keys k: AttentionKeys, map: Bool) -> (output: Var, weights: Var?) {
        switch k.prepared {
        case .exact:
            let a = softmaxAttention(g, queries: q, keys: k.keys, values: k.values, maskBias: k.maskBias, batch: k.batch)
            return (a.output, a.weights)
        case let .linformer(keys, values, valueProjection, real):
            return linformerAttend(g, queries: q, projectedKeys: keys, projectedValues: values, valueProjection: valueProjection,
                                   real: real, batch: k.batch, map: map)
        case let .performer(features, keyFeatures, keysValues, keySum):
            return performerAttend(g, queries: q, features: features, keyFeatures: keyFeatures, keysValues: keysValues,
                                   keySum: keySum, map: map)
        }
    }

    /// `prepare` then `attend`: eq. (4) for every head of a batch at once, or its approximation at `site`.
    public func attend(_ g: Graph, queries q: Var, keys k: Var, values v: Var, maskBias: Var?, batch b: Int,
                       site: AttentionSite, features: PerformerFeatures?) -> Attended {
        Self.attend(g, queries: q, keys: prepare(g, keys: k, values: v, maskBias: maskBias, batch: b, site: site, features: features))
    }

    /// `attend` (with the map or not), and the call written down in `trace` when there is one
    /// (`attentionError`).
    func attend(_ g: Graph, queries q: Var, keys k: AttentionKeys, site: AttentionSite, trace: AttentionTrace?,
                map: Bool) -> (output: Var, weights: Var?) {
        let attended = Self.attend(g, queries: q, keys: k, map: map)
        trace?.calls.append(.init(site: site, queries: q, keys: k, output: attended.output, weights: attended.weights))
        return attended
    }

    /// The Linformer projections of an attention (eq. 13), when the model has them.
    public func linformer(at site: AttentionSite) -> LinformerProjection? {
        switch site {
        case .encoder(let l): return encoderLayers[l].selfAttention.linformer
        case .cross(let l): return decoderLayers[l].crossAttention.linformer
        case .decoderSelf: return nil
        }
    }

    /// The Performer features a batch uses (eq. 20): `performerFeatures` when evaluating or viewing
    /// (`training` nil) and in a training run's first `redrawEvery` batches; after that draw number
    /// ⌊batch / redrawEvery⌋ of `featureSeed`. Nil unless the attention is `performer`.
    public func features(training: TrainingContext?) -> PerformerFeatures? {
        guard let base = performerFeatures else { return nil }
        guard let training, config.redrawEvery > 0, training.batch >= config.redrawEvery else { return base }
        return PerformerFeatures.draw(config, seed: config.featureSeed, draw: training.batch / config.redrawEvery)
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
        /// The Performer features this batch was encoded with, the cross-attentions' keys included (eq. 20;
        /// nil unless the attention is `performer`).
        public var features: PerformerFeatures?
        /// Every decoder layer's cross-attention keys and values (eq. 10b), prepared once per source.
        public var cross: [AttentionKeys]
        /// [B, 1, 1, S]: 0 at real positions, −10⁹ at padding (eq. 4's M).
        public var maskBias: Var
        /// Whether the memory was encoded for a view (`encode(_:sources:)`): then it and every decoder step
        /// of it hold the approximations' maps and exact attention's beside them. Encoded for the outputs
        /// alone (`encode(_:sources:training:)`), an approximation builds no map at all, encoder or decoder.
        public var maps: Bool
        /// Every encoder layer's self-attention weights [B·h, S, S], for the view; empty when an
        /// approximation was encoded for its outputs alone (`maps` false).
        public var encoderWeights: [Var]
        /// Under an approximation, for a view (`maps`): exact attention's weights (eq. 4) on the same queries
        /// and keys, every encoder layer's, beside the approximation's (empty otherwise). The decoder steps
        /// then compute the cross-attention's too.
        public var exactEncoderWeights: [Var] = []
        /// Each source's own length; `padded` when some are shorter than S (the mask is then added).
        public var sourceLengths: [Int]
        public var padded: Bool

        public func mapVars(_ f: (Var) -> Var) -> Memory {
            Memory(features: features, cross: cross.map { $0.mapVars(f) }, maskBias: f(maskBias), maps: maps,
                   encoderWeights: encoderWeights.map(f), exactEncoderWeights: exactEncoderWeights.map(f),
                   sourceLengths: sourceLengths, padded: padded)
        }

        /// The cross-attentions' keys and values [B·h, S, d_k] (eq. 10b).
        public var crossKeys: [Var] { cross.map(\.keys) }
        public var crossValues: [Var] { cross.map(\.values) }
    }

    /// For a view: every step of this memory holds what its snapshot draws, the approximations' maps (eqs.
    /// 15, 19) and exact attention's beside them included.
    public func encode(_ g: Graph, sources: [[Int]]) -> Memory {
        encode(g, sources: sources, training: nil, trace: nil, maps: true)
    }

    /// For the outputs alone (training, evaluation, decoding no one draws): an approximation builds no map,
    /// so the encoder costs O(S·k) or O(S·m) a head and not O(S²); the outputs are the same numbers. In
    /// training, under `performer`, the batch's features follow the redraw cadence (eq. 20).
    public func encode(_ g: Graph, sources: [[Int]], training: TrainingContext?) -> Memory {
        encode(g, sources: sources, training: training, trace: nil, maps: false)
    }

    /// Throws when the model cannot read a source of `length` tokens: a Linformer's projections cover
    /// `maxSourceLength` positions (eq. 13). `encode` stops the program on such a source instead.
    public func validate(sourceLength length: Int) throws { try config.validate(sourceLength: length) }

    func encode(_ g: Graph, sources: [[Int]], training: TrainingContext?, trace: AttentionTrace?, maps: Bool) -> Memory {
        precondition(!sources.isEmpty && sources.allSatisfy { !$0.isEmpty }, "every source has at least one token")
        let b = sources.count, s = sources.map(\.count).max()!, d = config.modelSize
        precondition((try? validate(sourceLength: s)) != nil,
                     "a source of \(s) tokens is longer than the Linformer's maxSourceLength \(config.maxSourceLength); "
                     + "validate first")
        let features = features(training: training)
        // Eq. (1), example-major: row b·S + i is position i of example b.
        let ids = sources.flatMap { src in (0..<s).map { $0 < src.count ? src[$0] : 0 } }
        var x = g.reshape(embed(g, sourceEmbedding, ids: ids, positions: SinusoidalPositions.table(count: s, size: d),
                                rows: [b, s, d]), [b * s, d])
        let padded = sources.contains { $0.count < s }
        let maskBias = g.constant(Tensor(shape: [b, 1, 1, s], data: sources.flatMap { src in
            (0..<s).map { $0 < src.count ? 0 : -1e9 }
        }))
        var weights: [Var] = [], exact: [Var] = []
        for l in encoderLayers.indices {                                                     // (7)
            let layer = encoderLayers[l]
            let attended = encoderSelfAttention(g, layer.norm1(g, x), layer: l, batch: b, length: s,
                                                maskBias: padded ? maskBias : nil, features: features, trace: trace, maps: maps)
            x = g.add(x, attended.output)
            x = g.add(x, feedForward(g, layer.norm2(g, x), layer.linear1, layer.linear2))
            if let w = attended.weights { weights.append(w) }
            if let w = attended.exactWeights { exact.append(w) }
        }
        let m = encoderNorm(g, x)                                                            // (8)
        // Eq. (10b): every decoder layer's cross-attention keys and values, prepared once per source.
        let cross = decoderLayers.enumerated().map { l, layer in
            let kv = splitHeads(g, layer.crossAttention.project(g, m, part: 1, parts: 2), batch: b, length: s, parts: 2)
            return prepare(g, keys: kv[0], values: kv[1], maskBias: padded ? maskBias : nil, batch: b, site: .cross(layer: l),
                           features: features)
        }
        return Memory(features: features, cross: cross, maskBias: maskBias, maps: maps, encoderWeights: weights,
                      exactEncoderWeights: exact, sourceLengths: sources.map(\.count), padded: padded)
    }

    /// Eq. (7)'s self-attention sublayer of encoder layer ℓ, between its norm and its residual: rows a
    /// [B·S, d] (example-major) to the attention's output [B·S, d] after the output projection. With `maps`,
    /// also the heads' weights [B·h, S, S], and under an approximation exact attention's on the same queries
    /// and keys; without, an approximation builds neither.
    func encoderSelfAttention(_ g: Graph, _ a: Var, layer l: Int, batch b: Int, length s: Int, maskBias: Var?,
                              features: PerformerFeatures?, trace: AttentionTrace?, maps: Bool)
        -> (output: Var, weights: Var?, exactWeights: Var?) {
        let attention = encoderLayers[l].selfAttention, site = AttentionSite.encoder(layer: l)
        let qkv = splitHeads(g, attention.project(g, a, part: 0, parts: 3), batch: b, length: s, parts: 3)
        let keys = prepare(g, keys: qkv[1], values: qkv[2], maskBias: maskBias, batch: b, site: site, features: features)
        let attended = attend(g, queries: qkv[0], keys: keys, site: site, trace: trace, map: maps)
        let output = attention.outProjection(g, mergeHeads(g, attended.output, batch: b, length: s))
        guard maps && config.attention != .softmax else { return (output, attended.weights, nil) }
        let exact = Self.softmaxAttention(g, queries: qkv[0], keys: qkv[1], values: qkv[2], maskBias: maskBias, batch: b)
        return (output, attended.weights, exact.weights)
    }

    /// Encoder layer ℓ's self-attention over one unpadded sequence of rows x [S, d], output alone [S, d], as
    /// training and evaluation compute it (the Performer on draw 0): what `arnn bench attention` times.
    public func selfAttentionOutput(_ g: Graph, _ x: Var, layer l: Int) -> Var {
        encoderSelfAttention(g, x, layer: l, batch: 1, length: g.shape(x)[0], maskBias: nil, features: performerFeatures,
                             trace: nil, maps: false).output
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
        /// Per decoder layer [B·h, 1, S] (10b) and per encoder layer [B·h, S, S] (7); both empty when an
        /// approximation's memory was encoded for its outputs alone (`Memory.maps` false).
        public var crossWeights: [Var]
        public var encoderWeights: [Var]
        /// Under an approximation, for the view: exact attention's weights on the same queries and keys,
        /// per decoder layer [B·h, 1, S] and per encoder layer [B·h, S, S] (empty otherwise).
        public var exactCrossWeights: [Var] = []
        public var exactEncoderWeights: [Var] = []
        public var sourceLengths: [Int]
        public var heads: Int
    }

    /// Decoder position t = `state.position`, eqs. (9)–(12): reads each example's previous token, writes
    /// logits for the next.
    public func step(_ g: Graph, previous: [Int], state: DecoderState, memory m: Memory) -> (state: DecoderState, vars: StepVars) {
        step(g, previous: previous, state: state, memory: m, trace: nil)
    }

    func step(_ g: Graph, previous: [Int], state: DecoderState, memory m: Memory,
              trace: AttentionTrace?) -> (state: DecoderState, vars: StepVars) {
        let b = previous.count, t = state.position, d = config.modelSize
        var x = embed(g, targetEmbedding, ids: previous,
                      positions: Tensor(shape: [d], data: SinusoidalPositions.encoding(position: t, size: d)), rows: [b, d])
        var keys: [Var] = [], values: [Var] = [], selfWeights: [Var] = [], crossWeights: [Var] = [], exactCross: [Var] = []
        for (l, layer) in decoderLayers.enumerated() {
            // (10a) causal self-attention: this position's key and value join the cache, and its query sees
            // positions 0…t, all there is.
            let qkv = splitHeads(g, layer.selfAttention.project(g, layer.norm1(g, x), part: 0, parts: 3),
                                 batch: b, length: 1, parts: 3)
            let k = t == 0 ? qkv[1] : g.concat([state.selfKeys[l], qkv[1]], axis: 1)
            let v = t == 0 ? qkv[2] : g.concat([state.selfValues[l], qkv[2]], axis: 1)
            let own = attend(g, queries: qkv[0], keys: prepare(g, keys: k, values: v, maskBias: nil, batch: b,
                                                               site: .decoderSelf(layer: l), features: nil),
                             site: .decoderSelf(layer: l), trace: trace, map: true)
            x = g.add(x, layer.selfAttention.outProjection(g, mergeHeads(g, own.output, batch: b, length: 1)))
            // (10b) cross-attention over the source.
            let q = splitHeads(g, layer.crossAttention.project(g, layer.norm2(g, x), part: 0, parts: 1),
                               batch: b, length: 1, parts: 1)[0]
            let cross = attend(g, queries: q, keys: m.cross[l], site: .cross(layer: l), trace: trace, map: m.maps)
            if !m.exactEncoderWeights.isEmpty {
                let k = m.cross[l]
                exactCross.append(Self.softmaxAttention(g, queries: q, keys: k.keys, values: k.values, maskBias: k.maskBias,
                                                        batch: k.batch).weights)
            }
            x = g.add(x, layer.crossAttention.outProjection(g, mergeHeads(g, cross.output, batch: b, length: 1)))
            // (10c) feed-forward.
            x = g.add(x, feedForward(g, layer.norm3(g, x), layer.linear1, layer.linear2))
            keys.append(k)
            values.append(v)
            selfWeights.append(own.weights!)                 // exact: its weights come with its output
            if let w = cross.weights { crossWeights.append(w) }
        }
        let logits = output(g, decoderNorm(g, x))                                            // (11), (12)
        return (DecoderState(position: t + 1, selfKeys: keys, selfValues: values),
                StepVars(logits: logits, selfWeights: selfWeights, crossWeights: crossWeights,
                         encoderWeights: m.encoderWeights, exactCrossWeights: exactCross, exactEncoderWeights: m.exactEncoderWeights,
                         sourceLengths: m.sourceLengths, heads: config.heads))
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
