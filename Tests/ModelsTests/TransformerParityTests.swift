import Engine
import Foundation
import Models
import Testing

/// The transformer (docs/models/transformer.md) against arnn_torch's, written from the same doc and checked
/// there against PyTorch's own pre-norm layers and against the doc's equations in float64
/// (Tests/Fixtures/make_transformer_fixture.py). Exact attention: d = 16 in 4 heads, F = 32, 2 + 2 layers. The
/// Linformer (k = 3 of n = 7) and the Performer (m = 10): d = 8 in 2 heads, F = 8, 2 + 2 layers. Every bias
/// and norm is moved off its initial value, and three sentences are padded on both sides. arnn decodes one
/// position at a time over its key and value cache; arnn_torch's reference decodes every position at once
/// under the causal mask, so the tests also check that the two are the same numbers, and then run arnn's own
/// parallel decoder, the one training uses, against the same file.
@Suite struct TransformerParityTests {
    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    @Test func matchesArnnTorchOnAPaddedTeacherForcedBatch() throws {
        try Self.expectParity("transformer_parity.safetensors", attention: .softmax)
    }

    /// Eqs. (13)–(15): E and F are among the fixture's weights, and their gradients among its references.
    @Test func linformerMatchesArnnTorchWithEAndFCutToTheBatchsPositions() throws {
        let model = try Self.expectParity("transformer_linformer_parity.safetensors", attention: .linformer)
        #expect(model.config.maxSourceLength > 5, "E and F cover more positions than the batch has")
    }

    /// Eqs. (16)–(20): arnn draws its own features from the config's `featureSeed` and must give arnn_torch's
    /// logits, maps and gradients with them.
    @Test func performerMatchesArnnTorchOnItsOwnDrawOfTheFeatures() throws {
        let model = try Self.expectParity("transformer_performer_parity.safetensors", attention: .performer)
        #expect(model.config.featureSeed != TransformerConfig.defaults.featureSeed, "a seed that is not the default")
    }

    /// Eq. (20): the features arnn draws (draw 0 of the config's seed, one stream per attention) are bit for
    /// bit the ones arnn_torch drew and used for the fixture: the same normals, the same Gram–Schmidt in
    /// Double, the same lengths. m = 10 of d_k = 4 takes blocks of 4, 4 and 2 rows.
    @Test func performerFeaturesAreTheOnesArnnTorchDrewBitForBit() throws {
        let fixture = try ParityFixture(path: Self.fixturePath("transformer_performer_parity.safetensors"))
        let model = try Transformer(checkpoint: fixture.weights)
        let c = model.config
        #expect(c.features % c.headSize != 0, "a last block cut short")
        let drawn = PerformerFeatures.draw(c, seed: c.featureSeed)
        #expect(drawn == model.performerFeatures)
        #expect(drawn.named.count == c.encoderLayers + c.decoderLayers)
        for (name, tensor) in drawn.named {
            let stored = try #require(fixture.reference["reference.\(name)"], "\(name) in the fixture")
            #expect(stored.shape == tensor.shape, "\(name)")
            let differing = zip(stored.data, tensor.data).filter { $0 != $1 }.count
            #expect(stored.data == tensor.data, "\(name): \(differing) entries differ")
        }
        // Another seed's draw differs, so the equality above says something.
        #expect(PerformerFeatures.draw(c, seed: c.featureSeed + 1).encoder[0] != drawn.encoder[0])
    }

