import Engine
import Foundation
import Models
import TestSupport
import Testing

/// Adaptive Computation Time against docs/models/act.md (equation numbers below refer to it) and against
/// a PyTorch transcription of it (Tests/Fixtures/make_act_fixture.py).
@Suite struct ACTTests {
    static let small = ACTConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, maxSteps: 100, epsilon: 0.01, tau: 0.5)
    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name).safetensors").path
    }

    func logit(_ p: Float) -> Float { Foundation.log(p / (1 - p)) }

    /// A model whose halting unit ignores the state: h = σ(bias) at every sub-step.
    func constantHalting(_ h: Float, config: ACTConfig = small, seed: UInt64 = 30) -> ACTModel {
        var rng = SeededRNG(seed: seed)
        let model = ACTModel(config: config, rng: &rng)
        model.halt.weight.tensor = Tensor(shape: [1, config.hiddenSize])
        model.halt.bias!.tensor = Tensor(shape: [1], data: [logit(h)])
        return model
    }

    /// A model whose hidden unit 0 is tanh(3·x₀) at every sub-step (nothing else feeds it) and whose
    /// halting unit reads only that unit: x₀ = +1 gives h ≈ 0.45 (N = 3, budget 0.90 after two sub-steps),
    /// x₀ = −1 gives h ≈ 0.30 (N = 4, budget 0.90 after three). Every budget stays ≥ 0.08 away from
    /// 1 − ε, so small changes of any weight never move N (finite differences stay smooth).
    func twoSpeedModel() -> ACTModel {
        var rng = SeededRNG(seed: 31)
        let model = ACTModel(config: Self.small, rng: &rng)
        var wih = model.weightIH.tensor, whh = model.weightHH.tensor, b = model.biases[0].tensor
        for j in 0..<4 { wih[0, j] = j == 0 ? 3 : 0; whh[0, j] = 0 }
        b.data[0] = 0
        model.weightIH.tensor = wih; model.weightHH.tensor = whh; model.biases[0].tensor = b
        model.halt.weight.tensor = Tensor(shape: [1, 4], data: [0.323, 0, 0, 0])
        model.halt.bias!.tensor = Tensor(shape: [1], data: [-0.524])
        return model
    }

    /// Two steps of a batch of two: example 0 has x₀ = +1, example 1 x₀ = −1, the rest random.
    func twoSpeedInputs() -> [Tensor] {
        var rng = SeededRNG(seed: 32)
        return (0..<2).map { _ in
            var t = rng.uniformTensor([2, 3], -1, 1)
            t[0, 0] = 1; t[1, 0] = -1
            return t
        }
    }

    func close(_ a: [Float], _ b: [Float], _ what: String, tol: Float = 1e-5,
               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol }, "\(what): \(a) vs \(b)",
                sourceLocation: sourceLocation)
    }

    func snapshots(_ model: ACTModel, _ xs: [Tensor], example b: Int) -> [ACTSnapshot] {
        let g = Graph()
        var state = model.initialState(g, batch: g.shape(g.constant(xs[0]))[0])
        return xs.map { x in
            let (next, vars) = model.step(g, input: g.constant(x), state: state)
            state = next
            return vars.snapshot(g, example: b)
        }
    }

    @Test func parametersAreNamedAsPyTorchWouldWithTheFlagColumnAndAHaltingBiasOfOne() {
        var rng = SeededRNG(seed: 33)
        let model = ACTModel(config: Self.small, rng: &rng)
        let expected: [(String, [Int])] = [
            ("cell.weight_ih", [4, 4]), ("cell.weight_hh", [4, 4]), ("cell.bias", [4]),
            ("output.weight", [2, 4]), ("output.bias", [2]), ("halt.weight", [1, 4]), ("halt.bias", [1]),
        ]
        #expect(model.parameters.map(\.name) == expected.map(\.0))
        #expect(model.parameters.map(\.shape.dims) == expected.map(\.1))
        #expect(model.halt.bias!.tensor.data == [1])
        #expect(ACTModel.kind == "act" && ACTModel.auxiliaryMetric?.name == "meanPonder")
        #expect(ACTModel.auxiliaryMetric?.label == "ponder/step" && model.auxiliaryWeight == Self.small.tau)
    }

    @Test func haltingOfPointThreeTakesFourSubStepsWithARemainderOfPointOne() {
        // Budgets 0.3, 0.6, 0.9 < 0.99 ≤ 1.2: N = 4 (4), R = 1 − 0.9 = 0.1 (5), p = (.3, .3, .3, .1) (6).
        let model = constantHalting(0.3)
        let s = snapshots(model, [Tensor(shape: [1, 3], data: [1, -1, 0])], example: 0)[0]
        #expect(s.steps == 4)
        close(s.halting, [0.3, 0.3, 0.3, 0.3], "h")
        close(s.cumulative, [0.3, 0.6, 0.9, 1.2], "budget")
        close(s.weights, [0.3, 0.3, 0.3, 0.1], "p")
        close([s.remainder], [0.1], "R")
        close([s.ponder], [4.1], "ρ")
        close([s.weights.reduce(0, +)], [1], "Σp")
        // The auxiliary cost is ρ, weighted by τ (9).
        let g = Graph()
        let (_, vars) = model.step(g, input: g.constant(Tensor(shape: [1, 3], data: [1, -1, 0])),
                                   state: model.initialState(g, batch: 1))
        close(g.value(vars.auxiliaryCost!).data, [4.1], "ρ")
        #expect(model.auxiliaryWeight == 0.5)
    }

    @Test func aHaltingUnitAboveOneMinusEpsilonHaltsAtOnceWithAllTheWeight() {
        let s = snapshots(constantHalting(0.995), [Tensor(shape: [1, 3], data: [0, 1, 0])], example: 0)[0]
        #expect(s.steps == 1 && s.weights == [1] && s.remainder == 1 && s.ponder == 2)
        #expect(s.state == s.subStates[0])
    }

    @Test func tinyHaltingValuesStopAtTheCap() {
        var config = Self.small
        config.maxSteps = 5
        let s = snapshots(constantHalting(1e-6, config: config), [Tensor(shape: [1, 3], data: [1, 0, 1])], example: 0)[0]
        #expect(s.steps == 5 && s.halting.count == 5)
        close([s.remainder], [1 - 4e-6], "R", tol: 1e-6)
        close([s.weights.reduce(0, +)], [1], "Σp")
        close([s.ponder], [6 - 4e-6], "ρ", tol: 1e-5)
    }

    @Test func examplesOfABatchHaltAtTheirOwnStepAndMatchRunningAlone() {
        let model = twoSpeedModel()
        let xs = twoSpeedInputs()
        let batched = [0, 1].map { snapshots(model, xs, example: $0) }
        #expect(batched[0].map(\.steps) == [3, 3] && batched[1].map(\.steps) == [4, 4])
        for b in 0..<2 {
            let alone = snapshots(model, xs.map { Tensor(shape: [1, 3], data: Array($0.data[(3 * b)..<(3 * b + 3)])) }, example: 0)
            for (t, (x, y)) in zip(batched[b], alone).enumerated() {
                #expect(x.steps == y.steps)
                close(x.weights, y.weights, "t \(t) example \(b) p")
                close(x.state, y.state, "t \(t) example \(b) s_t")
                close(x.logits, y.logits, "t \(t) example \(b) y_t")
                close([x.ponder], [y.ponder], "t \(t) example \(b) ρ")
            }
        }
    }

    @Test func gradientOfLogitsAndPonderCostOverATwoStepBatchedEpisodeMatchesFiniteDifferences() {
        let model = twoSpeedModel()
        let xs = twoSpeedInputs()
        // No example near a halting boundary: every budget before N is ≥ 0.08 below 1 − ε.
        for b in 0..<2 {
            for s in snapshots(model, xs, example: b) {
                #expect(s.cumulative.dropLast().allSatisfy { $0 < 0.91 } && s.cumulative.last! > 1.05, "\(s.cumulative)")
            }
        }
        checkParameterGradients(model.parameters) { g in
            let vars = model.unroll(g, inputs: xs.map { g.constant($0) })
            return g.concat(vars.flatMap { [$0.logits, g.reshape($0.auxiliaryCost!, [2, 1])] }, axis: 1)
        }
    }

    @Test func snapshotIsConsistentWithTheEquations() {
        var rng = SeededRNG(seed: 34)
        let model = ACTModel(config: Self.small, rng: &rng)
        let xs = (0..<3).map { _ in rng.uniformTensor([2, 3], -1, 1) }
        let snaps = snapshots(model, xs, example: 1)
        let wih = model.weightIH.tensor, whh = model.weightHH.tensor, bias = model.biases[0].tensor
        let wy = model.output.weight.tensor, by = model.output.bias!.tensor
        let wh = model.halt.weight.tensor, bh = model.halt.bias!.tensor
        func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
        var previous = [Float](repeating: 0, count: 4)                                  // s_0 = 0
        for (t, s) in snaps.enumerated() {
            let x = Array(xs[t].data[3..<6])
            var sub = previous
            var budget: Float = 0
            for n in 0..<s.steps {
                let input = x + [n == 0 ? 1 : 0]                                       // [x ; δ_{n=1}]
                sub = (0..<4).map { r in
                    Foundation.tanh(bias.data[r] + (0..<4).reduce(Float(0)) { $0 + wih[r, $1] * input[$1] + whh[r, $1] * sub[$1] })
                }                                                                      // (1)
                close(s.subStates[n], sub, "t \(t) n \(n) s^n")
                close(s.subLogits[n], (0..<2).map { r in by.data[r] + (0..<4).reduce(Float(0)) { $0 + wy[r, $1] * sub[$1] } },
                      "t \(t) n \(n) y^n")                                               // (2)
                close([s.halting[n]], [sigmoid(bh.data[0] + (0..<4).reduce(Float(0)) { $0 + wh[0, $1] * sub[$1] })],
                      "t \(t) n \(n) h^n")                                               // (3)
                budget += s.halting[n]
                close([s.cumulative[n]], [budget], "t \(t) n \(n) budget")
                // (4): halts at the first n whose budget reaches 1 − ε.
                #expect((budget >= 0.99) == (n == s.steps - 1), "t \(t) n \(n) budget \(budget)")
            }
            close([s.remainder], [1 - s.halting.dropLast().reduce(0, +)], "t \(t) R")     // (5)
            close(s.weights, s.halting.dropLast() + [s.remainder], "t \(t) p")           // (6)
            close([s.weights.reduce(0, +)], [1], "t \(t) Σp")
            let mean = (0..<4).map { i in (0..<s.steps).reduce(Float(0)) { $0 + s.weights[$1] * s.subStates[$1][i] } }
            close(s.state, mean, "t \(t) s_t = Σ p s^n")                                // (7)
            close(s.logits, (0..<2).map { i in (0..<s.steps).reduce(Float(0)) { $0 + s.weights[$1] * s.subLogits[$1][i] } },
                  "t \(t) y_t = Σ p y^n")
            close(s.output, s.logits.map(sigmoid), "t \(t) output")
            close([s.ponder], [Float(s.steps) + s.remainder], "t \(t) ρ")               // (8)
            #expect(s.subSteps.isEmpty)
            previous = s.state                                                         // s_{t+1}^0 = s_t
        }
    }

    @Test func snapshotEncodesEveryFieldByName() throws {
        let s = snapshots(constantHalting(0.3), [Tensor(shape: [1, 3], data: [1, 0, 0])], example: 0)[0]
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s)) as! [String: Any]
        #expect(Set(json.keys) == ["halting", "cumulative", "weights", "subStates", "subLogits", "steps", "remainder",
                                   "ponder", "state", "logits"])
        #expect((json["subStates"] as! [[Any]]).count == 4 && json["steps"] as? Int == 4)
    }

    @Test func stepwiseRunGivesTheSameLogitsAsUnrollingOnOneGraph() {
        let model = twoSpeedModel()
        let xs = twoSpeedInputs() + twoSpeedInputs()
        let g = Graph(recording: true)
        let unrolled = model.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        var stepwise: [Tensor] = []
        let sg = Graph()
        model.runStepwise(sg, batch: 2, steps: xs.count, input: { xs[$0] }) { _, vars in
            stepwise.append(sg.value(vars.logits))
        }
        #expect(stepwise == unrolled)
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        var rng = SeededRNG(seed: 35)
        let model = ACTModel(config: Self.small, rng: &rng)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("act-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.checkpoint(metadata: ["arnn.task": "parity"]).write(to: path)
        let read = try Checkpoint.read(from: path)
        #expect(read.metadata["arnn.kind"] == "act")
        let loaded = try ACTModel(checkpoint: read)
        #expect(loaded.config == model.config)
        for (a, b) in zip(model.parameters, loaded.parameters) {
            #expect(a.name == b.name && a.tensor == b.tensor)
        }
        // A checkpoint whose config has ε = 1 is rejected naming the field.
        var bad = read
        bad.metadata["arnn.config"] = "{\"inputSize\":3,\"outputSize\":2,\"hiddenSize\":4,\"epsilon\":1}"
        do { _ = try ACTModel(checkpoint: bad); Issue.record("accepted epsilon 1") } catch let e as ArnnError {
            #expect(e.message.contains("epsilon"), "\(e.message)")
        }
    }

    @Test func configValidationNamesTheBadField() throws {
        try ACTConfig(inputSize: 1, outputSize: 1, hiddenSize: 1, maxSteps: 1, epsilon: 0.5, tau: 0).validate()
        let cases: [(ACTConfig, String)] = [
            (ACTConfig(inputSize: 0, outputSize: 1), "inputSize"),
            (ACTConfig(inputSize: 3, outputSize: 0), "outputSize"),
            (ACTConfig(inputSize: 3, outputSize: 1, hiddenSize: 0), "hiddenSize"),
            (ACTConfig(inputSize: 3, outputSize: 1, cell: "gru"), "cell"),
            (ACTConfig(inputSize: 3, outputSize: 1, maxSteps: 0), "maxSteps"),
            (ACTConfig(inputSize: 3, outputSize: 1, epsilon: 1), "epsilon"),
            (ACTConfig(inputSize: 3, outputSize: 1, epsilon: 0), "epsilon"),
            (ACTConfig(inputSize: 3, outputSize: 1, tau: -0.1), "tau"),
        ]
        for (config, field) in cases {
            do { try config.validate(); Issue.record("accepted bad \(field)") } catch let e as ArnnError {
                #expect(e.message.hasPrefix("ACT config: \(field) must be"), "\(e.message)")
            }
        }
    }

    @Test func configLeftOutFieldsTakeTheirDefaults() throws {
        let config = try ACTConfig.decode(json: Data("{\"inputSize\":64,\"outputSize\":1}".utf8))
        #expect(config == ACTConfig(inputSize: 64, outputSize: 1, hiddenSize: 128, cell: "rnn", maxSteps: 100,
                                    epsilon: 0.01, tau: 1e-3))
        let round = try ACTConfig.decode(json: JSONEncoder().encode(Self.small))
        #expect(round == Self.small)
    }

    // MARK: PyTorch parity

    /// Each fixture (a PyTorch transcription of docs/models/act.md that runs each example alone) loads as
    /// an arnn checkpoint, and a two-step episode of a batch of three gives PyTorch's logits, N, R, h, p
    /// and ρ, and, for the loss arnn's trainer differentiates (masked BCE with logits plus τ·Σρ, as
    /// `BitObjective.train` builds it, with lossScale 1), PyTorch's loss and parameter gradients. The tanh
    /// cell's examples halt after 4, 3, 2 and then 8 (the cap), 7, 3 sub-steps; the LSTM's (an
    /// `nn.LSTMCell`, state [h ; c]) after 4, 5, 3 and then 3, 8 (the cap), 2.
    @Test(arguments: [("act_parity", "rnn", [4, 3, 2, 8, 7, 3]), ("act_lstm_parity", "lstm", [4, 5, 3, 3, 8, 2])])
    func matchesPyTorchOverATwoStepEpisode(fixture: String, cell: String, subSteps: [Int]) throws {
        let ref = try Checkpoint.read(from: Self.fixturePath(fixture))
        var weights = ref
        weights.tensors = ref.tensors.filter { !$0.key.hasPrefix("reference.") }
        let model = try ACTModel(checkpoint: weights)
        #expect(model.config == ACTConfig(inputSize: 6, outputSize: 2, hiddenSize: 8, cell: cell, maxSteps: 8,
                                          epsilon: 0.01, tau: 0.1))
        #expect(model.parameters.count == (cell == "lstm" ? 8 : 7))
        let input = ref["reference.input"]!, targets = ref["reference.targets"]!, mask = ref["reference.mask"]!
        let steps = input.shape[0], batch = input.shape[1], x = input.shape[2], y = targets.shape[2]
        let g = Graph(recording: true)
        let xs = (0..<steps).map { t in
            g.constant(Tensor(shape: [batch, x], data: Array(input.data[(t * batch * x)..<((t + 1) * batch * x)])))
        }
        let vars = model.unroll(g, inputs: xs)
        let logits = g.concat(vars.map(\.logits), axis: 0)                          // [T·B, Y]
        let scored = Tensor(shape: [steps * batch, y], data: mask.data.flatMap { [Float](repeating: $0, count: y) })
        let bce = g.bceWithLogits(logits, targets: g.constant(targets.reshaped([steps * batch, y])),
                                  weights: g.constant(scored))
        let loss = g.add(bce, g.scale(g.sum(g.concat(vars.map { $0.auxiliaryCost! }, axis: 0)), model.auxiliaryWeight))
        g.backward(loss)

        // |a − b| ≤ 1e-5 · max(1, |b|): absolute for values up to 1, relative above.
        func expectClose(_ a: [Float], _ b: [Float], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(a.count == b.count, "\(name): \(a.count) vs \(b.count) values", sourceLocation: sourceLocation)
            guard a.count == b.count else { return }
            let excess = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(excess <= 1e-5, "\(name): scaled difference \(excess)", sourceLocation: sourceLocation)
        }
        func expectClose(_ a: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            expectClose(a.data, ref[name]!.data, name, sourceLocation: sourceLocation)
        }

        // Per step: N exactly; R, ρ; h and p over each example's own N sub-steps, p zero after them.
        let width = ref["reference.weights"]!.shape[2]
        #expect(vars.map(\.steps).flatMap { $0 }.map(Float.init) == ref["reference.steps"]!.data)
        #expect(vars.map(\.steps).flatMap { $0 } == subSteps)
        for (t, v) in vars.enumerated() {
            for b in 0..<batch {
                let n = v.steps[b], row = (t * batch + b) * width
                let expectedH = Array(ref["reference.halting"]!.data[row..<(row + n)])
                let expectedP = Array(ref["reference.weights"]!.data[row..<(row + width)])
                expectClose(v.halting[..<n].map { g.row($0, example: b)[0] }, expectedH, "t \(t) example \(b) h")
                let p = v.weights.map { g.row($0, example: b)[0] }
                expectClose(p + [Float](repeating: 0, count: width - p.count), expectedP, "t \(t) example \(b) p")
            }
        }
        expectClose(vars.flatMap { g.value($0.remainder).data }, ref["reference.remainder"]!.data, "R")
        expectClose(vars.flatMap { g.value($0.ponder).data }, ref["reference.ponder"]!.data, "ρ")
        expectClose(g.value(logits), "reference.logits")
        expectClose(g.value(loss), "reference.loss")
        for p in model.parameters { expectClose(p.gradTensor, "reference.grad.\(p.name)") }
    }
}
