import Engine
import Foundation
import Models
import Testing

/// The transformer (docs/models/transformer.md) against arnn_torch's, written from the same doc and checked
/// there against PyTorch's own pre-norm layers (Tests/Fixtures/make_transformer_fixture.py): d = 16 in 4 heads,
/// F = 32, 2 + 2 layers, every bias and norm moved off its initial value, and three sentences padded on both
/// sides. arnn decodes one position at a time over its key and value cache; arnn_torch's reference decodes
/// every position at once under the causal mask, so the test also checks that the two are the same numbers.
@Suite struct TransformerParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/transformer_parity.safetensors").path

    @Test func matchesArnnTorchOnAPaddedTeacherForcedBatch() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let sources: [[Int]] = try fixture.metadata("sources")
        let targets: [[Int]] = try fixture.metadata("targets")
        let model = try Transformer(checkpoint: fixture.weights)
        let c = model.config
        let b = sources.count, s = sources.map(\.count).max()!, steps = targets.map(\.count).max()! + 1
        #expect(sources.contains { $0.count < s } && targets.contains { $0.count + 1 < steps }, "both sides padded")

        // Teacher forcing as the learner runs it: encode once, then one decoder position per step, reading
        // <bos> y_1 … y_n (then <pad>) and scored against y_1 … y_n <eos> (then ignored padding).
        let g = Graph(recording: true)
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var logits: [Var] = [], scored: [Int] = [], vars: [Transformer.StepVars] = []
        for t in 0..<steps {
            let previous = targets.map { t == 0 ? 1 : (t <= $0.count ? $0[t - 1] : 0) }
            scored += targets.map { t < $0.count ? $0[t] : (t == $0.count ? 2 : 0) }
            let (next, stepVars) = model.step(g, previous: previous, state: state, memory: memory)
            logits.append(stepVars.logits)
            vars.append(stepVars)
            state = next
        }
        let all = g.concat(logits, axis: 0)                                   // [T·B, V_t], step-major
        // The training loss: the cross-entropy summed over the target tokens, divided by their number.
        let loss = g.crossEntropy(all, targets: scored, ignoreIndex: 0, reduction: .mean)
        g.backward(loss)

        fixture.expectClose(g.value(all).data, "reference.logits")
        fixture.expectClose([g.scalar(loss)], "reference.loss")
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "gradient")
        }
        // Eq. (7): each encoder layer's maps [B·h, S, S], layer after layer: the fixture's [N_e, B, h, S, S].
        fixture.expectClose(memory.encoderWeights.flatMap { g.value($0).data }, "reference.encoder_attention")
        // Eqs. (10a), (10b) at every step: [T, N_d, B, h, ·]. Step t's self-attention covers positions 0 … t;
        // the fixture's row t of the masked T × T map has exact zeros after t.
        var own: [Float] = [], cross: [Float] = []
        for (t, step) in vars.enumerated() {
            #expect(step.selfWeights.count == c.decoderLayers && step.crossWeights.count == c.decoderLayers)
            for layer in 0..<c.decoderLayers {
                let w = g.value(step.selfWeights[layer]).data                 // [B·h, 1, t + 1]
                #expect(w.count == b * c.heads * (t + 1))
                for row in 0..<(b * c.heads) {
                    own += w[(row * (t + 1))..<((row + 1) * (t + 1))] + [Float](repeating: 0, count: steps - t - 1)
                }
                cross += g.value(step.crossWeights[layer]).data               // [B·h, 1, S]
            }
        }
        fixture.expectClose(own, "reference.self_attention")
        fixture.expectClose(cross, "reference.cross_attention")
        fixture.printWorst()
    }
}
