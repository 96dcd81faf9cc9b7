import Engine
import Foundation

/// Dynamic memory network DMN+ (Xiong, Merity & Socher 2016) with its text input module, as
/// docs/models/dmn.md writes it: position-encoded sentences fused by a bidirectional GRU into facts, a
/// question GRU, T passes of attention gates and an attention GRU over the facts with a ReLU memory update
/// of its own per pass, and a linear answer layer on [m^T ; q]. Equation numbers in comments refer to
/// that page.
public final class DMN<Input: StoryInput>: ReadThenAnswerModel, @unchecked Sendable {
    public typealias Sample = Input
    public static var kind: String { "dmn" }
    public let config: DMNConfig
    /// E [V, D] (1), row 0 zero.
    public let embedding: Parameter
    /// GRU_q (3), an nn.GRU(D, H): `question.*_l0`.
    public let question: GRUCell
    /// The fusion layer (4), (5), an nn.GRU(D, H, bidirectional=True): `fusion.*_l0` and `fusion.*_l0_reverse`.
    public let fusionForward: GRUCell
    public let fusionBackward: GRUCell
    /// W⁽¹⁾, b⁽¹⁾ and W⁽²⁾, b⁽²⁾ of the scorer (9): `attention.hidden`, `attention.score`.
    public let attentionHidden: Linear
    public let attentionScore: Linear
    /// The AttnGRU (11), shared by the passes: `attn_gru.*`.
    public let attentionGRU: AttentionGRUCell
    /// Wᵗ, bᵗ of pass t = 1 … T (13): `memory.<t−1>`.
    public let memory: [Linear]
    /// W^a, b^a (14): `answer`, [A, 2H].
    public let answerLayer: Linear

    public var parameters: [Parameter] {
        [embedding] + question.parameters + fusionForward.parameters + fusionBackward.parameters
            + attentionHidden.parameters + attentionScore.parameters + attentionGRU.parameters
            + memory.flatMap(\.parameters) + answerLayer.parameters
    }

    /// docs/models/dmn.md, "Initialisation": the embedding uniform in [−√3, √3] with row 0 zero; every
    /// weight matrix Xavier-uniform (per gate block in the GRUs); every bias zero; drawn in the order of the
    /// parameter table.
    public init(config c: DMNConfig, rng: inout SeededRNG) {
        config = c
        let d = c.embeddingSize, h = c.hiddenSize
        let root3 = Float(3).squareRoot()
        var table = rng.uniformTensor([c.vocabularySize, d], -root3, root3)
        for j in 0..<d { table.data[j] = 0 }
        embedding = Parameter("embedding.weight", table)
        question = .dmn("question", suffix: "_l0", inputSize: d, hiddenSize: h, rng: &rng)
        fusionForward = .dmn("fusion", suffix: "_l0", inputSize: d, hiddenSize: h, rng: &rng)
        fusionBackward = .dmn("fusion", suffix: "_l0_reverse", inputSize: d, hiddenSize: h, rng: &rng)
        attentionHidden = .dmn("attention.hidden", inFeatures: 4 * h, outFeatures: h, rng: &rng)
        attentionScore = .dmn("attention.score", inFeatures: h, outFeatures: 1, rng: &rng)
        attentionGRU = AttentionGRUCell("attn_gru", inputSize: h, hiddenSize: h, rng: &rng)
        memory = (0..<c.passes).map { .dmn("memory.\($0)", inFeatures: 3 * h, outFeatures: h, rng: &rng) }
        answerLayer = .dmn("answer", inFeatures: 2 * h, outFeatures: c.answerCount, rng: &rng)
    }

    /// Eq. (2): l_kj(J) = (1 − j/J) − (k/D)(1 − 2j/J) for word j = 1 … J of a sentence of J words,
    /// component k = 1 … D.
    package static func positionWeights(word j: Int, of total: Int, d: Int) -> [Float] {
        let jj = Float(j), big = Float(total), dd = Float(d)
        return (1...d).map { k in (1 - jj / big) - (Float(k) / dd) * (1 - 2 * jj / big) }
    }

    // MARK: Input module (once per story)

