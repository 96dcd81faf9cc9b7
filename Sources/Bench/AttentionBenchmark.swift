import Engine
import Models

/// `arnn bench attention`: the forward time of one transformer self-attention layer over a source of n
/// tokens, exact (eq. 4) against the Linformer (eqs. 13–15) and the Performer (eqs. 16–18), output alone
/// (as training and evaluation run them), batch 1, one thread. The layer is encoder layer 0's
/// `self_attn` at the sort demos' sizes: d = 64 in 4 heads of 16, the Linformer at k = 16 with its E and F
/// covering n = the length, the Performer at m = 64 features. It includes the stacked projection to
/// queries, keys and values and the output projection, which all three share (docs/models/transformer.md,
/// "Speed").
public enum AttentionBenchmark {
    public static let lengths = [64, 128, 256, 512, 1024, 2048, 4096]
    public static let approximations: [TransformerAttention] = [.linformer, .performer]

    /// One row per length and attention (µs, the approximations' held to exact's time at that length as
    /// their target), then one per approximation: the length from which it is faster than exact. About
    /// 30 s, most of it exact attention at n = 4096.
    public static func run(progress: (BenchmarkRow) -> Void) -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        func add(_ r: BenchmarkRow) { rows.append(r); progress(r) }
        var times: [TransformerAttention: [Double]] = [:]
        for n in lengths {
            var rng = SeededRNG(seed: UInt64(n))
            let x = rng.normalTensor([n, 64], std: 1)
            let attentions = [TransformerAttention.softmax] + approximations
            let models = attentions.map { layer($0, length: n) }
            // Rounds of the three in turn, so that a burst of load elsewhere slows all three alike rather than
            // one; each figure is the median of its rounds.
            var samples = [[Double]](repeating: [], count: attentions.count)
            for _ in 0..<rounds {
                for i in models.indices { samples[i].append(forward(models[i], x)) }
            }
            let us = samples.map { $0.sorted()[rounds / 2] }
            for (i, attention) in attentions.enumerated() {
                times[attention, default: []].append(us[i])
                if attention == .softmax {
                    add(BenchmarkRow(name: "attention forward, n = \(n), exact", value: us[i]))
                } else {
                    add(BenchmarkRow(name: "attention forward, n = \(n), \(label(attention))", value: us[i],
                                     target: "< \(formatNumber(us[0])) µs (exact)"))
                }
            }
        }
        for attention in approximations {
            let from = crossover(approximate: times[attention]!, exact: times[.softmax]!)
            // Names stay within the 46 columns `formatted` keeps.
            add(BenchmarkRow(name: from == nil ? "\(label(attention)): not faster by n = \(lengths.last!)"
                                               : "\(label(attention)): faster than exact from n =",
                             value: from.map(Double.init) ?? .nan, unit: "tokens"))
        }
        return rows
    }

    /// The smallest of `lengths` from which the approximation is faster at every length measured, or nil
    /// when it is not faster at the longest.
    public static func crossover(approximate: [Double], exact: [Double]) -> Int? {
        precondition(approximate.count == lengths.count && exact.count == lengths.count, "one time per length")
        var from: Int?
        for i in lengths.indices.reversed() {
            guard approximate[i] < exact[i] else { break }
            from = lengths[i]
        }
        return from
    }

    static func label(_ attention: TransformerAttention) -> String {
        switch attention {
        case .softmax: return "exact"
        case .linformer: return "Linformer k = 16"
        case .performer: return "Performer m = 64"
        }
    }

    /// A one-layer transformer at the demos' sizes (TransformerConfig's defaults) attending as `attention`,
    /// its Linformer projections covering `length` positions.
    static func layer(_ attention: TransformerAttention, length: Int) -> Transformer {
        var rng = SeededRNG(seed: 1)
        var c = TransformerConfig(sourceVocabulary: 30, targetVocabulary: 30, encoderLayers: 1, decoderLayers: 1,
                                  attention: attention)
        c.maxSourceLength = length
        return Transformer(config: c, rng: &rng)
    }

    /// Rounds per length (odd, for a median).
    static let rounds = 3

    /// The median time of one forward of `model`'s encoder layer 0 self-attention over rows x [n, d]. The
    /// longest exact runs take a good part of a second each, so they get fewer batches.
    static func forward(_ model: Transformer, _ x: Tensor) -> Double {
        let g = Graph()
        return medianMicroseconds(batches: x.shape[0] >= 2048 ? 3 : 5) {
            g.reset()
            _ = model.selfAttentionOutput(g, g.constant(x), layer: 0)
        }
    }
}
