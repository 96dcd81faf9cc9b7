import Engine

/// One attention's Linformer projections (Wang et al. 2020; docs/models/transformer.md, eqs. 13–15): E for
/// the keys and F for the values, each [k, n], acting along the sequence axis. One pair per attention, shared
/// by its heads (the paper's headwise sharing). Named `<attention>.linformer_e` and `<attention>.linformer_f`,
/// after the attention's own tensors.
public struct LinformerProjection: Sendable {
    public let e: Parameter
    public let f: Parameter

    public init(e: Parameter, f: Parameter) {
        precondition(e.shape == f.shape && e.shape.rank == 2, "E and F must share one [k, n] shape")
        self.e = e
        self.f = f
    }

    /// E, then F, each N(0, 1/k) entry by entry, row by row ("Initialisation"): the scale of a
    /// Johnson–Lindenstrauss projection to k rows.
    public init(_ name: String, projection k: Int, maxSourceLength n: Int, rng: inout SeededRNG) {
        let std = 1 / Float(k).squareRoot()
        self.init(e: Parameter("\(name).linformer_e", rng.normalTensor([k, n], std: std)),
                  f: Parameter("\(name).linformer_f", rng.normalTensor([k, n], std: std)))
    }

    public var projection: Int { e.shape[0] }
    public var maxSourceLength: Int { e.shape[1] }
    public var parameters: [Parameter] { [e, f] }
}

extension Transformer {
    /// Eq. (13), the key side: keys and values [B·h, T_k, d_k], the source mask [B, 1, 1, T_k] (0 or −10⁹) or
    /// nil, and the projections `e`, `f` [k, n ≥ T_k]. Padded keys and values are zeroed before the
    /// projection, so they add nothing to the k projected rows; those rows are then all real, and the softmax
    /// over them needs no mask.
    public static func linformerKeys(_ g: Graph, keys k: Var, values v: Var, maskBias: Var?, batch b: Int,
                                     e: Var, f: Var) -> AttentionKeys {
        let ks = g.shape(k)
        let rows = ks[0], tk = ks[1], dk = ks[2], h = rows / b
        precondition(g.shape(e)[1] >= tk, "Linformer projections cover \(g.shape(e)[1]) positions, the keys have \(tk)")
        // E_S, F_S: the first S columns, the positions this batch has.
        let es = g.slice(e, axis: 1, start: 0, count: tk), fs = g.slice(f, axis: 1, start: 0, count: tk)
        var keys = k, values = v
        var real: Var?
        if let maskBias {
            let keep = g.constant(Tensor(shape: [b, 1, tk, 1], data: g.value(maskBias).data.map { $0 == 0 ? 1 : 0 }))
            keys = g.reshape(g.mul(g.reshape(k, [b, h, tk, dk]), keep), [rows, tk, dk])
            values = g.reshape(g.mul(g.reshape(v, [b, h, tk, dk]), keep), [rows, tk, dk])
            real = keep
        }
        // (E_S K̄)ᵀ and (F_S V̄)ᵀ [B·h, d_k, k]: the engine multiplies a batch by one matrix on the right.
        return AttentionKeys(keys: k, values: v, maskBias: maskBias, batch: b,
                             prepared: .linformer(keys: g.matmul(keys, es, transposeA: true, transposeB: true),
                                                  values: g.matmul(values, fs, transposeA: true, transposeB: true),
                                                  valueProjection: fs, real: real))
    }

    /// Eqs. (14), (15), the query side, for queries [B·h, T_q, d_k]: P = softmax(Q (E_S K̄)ᵀ / √d_k) over
    /// the k projected rows and the output P (F_S V̄), O(T_q·k·d_k) a head. With `map`, also the map over
    /// source positions that output implies, Ã = P F_S with padded columns 0, so that `output` = Ã V: it
    /// costs T_q·k·T_k more, for the view, and the output does not depend on it.
    static func linformerAttend(_ g: Graph, queries q: Var, projectedKeys: Var, projectedValues: Var,
                                valueProjection fs: Var, real: Var?, batch b: Int, map: Bool) -> (output: Var, weights: Var?) {
        let qs = g.shape(q)
        let rows = qs[0], tq = qs[1], dk = qs[2], tk = g.shape(fs)[1]
        let p = g.softmax(g.matmul(g.scale(q, 1 / Float(dk).squareRoot()), projectedKeys), axis: -1)    // (14) [B·h, T_q, k]
        let output = g.matmul(p, projectedValues, transposeB: true)                                      // [B·h, T_q, d_k]
        guard map else { return (output, nil) }
        var implied = g.matmul(p, fs)                                                                     // (15) [B·h, T_q, T_k]
        if let real {
            implied = g.reshape(g.mul(g.reshape(implied, [b, rows / b, tq, tk]), g.reshape(real, [b, 1, 1, tk])), [rows, tq, tk])
        }
        return (output, implied)
    }

    /// Eqs. (13)–(15) in one call, as `softmaxAttention` takes its inputs.
    public static func linformerAttention(_ g: Graph, queries q: Var, keys k: Var, values v: Var, maskBias: Var?,
                                          batch b: Int, e: Var, f: Var) -> Attended {
        attend(g, queries: q, keys: linformerKeys(g, keys: k, values: v, maskBias: maskBias, batch: b, e: e, f: f))
    }
}