    /// What the input module computed for a batch. Facts are step-major: rows [i·B, (i+1)·B) hold fact i
    /// of every example, so a fact's rows are a view.
    public struct Story {
        /// f_i (2) [N·B, D], F_i (6) [N·B, H], q (3) [B, H].
        package var sentences: Var, facts: Var, question: Var
        /// The statements each example keeps (n_b ≤ N), and N, the largest.
        package var kept: [Int]
        package var count: Int
    }

    /// Eqs. (1)–(6) for a batch: each story's last N_max statements, padded to the batch's largest N.
    func read(_ g: Graph, _ samples: [Input]) -> Story {
        let b = samples.count, d = config.embeddingSize
        let stories = samples.map { Array($0.sentenceIds.suffix(config.memorySize)) }
        let kept = stories.map(\.count)
        precondition(kept.allSatisfy { $0 > 0 }, "DMN reads stories of at least one statement")
        let n = kept.max() ?? 1
        let e = g.param(embedding)

        // (1), (2): every statement's words, padded to the batch's longest, weighted and summed.
        let words = Swift.max(1, stories.lazy.flatMap { $0 }.map(\.count).max() ?? 1)
        var ids = [Int](repeating: 0, count: n * b * words)
        var weights = [Float](repeating: 0, count: n * b * words * d)
        var table: [Int: [[Float]]] = [:]            // l(J)_j by J
        for i in 0..<n {
            for (s, story) in stories.enumerated() where i < story.count {
                let sentence = story[i], total = sentence.count
                if total == 0 { continue }
                if table[total] == nil { table[total] = (1...total).map { Self.positionWeights(word: $0, of: total, d: d) } }
                let row = (i * b + s) * words
                for (j, w) in sentence.enumerated() {
                    ids[row + j] = w
                    weights.replaceSubrange(((row + j) * d)..<((row + j + 1) * d), with: table[total]![j])
                }
            }
        }
        let embedded = g.mul(g.embedding(e, ids: ids), g.constant(Tensor(shape: [n * b * words, d], data: weights)))
        let sentences = g.sum(g.reshape(embedded, [n * b, words, d]), axis: 1)                           // f_i [N·B, D]

        // (3): the question GRU over its words from a zero state.
        let lengths = samples.map(\.questionIds.count)
        let qWords = Swift.max(1, lengths.max() ?? 1)
        let qIds = (0..<qWords).flatMap { j in samples.map { j < $0.questionIds.count ? $0.questionIds[j] : 0 } }
        let qStates = question.run(g, projected: question.inputProjection(g, g.embedding(e, ids: qIds)), steps: qWords,
                                   lengths: lengths)
        let q = qStates[qWords - 1]

        // (4), (5): the fusion layer, forward from f→_0 = 0 and backward from each story's own last statement.
        let forward = fusionForward.run(g, projected: fusionForward.inputProjection(g, sentences), steps: n, lengths: kept)
        let backward = fusionBackward.run(g, projected: fusionBackward.inputProjection(g, sentences), steps: n, lengths: kept,
                                          backward: true)
        // (6): F_i = f→_i + f←_i.
        let facts = g.concat((0..<n).map { g.add(forward[$0], backward[$0]) }, axis: 0)                 // [N·B, H]
        return Story(sentences: sentences, facts: facts, question: q, kept: kept, count: n)
    }

    // MARK: Episodic memory

    /// One pass t, as graph values.
    public struct Pass: HopVars {
        /// Zᵗ (9) and gᵗ (10), [N, B] (fact-major); the AttnGRU's states h_i (11), N × [B, H].
        package var scores: Var, gates: Var
        package var states: [Var]
        /// cᵗ (12), m^{t−1}, mᵗ (13) [B, H], and the answer logits of (14) on mᵗ [B, A].
        package var episode: Var, memoryBefore: Var, memory: Var, logits: Var
        package var story: Story

