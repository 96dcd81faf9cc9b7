import Engine
import Foundation
import Models
import Testing

/// The neural stack, queue and deque (docs/models/neural-stack.md) against arnn_torch's, written from the same
/// doc (Tests/Fixtures/make_neural_stack_fixture.py): an 8-step episode of a batch of 3 for each structure,
/// with pops large enough to empty rows and reach past them, and the two strength operations alone on values
/// that land exactly on the ties of max and min.
@Suite struct NeuralStackParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/neural_stack_parity.safetensors").path

    /// Step t's rows of `v` [B, N_t] (or per head), each zero-padded to `width`: the fixture's layout.
    func padded(_ g: Graph, _ v: Var, width: Int) -> [Float] {
        let t = g.value(v), b = t.shape[0], n = t.shape[1]
        var out: [Float] = []
        for j in 0..<b {
            out += t.data[(j * n)..<((j + 1) * n)]
            out += [Float](repeating: 0, count: width - n)
        }
        return out
    }

    func checkEpisode<S: ContinuousStructure>(_: S.Type) throws {
        var fixture = try ParityFixture(path: Self.fixturePath, group: S.kind)
        let model = try NeuralStack<S>(checkpoint: fixture.weights)
        #expect(model.config == NeuralStackConfig(inputSize: 5, outputSize: 4, hiddenSize: 6, valueSize: 3, popBias: -1))
        let batch = fixture.batch, e = S.heads.count, width = e * fixture.steps
        let g = Graph(recording: true)
        var state = model.initialState(g, batch: batch)
        var logits: [Var] = [], push: [Float] = [], pop: [Float] = [], reads: [Float] = []
        var strengths: [Float] = [], readWeights: [Float] = []
        for t in 0..<fixture.steps {
            let (next, vars) = model.step(g, input: fixture.input(g, step: t), state: state)
            logits.append(vars.logits)
            push += g.value(vars.push).data
            pop += g.value(vars.pop).data
            reads += g.value(vars.read).data
            strengths += padded(g, vars.strengths, width: width)
            // [B, E, width] per step: example by example, each head's weights.
            let perHead = vars.readWeights.map { padded(g, $0, width: width) }
            for j in 0..<batch { for k in 0..<e { readWeights += perHead[k][(j * width)..<((j + 1) * width)] } }
            state = next
        }
        fixture.backward(g, logits: logits)

        fixture.expectClose(logits.flatMap { g.value($0).data }, "reference.logits", label: S.kind)
        fixture.expectClose(push, "reference.push", label: S.kind)                    // (13)
        fixture.expectClose(pop, "reference.pop", label: S.kind)                      // (14)
        fixture.expectClose(strengths, "reference.strengths", label: S.kind)          // (1), (2), (5), (7)-(9)
        fixture.expectClose(readWeights, "reference.read_weights", label: S.kind)     // (3), (6), (10), (11)
        fixture.expectClose(reads, "reference.reads", label: S.kind)
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "\(S.kind) gradient")
        }
        // The fixture covers every parameter, and nothing else.
        #expect(Set(model.parameters.map(\.name)) == Set(fixture.weights.tensors.keys))
        // The episode passes through the cases the script promises: rows popped to exactly 0 that stay in
        // the structure, and pops that take part of a row (counted by the script from its plain equations).
        let coverage: [String: Int] = try fixture.metadata("coverage")
        #expect(coverage["rows_emptied"]! > 0 && coverage["partial_pops"]! > 0 && coverage["reads_cut_at_depth"]! > 0)
        let reference = fixture.reference["reference.strengths"]!
        #expect(reference.data.contains(0) && reference.data.contains { $0 > 0 && $0 < 0.5 })
        fixture.printWorst()
    }

    @Test func theStackMatchesArnnTorchOverABatchedEpisode() throws { try checkEpisode(ContinuousStack.self) }
    @Test func theQueueMatchesArnnTorchOverABatchedEpisode() throws { try checkEpisode(ContinuousQueue.self) }
    @Test func theDequeMatchesArnnTorchOverABatchedEpisode() throws { try checkEpisode(ContinuousDeque.self) }

    /// `neuralPop` and `neuralReadWeights` alone, from each end, on strengths and pops in quarters that land
    /// exactly on their ties, where PyTorch's clamp and minimum would give other gradients (by 0.68 here).
    @Test func theOperationsTieAsFootnoteOneSaysFromEitherEnd() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let s = fixture.reference["ops.strengths"]!, u = fixture.reference["ops.amount"]!
        for end in StackEnd.allCases {
            let name = "ops.\(end.rawValue)"
            let g = Graph(recording: true)
            let sv = g.variable(s), uv = g.variable(u)
            let popped = g.neuralPop(sv, amount: uv, from: end)
            g.backward(g.sum(g.mul(popped, g.constant(fixture.reference["\(name).pop_upstream"]!))))
            fixture.expectClose(g.value(popped).data, "\(name).pop")
            fixture.expectClose(g.grad(sv).data, "\(name).pop_grad_strengths")
            fixture.expectClose(g.grad(uv).data, "\(name).pop_grad_amount")

            let r = Graph(recording: true)
            let sr = r.variable(s)
            let weights = r.neuralReadWeights(sr, from: end)
            r.backward(r.sum(r.mul(weights, r.constant(fixture.reference["\(name).read_upstream"]!))))
            fixture.expectClose(r.value(weights).data, "\(name).read_weights")
            fixture.expectClose(r.grad(sr).data, "\(name).read_grad_strengths")
        }
        fixture.printWorst()
    }
}
