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
        PositionEncoding.weights(word: j, of: total, d: d)
    }

    /// Sentences as word ids with their position weights l_j (eq. 1), laid out for `weightedBags`: the
    /// same for every table, so a batch's are made once.
    struct Bags {
        var ids: [Int] = [], weights: [Float] = [], ends: [Int] = []

        init(ids: [Int], weights: [Float], ends: [Int]) {
            self.ids = ids
            self.weights = weights
            self.ends = ends
        }

        init(_ sentences: [[Int]], d: Int) {
            var byLength: [Int: [Float]] = [:]        // J → l_1 … l_J, each [d]
            ids.reserveCapacity(sentences.count * 8)
            weights.reserveCapacity(sentences.count * 8 * d)
            for s in sentences {
                if !s.isEmpty {
                    let l = byLength[s.count] ?? (1...s.count).flatMap { MemN2N.positionWeights(words: $0, of: s.count, d: d) }
                    byLength[s.count] = l
                    ids += s
                    weights += l
                }
                ends.append(ids.count)
            }
        }
    }

    /// Eq. (2): Σ_j l_j ⊙ E x_j over each sentence of `bags`, as [count, d]; an empty sentence is zero.
    func encode(_ g: Graph, _ table: Var, _ bags: Bags) -> Var {
        g.weightedBags(table, ids: bags.ids, weights: bags.weights, ends: bags.ends)
    }

    /// The time index τ − 1 of each of a story's `n` kept sentences, oldest first: n − 1 … 0 (eq. 3), or
    /// with random noise (3′) the sorted draws, capped at M.
    package func times(kept n: Int, noise: inout SeededRNG?) -> [Int] {
        guard n > 0 else { return [] }
        guard var rng = noise else { return (0..<n).reversed().map { $0 } }
        defer { noise = rng }
        let b = rng.int(below: (n + 9) / 10 + 1)
        var pool = Array(0..<(n + b))
        for i in 0..<n { pool.swapAt(i, i + rng.int(below: n + b - i)) }
        let drawn = pool.prefix(n).sorted()                          // s₁ − 1 < … < s_n − 1
        return drawn.reversed().map { min($0, config.memorySize - 1) }
    }

    public struct Hop: HopVars {
        /// p [B, M] (eq. 8), u before the hop [B, d], o [B, d] (eq. 9), for the snapshot.
        public var attention: Var, query: Var, read: Var
        /// m_i and c_i of every slot, [B, m, d].
        public var memories: Var, outputs: Var
        /// How many of the M memory slots each example fills (the rest are padding).
        var filled: [Int]
        /// The empty memories before each story's sentences.
        var empty: Int
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
            func kept(_ v: Var) -> [[Float]] {
                let all = g.row(v, example: b), d = all.count / m
                return ((m - n)..<m).map { Array(all[($0 * d)..<(($0 + 1) * d)]) }
            }
            return MemN2NSnapshot(attention: Array(p[(m - n)..<m]),
                                  emptyAttention: empty > 0 ? p[(m - n - empty)..<(m - n)].reduce(0, +) : nil, query: g.row(query, example: b), read: g.row(read, example: b),
                                  memories: kept(memories), outputs: kept(outputs), answer: distribution)
        }
    }

    public func answer(_ g: Graph, _ samples: [Input]) -> (hops: [Hop], answer: Var) {
        answer(g, samples, training: nil)
    }

    public func answer(_ g: Graph, _ samples: [Input], training: TrainingContext?) -> (hops: [Hop], answer: Var) {
        let b = samples.count, d = config.embeddingSize
        let linear = training.map { $0.sequencesDone < config.linearStart } ?? false
        // The memory: each story's last M sentences, right-aligned in m slots, m the most any story of
        // the batch keeps (slot m − 1 the latest); slots before a shorter story's first sentence are
        // padding, masked out of the softmax.
        let kept = samples.map { Array($0.sentenceIds.suffix(config.memorySize)) }
        let filled = kept.map(\.count)
        // `emptySlots` empty memories (no words, no time) before each story take a share of the softmax,
        // as the padding slots of the authors' code do.
        let empty = config.emptySlots
        let m = max(filled.max() ?? 1, 1) + empty
        var slots: [[Int]] = []
        var times: [[Int]] = []
        var mask = [Float](repeating: 0, count: b * m)
        for (i, story) in kept.enumerated() {
            let pad = m - story.count
            var noise = training.flatMap { config.timeNoise ? $0.rng(sample: i) : nil }
            let storyTimes = self.times(kept: story.count, noise: &noise)
            for s in 0..<m {
                slots.append(s < pad ? [] : story[s - pad])
                times.append(s < pad ? [] : [storyTimes[s - pad]])
                if s < pad - empty { mask[i * m + s] = -1e9 }
            }
        }
        let maskBias = g.constant(Tensor(shape: [b, m], data: mask))
        let e = embeddings.map { g.param($0) }, t = temporal.map { g.param($0) }
        // Eqs. (5), (6): the memories of table k, Eᵏ and Tᵏ.
        let slotBags = Bags(slots, d: d)
        // Each slot's time vector as a bag of at most one row with weight 1: padding and empty slots get none.
        let timeBags = Bags(ids: times.flatMap { $0 }, weights: [Float](repeating: 1, count: times.reduce(0) { $0 + $1.count } * d),
                            ends: times.reduce(into: [Int]()) { ends, t in ends.append((ends.last ?? 0) + t.count) })
        func memory(_ k: Int) -> Var {
            g.reshape(g.add(encode(g, e[k], slotBags), encode(g, t[k], timeBags)), [b, m, d])
        }
        var u = encode(g, e[0], Bags(samples.map(\.questionIds), d: d))                           // u¹ = φ_E⁰(q) (eq. 4)
        var hops: [Hop] = []
        var mk = memory(0)
        for k in 1...config.hops {
            let ck = memory(k)                                                                     // cᵢ (Cᵏ = Eᵏ)
            let scores = g.reshape(g.matmul(mk, g.reshape(u, [b, d, 1])), [b, m])
            // Eqs. (7), (8); in linear start the scores as they are, padding zeroed.
            let p = linear ? g.mul(scores, g.constant(Tensor(shape: [b, m], data: mask.map { $0 == 0 ? 1 : 0 })))
                           : g.softmax(g.add(scores, maskBias), axis: -1)
            let o = g.reshape(g.matmul(g.reshape(p, [b, 1, m]), ck), [b, d])                       // eq. (9)
            hops.append(Hop(attention: p, query: u, read: o, memories: mk, outputs: ck, filled: filled, empty: empty))
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
