import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The LSTM baseline against docs/models/lstm.md (equation numbers below refer to it) and against
/// PyTorch's `nn.LSTM` (Tests/Fixtures/make_lstm_fixture.py).
@Suite struct LSTMTests {
    static let small = LSTMConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, layers: 2)
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/lstm_parity.safetensors").path

    func randomInputs(steps: Int, batch: Int, width: Int, seed: UInt64) -> [Tensor] {
        var rng = SeededRNG(seed: seed)
        return (0..<steps).map { _ in rng.uniformTensor([batch, width], -1, 1) }
    }

    @Test func parametersAreNamedAsPyTorchNamesAnLSTMStackAndALinearLayer() {
        var rng = SeededRNG(seed: 20)
        let model = LSTMModel(config: LSTMConfig(inputSize: 3, outputSize: 2, hiddenSize: 4, layers: 3), rng: &rng)
        let expected: [(String, [Int])] = [
            ("lstm.weight_ih_l0", [16, 3]), ("lstm.weight_hh_l0", [16, 4]), ("lstm.bias_ih_l0", [16]), ("lstm.bias_hh_l0", [16]),
            ("lstm.weight_ih_l1", [16, 4]), ("lstm.weight_hh_l1", [16, 4]), ("lstm.bias_ih_l1", [16]), ("lstm.bias_hh_l1", [16]),
            ("lstm.weight_ih_l2", [16, 4]), ("lstm.weight_hh_l2", [16, 4]), ("lstm.bias_ih_l2", [16]), ("lstm.bias_hh_l2", [16]),
            ("output.weight", [2, 4]), ("output.bias", [2]),
        ]
        #expect(model.parameters.map(\.name) == expected.map(\.0))
        #expect(model.parameters.map(\.shape.dims) == expected.map(\.1))
        #expect(LSTMModel.kind == "lstm" && model.inputSize == 3 && model.outputSize == 2)
        // PyTorch's default initialisation: every value within ±1/√H = ±0.5.
        for p in model.parameters { #expect(p.tensor.data.allSatisfy { abs($0) <= 0.5 }, "\(p.name)") }
    }

    @Test func gradientOfAWholeFourStepTwoLayerBatchedEpisodeMatchesFiniteDifferences() {
        var rng = SeededRNG(seed: 21)
        let model = LSTMModel(config: Self.small, rng: &rng)
        // Inputs are fixed; every parameter of both layers and the output layer is checked.
        let xs = randomInputs(steps: 4, batch: 2, width: 3, seed: 22)
        checkParameterGradients(model.parameters) { g in
            g.concat(model.logits(g, inputs: xs.map { g.constant($0) }), axis: 1)
        }
    }

    @Test func snapshotIsConsistentWithTheEquations() {
        var rng = SeededRNG(seed: 23)
        let model = LSTMModel(config: Self.small, rng: &rng)
        let xs = randomInputs(steps: 5, batch: 2, width: 3, seed: 24)
        let g = Graph()
        var state = model.initialState(g, batch: 2)
        var snapshots: [LSTMSnapshot] = []
        for x in xs {
            let (next, vars) = model.step(g, input: g.constant(x), state: state)
            snapshots.append(vars.snapshot(g, example: 1))
            state = next
        }
        let h = Self.small.hiddenSize
        func close(_ a: [Float], _ b: [Float], _ what: String) {
            #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(what): \(a) vs \(b)")
        }
        for (t, s) in snapshots.enumerated() {
            #expect(s.layers.count == 2)
            for (k, layer) in s.layers.enumerated() {
                // Eq. (1): every layer starts from zeros. Eq. (2): layer k reads x, or layer k − 1's h.
                let before = t == 0 ? [Float](repeating: 0, count: h) : snapshots[t - 1].layers[k].hidden
                let cellBefore = t == 0 ? [Float](repeating: 0, count: h) : snapshots[t - 1].layers[k].cell
                let input = k == 0 ? Array(xs[t].data[3..<6]) : s.layers[k - 1].hidden
                // Eqs. (3), (4), from the weights, in plain Float.
                let l = model.layers[k]
                let wih = l.weightIH.tensor, whh = l.weightHH.tensor, bih = l.biasIH.tensor, bhh = l.biasHH.tensor
                let z = (0..<(4 * h)).map { r in
                    bih.data[r] + bhh.data[r]
                        + (0..<input.count).reduce(Float(0)) { $0 + wih[r, $1] * input[$1] }
                        + (0..<h).reduce(Float(0)) { $0 + whh[r, $1] * before[$1] }
                }
                let sigmoid = { (v: Float) in 1 / (1 + Foundation.exp(-v)) }
                close(layer.inputGate, z[0..<h].map(sigmoid), "t \(t) layer \(k) i")
                close(layer.forgetGate, z[h..<(2 * h)].map(sigmoid), "t \(t) layer \(k) f")
                close(layer.candidate, z[(2 * h)..<(3 * h)].map { Foundation.tanh($0) }, "t \(t) layer \(k) g")
                close(layer.outputGate, z[(3 * h)..<(4 * h)].map(sigmoid), "t \(t) layer \(k) o")
                // Eqs. (5), (6) from the snapshot alone.
                close(layer.cell, (0..<h).map { layer.forgetGate[$0] * cellBefore[$0] + layer.inputGate[$0] * layer.candidate[$0] },
                      "t \(t) layer \(k) c")
                close(layer.hidden, (0..<h).map { layer.outputGate[$0] * Foundation.tanh(layer.cell[$0]) }, "t \(t) layer \(k) h")
            }
            // Eq. (7) on the top layer's h, and the output the task scores.
            let w = model.output.weight.tensor, b = model.output.bias!.tensor, top = s.layers[1].hidden
            close(s.logits, (0..<2).map { r in b.data[r] + (0..<h).reduce(Float(0)) { $0 + w[r, $1] * top[$1] } }, "t \(t) logits")
            close(s.output, s.logits.map { 1 / (1 + Foundation.exp(-$0)) }, "t \(t) output")
        }
    }

    @Test func snapshotEncodesEveryLayerByFieldName() throws {
        var rng = SeededRNG(seed: 25)
        let model = LSTMModel(config: Self.small, rng: &rng)
        let g = Graph()
        let (_, vars) = model.step(g, input: g.constant(Tensor(shape: [1, 3], data: [1, 0, 1])),
                                   state: model.initialState(g, batch: 1))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(vars.snapshot(g))) as! [String: Any]
        #expect(Set(json.keys) == ["layers", "logits"])
        let layers = json["layers"] as! [[String: Any]]
        #expect(layers.count == 2)
        for layer in layers {
            #expect(Set(layer.keys) == ["inputGate", "forgetGate", "outputGate", "candidate", "cell", "hidden"])
            #expect((layer["hidden"] as! [Any]).count == 4)
        }
    }

    @Test func stepwiseRunGivesTheSameLogitsAsUnrollingOnOneGraph() {
        var rng = SeededRNG(seed: 26)
        let model = LSTMModel(config: Self.small, rng: &rng)
        let xs = randomInputs(steps: 6, batch: 2, width: 3, seed: 27)
        let g = Graph(recording: true)
        let unrolled = model.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        // The stepwise run resets its graph every step and carries (h, c) across as values.
        var stepwise: [Tensor] = []
        let sg = Graph()
        model.runStepwise(sg, batch: 2, steps: xs.count, input: { xs[$0] }) { _, vars in
            stepwise.append(sg.value(vars.logits))
        }
        #expect(stepwise == unrolled)
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        var rng = SeededRNG(seed: 28)
        let model = LSTMModel(config: Self.small, rng: &rng)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lstm-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.checkpoint(metadata: ["arnn.task": "copy"]).write(to: path)
        let read = try Checkpoint.read(from: path)
        #expect(read.metadata["arnn.kind"] == "lstm")
        #expect(read.metadata["arnn.config"] == "{\"hiddenSize\":4,\"inputSize\":3,\"layers\":2,\"outputSize\":2}")
        let loaded = try LSTMModel(checkpoint: read)
        #expect(loaded.config == model.config)
        for (a, b) in zip(model.parameters, loaded.parameters) {
            #expect(a.name == b.name && a.tensor == b.tensor)
        }
    }

    @Test func checkpointWithAWrongShapeOrAnExtraTensorIsRejectedWithANamedError() throws {
        var rng = SeededRNG(seed: 29)
        let model = LSTMModel(config: Self.small, rng: &rng)
        var c = model.checkpoint()
        c.source = "bad.safetensors"
        func rejects(_ bad: Checkpoint, naming words: [String], _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try LSTMModel(checkpoint: bad)
                Issue.record("accepted \(what)", sourceLocation: sourceLocation)
            } catch let e as ArnnError {
                for w in words { #expect(e.message.contains(w), "\(e.message)", sourceLocation: sourceLocation) }
            } catch {
                Issue.record("\(what): not an ArnnError: \(error)", sourceLocation: sourceLocation)
            }
        }
        var wrongShape = c
        wrongShape["lstm.weight_hh_l1"] = Tensor(shape: [16, 5])
        rejects(wrongShape, naming: ["bad.safetensors", "lstm.weight_hh_l1", "[16, 5]", "[16, 4]"], "a wrong shape")
        // A third layer's weights in a two-layer checkpoint: not loaded silently.
        var extra = c
        extra["lstm.weight_ih_l2"] = Tensor(shape: [16, 4])
        rejects(extra, naming: ["bad.safetensors", "unexpected tensor", "lstm.weight_ih_l2"], "an extra tensor")
        var missing = c
        missing["lstm.bias_hh_l0"] = nil
        rejects(missing, naming: ["lstm.bias_hh_l0"], "a missing tensor")
        var wrongKind = c
        wrongKind.metadata["arnn.kind"] = "ntm"
        rejects(wrongKind, naming: ["bad.safetensors: holds a \"ntm\" model, expected \"lstm\""], "kind ntm")
        var noOutputSize = c
        noOutputSize.metadata["arnn.config"] = "{\"inputSize\": 3}"
        rejects(noOutputSize, naming: ["outputSize"], "a config without outputSize")
        var badLayers = c
        badLayers.metadata["arnn.config"] = "{\"inputSize\":3,\"outputSize\":2,\"layers\":0}"
        rejects(badLayers, naming: ["bad.safetensors", "layers"], "zero layers")
    }

    @Test func configValidationNamesTheBadField() throws {
        try LSTMConfig(inputSize: 1, outputSize: 1, hiddenSize: 1, layers: 1).validate()
        let cases: [(LSTMConfig, String)] = [
            (LSTMConfig(inputSize: 0, outputSize: 2), "inputSize"),
            (LSTMConfig(inputSize: 3, outputSize: 0), "outputSize"),
            (LSTMConfig(inputSize: 3, outputSize: 2, hiddenSize: 0), "hiddenSize"),
            (LSTMConfig(inputSize: 3, outputSize: 2, hiddenSize: 8193), "hiddenSize"),
            (LSTMConfig(inputSize: 3, outputSize: 2, layers: 0), "layers"),
            (LSTMConfig(inputSize: 3, outputSize: 2, layers: 17), "layers"),
        ]
        for (config, field) in cases {
            do { try config.validate(); Issue.record("accepted bad \(field)") } catch let e as ArnnError {
                #expect(e.message.hasPrefix("LSTM config: \(field) must be"), "\(e.message)")
            }
        }
    }

    @Test func configLeftOutFieldsTakeTheirDefaults() throws {
        let config = try LSTMConfig.decode(json: Data("{\"inputSize\":9,\"outputSize\":8}".utf8))
        #expect(config == LSTMConfig(inputSize: 9, outputSize: 8, hiddenSize: 256, layers: 1))
        let round = try LSTMConfig.decode(json: JSONEncoder().encode(Self.small))
        #expect(round == Self.small)
        let set = try LSTMConfig.decode(json: Data("{\"inputSize\":9,\"outputSize\":8,\"layers\":3}".utf8))
        #expect(set.layers == 3 && set.hiddenSize == 256, "a given field replaces its default, the others stay")
    }

    @Test func configWithoutItsWidthsIsRefusedNamingTheMissingField() {
        do {
            _ = try LSTMConfig.decode(json: Data("{\"inputSize\":9,\"hiddenSize\":32}".utf8))
            Issue.record("a config without outputSize was read")
        } catch {
            #expect(describeDecoding(error) == "missing field \"outputSize\"")
        }
        do {
            _ = try LSTMConfig.decode(json: Data("{\"inputSize\":9,\"outputSize\":\"eight\"}".utf8))
            Issue.record("a config with a text width was read")
        } catch {
            #expect(describeDecoding(error).contains("outputSize"), "\(describeDecoding(error))")
        }
    }

    // MARK: PyTorch parity

    /// The fixture's weights load as an arnn checkpoint (PyTorch's `state_dict` names), and a whole
    /// 7-step, batch-3, 2-layer episode gives PyTorch's logits and parameter gradients.
    @Test func matchesPyTorchOverAWholeEpisode() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let model = try LSTMModel(checkpoint: fixture.weights)
        #expect(model.config == LSTMConfig(inputSize: 5, outputSize: 4, hiddenSize: 6, layers: 2))
        let g = Graph(recording: true)
        let logits = fixture.backward(g, logits: model.logits(g, inputs: fixture.inputs(g)))  // [T·B, Y]
        fixture.expectClose(g.value(logits).data, "reference.logits")
        for p in model.parameters { fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)") }
    }
}
