import Engine
import Foundation

/// End-to-end memory network (Sukhbaatar et al. 2015) with adjacent weight tying, position encoding and
/// temporal encoding (docs/models/memn2n.md). The K + 1 embeddings E⁰ … Eᴷ serve as A¹ = B = E⁰,
/// Cᵏ = Aᵏ⁺¹ = Eᵏ and Wᵀ = Eᴷ; the temporal embeddings T⁰ … Tᴷ are tied the same way.
public final class MemN2N<Input: StoryInput>: ReadThenAnswerModel, @unchecked Sendable {
    public typealias Sample = Input
    public static var kind: String { "memn2n" }
    public let config: MemN2NConfig
    /// Eᵏ [V, d] and Tᵏ [memorySize, d], k = 0 … K.
    public let embeddings: [Parameter]
    public let temporal: [Parameter]
    public var parameters: [Parameter] { embeddings + temporal }

    /// Weights drawn from N(0, 0.1²), as the paper; the padding row of each embedding is zero.
    public init(config: MemN2NConfig, rng: inout SeededRNG) {
        self.config = config
        let v = config.vocabularySize, d = config.embeddingSize
        embeddings = (0...config.hops).map { k in
            var t = Tensor(shape: [v, d], data: (0..<(v * d)).map { _ in rng.normal(mean: 0, std: 0.1) })
            for j in 0..<d { t.data[j] = 0 }
            return Parameter("embeddings.\(k).weight", t)
        }
        temporal = (0...config.hops).map { k in
            Parameter("temporal.\(k).weight", Tensor(shape: [config.memorySize, d],
                                                     data: (0..<(config.memorySize * d)).map { _ in rng.normal(mean: 0, std: 0.1) }))
        }
    }

    /// Eq. (1): l_kj = (1 − j/J) − (k/d)(1 − 2j/J) for word j = 1 … J of a sentence, dimension k = 1 … d.
    package static func positionWeights(words j: Int, of total: Int, d: Int) -> [Float] {
        let jj = Float(j), big = Float(total), dd = Float(d)
        return (1...d).map { k in (1 - jj / big) - (Float(k) / dd) * (1 - 2 * jj / big) }
    }

    /// Eq. (2): Σ_j l_j ⊙ E x_j over each of `sentences` (word ids), as [count, d]; an empty sentence is zero.
    func encode(_ g: Graph, _ table: Var, _ sentences: [[Int]]) -> Var {
        let d = config.embeddingSize
        let ids = sentences.flatMap { $0.isEmpty ? [0] : $0 }
        var weights: [Float] = [], pool = [Float](repeating: 0, count: sentences.count * ids.count)
        var w = 0
        for (i, s) in sentences.enumerated() {
            let words = s.isEmpty ? [0] : s
            for j in 1...words.count {
                weights += Self.positionWeights(words: j, of: words.count, d: d)
                pool[i * ids.count + w] = 1
                w += 1
            }
        }
        let embedded = g.mul(g.embedding(table, ids: ids), g.constant(Tensor(shape: [ids.count, d], data: weights)))
        return g.matmul(g.constant(Tensor(shape: [sentences.count, ids.count], data: pool)), embedded)   // [count, d]
    }

    public struct Hop: HopVars {
        /// p [B, M] (eq. 8), u before the hop [B, d], o [B, d] (eq. 9), for the snapshot.
        public var attention: Var, query: Var, read: Var
        /// How many of the M memory slots each example fills (the rest are padding).
        var filled: [Int]
        /// The last hop's: the answer logits [B, A] (eq. 11).
        var answer: Var?

        public func snapshot(_ g: Graph, example b: Int) -> MemN2NSnapshot {
            let m = g.shape(attention)[1], n = filled[b]
            let p = g.row(attention, example: b)
            // The kept sentences fill the last n of the M slots, most recent last.
            var distribution: [Float] = []
            if let answer {
                let l = g.row(answer, example: b)
                let top = l.max() ?? 0
                let e = l.map { Foundation.exp($0 - top) }
                let z = e.reduce(0, +)
                distribution = e.map { $0 / z }
            }
            return MemN2NSnapshot(attention: Array(p[(m - n)..<m]), query: g.row(query, example: b), read: g.row(read, example: b),
                                  answer: distribution)
        }
    }

    public func answer(_ g: Graph, _ samples: [Input]) -> (hops: [Hop], answer: Var) {
        let b = samples.count, m = config.memorySize, d = config.embeddingSize
        // The memory: each story's last M sentences, right-aligned in the M slots (slot M − 1 the latest);
        // slots before a short story's first sentence are padding, masked out of the softmax.
        let kept = samples.map { Array($0.sentenceIds.suffix(m)) }
        let filled = kept.map(\.count)
        var slots: [[Int]] = []
        var times: [Int] = []
        var mask = [Float](repeating: 0, count: b * m)
        for (i, story) in kept.enumerated() {
            let pad = m - story.count
            for s in 0..<m {
                slots.append(s < pad ? [] : story[s - pad])
                // Time index τ − 1: 0 for the latest sentence, growing into the past (eq. 3).
                times.append(m - 1 - s)
                if s < pad { mask[i * m + s] = -1e9 }
            }
        }
        let maskBias = g.constant(Tensor(shape: [b, m], data: mask))
        let e = embeddings.map { g.param($0) }, t = temporal.map { g.param($0) }
        // Eqs. (5), (6): the memories of table k, Eᵏ and Tᵏ.
        func memory(_ k: Int) -> Var {
            g.reshape(g.add(encode(g, e[k], slots), g.embedding(t[k], ids: times)), [b, m, d])
        }
        var u = encode(g, e[0], samples.map(\.questionIds))                                        // u¹ = φ_E⁰(q) (eq. 4)
        var hops: [Hop] = []
        var mk = memory(0)
        for k in 1...config.hops {
            let ck = memory(k)                                                                     // cᵢ (Cᵏ = Eᵏ)
            let scores = g.reshape(g.matmul(mk, g.reshape(u, [b, d, 1])), [b, m])
            let p = g.softmax(g.add(scores, maskBias), axis: -1)                                   // eqs. (7), (8)
            let o = g.reshape(g.matmul(g.reshape(p, [b, 1, m]), ck), [b, d])                       // eq. (9)
            hops.append(Hop(attention: p, query: u, read: o, filled: filled))
            u = g.add(u, o)                                                                        // eq. (10)
            mk = ck                                                                                // Aᵏ⁺¹ = Cᵏ
        }
        // Eq. (11): W = Eᴷᵀ, restricted to the answer words' rows.
        let w = g.embedding(e[config.hops], ids: config.answerWords)                              // [A, d]
        let logits = g.matmul(u, w, transposeB: true)                                              // [B, A]
        hops[hops.count - 1].answer = logits
        return (hops, logits)
    }
}
