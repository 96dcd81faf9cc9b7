import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The neural stack, queue and deque against docs/models/neural-stack.md (equation numbers below refer
/// to it).
@Suite struct NeuralStackTests {
    static let small = NeuralStackConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, valueSize: 3)

    func randomInputs(steps: Int, batch: Int, width: Int, seed: UInt64) -> [Tensor] {
        var rng = SeededRNG(seed: seed)
        return (0..<steps).map { _ in rng.uniformTensor([batch, width], -1, 1) }
    }

    func model<S: ContinuousStructure>(_: S.Type, seed: UInt64, config: NeuralStackConfig = small) -> NeuralStack<S> {
        var rng = SeededRNG(seed: seed)
        return NeuralStack<S>(config: config, rng: &rng)
    }

    @Test func parametersAreNamedAsThePyTorchModuleWithOneHeadOrTwo() {
        let stack = model(ContinuousStack.self, seed: 1), deque = model(ContinuousDeque.self, seed: 1)
        let names = ["controller.weight_ih", "controller.weight_hh", "controller.bias_ih", "controller.bias_hh", "initial_hidden",
                     "push.weight", "push.bias", "pop.weight", "pop.bias", "value.weight", "value.bias",
                     "output.weight", "output.bias", "readout.weight", "readout.bias"]
        #expect(stack.parameters.map(\.name) == names)
        #expect(stack.parameters.map(\.shape.dims) == [[16, 6], [16, 4], [16], [16], [4], [1, 4], [1], [1, 4], [1], [3, 4], [3],
                                                       [4, 4], [4], [2, 4], [2]])
        // The deque reads two values (top, bottom) and has two of each head.
        #expect(deque.parameters.map(\.shape.dims) == [[16, 9], [16, 4], [16], [16], [4], [2, 4], [2], [2, 4], [2], [6, 4], [6],
                                                       [4, 4], [4], [2, 4], [2]])
        // Appendix B: the pop bias starts at −1.
        #expect(deque.pop.bias!.tensor.data == [-1, -1])
        #expect(NeuralStack<ContinuousStack>.kind == "stack" && NeuralStack<ContinuousQueue>.kind == "queue"
                && NeuralStack<ContinuousDeque>.kind == "deque")
    }

    @Test func bottomPushBiasStartsOnlyTheDequesBottomHeadAndOnlyADequeTakesIt() throws {
        var config = Self.small
        config.pushBias = 1
        config.bottomPushBias = -2
        #expect(model(ContinuousDeque.self, seed: 1, config: config).push.bias!.tensor.data == [1, -2])
        // Unset, the bottom head starts as the top does.
        config.bottomPushBias = nil
        #expect(model(ContinuousDeque.self, seed: 1, config: config).push.bias!.tensor.data == [1, 1])
        config.bottomPushBias = -2
        try NeuralStack<ContinuousDeque>.validate(config)
        #expect(throws: ArnnError.self) { try NeuralStack<ContinuousStack>.validate(config) }
        #expect(throws: ArnnError.self) { try NeuralStack<ContinuousQueue>.validate(config) }
        config.bottomPushBias = .infinity
        #expect(throws: ArnnError.self) { try NeuralStack<ContinuousDeque>.validate(config) }
        // Stored as null when unset (so --set finds the field), and read back either way.
        let unset = String(decoding: try JSONEncoder().encode(Self.small), as: UTF8.self)
        #expect(unset.contains("\"bottomPushBias\":null"))
        #expect(try NeuralStackConfig.decode(json: Data(unset.utf8)) == Self.small)
        config.bottomPushBias = -2
        #expect(try NeuralStackConfig.decode(json: JSONEncoder().encode(config)) == config)
    }

    func gradientCheck<S: ContinuousStructure>(_: S.Type, seed: UInt64) {
        let m = model(S.self, seed: seed)
        // A pop bias near 0 keeps u_t near ½, so pops remove part of a row as often as all of it.
        m.pop.bias!.tensor = Tensor(shape: [S.heads.count], data: [Float](repeating: 0.2, count: S.heads.count))
        let xs = randomInputs(steps: 5, batch: 2, width: 3, seed: seed + 1)
        checkParameterGradients(m.parameters, h: 1e-3, atol: 3e-3) { g in
            g.concat(m.logits(g, inputs: xs.map { g.constant($0) }), axis: 1)
        }
    }

    @Test func gradientOfAWholeEpisodeMatchesFiniteDifferencesForEachStructure() {
        gradientCheck(ContinuousStack.self, seed: 31)
        gradientCheck(ContinuousQueue.self, seed: 33)
        gradientCheck(ContinuousDeque.self, seed: 35)
    }

    func snapshots<S: ContinuousStructure>(_ m: NeuralStack<S>, steps: Int, example b: Int = 1) -> [NeuralStackSnapshot] {
        let xs = randomInputs(steps: steps, batch: 2, width: 3, seed: 41)
        let g = Graph()
        var state = m.initialState(g, batch: 2)
        var out: [NeuralStackSnapshot] = []
        for x in xs {
            let (next, vars) = m.step(g, input: g.constant(x), state: state)
            out.append(vars.snapshot(g, example: b))
            state = next
        }
        return out
    }

    @Test func aStackStepPopsTheOldRowsThenPushesAndReadsTheTop() {
        let snaps = snapshots(model(ContinuousStack.self, seed: 42), steps: 6)
        for (t, s) in snaps.enumerated() {
            #expect(s.strengths.count == t + 1 && s.values.count == t + 1 && s.rowSteps == Array(0...t))
            #expect(abs(s.strengths[t] - s.push[0]) < 1e-6)                                      // (1)
            if t > 0 {
                // (2): each old row loses what the pop leaves after the rows above it.
                let before = snaps[t - 1].strengths
                var above: Float = 0
                for i in stride(from: t - 1, through: 0, by: -1) {
                    #expect(abs(s.strengths[i] - max(0, before[i] - max(0, s.pop[0] - above))) < 1e-6)
                    above += before[i]
                }
            }
            // (3): the read is the weighted sum of the rows, with weights of total at most 1.
            let w = s.readWeights[0]
            #expect(w.reduce(0, +) <= 1 + 1e-6)
            for j in 0..<3 {
                let r = zip(w, s.values).map { $0 * $1[j] }.reduce(0, +)
                #expect(abs(r - s.reads[0][j]) < 1e-5)
            }
            #expect(abs(s.output.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func aQueueReadsItsOldestRowFirst() {
        let snaps = snapshots(model(ContinuousQueue.self, seed: 43), steps: 5)
        for s in snaps {
            // (6): the bottom row's weight is its whole strength (nothing lies below it).
            #expect(abs(s.readWeights[0][0] - min(s.strengths[0], 1)) < 1e-6)
        }
    }

    @Test func aDequePushesOneRowAtEachEndEveryStep() {
        let snaps = snapshots(model(ContinuousDeque.self, seed: 44), steps: 4)
        for (t, s) in snaps.enumerated() {
            #expect(s.strengths.count == 2 * (t + 1))
            // (9): the bottom push is row 0, the top push the last row; older rows sit between.
            #expect(abs(s.strengths.first! - s.push[1]) < 1e-6 && abs(s.strengths.last! - s.push[0]) < 1e-6)
            #expect(s.rowSteps == Array((0...t).reversed()) + Array(0...t))
            #expect(s.rowHeads == [Int](repeating: 1, count: t + 1) + [Int](repeating: 0, count: t + 1))
            #expect(s.reads.count == 2 && s.readWeights.count == 2 && s.heads == ["top", "bottom"])
        }
    }

    @Test func steppingWithoutATapeGivesTheSameLogitsAsTheUnrolledEpisode() {
        let m = model(ContinuousDeque.self, seed: 45)
        let xs = randomInputs(steps: 6, batch: 2, width: 3, seed: 46)
        let g = Graph(recording: true)
        let unrolled = m.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        var stepped: [Tensor] = []
        let sg = Graph()
        m.runStepwise(sg, batch: 2, steps: xs.count, input: { xs[$0] }) { _, vars in stepped.append(sg.value(vars.logits)) }
        #expect(stepped == unrolled)
    }
}
