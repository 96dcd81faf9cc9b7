import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The transformer's approximate attentions (docs/models/transformer.md, eqs. 13–21): the Linformer and the
/// Performer against exact attention, their gradients against finite differences, padding, the decoder's
/// exact self-attention, the features' draw and cadence, variants, the error measure, configs and
/// checkpoints.
@Suite struct TransformerApproximationTests {
    /// d = 8 in 2 heads of 4, F = 12, two encoder and two decoder layers; k = 3 of n = 6, m = 8.
    static func config(_ attention: TransformerAttention, projection: Int = 3, maxSourceLength: Int = 6,
                       features: Int = 8, redrawEvery: Int = 100) -> TransformerConfig {
        TransformerConfig(sourceVocabulary: 9, targetVocabulary: 10, modelSize: 8, heads: 2, feedForwardSize: 12,
                          encoderLayers: 2, decoderLayers: 2, attention: attention, projection: projection,
                          maxSourceLength: maxSourceLength, features: features, redrawEvery: redrawEvery)
    }

    static func model(_ config: TransformerConfig, seed: UInt64 = 3) -> Transformer {
        var rng = SeededRNG(seed: seed)
        return Transformer(config: config, rng: &rng)
    }

    static func teacherForcing(_ model: Transformer, _ g: Graph, _ sources: [[Int]], _ targets: [[Int]])
        -> (logits: Var, targets: [Int], steps: [Transformer.StepVars]) {
        TransformerTests.teacherForcing(model, g, sources: sources, targets: targets)
    }

    /// A [B, 1, 1, T] mask: 0 at each example's first `lengths[b]` positions, −10⁹ after.
    static func maskBias(_ lengths: [Int], width t: Int) -> Tensor {
        Tensor(shape: [lengths.count, 1, 1, t], data: lengths.flatMap { n in (0..<t).map { $0 < n ? 0 : -1e9 } })
    }

    /// Rows of a [.., width] value.
    static func rows(_ t: Tensor) -> [[Float]] {
        let width = t.shape.last!
        return (0..<(t.count / width)).map { Array(t.data[($0 * width)..<(($0 + 1) * width)]) }
    }

    static func relativeError(_ approximate: Tensor, _ exact: Tensor) -> Float {
        let difference = zip(approximate.data, exact.data).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (difference / exact.data.reduce(0) { $0 + $1 * $1 }).squareRoot()
    }

    // MARK: Parameters

