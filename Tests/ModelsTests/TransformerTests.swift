import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The transformer encoder–decoder (docs/models/transformer.md): its shapes, its attention against its
/// equations, its gradients against finite differences, batching, decoding and checkpoints.
@Suite struct TransformerTests {
    /// d = 8 in 2 heads of 4, F = 12, two encoder and three decoder layers.
    static let small = TransformerConfig(sourceVocabulary: 9, targetVocabulary: 10, modelSize: 8, heads: 2,
                                         feedForwardSize: 12, encoderLayers: 2, decoderLayers: 3)

    static func model(_ config: TransformerConfig = small, seed: UInt64 = 3) -> Transformer {
        var rng = SeededRNG(seed: seed)
        return Transformer(config: config, rng: &rng)
    }

    /// The decoder's inputs at step t: `<bos>` (1), then the target's tokens, then padding (0).
    static func inputs(_ targets: [[Int]], step t: Int) -> [Int] {
        targets.map { t == 0 ? 1 : (t <= $0.count ? $0[t - 1] : 0) }
    }

    /// Teacher forcing as the learner does it: logits of every step, step-major [T·B, V], the targets
    /// (`<eos>` is 2), and every step's variables.
    static func teacherForcing(_ model: Transformer, _ g: Graph, sources: [[Int]], targets: [[Int]])
        -> (logits: Var, targets: [Int], steps: [Transformer.StepVars]) {
        let steps = targets.map(\.count).max()! + 1
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var logits: [Var] = [], flat: [Int] = [], vars: [Transformer.StepVars] = []
        for t in 0..<steps {
            flat += targets.map { t < $0.count ? $0[t] : (t == $0.count ? 2 : 0) }
            let (next, stepVars) = model.step(g, previous: inputs(targets, step: t), state: state, memory: memory)
            logits.append(stepVars.logits)
            vars.append(stepVars)
            state = next
        }
        return (g.concat(logits, axis: 0), flat, vars)
    }

    // MARK: Shapes