        public func snapshot(_ g: Graph, example b: Int) -> DMNSnapshot {
            let batch = story.kept.count, n = story.kept[b]
            /// Example b's entries of a fact-major [N·B, W] value, for its own n facts.
            func perFact(_ v: Var) -> [[Float]] {
                let width = g.shape(v).count / (story.count * batch)
                return g.withValue(v) { p in (0..<n).map { i in Array(p[((i * batch + b) * width)..<((i * batch + b + 1) * width)]) } }
            }
            let logits = g.row(self.logits, example: b)
            let top = logits.max() ?? 0
            let e = logits.map { Foundation.exp($0 - top) }
            let z = e.reduce(0, +)
            return DMNSnapshot(scores: perFact(scores).map { $0[0] }, gates: perFact(gates).map { $0[0] },
                               states: states.prefix(n).map { g.row($0, example: b) },
                               episode: g.row(episode, example: b), memoryBefore: g.row(memoryBefore, example: b),
                               memory: g.row(memory, example: b), logits: logits, output: e.map { $0 / z },
                               once: .init(facts: perFact(story.facts), sentences: perFact(story.sentences),
                                           question: g.row(story.question, example: b)))
        }
    }

    public func answer(_ g: Graph, _ samples: [Input]) -> (hops: [Pass], answer: Var) {
        let story = read(g, samples)
        let b = samples.count, n = story.count, h = config.hiddenSize
        let q = story.question
        let facts = g.reshape(story.facts, [n, b, h])
        // Padded facts are masked out of (10), so their gate is exactly 0.
        let mask = Tensor(shape: [n, b], data: (0..<n).flatMap { i in story.kept.map { i < $0 ? 1 : 0 } })
        // (11)'s input half, W_ir F_i + b_ir and W_in F_i + b_in: the facts and the cell are the same in every pass.
        let projected = attentionGRU.inputProjection(g, story.facts)                                   // [N·B, 2H]
        let zero = g.constant(Shape(b, h), repeating: 0)
        var m = q                                                                                       // m⁰ = q (7)
        var passes: [Pass] = []
        for t in 0..<config.passes {
            // (8): zᵢᵗ = [F_i ⊙ q ; F_i ⊙ m^{t−1} ; |F_i − q| ; |F_i − m^{t−1}|], every fact at once.
            let z = g.concat([g.mul(facts, q), g.mul(facts, m), g.absolute(g.sub(facts, q)), g.absolute(g.sub(facts, m))],
                             axis: -1)
            // (9): Zᵢᵗ = W⁽²⁾ tanh(W⁽¹⁾ zᵢᵗ + b⁽¹⁾) + b⁽²⁾.
            let scores = g.reshape(attentionScore(g, g.tanh(attentionHidden(g, g.reshape(z, [n * b, 4 * h])))), [n, b])
            // (10): gᵗ = softmax over each story's own facts.
            let gates = g.maskedSoftmax(scores, mask: mask, axis: 0)
            // (11): the AttnGRU over the facts in story order from h₀ = 0.
            var state = zero
            var states: [Var] = []
            for i in 0..<n {
                state = attentionGRU.step(g, projected: g.slice(projected, axis: 0, start: i * b, count: b), h: state,
                                          gate: g.reshape(g.slice(gates, axis: 0, start: i, count: 1), [b, 1]))
                states.append(state)
            }
            let c = state                                                                                // cᵗ = h_N (12)
            let next = g.relu(memory[t](g, g.concat([m, c, q], axis: -1)))                              // (13)
            let logits = answerLayer(g, g.concat([next, q], axis: -1))                                  // (14) on mᵗ
            passes.append(Pass(scores: scores, gates: gates, states: states, episode: c, memoryBefore: m, memory: next,
                               logits: logits, story: story))
            m = next
        }
        return (passes, passes[passes.count - 1].logits)
    }
}

extension Linear {
    /// An nn.Linear with the initialisation of docs/models/dmn.md: Xavier-uniform weight, zero bias.
    static func dmn(_ name: String, inFeatures: Int, outFeatures: Int, rng: inout SeededRNG) -> Linear {
        var unused = SeededRNG(seed: 0)
        let layer = Linear(name, inFeatures: inFeatures, outFeatures: outFeatures, rng: &unused)
        layer.weight.tensor = xavierUniform(&rng, rows: outFeatures, columns: inFeatures)
        layer.bias!.tensor = Tensor(shape: [outFeatures])
        return layer
    }
}