    @Test func linformerProjectionsAreNamedAfterTheirAttentionAndDrawnAfterEveryOtherWeight() {
        let linformer = Self.model(Self.config(.linformer)), softmax = Self.model(Self.config(.softmax))
        let names = linformer.parameters.map(\.name)
        let extra = ["encoder.layers.0.self_attn", "encoder.layers.1.self_attn",
                     "decoder.layers.0.multihead_attn", "decoder.layers.1.multihead_attn"]
            .flatMap { ["\($0).linformer_e", "\($0).linformer_f"] }
        #expect(names.filter { $0.contains("linformer") } == extra)
        #expect(names.filter { !$0.contains("linformer") } == softmax.parameters.map(\.name))
        // In the attention's place, after its own tensors.
        let i = names.firstIndex(of: "encoder.layers.0.self_attn.out_proj.bias")!
        #expect(Array(names[(i + 1)...(i + 2)])
                == ["encoder.layers.0.self_attn.linformer_e", "encoder.layers.0.self_attn.linformer_f"])
        for p in linformer.parameters where p.name.contains("linformer") { #expect(p.shape.dims == [3, 6]) }
        // Drawn last, so every shared weight is the softmax model's of the same seed.
        let shared = Dictionary(uniqueKeysWithValues: softmax.parameters.map { ($0.name, $0.tensor) })
        for p in linformer.parameters where !p.name.contains("linformer") { #expect(p.tensor == shared[p.name], "\(p.name)") }
        // N(0, 1/k): the entries' variance near 1/3.
        let entries = linformer.parameters.filter { $0.name.contains("linformer") }.flatMap(\.tensor.data)
        let variance = entries.reduce(0) { $0 + $1 * $1 } / Float(entries.count)
        #expect(abs(variance - 1 / 3) < 0.1, "variance \(variance)")
        #expect(Self.model(Self.config(.performer)).parameters.map(\.name) == softmax.parameters.map(\.name))
    }

    // MARK: Linformer

    @Test func linformerWithKEqualToNAndIdentityProjectionsIsExactAttention() {
        let g = Graph()
        let q = g.constant(randomTensor([4, 5, 3], seed: 1)), k = g.constant(randomTensor([4, 5, 3], seed: 2))
        let v = g.constant(randomTensor([4, 5, 3], seed: 3))
        let identity = g.constant(Tensor(shape: [5, 5], data: (0..<25).map { $0 % 6 == 0 ? 1 : 0 }))
        let linformer = Transformer.linformerAttention(g, queries: q, keys: k, values: v, maskBias: nil, batch: 2,
                                                       e: identity, f: identity)
        let exact = Transformer.softmaxAttention(g, queries: q, keys: k, values: v, maskBias: nil, batch: 2)
        #expect(g.value(linformer.output).maxAbsDifference(g.value(exact.output)) < 1e-6)
        #expect(g.value(linformer.weights).maxAbsDifference(g.value(exact.weights)) < 1e-6)

        // The whole model, with E = F = I at k = n = 5 and every source 5 long: the softmax model's logits.
        let model = Self.model(Self.config(.linformer, projection: 5, maxSourceLength: 5))
        for p in model.parameters where p.name.contains("linformer") { p.tensor = g.value(identity) }
        let exactModel = try! model.withAttention(.softmax)
        let sources = [[4, 5, 6, 7, 8], [8, 7, 6, 5, 4]], targets = [[5, 6], [7]]
        let g1 = Graph(), g2 = Graph()
        let a = Self.teacherForcing(model, g1, sources, targets), b = Self.teacherForcing(exactModel, g2, sources, targets)
        #expect(g1.value(a.logits).maxAbsDifference(g2.value(b.logits)) < 1e-5)
        // And with a projection that is not the identity, they differ.
        model.parameters.first { $0.name.hasSuffix("linformer_f") }!.tensor = randomTensor([5, 5], seed: 4)
        let g3 = Graph()
        #expect(g3.value(Self.teacherForcing(model, g3, sources, targets).logits).maxAbsDifference(g2.value(b.logits)) > 1e-3)
    }

    @Test func linformerGradientsMatchFiniteDifferencesForQueriesKeysValuesAndProjections() {
        // Two examples of two heads; example 0 has 3 real keys of 4, and E, F cover n = 5 positions.
        let mask = Self.maskBias([3, 4], width: 4)
        checkGradients([randomTensor([4, 2, 3], seed: 5), randomTensor([4, 4, 3], seed: 6), randomTensor([4, 4, 3], seed: 7),
                        randomTensor([2, 5], seed: 8), randomTensor([2, 5], seed: 9)]) { g, x in
            let a = Transformer.linformerAttention(g, queries: x[0], keys: x[1], values: x[2], maskBias: g.constant(mask),
                                                   batch: 2, e: x[3], f: x[4])
            return g.concat([g.reshape(a.output, [24]), g.reshape(a.weights, [32])], axis: 0)
        }
    }

    // MARK: Performer

    @Test func performerGradientsMatchFiniteDifferencesForQueriesKeysAndValues() {
        let mask = Self.maskBias([3, 4], width: 4)
        var rng = SeededRNG(seed: 10)
        let w = PerformerFeatures.orthogonalRandomFeatures(count: 6, size: 3, rng: &rng)
        let inputs = [randomTensor([4, 2, 3], seed: 5), randomTensor([4, 4, 3], seed: 6), randomTensor([4, 4, 3], seed: 7)]
        checkGradients(inputs) { g, x in
            let a = Transformer.performerAttention(g, queries: x[0], keys: x[1], values: x[2], maskBias: g.constant(mask),
                                                   batch: 2, features: w)
            return g.concat([g.reshape(a.output, [24]), g.reshape(a.weights, [32])], axis: 0)
        }
    }

    @Test func performerRowsSumToOneAndPaddedSourcePositionsGetExactlyZero() {
        let model = Self.model(Self.config(.performer))
        let g = Graph()
        let (_, _, steps) = Self.teacherForcing(model, g, [[4, 5], [7, 8, 4, 5, 6]], [[5, 6, 7], [8]])
        let maps = steps[0].encoderWeights + steps.flatMap(\.crossWeights)
        for w in maps {
            let rows = Self.rows(g.value(w))
            for row in rows {
                #expect(abs(row.reduce(0, +) - 1) < 1e-5, "a row sums to \(row.reduce(0, +))")
                #expect(row.allSatisfy { $0 >= 0 })
            }
            // Example 0 (the first 2 of every B·h rows' blocks) has 2 real positions of 5.
            for r in rows.prefix(2 * g.shape(w)[1]) { #expect(r[2...].allSatisfy { $0 == 0 }) }
        }
    }

    @Test func performerErrorAgainstExactAttentionShrinksAsTheFeaturesGrow() throws {
        // One fixed batch of 4 heads' queries, keys and values, d_k = 8, at m = 16 … 1024 from one seed.
        let g = Graph()
        let q = g.constant(randomTensor([4, 10, 8], seed: 11)), k = g.constant(randomTensor([4, 10, 8], seed: 12))
        let v = g.constant(randomTensor([4, 10, 8], seed: 13))
        let exact = g.value(Transformer.softmaxAttention(g, queries: q, keys: k, values: v, maskBias: nil, batch: 1).output)
        let errors: [Float] = [16, 64, 256, 1024].map { m in
            var rng = SeededRNG(seed: 14)
            let w = PerformerFeatures.orthogonalRandomFeatures(count: m, size: 8, rng: &rng)
            let a = Transformer.performerAttention(g, queries: q, keys: k, values: v, maskBias: nil, batch: 1, features: w)
            return Self.relativeError(g.value(a.output), exact)
        }
        for (smaller, larger) in zip(errors, errors.dropFirst()) { #expect(larger < smaller * 1.1, "errors \(errors)") }
        #expect(errors[3] < errors[0] / 3, "errors \(errors)")

        // The same through the model's own measure (eq. 21), on a variant of one trained-nowhere model.
        let model = Self.model(Self.config(.performer))
        let sources = [[4, 5, 6, 7], [8, 4]], targets = [[5, 6], [7, 8, 9]]
        let few = try model.withAttention(features: 4).attentionError(sources: sources, targets: targets)
        let many = try model.withAttention(features: 1024).attentionError(sources: sources, targets: targets)
        #expect(many.mean < few.mean / 2, "\(few.mean) at m = 4, \(many.mean) at m = 1024")
    }

    @Test func performerFeaturesAreOrthogonalWithinABlockAndNestAcrossM() {
        var rng = SeededRNG(seed: 15)
        let w = PerformerFeatures.orthogonalRandomFeatures(count: 10, size: 4, rng: &rng)
        let rows = Self.rows(w)
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        for block in [0..<4, 4..<8, 8..<10] {
            for i in block { for j in block where j < i {
                #expect(abs(dot(rows[i], rows[j])) < 1e-4 * (dot(rows[i], rows[i]) * dot(rows[j], rows[j])).squareRoot())
            } }
        }
        // Rows of different blocks are not orthogonal, and the lengths are chi(4), not all alike.
        #expect(abs(dot(rows[0], rows[4])) > 1e-3)
        let lengths = rows.map { dot($0, $0).squareRoot() }
        #expect(lengths.max()! - lengths.min()! > 0.1, "\(lengths)")
        // Each attention draws from a stream of its own: m = 6 is m = 10's first 6 rows, site by site.
        let c = Self.config(.performer, features: 10), small = Self.config(.performer, features: 6)
        let all = PerformerFeatures.draw(c, seed: 7), few = PerformerFeatures.draw(small, seed: 7)
        for (a, b) in zip(all.encoder + all.cross, few.encoder + few.cross) { #expect(Array(a.data.prefix(24)) == b.data) }
        #expect(all.encoder[0] != all.encoder[1] && all.encoder[0] != all.cross[0])
        #expect(all.named.map(\.name) == ["encoder.layers.0.self_attn.performer_features",
                                          "encoder.layers.1.self_attn.performer_features",
                                          "decoder.layers.0.multihead_attn.performer_features",
                                          "decoder.layers.1.multihead_attn.performer_features"])
    }

    @Test func trainingRedrawsThePerformerFeaturesEveryRedrawEveryBatches() {
        let model = Self.model(Self.config(.performer, redrawEvery: 3))
        func features(_ batch: Int?) -> PerformerFeatures? {
            model.features(training: batch.map { TrainingContext(sequencesDone: 0, seed: 5, batch: $0) })
        }
        let base = model.performerFeatures!
        #expect(base == PerformerFeatures.draw(model.config, seed: model.config.featureSeed))
        #expect(features(nil) == base && features(0) == base && features(2) == base)
        #expect(features(3) != base && features(3) == features(5) && features(6) != features(3) && features(6) != base)
        let g = Graph()
        let memory = model.encode(g, sources: [[4, 5]], training: TrainingContext(sequencesDone: 0, seed: 5, batch: 4))
        #expect(memory.features == features(4))
        let never = Self.model(Self.config(.performer, redrawEvery: 0))
        #expect(never.features(training: TrainingContext(sequencesDone: 0, seed: 5, batch: 1000)) == never.performerFeatures)
        #expect(Self.model(Self.config(.linformer)).features(training: nil) == nil)
    }

    // MARK: Both approximations

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func gradientOfAPaddedBatchMatchesFiniteDifferencesForEveryParameter(attention: TransformerAttention) {
        var config = Self.config(attention, features: 6)
        config.feedForwardSize = 6
        let model = Self.model(config, seed: 21)
        // As the exact model's check (the same sizes): a step of 2e-3 keeps ReLU inputs from crossing their
        // kink, which a wider feed-forward block would make likely.
        checkParameterGradients(model.parameters, h: 2e-3, rtol: 2e-2) { g in
            let (logits, targets, _) = Self.teacherForcing(model, g, [[4, 7, 5], [8, 6]], [[5, 8], [9, 3, 7]])
            return g.crossEntropy(logits, targets: targets, ignoreIndex: 0, reduction: .mean)
        }
    }

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func aPaddedBatchGivesEachSentenceTheLogitsItHasAlone(attention: TransformerAttention) {
        let model = Self.model(Self.config(attention))
        let sources = [[4, 5, 6, 7, 8, 4], [8, 4], [6, 6, 5]], targets = [[5], [5, 6, 7], [9, 9]]
        let g = Graph()
        let batched = g.value(Self.teacherForcing(model, g, sources, targets).logits)
        for j in sources.indices {
            let ga = Graph()
            let alone = ga.value(Self.teacherForcing(model, ga, [sources[j]], [targets[j]]).logits)
            var worst: Float = 0
            for t in 0...targets[j].count { for k in 0..<10 { worst = max(worst, abs(batched[t * 3 + j, k] - alone[t, k])) } }
            #expect(worst < 1e-5, "sentence \(j) differs by \(worst)")
        }
    }

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func theDecodersSelfAttentionStaysExact(attention: TransformerAttention) throws {
        // Layer 0's self-attention reads only the target side, so the exact model of the same weights must
        // give the same weights there; its cross-attention, approximated, must not.
        let model = Self.model(Self.config(attention))
        let exact = try model.withAttention(.softmax)
        let g1 = Graph(), g2 = Graph()
        let a = Self.teacherForcing(model, g1, [[4, 5, 6]], [[5, 8, 3]]).steps
        let b = Self.teacherForcing(exact, g2, [[4, 5, 6]], [[5, 8, 3]]).steps
        for (x, y) in zip(a, b) {
            #expect(g1.value(x.selfWeights[0]) == g2.value(y.selfWeights[0]))
            #expect(g1.value(x.crossWeights[0]).maxAbsDifference(g2.value(y.crossWeights[0])) > 1e-4)
        }
    }

    @Test(arguments: [TransformerAttention.softmax, .linformer, .performer])
    func aCheckpointRoundTripsThroughAFileAndGivesTheSameLogits(attention: TransformerAttention) throws {
        let model = Self.model(Self.config(attention), seed: 8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("transformer-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.checkpoint().write(to: path)
        let loaded = try Transformer(checkpoint: Checkpoint.read(from: path))
        #expect(loaded.config == model.config)
        #expect(loaded.parameters.map(\.name) == model.parameters.map(\.name))
        #expect(loaded.performerFeatures == model.performerFeatures)
        let sources = [[4, 5, 6], [7, 8]], targets = [[5, 6], [9, 3, 4]]
        let g1 = Graph(), g2 = Graph()
        #expect(g1.value(Self.teacherForcing(model, g1, sources, targets).logits)
                == g2.value(Self.teacherForcing(loaded, g2, sources, targets).logits))
    }

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func aMemoryCopiedOutOfItsGraphDecodesAsBefore(attention: TransformerAttention) {
        // The cross-attention's prepared keys (eqs. 13, 17) travel with the memory, every value in them.
        let model = Self.model(Self.config(attention))
        let sources = [[4, 5, 6, 7], [8, 6]]
        let g = Graph()
        let memory = model.encode(g, sources: sources)
        let before = model.step(g, previous: [1, 1], state: model.initialState(g, memory: memory), memory: memory).vars
        let other = Graph()
        let copied = Transformer.Memory(constants: memory.values(in: g), in: other)
        let after = model.step(other, previous: [1, 1], state: model.initialState(other, memory: copied), memory: copied).vars
        #expect(g.value(before.logits) == other.value(after.logits))
        #expect(g.value(before.crossWeights[1]) == other.value(after.crossWeights[1]))
    }

    // MARK: Outputs alone

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func theOutputAloneIsBitForBitTheOutputBesideItsMapAndSoAreItsGradients(attention: TransformerAttention) {
        // Two examples of two heads over 4 keys, example 0's last one padding; E and F cover n = 5.
        let mask = Self.maskBias([3, 4], width: 4)
        let inputs = [randomTensor([4, 2, 3], seed: 5), randomTensor([4, 4, 3], seed: 6), randomTensor([4, 4, 3], seed: 7),
                      randomTensor([2, 5], seed: 8), randomTensor([2, 5], seed: 9)]
        var rng = SeededRNG(seed: 10)
        let w = PerformerFeatures.orthogonalRandomFeatures(count: 6, size: 3, rng: &rng)
        let r = randomTensor([4, 2, 3], seed: 11)
        func run(map: Bool) -> (output: Tensor, gradients: [Tensor], nodes: Int) {
            let g = Graph(recording: true)
            let x = inputs.map { g.variable($0) }
            let keys = attention == .linformer
                ? Transformer.linformerKeys(g, keys: x[1], values: x[2], maskBias: g.constant(mask), batch: 2, e: x[3], f: x[4])
                : Transformer.performerKeys(g, keys: x[1], values: x[2], maskBias: g.constant(mask), batch: 2, features: w)
            let output = map ? Transformer.attend(g, queries: x[0], keys: keys).output
                             : Transformer.attendOutput(g, queries: x[0], keys: keys)
            let nodes = g.nodeCount
            g.backward(g.sum(g.mul(output, g.constant(r))))
            return (g.value(output), x.map { g.grad($0) }, nodes)
        }
        let withMap = run(map: true), alone = run(map: false)
        #expect(alone.output == withMap.output)
        for (i, (a, b)) in zip(alone.gradients, withMap.gradients).enumerated() { #expect(a == b, "input \(i)") }
        #expect(withMap.gradients[0].data.contains { $0 != 0 } && withMap.gradients[2].data.contains { $0 != 0 })
        // The map's operations were left out, not merely unused.
        #expect(alone.nodes < withMap.nodes)
    }

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func encodingForTheOutputsAloneBuildsNoMapAndChangesNoLogitOrGradient(attention: TransformerAttention) {
        let model = Self.model(Self.config(attention))
        let sources = [[4, 5, 6, 7, 8, 4], [8, 4]]
        let inputs = [[1, 1], [5, 7], [6, 8], [0, 9]]       // teacher forcing: <bos>, then each target, then <pad>
        let r = randomTensor([8, 10], seed: 12)
        // `maps`: how many encoder maps, exact encoder maps, cross maps and exact cross maps there are.
        func run(outputsAlone: Bool) -> (logits: Tensor, stepLogits: Tensor, gradients: [Tensor], maps: [Int]) {
            model.parameters.zeroGrad()
            defer { model.parameters.zeroGrad() }
            let g = Graph(recording: true)
            let memory = outputsAlone
                ? model.encode(g, sources: sources, training: TrainingContext(sequencesDone: 0, seed: 1, batch: 0))
                : model.encode(g, sources: sources)
            let logits = model.teacherForcedLogits(g, inputs: inputs, memory: memory)
            // A decoder step as greedy decoding takes it, on the same memory.
            let step = model.step(g, previous: inputs[0], state: model.initialState(g, memory: memory), memory: memory).vars
            g.backward(g.add(g.sum(g.mul(logits, g.constant(r))), g.sum(step.logits)))
            return (g.value(logits), g.value(step.logits), model.parameters.map(\.gradTensor),
                    [memory.encoderWeights.count, memory.exactEncoderWeights.count, step.crossWeights.count,
                     step.exactCrossWeights.count])
        }
        let forView = run(outputsAlone: false), alone = run(outputsAlone: true)
        #expect(alone.logits == forView.logits)
        #expect(alone.stepLogits == forView.stepLogits)
        for (p, (a, b)) in zip(model.parameters, zip(alone.gradients, forView.gradients)) { #expect(a == b, "\(p.name)") }
        #expect(forView.gradients.contains { $0.data.contains { $0 != 0 } })
        #expect(forView.maps == [2, 2, 2, 2])
        #expect(alone.maps == [0, 0, 0, 0])
    }

    // MARK: Variants and the error measure

    @Test func aVariantSharesEveryWeightAndReplacesOnlyTheApproximationsTensors() throws {
        let model = Self.model(Self.config(.linformer))
        let same = try model.withAttention(projection: 3)
        #expect(zip(same.parameters, model.parameters).allSatisfy { $0 === $1 })
        let narrower = try model.withAttention(projection: 2)
        #expect(narrower.parameters.map(\.name) == model.parameters.map(\.name))
        for (p, q) in zip(narrower.parameters, model.parameters) {
            if p.name.contains("linformer") {
                #expect(p !== q && p.shape.dims == [2, 6])
            } else {
                #expect(p === q)
            }
        }
        // Stand-ins are seeded: the same twice, another seed another draw.
        let again = try model.withAttention(projection: 2)
        #expect(zip(narrower.parameters, again.parameters).allSatisfy { $0.tensor == $1.tensor })
        let reseeded = try model.withAttention(projection: 2, featureSeed: 99)
        #expect(reseeded.linformer(at: .encoder(layer: 0))!.e.tensor != narrower.linformer(at: .encoder(layer: 0))!.e.tensor)

        let performer = try model.withAttention(.performer, features: 5)
        #expect(performer.performerFeatures!.encoder.allSatisfy { $0.shape == [5, 4] })
        #expect(!performer.parameters.contains { $0.name.contains("linformer") })
        #expect(try performer.withAttention(features: 5).performerFeatures == performer.performerFeatures)
        let other = PerformerFeatures.draw(Self.config(.performer, features: 7), seed: 123)
        let set = try performer.withFeatures(other)
        #expect(set.performerFeatures == other && set.config.features == 7)
        #expect(throws: ArnnError.self) { try model.withFeatures(other) }
        #expect(throws: ArnnError.self) { try performer.withFeatures(PerformerFeatures(encoder: other.encoder, cross: [])) }
        let error = #expect(throws: ArnnError.self) { try model.withAttention(projection: 7) }
        #expect(error?.message.hasPrefix("transformer config: projection must be") == true)
    }

    @Test func liveSettingsOfferTheApproximationsKOrMByPowersOfTwoAndAdjustedKeepsTheTrainedTensorsAtTheTrainedValue() throws {
        #expect(Self.model(Self.config(.softmax)).liveSettings.isEmpty)
        let linformer = Self.model(Self.config(.linformer))
        let k = try #require(linformer.liveSettings.first)
        #expect(linformer.liveSettings.count == 1 && k.field == "projection" && k.symbol == "k" && k.trained == 3)
        #expect(k.values == [1, 2, 3, 4, 6])
        // At the trained k the learned E and F stay; at another, stand-ins of the new shape.
        let same = try linformer.adjusted(["projection": 3])
        #expect(zip(same.parameters, linformer.parameters).allSatisfy { $0 === $1 })
        let wider = try linformer.adjusted(["projection": 4])
        #expect(wider.config.projection == 4 && wider.linformer(at: .cross(layer: 1))!.e.shape.dims == [4, 6])
        #expect(throws: ArnnError.self) { try linformer.adjusted(["projection": 0]) }
        let refused = #expect(throws: ArnnError.self) { try linformer.adjusted(["features": 16]) }
        #expect(refused?.message == "transformer: features cannot change without retraining (only projection can)")

        let performer = Self.model(Self.config(.performer))
        let m = try #require(performer.liveSettings.first)
        #expect(m.field == "features" && m.trained == 8 && m.values.first == 1 && m.values.last == 4096 && m.values.contains(8))
        #expect(try performer.adjusted(["features": 8]).performerFeatures == performer.performerFeatures)
        let more = try performer.adjusted(["features": 32])
        #expect(more.config.features == 32 && more.performerFeatures!.cross.allSatisfy { $0.shape == [32, 4] })
        #expect(throws: ArnnError.self) { try Self.model(Self.config(.softmax)).adjusted(["features": 8]) }
    }

    @Test func aLiveSettingStepsAlongItsValuesAndClampsAtTheEnds() {
        let m = LiveSetting(field: "features", symbol: "m", trained: 48, values: [1, 2, 4, 64, 64], untrainedNote: "afresh")
        #expect(m.values == [1, 2, 4, 48, 64])
        #expect(m.value(from: 48, steps: 1) == 64 && m.value(from: 48, steps: -1) == 4 && m.value(from: 64, steps: 1) == 64)
        #expect(m.value(from: 1, steps: -3) == 1 && m.value(from: 4, steps: 2) == 64)
        // Off the ladder: the nearest rung in the direction moved.
        #expect(m.value(from: 10, steps: 1) == 48 && m.value(from: 10, steps: -1) == 4)
        #expect(m.describe(48) == "m = 48, as trained" && m.describe(2) == "m = 2 (trained at 48; afresh)")
        #expect(LiveSetting.powersOfTwo(upTo: 48) == [1, 2, 4, 8, 16, 32, 48])
    }

    @Test func theAttentionErrorFollowsItsDefinitionAndTheMapsBesideIt() throws {
        let sources = [[4, 5, 6, 7, 8], [8, 4, 6]], targets = [[5, 6], [7, 8, 9]]
        // Exact attention has nothing to measure.
        let softmax = try Self.model(Self.config(.softmax)).attentionError(sources: sources, targets: targets)
        #expect(softmax.mean == 0 && softmax.heads.isEmpty)
        // The identity Linformer is exact, at k = n = S (every source 5 long).
        let identity = Self.model(Self.config(.linformer, projection: 5, maxSourceLength: 5))
        for p in identity.parameters where p.name.contains("linformer") {
            p.tensor = Tensor(shape: [5, 5], data: (0..<25).map { $0 % 6 == 0 ? 1 : 0 })
        }
        let zero = try identity.attentionError(sources: [[4, 5, 6, 7, 8], [8, 4, 6, 5, 5]], targets: targets)
        #expect(zero.heads.count == 8 && zero.heads.allSatisfy { $0.relativeError < 1e-5 }, "\(zero)")

        let model = Self.model(Self.config(.performer))
        let measured = try model.attentionError(sources: sources, targets: targets)
        #expect(measured.heads.map(\.site) == [.encoder(layer: 0), .encoder(layer: 0), .encoder(layer: 1), .encoder(layer: 1),
                                               .cross(layer: 0), .cross(layer: 0), .cross(layer: 1), .cross(layer: 1)])
        #expect(measured.heads.allSatisfy { $0.relativeError > 0 })
        #expect(abs(measured.mean - measured.heads.map(\.relativeError).reduce(0, +) / 8) < 1e-6)

        // One sentence: the maps, and eq. (21) by hand for encoder layer 0 from them and V.
        let source = [4, 5, 6, 7, 8], target = [5, 6]
        let maps = try model.compareAttention(source: source, target: target)
        #expect(maps.map(\.site) == [.encoder(layer: 0), .encoder(layer: 1), .cross(layer: 0), .cross(layer: 1)])
        #expect(maps[2].exact[0].count == 3 && maps[2].exact[0].allSatisfy { $0.count == 5 })
        let g = Graph()
        let memory = model.encode(g, sources: [source])
        let exactModel = try model.withAttention(.softmax)
        let exactMemory = exactModel.encode(g, sources: [source])
        let d = 8, dk = 4
        let layer = model.encoderLayers[0]
        let x = g.add(g.scale(g.embedding(g.param(model.sourceEmbedding), ids: source), Float(d).squareRoot()),
                      g.constant(SinusoidalPositions.table(count: 5, size: d)))
        let a = g.layerNorm(x, gain: g.param(layer.norm1.weight), bias: g.param(layer.norm1.bias))
        let w = g.param(layer.selfAttention.inProjectionWeight), bias = g.param(layer.selfAttention.inProjectionBias)
        let values = g.value(g.linear(a, weight: g.slice(w, axis: 0, start: 2 * d, count: d),
                                      bias: g.slice(bias, axis: 0, start: 2 * d, count: d)))      // [5, d]
        for j in 0..<2 {
            // Layer 0 reads the same input in both models: its exact map is the softmax model's.
            let exactMap = maps[0].exact[j], approximateMap = maps[0].approximate[j]
            #expect(Self.rows(g.matrix(exactMemory.encoderWeights[0], example: j)) == exactMap)
            #expect(Self.rows(g.matrix(memory.encoderWeights[0], example: j)) == approximateMap)
            var difference: Float = 0, norm: Float = 0
            for i in 0..<5 { for c in 0..<dk {
                let column = (0..<5).map { values[$0, j * dk + c] }
                let e = zip(exactMap[i], column).reduce(0) { $0 + $1.0 * $1.1 }
                let p = zip(approximateMap[i], column).reduce(0) { $0 + $1.0 * $1.1 }
                difference += (p - e) * (p - e)
                norm += e * e
            } }
            #expect(abs(maps[0].relativeErrors[j] - (difference / norm).squareRoot()) < 1e-4,
                    "head \(j): \(maps[0].relativeErrors[j]) vs \((difference / norm).squareRoot())")
        }
    }

    // MARK: Config

    @Test(arguments: [
        ("projection", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, attention: .linformer, projection: 0)),
        ("projection", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, projection: 65, maxSourceLength: 64)),
        ("maxSourceLength", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, maxSourceLength: 0)),
        ("features", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, attention: .performer, features: 0)),
        ("features", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, features: 20000)),
        ("redrawEvery", TransformerConfig(sourceVocabulary: 9, targetVocabulary: 9, redrawEvery: -1)),
    ])
    func anInvalidApproximationSettingIsRefusedInOneLineNamingTheField(field: String, config: TransformerConfig) {
        let error = #expect(throws: ArnnError.self) { try config.validate() }
        #expect(error?.message.hasPrefix("transformer config: \(field) must be") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test func aSourceLongerThanTheLinformersMaxSourceLengthIsRefused() throws {
        let config = Self.config(.linformer)                 // n = 6
        try config.validate(sourceLength: 6)
        let error = #expect(throws: ArnnError.self) { try config.validate(sourceLength: 7) }
        #expect(error?.message == "transformer config: maxSourceLength must be at least 7 (the longest source to read; "
                + "the Linformer's projections cover 6 positions), got 6")
        #expect(throws: ArnnError.self) {
            try Self.model(config).attentionError(sources: [[4, 5, 6, 7, 8, 4, 5]], targets: [[5]])
        }
        // The other attentions read any length.
        try Self.config(.performer).validate(sourceLength: 500)
        try Self.model(Self.config(.softmax)).validate(sourceLength: 500)
        let json = try TransformerConfig.decode(json: #"{"sourceVocabulary": 20, "targetVocabulary": 30, "attention": "performer"}"#)
        #expect(json.attention == .performer && json.features == 64 && json.projection == 16 && json.maxSourceLength == 64
                && json.featureSeed == 1 && json.redrawEvery == 100)
    }
}
