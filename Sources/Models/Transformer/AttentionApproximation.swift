import Engine

/// Every `attend` call of a run, written down with its inputs, so the same queries, keys and values can be
/// attended to exactly afterwards.
final class AttentionTrace {
    struct Call {
        var site: AttentionSite
        var queries: Var
        var keys: AttentionKeys
        var output: Var
        /// Nil when the run built no maps (`attentionError` needs the outputs alone).
        var weights: Var?
    }
    var calls: [Call] = []
}

/// How far an approximation's heads are from exact attention on the same inputs (eq. 21 in
/// docs/models/transformer.md): what `arnn eval --json` reports as `attentionError`.
public struct AttentionError: Sendable, Equatable, Encodable {
    public struct Head: Sendable, Equatable, Encodable {
        public var site: AttentionSite
        public var head: Int
        /// ‖Â V − A V‖ / ‖A V‖ over the head's real query rows (eq. 21).
        public var relativeError: Float
    }
    /// The mean of `heads`' errors (0 when nothing is approximated).
    public var mean: Float
    /// Every approximated attention's heads: the encoder layers', then the cross-attentions', head by head.
    public var heads: [Head]
}

/// One approximated attention of one sentence, beside exact attention on the same queries, keys and values.
public struct AttentionComparison: Sendable, Equatable {
    public var site: AttentionSite
    /// `exact[j][i]`: head j's softmax weights (eq. 4) of query row i over the sentence's S source positions.
    /// Rows are source positions for the encoder, decoder positions 0 … n for the cross-attention.
    public var exact: [[[Float]]]
    /// The map the approximation's output implies, the same shape (eqs. 15, 19).
    public var approximate: [[[Float]]]
    /// Eq. (21) per head.
    public var relativeErrors: [Float]
}

extension Transformer {
    /// Eq. (21) for every head of every attention the approximation replaces, on a batch read under teacher
    /// forcing: the decoder reads `<bos>` then `targets[b]` (as in training; `arnn eval` passes the
    /// references). Each head's error pools its real query rows over the batch: every real source position
    /// for the encoder, decoder positions 0 … n_b for the cross-attention. Under `softmax` there are none.
    /// - Throws: `ArnnError` for a source longer than the Linformer's `maxSourceLength`.
    public func attentionError(sources: [[Int]], targets: [[Int]]) throws -> AttentionError {
        let heads = try compare(sources: sources, targets: targets, mapsOf: nil).errors
        return AttentionError(mean: heads.isEmpty ? 0 : heads.map(\.relativeError).reduce(0, +) / Float(heads.count),
                              heads: heads)
    }

    /// For the view: every approximated attention of one sentence, its exact maps beside the maps the
    /// approximation implies (teacher forcing on `target`, as `attentionError`).
    /// - Throws: `ArnnError` for a source longer than the Linformer's `maxSourceLength`.
    public func compareAttention(source: [Int], target: [Int]) throws -> [AttentionComparison] {
        try compare(sources: [source], targets: [target], mapsOf: 0).maps
    }

    /// Runs the batch with a trace, then attends exactly to every traced call's inputs. Pools eq. (21) per
    /// (site, head) over the batch; with `mapsOf`, also keeps that example's maps.
    private func compare(sources: [[Int]], targets: [[Int]], mapsOf example: Int?)
        throws -> (errors: [AttentionError.Head], maps: [AttentionComparison]) {
        precondition(sources.count == targets.count && !sources.isEmpty, "one target per source")
        for s in sources { try validate(sourceLength: s.count) }
        let g = Graph(), trace = AttentionTrace()
        // The maps only for the example whose maps are kept: eq. (21) needs the outputs alone.
        let memory = encode(g, sources: sources, training: nil, trace: trace, maps: example != nil)
        var state = initialState(g, memory: memory)
        let steps = targets.map(\.count).max()! + 1
        for t in 0..<steps {
            // <bos> (1), then the target's tokens, then <pad> (0).
            let previous = targets.map { t == 0 ? 1 : (t <= $0.count ? $0[t - 1] : 0) }
            state = step(g, previous: previous, state: state, memory: memory, trace: trace).state
        }
        let h = config.heads, b = sources.count
        var order: [AttentionSite] = []
        var calls: [AttentionSite: Int] = [:]
        var squares: [AttentionSite: (difference: [Double], exact: [Double])] = [:]
        var kept: [AttentionSite: (exact: [[[Float]]], approximate: [[[Float]]])] = [:]
        for call in trace.calls where call.site.isApproximated && config.attention != .softmax {
            let exact = Self.softmaxAttention(g, queries: call.queries, keys: call.keys.keys, values: call.keys.values,
                                              maskBias: call.keys.maskBias, batch: call.keys.batch)
            let shape = g.shape(call.queries), tq = shape[1], dk = shape[2], tk = g.shape(call.keys.keys)[1]
            let exactOut = g.value(exact.output), approxOut = g.value(call.output)
            let maps = example == nil ? nil : (exact: g.value(exact.weights), approximate: g.value(call.weights!))
            if calls[call.site] == nil {
                order.append(call.site)
                squares[call.site] = ([Double](repeating: 0, count: h), [Double](repeating: 0, count: h))
                kept[call.site] = ([[[Float]]](repeating: [], count: h), [[[Float]]](repeating: [], count: h))
            }
            // A cross-attention call is one decoder position: the site's t-th call is position t.
            let t = calls[call.site, default: 0]
            calls[call.site] = t + 1
            for e in 0..<b {
                let n = sources[e].count
                // Real queries: the source's positions in the encoder, positions t ≤ n_b in the decoder.
                let rows: Range<Int>
                if case .encoder = call.site { rows = 0..<n } else { rows = t <= targets[e].count ? 0..<tq : 0..<0 }
                for j in 0..<h {
                    let r = e * h + j
                    for i in rows {
                        var difference = 0.0, norm = 0.0
                        for c in 0..<dk {
                            let x = Double(exactOut.data[(r * tq + i) * dk + c])
                            let y = Double(approxOut.data[(r * tq + i) * dk + c])
                            difference += (y - x) * (y - x)
                            norm += x * x
                        }
                        squares[call.site]!.difference[j] += difference
                        squares[call.site]!.exact[j] += norm
                        if e == example, let maps {
                            let row = (r * tq + i) * tk
                            kept[call.site]!.exact[j].append(Array(maps.exact.data[row..<(row + n)]))
                            kept[call.site]!.approximate[j].append(Array(maps.approximate.data[row..<(row + n)]))
                        }
                    }
                }
            }
        }
        func ratio(_ s: (difference: [Double], exact: [Double]), _ j: Int) -> Float {
            s.exact[j] > 0 ? Float((s.difference[j] / s.exact[j]).squareRoot()) : 0
        }
        let errors = order.flatMap { site in
            (0..<h).map { AttentionError.Head(site: site, head: $0, relativeError: ratio(squares[site]!, $0)) }
        }
        let comparisons = example == nil ? [] : order.map { site in
            AttentionComparison(site: site, exact: kept[site]!.exact, approximate: kept[site]!.approximate,
                                relativeErrors: (0..<h).map { ratio(squares[site]!, $0) })
        }
        return (errors, comparisons)
    }
}
