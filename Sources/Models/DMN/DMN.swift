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
        PositionEncoding.weights(word: j, of: total, d: d)
    }

    // MARK: Input module (once per story)

    /// What the input module computed for a batch, packed (`StoryPacking`): one row per kept statement,
    /// statement-major, the examples sorted longest story first.
    public struct Story {
        /// f_i (2) [R, D] and F_i (6) [R, H], R rows; q (3) [B, H] in sorted order.
        package var sentences: Var, facts: Var, question: Var
        package var packing: StoryPacking
    }

    /// Eqs. (1)–(6) for a batch: each story's last N_max statements.
    func read(_ g: Graph, _ samples: [Input]) -> Story {
        let d = config.embeddingSize
        let stories = samples.map { Array($0.sentenceIds.suffix(config.memorySize)) }
        let p = StoryPacking(kept: stories.map(\.count))
        let e = g.param(embedding)

        // (1), (2): every kept statement's words, padded to the batch's longest, weighted and summed.
        let words = Swift.max(1, stories.lazy.flatMap { $0 }.map(\.count).max() ?? 1)
        var ids = [Int](repeating: 0, count: p.rows * words)
        var weights = [Float](repeating: 0, count: p.rows * words * d)
        var table: [Int: [[Float]]] = [:]            // l(J)_j by J
        for i in 0..<p.count {
            for s in 0..<p.active[i] {
                let sentence = stories[p.order[s]][i], total = sentence.count
                if total == 0 { continue }
                if table[total] == nil { table[total] = (1...total).map { Self.positionWeights(word: $0, of: total, d: d) } }
                let row = p.row(i, s) * words
                for (j, w) in sentence.enumerated() {
                    ids[row + j] = w
                    weights.replaceSubrange(((row + j) * d)..<((row + j + 1) * d), with: table[total]![j])
                }
            }
        }
        let embedded = g.mul(g.embedding(e, ids: ids), g.constant(Tensor(shape: [p.rows * words, d], data: weights)))
        let sentences = g.sum(g.reshape(embedded, [p.rows, words, d]), axis: 1)                          // f_i [R, D]

        // (3): the question GRU over its words from a zero state (padded questions keep their state).
        let questions = p.order.map { samples[$0].questionIds }
        let qWords = Swift.max(1, questions.map(\.count).max() ?? 1)
        let qIds = (0..<qWords).flatMap { j in questions.map { j < $0.count ? $0[j] : 0 } }
        let qStates = question.run(g, projected: question.inputProjection(g, g.embedding(e, ids: qIds)), steps: qWords,
                                   lengths: questions.map(\.count))
        let q = qStates[qWords - 1]

        // (4), (5): the fusion layer, forward from f→_0 = 0 and backward from each story's own last statement.
        let forward = fusionForward.run(g, projected: fusionForward.inputProjection(g, sentences), packing: p)
        let backward = fusionBackward.run(g, projected: fusionBackward.inputProjection(g, sentences), packing: p, backward: true)
        // (6): F_i = f→_i + f←_i.
        let facts = g.concat((0..<p.count).map { g.add(forward[$0], backward[$0]) }, axis: 0)          // [R, H]
        return Story(sentences: sentences, facts: facts, question: q, packing: p)
    }

    // MARK: Episodic memory

    /// One pass t, as graph values. Rows follow the story's packing (sorted examples).
    public struct Pass: HopVars {
        /// Zᵗ (9), [R, 1] packed; gᵗ (10), [N, B] (statement-major, 0 where an example has no statement i).
        package var scores: Var, gates: Var
        /// The AttnGRU's states h_i (11): [a_i, H] for statement i.
        package var states: [Var]
        /// cᵗ (12), m^{t−1}, mᵗ (13) [B, H], and the answer logits of (14) on mᵗ [B, A].
        package var episode: Var, memoryBefore: Var, memory: Var, logits: Var
        package var story: Story

        /// Example b's gates over its kept statements.
        package func gates(_ g: Graph, example b: Int) -> [Float] {
            let p = story.packing, s = p.position[b]
            return g.withValue(gates) { v in (0..<p.kept[s]).map { v[$0 * p.batch + s] } }
        }

        public func snapshot(_ g: Graph, example b: Int) -> DMNSnapshot {
            let p = story.packing, s = p.position[b], n = p.kept[s]
            /// Example b's rows of a packed [R, W] value.
            func packed(_ v: Var) -> [[Float]] {
                let width = g.shape(v).count / p.rows
                return g.withValue(v) { x in (0..<n).map { i in Array(x[(p.row(i, s) * width)..<((p.row(i, s) + 1) * width)]) } }
            }
            let logits = g.row(self.logits, example: s)
            let top = logits.max() ?? 0
            let e = logits.map { Foundation.exp($0 - top) }
            let z = e.reduce(0, +)
            return DMNSnapshot(scores: packed(scores).map { $0[0] }, gates: gates(g, example: b),
                               states: states.prefix(n).map { g.row($0, example: s) },
                               episode: g.row(episode, example: s), memoryBefore: g.row(memoryBefore, example: s),
                               memory: g.row(memory, example: s), logits: logits, output: e.map { $0 / z },
                               once: .init(facts: packed(story.facts), sentences: packed(story.sentences),
                                           question: g.row(story.question, example: s)))
        }
    }

    public func answer(_ g: Graph, _ samples: [Input]) -> (hops: [Pass], answer: Var) {
        answer(g, samples, training: nil)
    }

    /// Dropout masks for training, already scaled by 1 / keep: one per fact row [R, H] and one per
    /// example's m^T [B, H] (sorted order). Each example draws its own from the context, so the masks do
    /// not depend on how the batch is split over threads.
    package func dropoutMasks(_ p: StoryPacking, training: TrainingContext) -> (facts: Tensor, answer: Tensor) {
        let h = config.hiddenSize, keep = 1 - config.dropout, scale = 1 / keep
        var facts = Tensor(shape: [p.rows, h]), answer = Tensor(shape: [p.batch, h])
        for s in 0..<p.batch {
            var rng = training.rng(sample: p.order[s])
            for i in 0..<p.kept[s] {
                let row = p.row(i, s) * h
                for k in 0..<h { facts.data[row + k] = rng.uniform() < keep ? scale : 0 }
            }
            for k in 0..<h { answer.data[s * h + k] = rng.uniform() < keep ? scale : 0 }
        }
        return (facts, answer)
    }

    public func answer(_ g: Graph, _ samples: [Input], training: TrainingContext?) -> (hops: [Pass], answer: Var) {
        let story = read(g, samples)
        let p = story.packing
        let b = p.batch, n = p.count, h = config.hiddenSize
        let q = story.question
        let masks = config.dropout > 0 ? training.map { dropoutMasks(p, training: $0) } : nil
        let facts = masks.map { g.mul(story.facts, g.constant($0.facts)) } ?? story.facts
        // Each packed row meets its own example's q and m^{t−1}.
        let rowPositions = p.rowPositions
        let qRows = g.embedding(q, ids: rowPositions)                                                   // [R, H]
        // The scores laid out as [N, B] for (10): row R of the table is a 0 that padding reads.
        let grid = (0..<n).flatMap { i in (0..<b).map { s in s < p.active[i] ? p.row(i, s) : p.rows } }
        let mask = Tensor(shape: [n, b], data: (0..<n).flatMap { i in (0..<b).map { $0 < p.active[i] ? 1 : 0 } })
        let padding = g.constant(Shape(1, 1), repeating: 0)
        // (11)'s input half, W_ir F_i + b_ir and W_in F_i + b_in: the facts and the cell are the same in every pass.
        let projected = attentionGRU.inputProjection(g, facts)                                          // [R, 2H]
        let zero = g.constant(Shape(b, h), repeating: 0)
        var m = q                                                                                       // m⁰ = q (7)
        var passes: [Pass] = []
        for t in 0..<config.passes {
            let mRows = g.embedding(m, ids: rowPositions)
            // (8): zᵢᵗ = [F_i ⊙ q ; F_i ⊙ m^{t−1} ; |F_i − q| ; |F_i − m^{t−1}|], every statement at once.
            let z = g.concat([g.mul(facts, qRows), g.mul(facts, mRows), g.absolute(g.sub(facts, qRows)),
                              g.absolute(g.sub(facts, mRows))], axis: -1)
            // (9): Zᵢᵗ = W⁽²⁾ tanh(W⁽¹⁾ zᵢᵗ + b⁽¹⁾) + b⁽²⁾.
            let scores = attentionScore(g, g.tanh(attentionHidden(g, z)))                               // [R, 1]
            // (10): gᵗ = softmax over each story's own statements; padding gets exactly 0.
            let table = g.concat([scores, padding], axis: 0)
            let gates = g.maskedSoftmax(g.reshape(g.embedding(table, ids: grid), [n, b]), mask: mask, axis: 0)
            // (11): the AttnGRU over the facts in story order from h₀ = 0, statement i on its a_i examples.
            var state = zero
            var states: [Var] = []
            for i in 0..<n {
                let a = p.active[i]
                let gate = g.slice(g.reshape(g.slice(gates, axis: 0, start: i, count: 1), [b, 1]), axis: 0, start: 0, count: a)
                state = attentionGRU.step(g, projected: g.slice(projected, axis: 0, start: p.offsets[i], count: a),
                                          h: g.slice(state, axis: 0, start: 0, count: a), gate: gate)
                states.append(state)
            }
            // (12): cᵗ = h_N of each story: the examples whose last statement is i are rows a_{i+1} ..< a_i.
            let c = g.concat((0..<n).reversed().compactMap { i -> Var? in
                let from = i + 1 < n ? p.active[i + 1] : 0
                return p.active[i] > from ? g.slice(states[i], axis: 0, start: from, count: p.active[i] - from) : nil
            }, axis: 0)
            let next = g.relu(memory[t](g, g.concat([m, c, q], axis: -1)))                              // (13)
            // (14) on mᵗ; in training, m^T through dropout.
            let read = t == config.passes - 1 ? masks.map { g.mul(next, g.constant($0.answer)) } ?? next : next
            let logits = answerLayer(g, g.concat([read, q], axis: -1))
            passes.append(Pass(scores: scores, gates: gates, states: states, episode: c, memoryBefore: m, memory: next,
                               logits: logits, story: story))
            m = next
        }
        // The answers in the batch's own order.
        return (passes, g.embedding(passes[passes.count - 1].logits, ids: p.position))
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
