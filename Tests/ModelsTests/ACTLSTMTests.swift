import Engine
import Foundation
import Models
import TestSupport
import Testing

/// ACT around an LSTM cell (`cell` "lstm"), against docs/models/act.md's eq. (1b): the state s is [h ; c],
/// and the output layer, the halting unit and the means of eq. (7) read all of it. The PyTorch fixture
/// (`act_lstm_parity.safetensors`) is checked in `ACTTests.matchesPyTorchOverATwoStepEpisode`.
@Suite struct ACTLSTMTests {
    static let small = ACTConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, cell: "lstm", maxSteps: 100,
                                 epsilon: 0.01, tau: 0.5)

    func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }

    /// The tanh cell's suite's helpers: `close` (within a tolerance) and `snapshots` (a run, step by step).
    let base = ACTTests()

    /// A model whose halting unit leans little on the state: h ≈ 0.3 at every sub-step, so N = 4 with
    /// every budget before it well below 1 − ε, and small changes of any weight never move N.
    func gentleModel(seed: UInt64 = 40) -> ACTModel {
        var rng = SeededRNG(seed: seed)
        let model = ACTModel(config: Self.small, rng: &rng)
        model.halt.weight.tensor = Tensor(shape: [1, 8], data: model.halt.weight.tensor.data.map { $0 * 0.2 })
        model.halt.bias!.tensor = Tensor(shape: [1], data: [Foundation.log(0.3 / 0.7)])
        return model
    }

    @Test func parametersAreNamedAsAnLSTMCellAndTheStateIsTwiceTheHiddenSize() {
        var rng = SeededRNG(seed: 41)
        let model = ACTModel(config: Self.small, rng: &rng)
        let expected: [(String, [Int])] = [
            ("cell.weight_ih", [16, 4]), ("cell.weight_hh", [16, 4]), ("cell.bias_ih", [16]), ("cell.bias_hh", [16]),
            ("output.weight", [2, 8]), ("output.bias", [2]), ("halt.weight", [1, 8]), ("halt.bias", [1]),
        ]
        #expect(model.parameters.map(\.name) == expected.map(\.0))
        #expect(model.parameters.map(\.shape.dims) == expected.map(\.1))
        #expect(model.isLSTM && model.stateSize == 8 && model.halt.bias!.tensor.data == [1])
        // The cell's weights are nn.LSTMCell's initialisation: uniform in ±1/√H = ±0.5.
        let cell = model.parameters.prefix(4).flatMap(\.tensor.data)
        #expect(cell.allSatisfy { abs($0) <= 0.5 } && cell.contains { abs($0) > 0.4 })
    }

    /// Every sub-step recomputed by hand from eq. (1b) and the weights, then (2)–(8) as for the tanh cell.
    @Test func snapshotFollowsTheLSTMEquations() {
        var rng = SeededRNG(seed: 42)
        let model = ACTModel(config: Self.small, rng: &rng)
        let xs = (0..<3).map { _ in rng.uniformTensor([2, 3], -1, 1) }
        let snaps = base.snapshots(model, xs, example: 1)
        let wih = model.weightIH.tensor, whh = model.weightHH.tensor
        let bih = model.biases[0].tensor, bhh = model.biases[1].tensor
        let wy = model.output.weight.tensor, by = model.output.bias!.tensor
        let wh = model.halt.weight.tensor, bh = model.halt.bias!.tensor
        var previous = [Float](repeating: 0, count: 8)                                  // s_0 = [h ; c] = 0
        #expect(snaps.map(\.steps).allSatisfy { $0 >= 2 }, "\(snaps.map(\.steps))")
        for (t, s) in snaps.enumerated() {
            let x = Array(xs[t].data[3..<6])
            var sub = previous
            for n in 0..<s.steps {
                let input = x + [n == 0 ? 1 : 0]                                       // [x ; δ_{n=1}]
                let h = Array(sub[0..<4]), c = Array(sub[4..<8])
                let z = (0..<16).map { r in
                    bih.data[r] + bhh.data[r] + (0..<4).reduce(Float(0)) { $0 + wih[r, $1] * input[$1] + whh[r, $1] * h[$1] }
                }
                let cNext = (0..<4).map { j in sigmoid(z[4 + j]) * c[j] + sigmoid(z[j]) * Foundation.tanh(z[8 + j]) }
                let hNext = (0..<4).map { j in sigmoid(z[12 + j]) * Foundation.tanh(cNext[j]) }
                sub = hNext + cNext                                                    // (1b)
                base.close(s.subStates[n], sub, "t \(t) n \(n) s^n = [h ; c]")
                base.close(s.subLogits[n], (0..<2).map { r in by.data[r] + (0..<8).reduce(Float(0)) { $0 + wy[r, $1] * sub[$1] } },
                      "t \(t) n \(n) y^n")                                               // (2) reads [h ; c]
                base.close([s.halting[n]], [sigmoid(bh.data[0] + (0..<8).reduce(Float(0)) { $0 + wh[0, $1] * sub[$1] })],
                      "t \(t) n \(n) h^n")                                               // (3) reads [h ; c]
            }
            base.close(s.weights, s.halting.dropLast() + [s.remainder], "t \(t) p")           // (6)
            let mean = (0..<8).map { i in (0..<s.steps).reduce(Float(0)) { $0 + s.weights[$1] * s.subStates[$1][i] } }
            base.close(s.state, mean, "t \(t) s_t = Σ p s^n, h and c alike")                  // (7)
            previous = s.state                                                         // s_{t+1}^0 = s_t
        }
    }

    @Test func examplesOfABatchMatchRunningAlone() {
        let model = gentleModel()
        var rng = SeededRNG(seed: 43)
        let xs = (0..<3).map { _ in rng.uniformTensor([3, 3], -1, 1) }
        for b in 0..<3 {
            let batched = base.snapshots(model, xs, example: b)
            let alone = base.snapshots(model, xs.map { Tensor(shape: [1, 3], data: Array($0.data[(3 * b)..<(3 * b + 3)])) }, example: 0)
            for (t, (x, y)) in zip(batched, alone).enumerated() {
                #expect(x.steps == y.steps)
                base.close(x.state, y.state, "t \(t) example \(b) s_t")
                base.close(x.logits, y.logits, "t \(t) example \(b) y_t")
                base.close([x.ponder], [y.ponder], "t \(t) example \(b) ρ")
            }
        }
    }

    @Test func gradientOfLogitsAndPonderCostMatchesFiniteDifferences() {
        let model = gentleModel()
        var rng = SeededRNG(seed: 44)
        let xs = (0..<2).map { _ in rng.uniformTensor([2, 3], -1, 1) }
        // No example near a halting boundary, so finite differences never move an N.
        for b in 0..<2 {
            for s in base.snapshots(model, xs, example: b) {
                #expect(s.steps == 4, "\(s.cumulative)")
                #expect(s.cumulative.dropLast().allSatisfy { $0 < 0.95 } && s.cumulative.last! > 1.03, "\(s.cumulative)")
            }
        }
        checkParameterGradients(model.parameters) { g in
            let vars = model.unroll(g, inputs: xs.map { g.constant($0) })
            return g.concat(vars.flatMap { [$0.logits, g.reshape($0.auxiliaryCost!, [2, 1])] }, axis: 1)
        }
    }

    @Test func aCheckpointOfTheOtherCellIsRefusedByName() throws {
        var rng = SeededRNG(seed: 45)
        let lstm = ACTModel(config: Self.small, rng: &rng)
        var checkpoint = lstm.checkpoint()
        checkpoint.metadata["arnn.config"] = String(decoding: try JSONEncoder().encode(
            ACTConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, cell: "rnn", tau: 0.5)), as: UTF8.self)
        do { _ = try ACTModel(checkpoint: checkpoint); Issue.record("an LSTM's weights loaded as a tanh cell") } catch let e as ArnnError {
            #expect(e.message.contains("cell."), "\(e.message)")
        }
        let round = try ACTModel(checkpoint: lstm.checkpoint())
        #expect(round.parameters.map(\.tensor) == lstm.parameters.map(\.tensor) && round.config == lstm.config)
    }
}