    /// Teacher forcing as the learner scores it, on the fixture's batch: arnn's step-by-step decoder (logits,
    /// loss, every gradient, every attention map) and then arnn's parallel decoder (logits, loss and every
    /// gradient again) against the fixture. Returns the model, for checks of its own.
    @discardableResult
    static func expectParity(_ file: String, attention: TransformerAttention,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> Transformer {
        var fixture = try ParityFixture(path: fixturePath(file))
        let sources: [[Int]] = try fixture.metadata("sources")
        let targets: [[Int]] = try fixture.metadata("targets")
        let model = try Transformer(checkpoint: fixture.weights)
        let c = model.config
        #expect(c.attention == attention, "\(file) is a \(c.attention.rawValue) model", sourceLocation: sourceLocation)
        let b = sources.count, s = sources.map(\.count).max()!, steps = targets.map(\.count).max()! + 1
        #expect(sources.contains { $0.count < s } && targets.contains { $0.count + 1 < steps }, "both sides padded",
                sourceLocation: sourceLocation)
        // Decoder inputs <bos> y_1 … y_n (then <pad>), scored against y_1 … y_n <eos> (then ignored padding).
        let inputs = (0..<steps).map { t in targets.map { t == 0 ? 1 : (t <= $0.count ? $0[t - 1] : 0) } }
        let scored = (0..<steps).flatMap { t in targets.map { t < $0.count ? $0[t] : (t == $0.count ? 2 : 0) } }

        // One decoder position per step over the cache.
        model.parameters.zeroGrad()
        let g = Graph(recording: true)
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var logits: [Var] = [], vars: [Transformer.StepVars] = []
        for t in 0..<steps {
            let (next, stepVars) = model.step(g, previous: inputs[t], state: state, memory: memory)
            logits.append(stepVars.logits)
            vars.append(stepVars)
            state = next
        }
        let all = g.concat(logits, axis: 0)                                   // [T·B, V_t], step-major
        // The training loss: the cross-entropy summed over the target tokens, divided by their number.
        let loss = g.crossEntropy(all, targets: scored, ignoreIndex: 0, reduction: .mean)
        g.backward(loss)

        fixture.expectClose(g.value(all).data, "reference.logits", sourceLocation: sourceLocation)
        fixture.expectClose([g.scalar(loss)], "reference.loss", sourceLocation: sourceLocation)
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "gradient",
                                sourceLocation: sourceLocation)
        }
        // Eq. (7): each encoder layer's maps [B·h, S, S] (the implied maps of eqs. 15, 19 under an
        // approximation), layer after layer: the fixture's [N_e, B, h, S, S].
        fixture.expectClose(memory.encoderWeights.flatMap { g.value($0).data }, "reference.encoder_attention",
                            sourceLocation: sourceLocation)
        // Eqs. (10a), (10b) at every step: [T, N_d, B, h, ·]. Step t's self-attention covers positions 0 … t;
        // the fixture's row t of the masked T × T map has exact zeros after t.
        var own: [Float] = [], cross: [Float] = []
        for (t, step) in vars.enumerated() {
            #expect(step.selfWeights.count == c.decoderLayers && step.crossWeights.count == c.decoderLayers,
                    sourceLocation: sourceLocation)
            for layer in 0..<c.decoderLayers {
                let w = g.value(step.selfWeights[layer]).data                 // [B·h, 1, t + 1]
                #expect(w.count == b * c.heads * (t + 1), sourceLocation: sourceLocation)
                for row in 0..<(b * c.heads) {
                    own += w[(row * (t + 1))..<((row + 1) * (t + 1))] + [Float](repeating: 0, count: steps - t - 1)
                }
                cross += g.value(step.crossWeights[layer]).data               // [B·h, 1, S]
            }
        }
        fixture.expectClose(own, "reference.self_attention", sourceLocation: sourceLocation)
        fixture.expectClose(cross, "reference.cross_attention", sourceLocation: sourceLocation)

        // Every position at once under the causal mask, as the learner trains: the same logits and gradients.
        model.parameters.zeroGrad()
        let parallel = Graph(recording: true)
        let forced = model.teacherForcedLogits(parallel, inputs: inputs,
                                               memory: model.encode(parallel, sources: sources))
        parallel.backward(parallel.crossEntropy(forced, targets: scored, ignoreIndex: 0, reduction: .mean))
        var again = fixture
        again.expectClose(parallel.value(forced).data, "reference.logits", label: "parallel",
                          sourceLocation: sourceLocation)
        for p in model.parameters {
            again.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "parallel gradient",
                              sourceLocation: sourceLocation)
        }
        fixture.printWorst()
        again.printWorst()
        return model
    }
}