    @Test func everyValueHasTheDocumentedShapeAndTheParametersTheDocumentedCount() {
        let c = Self.small
        let model = Self.model()
        let d = 8, f = 12
        let attention = 3 * d * d + 3 * d + d * d + d
        let feedForward = f * d + f + d * f + d
        let expected = 9 * d + 10 * d + 2 * (attention + feedForward + 4 * d) + 2 * d
            + 3 * (2 * attention + feedForward + 6 * d) + 2 * d + 10 * d + 10
        #expect(model.parameters.reduce(0) { $0 + $1.count } == expected)

        let g = Graph()
        let memory = model.encode(g, sources: [[4, 5, 6], [7, 8, 4, 5, 6]])
        #expect(memory.crossKeys.count == c.decoderLayers && memory.crossValues.count == c.decoderLayers)
        #expect(memory.crossKeys.allSatisfy { g.shape($0) == Shape(2 * 2, 5, 4) })
        #expect(memory.encoderWeights.count == c.encoderLayers)
        #expect(memory.encoderWeights.allSatisfy { g.shape($0) == Shape(2 * 2, 5, 5) })
        var state = model.initialState(g, memory: memory)
        for t in 0..<3 {
            let (next, vars) = model.step(g, previous: [1, 1], state: state, memory: memory)
            #expect(g.shape(vars.logits) == Shape(2, 10))
            #expect(vars.selfWeights.allSatisfy { g.shape($0) == Shape(4, 1, t + 1) })
            #expect(vars.crossWeights.allSatisfy { g.shape($0) == Shape(4, 1, 5) })
            #expect(next.position == t + 1 && next.selfKeys.allSatisfy { g.shape($0) == Shape(4, t + 1, 4) })
            // The snapshot of the shorter sentence: its own 3 source positions, t + 1 target positions.
            let s = vars.snapshot(g, example: 0)
            #expect(s.crossAttention.count == 3 && s.crossAttention.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.count == 3 } })
            #expect(s.selfAttention.count == 3 && s.selfAttention.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.count == t + 1 } })
            #expect(s.encoderAttention.count == 2
                    && s.encoderAttention.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.count == 3 && $0.allSatisfy { $0.count == 3 } } })
            #expect(s.logits.count == 10 && s.weights.count == 3)
            state = next
        }
    }

    @Test func checkpointTensorsAreNamedAsPyTorchsTransformerLayers() {
        let c = TransformerConfig(sourceVocabulary: 6, targetVocabulary: 7, modelSize: 4, heads: 2, feedForwardSize: 5,
                                  encoderLayers: 1, decoderLayers: 1)
        let attention = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
        let feedForward = ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
        func norms(_ n: Int) -> [String] { (1...n).flatMap { ["norm\($0).weight", "norm\($0).bias"] } }
        let encoder = (attention.map { "self_attn.\($0)" } + feedForward + norms(2)).map { "encoder.layers.0.\($0)" }
        let decoder = (attention.map { "self_attn.\($0)" } + attention.map { "multihead_attn.\($0)" } + feedForward + norms(3))
            .map { "decoder.layers.0.\($0)" }
        let expected = ["source_embedding.weight", "target_embedding.weight"] + encoder + ["encoder.norm.weight", "encoder.norm.bias"]
            + decoder + ["decoder.norm.weight", "decoder.norm.bias", "output.weight", "output.bias"]
        let model = Self.model(c)
        #expect(model.parameters.map(\.name) == expected)
        let shapes = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.shape.dims) })
        #expect(shapes["encoder.layers.0.self_attn.in_proj_weight"] == [12, 4])
        #expect(shapes["decoder.layers.0.multihead_attn.out_proj.weight"] == [4, 4])
        #expect(shapes["decoder.layers.0.linear1.weight"] == [5, 4] && shapes["decoder.layers.0.linear2.weight"] == [4, 5])
        #expect(shapes["output.weight"] == [7, 4] && shapes["output.bias"] == [7])
    }

    // MARK: Attention

    @Test func attentionRowsSumToOneAndPaddedSourcePositionsGetExactlyZero() {
        let model = Self.model()
        let g = Graph()
        let (_, _, steps) = Self.teacherForcing(model, g, sources: [[4, 5], [7, 8, 4, 5, 6]], targets: [[5, 6, 7], [8]])
        func rows(_ v: Var) -> [[Float]] {
            let t = g.value(v), width = g.shape(v).last
            return (0..<(t.count / width)).map { Array(t.data[($0 * width)..<(($0 + 1) * width)]) }
        }
        var all: [[Float]] = steps[0].encoderWeights.flatMap(rows)
        for vars in steps { all += vars.selfWeights.flatMap(rows) + vars.crossWeights.flatMap(rows) }
        for row in all { #expect(abs(row.reduce(0, +) - 1) < 1e-5, "a row sums to \(row.reduce(0, +))") }
        // Example 0 (rows 0 and 1 of each [B·h, …, S] value, one per head) has 2 real positions of 5.
        for w in steps[0].encoderWeights + steps.flatMap(\.crossWeights) {
            for r in rows(w).prefix(2 * g.shape(w)[1]) { #expect(r[2...].allSatisfy { $0 == 0 }) }
        }
        for vars in steps {
            let s = vars.snapshot(g, example: 0)
            #expect(abs(s.weights.reduce(0, +) - 1) < 1e-5)
            #expect(abs(s.output.reduce(0, +) - 1) < 1e-5)
        }
    }

    /// Eq. (10a) in the first decoder layer, written out over the whole target at once: the weights of
    /// position t are row t of softmax(Q Kᵀ/√d_k) with every later position masked out.
    @Test func theFirstDecoderLayersSelfAttentionIsTheCausallyMaskedSoftmaxOfItsEquation() {
        let model = Self.model()
        let c = Self.small
        let d = c.modelSize, h = c.heads, dk = c.headSize
        let targets = [[5, 8, 3, 9]]
        let g = Graph()
        let (_, _, steps) = Self.teacherForcing(model, g, sources: [[4, 6, 7]], targets: targets)
        let n = steps.count                                    // <bos> and the 4 tokens
        let r = Graph()
        let ids = (0..<n).map { Self.inputs(targets, step: $0)[0] }
        // Eq. (1): √d E_t[u_t] + P_t, then eq. (3) with norm1, then eq. (5)'s projections.
        let x = r.add(r.scale(r.embedding(r.param(model.targetEmbedding), ids: ids), Float(d).squareRoot()),
                      r.constant(SinusoidalPositions.table(count: n, size: d)))
        let layer = model.decoderLayers[0]
        let a = r.layerNorm(x, gain: r.param(layer.norm1.weight), bias: r.param(layer.norm1.bias))
        let w = r.param(layer.selfAttention.inProjectionWeight), b = r.param(layer.selfAttention.inProjectionBias)
        let q = r.linear(a, weight: r.slice(w, axis: 0, start: 0, count: d), bias: r.slice(b, axis: 0, start: 0, count: d))
        let k = r.linear(a, weight: r.slice(w, axis: 0, start: d, count: d), bias: r.slice(b, axis: 0, start: d, count: d))
        let causal = (0..<n).flatMap { i in (0..<n).map { j in j <= i } }
        for j in 0..<h {
            let qj = r.slice(q, axis: 1, start: j * dk, count: dk), kj = r.slice(k, axis: 1, start: j * dk, count: dk)
            let scores = r.scale(r.matmul(qj, kj, transposeB: true), 1 / Float(dk).squareRoot())
            let expected = r.value(r.maskedSoftmax(scores, mask: causal))                    // [n, n]
            for t in 0..<n {
                let got = g.row(steps[t].selfWeights[0], example: j)
                #expect(got.count == t + 1)
                for s in 0..<n {
                    let want = expected[t, s]
                    if s > t { #expect(want == 0) } else {
                        #expect(abs(got[s] - want) < 1e-5, "head \(j) position \(t) over \(s): \(got[s]) vs \(want)")
                    }
                }
            }
        }
    }

    @Test func aDecoderPositionIsBlindToTheTargetsAfterIt() {
        let model = Self.model()
        let g1 = Graph(), g2 = Graph()
        let one = Self.teacherForcing(model, g1, sources: [[4, 6, 7]], targets: [[5, 8, 3, 9]])
        let other = Self.teacherForcing(model, g2, sources: [[4, 6, 7]], targets: [[5, 8, 7, 4]])
        // Steps 0…2 read <bos>, 5, 8 in both; steps 3 and 4 read different tokens.
        let v = 10
        let a = g1.value(one.logits).data, b = g2.value(other.logits).data
        #expect(Array(a[0..<(3 * v)]) == Array(b[0..<(3 * v)]))
        #expect(Array(a[(3 * v)...]) != Array(b[(3 * v)...]))
    }

    // MARK: Positions

    @Test func sinusoidalPositionsFollowTheFormulaByHand() {
        // Position 0: sin 0 = 0 and cos 0 = 1 in every pair.
        #expect(SinusoidalPositions.encoding(position: 0, size: 6) == [0, 1, 0, 1, 0, 1])
        // d = 4, position 1: angles 1 / 10000^(0/4) = 1 and 1 / 10000^(2/4) = 0.01.
        let p1 = SinusoidalPositions.encoding(position: 1, size: 4)
        let want1: [Float] = [0.841470985, 0.540302306, 0.00999983333, 0.999950000]
        for (x, y) in zip(p1, want1) { #expect(abs(x - y) < 1e-7) }
        // d = 8, position 5: angles 5, 5/10 = 0.5, 5/100 = 0.05, 5/1000 = 0.005.
        let p5 = SinusoidalPositions.encoding(position: 5, size: 8)
        let want5: [Float] = [-0.958924275, 0.283662185, 0.479425539, 0.877582562,
                              0.0499791693, 0.998750260, 0.00499997917, 0.999987500]
        for (x, y) in zip(p5, want5) { #expect(abs(x - y) < 1e-7, "\(x) vs \(y)") }
        #expect(SinusoidalPositions.table(from: 5, count: 1, size: 8).data == p5)
    }

    // MARK: Gradients

    @Test func gradientOfAPaddedTeacherForcedBatchMatchesFiniteDifferencesForEveryParameter() {
        let config = TransformerConfig(sourceVocabulary: 9, targetVocabulary: 10, modelSize: 8, heads: 2,
                                       feedForwardSize: 6, encoderLayers: 2, decoderLayers: 2)
        let model = Self.model(config, seed: 21)
        // A step of 2e-3, not 1e-2: a wider step carries some of the feed-forward blocks' ReLU inputs across
        // 0, where the function has a kink and a central difference is no derivative. The loss is the
        // learner's (a mean over the real target tokens), which keeps its rounding small at this step.
        checkParameterGradients(model.parameters, h: 2e-3, rtol: 2e-2) { g in
            let (logits, targets, _) = Self.teacherForcing(model, g, sources: [[4, 7, 5], [8, 6]], targets: [[5, 8], [9, 3, 7]])
            return g.crossEntropy(logits, targets: targets, ignoreIndex: 0, reduction: .mean)
        }
    }

    // MARK: The parallel decoder of training

    /// `teacherForcedLogits` (every position at once, causal mask) on the decoder inputs of `targets`.
    static func parallelLogits(_ model: Transformer, _ g: Graph, sources: [[Int]], targets: [[Int]]) -> Var {
        let steps = targets.map(\.count).max()! + 1
        return model.teacherForcedLogits(g, inputs: (0..<steps).map { inputs(targets, step: $0) },
                                         memory: model.encode(g, sources: sources))
    }

    @Test func theParallelDecoderOfTrainingGivesTheLogitsOfTheCachedSteps() {
        let model = Self.model(seed: 5)
        let sources = [[4, 5, 6, 7, 8], [8, 4], [6, 6, 5]], targets = [[5], [5, 6, 7, 8], [9, 9]]
        let g = Graph()
        let stepped = g.value(Self.teacherForcing(model, g, sources: sources, targets: targets).logits)
        let parallel = g.value(Self.parallelLogits(model, g, sources: sources, targets: targets))
        #expect(parallel.shape == stepped.shape)
        var worst: Float = 0, largest: Float = 0
        for (a, b) in zip(parallel.data, stepped.data) {
            worst = max(worst, abs(a - b))
            largest = max(largest, abs(b))
        }
        #expect(largest > 0.1, "the logits are not all near 0")
        #expect(worst < 1e-5, "the parallel decoder differs from the cached steps by \(worst)")
    }

    @Test func gradientOfTheParallelDecoderMatchesFiniteDifferencesForEveryParameter() {
        let config = TransformerConfig(sourceVocabulary: 9, targetVocabulary: 10, modelSize: 8, heads: 2,
                                       feedForwardSize: 6, encoderLayers: 2, decoderLayers: 2)
        // The model and batch of the cached steps' check above (seed 21 keeps every ReLU input away from 0
        // by more than the step), so the two checks differ only in the decoder.
        let model = Self.model(config, seed: 21)
        checkParameterGradients(model.parameters, h: 2e-3, rtol: 2e-2) { g in
            let targets = [[5, 8], [9, 3, 7]]
            let logits = Self.parallelLogits(model, g, sources: [[4, 7, 5], [8, 6]], targets: targets)
            let flat = (0...3).flatMap { t in targets.map { t < $0.count ? $0[t] : (t == $0.count ? 2 : 0) } }
            return g.crossEntropy(logits, targets: flat, ignoreIndex: 0, reduction: .mean)
        }
    }

    // MARK: Batches, decoding, checkpoints

    @Test func aPaddedBatchGivesEachSentenceTheLogitsItHasAlone() {
        let model = Self.model()
        let sources = [[4, 5, 6, 7, 8], [8, 4], [6, 6, 5]], targets = [[5], [5, 6, 7], [9, 9]]
        let g = Graph()
        let batched = g.value(Self.teacherForcing(model, g, sources: sources, targets: targets).logits)
        let v = 10, b = sources.count
        for j in 0..<b {
            let ga = Graph()
            let alone = ga.value(Self.teacherForcing(model, ga, sources: [sources[j]], targets: [targets[j]]).logits)
            // Row j of step t is t·B + j; alone, step t is row t. Its own steps: n + 1.
            var worst: Float = 0
            for t in 0...targets[j].count {
                for k in 0..<v { worst = max(worst, abs(batched[t * b + j, k] - alone[t, k])) }
            }
            #expect(worst < 1e-5, "sentence \(j) differs by \(worst)")
        }
    }

    @Test func greedyDecodingWritesTheArgmaxOfTeacherForcingOnItsOwnOutput() {
        let model = Self.model(seed: 11)
        let sources = [[4, 5, 6], [7, 8, 4, 5]]
        // Greedy, batched, without a tape: the largest logit (ties: the lower id), until <eos> or 2S + 4.
        let g = Graph()
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var previous = [1, 1], written = [[Int]](repeating: [], count: 2), done = [false, false]
        for _ in 0..<(2 * 4 + 4) where done.contains(false) {
            let (next, vars) = model.step(g, previous: previous, state: state, memory: memory)
            let logits = g.value(vars.logits)
            for j in 0..<2 {
                let row = (0..<10).map { logits[j, $0] }
                let best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
                #expect(best == vars.snapshot(g, example: j).token)
                if !done[j] { written[j].append(best) }
                if best == 2 || written[j].count >= 2 * sources[j].count + 4 { done[j] = true }
                previous[j] = best
            }
            state = next
        }
        // Teacher forcing on a recording graph, each sentence alone, fed what greedy wrote.
        for j in 0..<2 {
            let tokens = written[j].last == 2 ? Array(written[j].dropLast()) : written[j]
            let r = Graph(recording: true)
            let forced = r.value(Self.teacherForcing(model, r, sources: [sources[j]], targets: [tokens]).logits)
            for t in 0..<written[j].count {
                let row = (0..<10).map { forced[t, $0] }
                let best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
                #expect(best == written[j][t], "sentence \(j) step \(t)")
            }
        }
    }

    @Test func beamReorderingMovesEachExamplesCachesWithIt() {
        let model = Self.model()
        let g = Graph()
        let memory = model.encode(g, sources: [[4, 5], [6, 7]])
        var state = model.initialState(g, memory: memory)
        for t in 0..<2 { state = model.step(g, previous: [1 + t, 5 + t], state: state, memory: memory).state }
        let swapped = model.reorder(g, state, rows: [1, 1, 0])
        let before = g.value(state.selfKeys[1]), after = g.value(swapped.selfKeys[1])
        // [B·h, t, d_k] with h = 2: example 1's rows 2, 3 become rows 0, 1 and 2, 3; example 0's become 4, 5.
        let width = 2 * 4
        let rowsOf = { (t: Tensor, r: Int) in Array(t.data[(r * width)..<((r + 1) * width)]) }
        #expect(g.shape(swapped.selfKeys[1]) == Shape(6, 2, 4) && swapped.position == 2)
        for (to, from) in [(0, 2), (1, 3), (2, 2), (3, 3), (4, 0), (5, 1)] { #expect(rowsOf(after, to) == rowsOf(before, from)) }
    }

    // The checkpoint round trip (file, config, names, logits) is TransformerApproximationTests', for every
    // attention, softmax included.

    // MARK: Config

    @Test(arguments: [
        ("modelSize", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, modelSize: 7, heads: 1)),
        ("heads", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, modelSize: 64, heads: 3)),
        ("heads", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, heads: 0)),
        ("feedForwardSize", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, feedForwardSize: 0)),
        ("encoderLayers", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, encoderLayers: 0)),
        ("decoderLayers", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, decoderLayers: 25)),
        ("sourceVocabulary", TransformerConfig(sourceVocabulary: 3, targetVocabulary: 9)),
        ("targetVocabulary", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 4)),
    ])
    func anInvalidConfigIsRefusedInOneLineNamingTheField(field: String, config: TransformerConfig) {
        let error = #expect(throws: ArnnError.self) { try config.validate() }
        #expect(error?.message.hasPrefix("transformer config: \(field) must be") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test func aConfigJSONTakesTheDefaultsForWhatItLeavesOutAndACheckpointsBadConfigIsNamed() throws {
        let config = try TransformerConfig.decode(json: #"{"sourceVocabulary": 20, "targetVocabulary": 30}"#)
        #expect(config == TransformerConfig(sourceVocabulary: 20, targetVocabulary: 30, modelSize: 64, heads: 4,
                                            feedForwardSize: 256, encoderLayers: 2, decoderLayers: 2, attention: .softmax))
        #expect(throws: DecodingError.self) { try TransformerConfig.decode(json: #"{"sourceVocabulary": 20}"#) }
        var bad = Self.model().checkpoint()
        bad.metadata[CheckpointMetadataKey.config] = #"{"sourceVocabulary": 9, "targetVocabulary": 10, "modelSize": 8, "heads": 3}"#
        let error = #expect(throws: ArnnError.self) { try Transformer(checkpoint: bad) }
        #expect(error?.message.contains("heads must be a divisor of modelSize 8") == true, "\(error?.message ?? "")")
    }
}
