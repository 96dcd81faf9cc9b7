import Engine

extension Transformer {
    /// Eqs. (9)–(12) for every decoder position of a teacher-forced batch at once: the paper's masked
    /// parallel decoder. Position t's self-attention sees positions 0…t through the causal mask (−10⁹ above
    /// the diagonal, exactly 0 weight after the softmax), so each position's logits are those `step` computes
    /// with its cache, up to the order of floating-point sums (docs/models/transformer.md, "Training and
    /// decoding"). Training uses this; decoding and the viewer use `step`.
    public func teacherForcedLogits(_ g: Graph, inputs: [[Int]], memory m: Memory) -> Var {
        let t = inputs.count, b = inputs.first?.count ?? 0, d = config.modelSize
        precondition(t > 0 && b > 0, "teacher forcing needs at least one position of one example")
        // Example-major rows: row b·T + p is position p of example b.
        let ids = (0..<b).flatMap { j in (0..<t).map { inputs[$0][j] } }
        var x = g.reshape(embed(g, targetEmbedding, ids: ids, positions: SinusoidalPositions.table(count: t, size: d),
                                rows: [b, t, d]), [b * t, d])
        let causal = g.constant(Tensor(shape: [t, t], data: (0..<t).flatMap { q in (0..<t).map { k in k <= q ? 0 : -1e9 } }))
        for (l, layer) in decoderLayers.enumerated() {
            // (10a) causal self-attention, exact.
            let qkv = splitHeads(g, layer.selfAttention.project(g, layer.norm1(g, x), part: 0, parts: 3), batch: b, length: t, parts: 3)
            let own = Self.maskedSoftmaxAttention(g, queries: qkv[0], keys: qkv[1], values: qkv[2], mask: causal)
            x = g.add(x, layer.selfAttention.outProjection(g, mergeHeads(g, own, batch: b, length: t)))
            // (10b) cross-attention over the source, every position's query at once.
            let q = splitHeads(g, layer.crossAttention.project(g, layer.norm2(g, x), part: 0, parts: 1), batch: b, length: t, parts: 1)[0]
            // Exact, or its approximation (eqs. 13–19) without the map, which only a view reads.
            let cross = Self.attendOutput(g, queries: q, keys: m.cross[l])
            x = g.add(x, layer.crossAttention.outProjection(g, mergeHeads(g, cross, batch: b, length: t)))
            // (10c) feed-forward.
            x = g.add(x, feedForward(g, layer.norm3(g, x), layer.linear1, layer.linear2))
        }
        let logits = output(g, decoderNorm(g, x))                                            // [B·T, V]
        // Step-major rows, as the objective reads them: [B, T, V] → [T, B, V].
        let v = config.targetVocabulary
        return g.reshape(g.swapAxes(g.reshape(logits, [b, t, v]), 0, 1), [t * b, v])
    }

    /// softmax(Q Kᵀ / √d_k + M) V with an additive mask M [T_q, T_k] shared by every head and example.
    static func maskedSoftmaxAttention(_ g: Graph, queries q: Var, keys k: Var, values v: Var, mask: Var) -> Var {
        let dk = g.shape(q)[2]
        let scores = g.add(g.matmul(g.scale(q, 1 / Float(dk).squareRoot()), k, transposeB: true), mask)
        return g.matmul(g.softmax(scores, axis: -1), v)
    }
}
