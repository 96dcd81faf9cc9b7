import Engine
import Foundation
import Models
import TestSupport
import Testing

@Suite struct NTMTests {
    static let small = NTMConfig(inputSize: 3, outputSize: 2, memoryRows: 5, memoryWidth: 3, controllerSize: 4,
                                 readHeads: 2, shiftRange: 1)
    /// Two write heads (eq. (13) with W = 2) and the feed-forward controller of eq. (15).
    static let multiWrite = NTMConfig(inputSize: 3, outputSize: 2, memoryRows: 5, memoryWidth: 3, controllerSize: 4,
                                      readHeads: 2, shiftRange: 1, writeHeads: 2, controller: "feedforward")
    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    func randomInputs(_ g: Graph, steps: Int, batch: Int, width: Int, seed: UInt64) -> [Var] {
        var rng = SeededRNG(seed: seed)
        return (0..<steps).map { _ in g.constant(rng.uniformTensor([batch, width], 0, 1)) }
    }

    @Test func gradientOfAWholeFiveStepEpisodeMatchesFiniteDifferences() {
        var rng = SeededRNG(seed: 11)
        let ntm = NTM(config: Self.small, rng: &rng)
        // Inputs are fixed; every parameter (controller, initial state, heads, output) is checked.
        let xs: [Tensor] = (0..<5).map { _ in rng.uniformTensor([2, 3], 0, 1) }
        checkParameterGradients(ntm.parameters, rtol: 2e-2) { g in
            let logits = ntm.logits(g, inputs: xs.map { g.constant($0) })
            return g.concat(logits, axis: 1)
        }
    }

    @Test func gradientOfAWholeEpisodeWithTwoWriteHeadsMatchesFiniteDifferences() {
        // Both with the LSTM controller and with the feed-forward one.
        for controller in NTMConfig.controllers {
            var config = Self.multiWrite
            config.controller = controller
            var rng = SeededRNG(seed: 21)
            let ntm = NTM(config: config, rng: &rng)
            let xs: [Tensor] = (0..<5).map { _ in rng.uniformTensor([2, 3], 0, 1) }
            checkParameterGradients(ntm.parameters, rtol: 2e-2) { g in
                g.concat(ntm.logits(g, inputs: xs.map { g.constant($0) }), axis: 1)
            }
        }
    }

    @Test func gradientOfAWholeEpisodeWithTheFeedForwardControllerMatchesFiniteDifferences() {
        var config = Self.small
        config.controller = "feedforward"
        var rng = SeededRNG(seed: 22)
        let ntm = NTM(config: config, rng: &rng)
        #expect(!ntm.parameters.contains { $0.name == "controller.h0" || $0.name == "controller.c0" })
        let xs: [Tensor] = (0..<5).map { _ in rng.uniformTensor([2, 3], 0, 1) }
        checkParameterGradients(ntm.parameters, rtol: 2e-2) { g in
            g.concat(ntm.logits(g, inputs: xs.map { g.constant($0) }), axis: 1)
        }
    }

    @Test func severalWriteHeadsEraseAndAddAgainstTheSameMemory() {
        var rng = SeededRNG(seed: 23)
        let ntm = NTM(config: Self.multiWrite, rng: &rng)
        let g = Graph()
        var state = ntm.initialState(g, batch: 1)
        for x in randomInputs(g, steps: 4, batch: 1, width: 3, seed: 24) {
            let (next, vars) = ntm.step(g, input: x, state: state)
            let s = vars.snapshot(g)
            state = next
            #expect(s.heads.map(\.isWrite) == [false, false, true, true])
            #expect(s.writeHeads.count == 2 && s.writeHead == s.heads[2] && s.readHeads.count == 2)
            #expect(s.cell.isEmpty && s.hidden.count == 4)
            // Eq. (13): M_t = M_{t−1} ⊙ Π_h (1 − w^h e^h) + Σ_h w^h a^h, from the snapshot alone.
            for i in 0..<5 {
                for j in 0..<3 {
                    var kept: Float = 1, added: Float = 0
                    for h in s.writeHeads {
                        kept *= 1 - h.weighting[i] * h.erase![j]
                        added += h.weighting[i] * h.add![j]
                    }
                    #expect(abs(s.memoryAfter[i, j] - (s.memoryBefore[i, j] * kept + added)) < 1e-5)
                }
            }
            // The feed-forward controller carries no state; the read vectors and weightings do.
            #expect(next.hidden == nil && next.cell == nil && next.reads.count == 2 && next.weightings.count == 4)
        }
    }

    @Test func feedForwardControllerIsOneTanhLayerOnTheInputAndThePreviousReads() {
        var rng = SeededRNG(seed: 25)
        let ntm = NTM(config: Self.multiWrite, rng: &rng)
        guard case .feedForward(let layer) = ntm.controller else { Issue.record("not feed-forward"); return }
        #expect(layer.weight.name == "controller.fc.weight" && layer.weight.shape.dims == [4, 3 + 2 * 3])
        let g = Graph()
        let state = ntm.initialState(g, batch: 1)
        let x = Tensor(shape: [1, 3], data: [0.3, -0.7, 1])
        let (_, vars) = ntm.step(g, input: g.constant(x), state: state)
        let input = x.data + state.reads.flatMap { g.value($0).data }
        let w = layer.weight.tensor, b = layer.bias!.tensor
        let expected = (0..<4).map { r in Foundation.tanh((0..<9).reduce(b.data[r]) { $0 + w[r, $1] * input[$1] }) }
        #expect(zip(g.value(vars.hidden).data, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func snapshotHoldsEveryStageAndIsConsistentWithTheEquations() {
        var rng = SeededRNG(seed: 12)
        let ntm = NTM(config: Self.small, rng: &rng)
        let g = Graph()
        var state = ntm.initialState(g, batch: 1)
        var snapshots: [NTMSnapshot] = []
        for x in randomInputs(g, steps: 4, batch: 1, width: 3, seed: 13) {
            let (next, vars) = ntm.step(g, input: x, state: state)
            snapshots.append(vars.snapshot(g))
            state = next
        }
        #expect(snapshots[0].memoryBefore.data.allSatisfy { $0 == Self.small.memoryInit })
        for (t, s) in snapshots.enumerated() {
            #expect(s.heads.count == 3 && s.readHeads.count == 2 && s.writeHead.isWrite)
            #expect(s.writeHead.erase?.count == 3 && s.writeHead.add?.count == 3)
            for h in s.heads {
                #expect(h.beta >= 0 && h.gate >= 0 && h.gate <= 1 && h.gamma >= 1)
                #expect(abs(h.shift.reduce(0, +) - 1) < 1e-5)
                #expect(abs(h.weighting.reduce(0, +) - 1) < 1e-4)
            }
            // Eq. (13) from the snapshot alone: memory after = before ⊙ (1 − w e) + w a.
            let w = s.writeHead.weighting, e = s.writeHead.erase!, a = s.writeHead.add!
            for i in 0..<5 {
                for j in 0..<3 {
                    let expected = s.memoryBefore[i, j] * (1 - w[i] * e[j]) + w[i] * a[j]
                    #expect(abs(s.memoryAfter[i, j] - expected) < 1e-5)
                }
            }
            // Eq. (12): read vectors come from the memory before this step's write.
            for (k, head) in s.readHeads.enumerated() {
                for j in 0..<3 {
                    let r = (0..<5).reduce(Float(0)) { $0 + head.weighting[$1] * s.memoryBefore[$1, j] }
                    #expect(abs(s.reads[k][j] - r) < 1e-5)
                }
            }
            if t > 0 { #expect(s.memoryBefore == snapshots[t - 1].memoryAfter) }
            #expect(s.output.count == 2 && s.output.allSatisfy { $0 > 0 && $0 < 1 })
        }
    }

    @Test func batchedStepEqualsTheSameExamplesOneByOne() {
        var rng = SeededRNG(seed: 14)
        let ntm = NTM(config: Self.small, rng: &rng)
        let xs: [Tensor] = (0..<3).map { _ in rng.uniformTensor([2, 3], 0, 1) }
        let g = Graph()
        let batched = ntm.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        for b in 0..<2 {
            let gb = Graph()
            let single = ntm.logits(gb, inputs: xs.map { x in
                gb.constant(Tensor(shape: [1, 3], data: Array(x.data[(b * 3)..<(b * 3 + 3)])))
            }).map { gb.value($0) }
            for t in 0..<3 {
                for j in 0..<2 { #expect(abs(batched[t][b, j] - single[t][0, j]) < 1e-5) }
            }
        }
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        var rng = SeededRNG(seed: 15)
        let ntm = NTM(config: Self.small, rng: &rng)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ntm-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ntm.checkpoint(metadata: ["arnn.task": "copy"]).write(to: path)
        let loaded = try NTM(checkpoint: try Checkpoint.read(from: path))
        #expect(loaded.config == ntm.config)
        for (a, b) in zip(ntm.parameters, loaded.parameters) {
            #expect(a.name == b.name && a.tensor == b.tensor)
        }
    }

    @Test func configWithoutTheNewerFieldsLoadsAsOneWriteHeadAndAnLSTM() throws {
        // What checkpoints written before `writeHeads` and `controller` existed hold.
        let old = #"{"controllerSize":100,"inputSize":9,"memoryInit":1e-06,"memoryRows":128,"memoryWidth":20,"outputSize":8,"readHeads":1,"shiftRange":1}"#
        let config = try NTMConfig.decode(json: Data(old.utf8))
        #expect(config == NTMConfig(inputSize: 9, outputSize: 8))
        #expect(config.writeHeads == 1 && config.controller == "lstm")
        var rng = SeededRNG(seed: 26)
        let names = NTM(config: config, rng: &rng).parameters.map(\.name)
        #expect(names.contains("write_head.fc.weight") && names.contains("controller.h0"))
        #expect(!names.contains { $0.hasPrefix("write_heads.") || $0.hasPrefix("controller.fc") })
    }

    @Test func configRefusesAnUnknownControllerAndTooManyWriteHeads() {
        var bad = Self.small
        bad.controller = "gru"
        do { try bad.validate(); Issue.record("accepted controller gru") } catch let e as ArnnError {
            #expect(e.message == "NTM config: controller must be \"lstm\" or \"feedforward\", got gru")
        } catch { Issue.record("\(error)") }
        for w in [0, 17] {
            bad = Self.small
            bad.writeHeads = w
            #expect(throws: ArnnError.self) { try bad.validate() }
        }
        bad.writeHeads = 16
        #expect(throws: Never.self) { try bad.validate() }
    }

    @Test func multiWriteCheckpointRoundTripsAndNamesEachWriteHead() throws {
        var rng = SeededRNG(seed: 27)
        let ntm = NTM(config: Self.multiWrite, rng: &rng)
        let names = ntm.parameters.map(\.name)
        #expect(names == ["controller.fc.weight", "controller.fc.bias", "read_init",
                          "read_heads.0.fc.weight", "read_heads.0.fc.bias", "read_heads.1.fc.weight", "read_heads.1.fc.bias",
                          "write_heads.0.fc.weight", "write_heads.0.fc.bias", "write_heads.1.fc.weight", "write_heads.1.fc.bias",
                          "output.weight", "output.bias"])
        let loaded = try NTM(checkpoint: ntm.checkpoint())
        #expect(loaded.config == ntm.config)
        for (a, b) in zip(ntm.parameters, loaded.parameters) { #expect(a.name == b.name && a.tensor == b.tensor) }
    }

    @Test func checkpointWhoseControllerDiffersFromItsConfigIsRefusedInOneLine() throws {
        var rng = SeededRNG(seed: 28)
        var lstm = NTM(config: Self.small, rng: &rng).checkpoint()
        lstm.source = "lstm.safetensors"
        // The config says feed-forward, the tensors are an LSTM's.
        var config = Self.small
        config.controller = "feedforward"
        lstm.metadata["arnn.config"] = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        do { _ = try NTM(checkpoint: lstm); Issue.record("accepted LSTM tensors for a feed-forward config") } catch let e as ArnnError {
            #expect(e.message.hasPrefix("lstm.safetensors: ") && e.message.contains("controller.fc.weight"), "\(e.message)")
            #expect(e.message.contains("arnn.config does not match the weights") && e.message.contains("(\"controller.bias_hh\""),
                    "the message names the config as the culprit and a tensor it does not use: \(e.message)")
            #expect(!e.message.contains("\n"))
        }
        // And the other way round.
        var ff = NTM(config: config, rng: &rng).checkpoint()
        ff.source = "ff.safetensors"
        ff.metadata["arnn.config"] = String(decoding: try JSONEncoder().encode(Self.small), as: UTF8.self)
        do { _ = try NTM(checkpoint: ff); Issue.record("accepted feed-forward tensors for an LSTM config") } catch let e as ArnnError {
            #expect(e.message.contains("controller.weight_ih"), "\(e.message)")
            #expect(!e.message.contains("\n"))
        }
    }

    /// Runs the fixture's episode on the model its weights make and compares every step with PyTorch.
    func expectParity(_ file: String, _ expected: NTMConfig) throws {
        var fixture = try ParityFixture(path: Self.fixturePath(file))
        let model = try NTM(checkpoint: fixture.weights)
        #expect(model.config == expected)
        let batch = fixture.batch
        let g = Graph(recording: true)
        let vars = model.unroll(g, inputs: fixture.inputs(g))
        let logits = fixture.backward(g, logits: vars.map(\.logits))                // [T·B, Y]
        func expectClose(_ a: [Float], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            fixture.expectClose(a, name, label: file, sourceLocation: sourceLocation)
        }
        // Per step, per example, per head: the reference's [T, B, heads, ·] order.
        func perHead(_ v: (NTM.StepVars.Head) -> Var, heads: (NTM.StepVars) -> [NTM.StepVars.Head]) -> [Float] {
            vars.flatMap { step in
                (0..<batch).flatMap { b in heads(step).flatMap { g.row(v($0), example: b) } }
            }
        }
        expectClose(g.value(logits).data, "reference.logits")
        expectClose(perHead(\.addressing.content, heads: \.heads), "reference.content")
        expectClose(perHead(\.addressing.weighting, heads: \.heads), "reference.weightings")
        expectClose(vars.flatMap { step in (0..<batch).flatMap { b in step.reads.flatMap { g.row($0, example: b) } } },
                    "reference.reads")
        expectClose(perHead({ $0.erase! }, heads: { $0.heads.filter { $0.erase != nil } }), "reference.erases")
        expectClose(perHead({ $0.add! }, heads: { $0.heads.filter { $0.add != nil } }), "reference.adds")
        expectClose(vars.flatMap { g.value($0.memoryAfter).data }, "reference.memory")
        for p in model.parameters { expectClose(p.gradTensor.data, "reference.grad.\(p.name)") }
    }

    @Test func matchesPyTorchOverAWholeEpisode() throws {
        try expectParity("ntm_parity.safetensors",
                         NTMConfig(inputSize: 5, outputSize: 4, memoryRows: 6, memoryWidth: 4, controllerSize: 8, readHeads: 2))
    }

    @Test func matchesPyTorchWithTwoWriteHeadsAndTheFeedForwardController() throws {
        try expectParity("ntm_multiwrite_parity.safetensors",
                         NTMConfig(inputSize: 5, outputSize: 4, memoryRows: 6, memoryWidth: 4, controllerSize: 8, readHeads: 2,
                                   writeHeads: 2, controller: "feedforward"))
    }

    @Test func multiWriteFixtureTellsThePapersRuleFromWritingHeadAfterHead() throws {
        // From the fixture's own values: the paper's rule (13) gives PyTorch's next memory; writing the heads
        // one after the other (a later erase removing an earlier add) misses it by far more than the
        // parity tolerance, so the parity test above would catch that bug.
        let ref = try Checkpoint.read(from: Self.fixturePath("ntm_multiwrite_parity.safetensors"))
        let memory = ref["reference.memory"]!, w = ref["reference.weightings"]!
        let erases = ref["reference.erases"]!, adds = ref["reference.adds"]!
        let (steps, batch, n, m) = (memory.shape[0], memory.shape[1], memory.shape[2], memory.shape[3])
        let heads = w.shape[2], writes = erases.shape[2], reads = heads - writes
        #expect(writes == 2)
        var paperError: Float = 0, sequentialError: Float = 0
        for t in 1..<steps {
            for b in 0..<batch {
                for i in 0..<n {
                    for j in 0..<m {
                        let before = memory[t - 1, b, i, j]
                        var kept: Float = 1, added: Float = 0, sequential = before
                        for h in 0..<writes {
                            let wi = w[t, b, reads + h, i], e = erases[t, b, h, j], a = adds[t, b, h, j]
                            kept *= 1 - wi * e
                            added += wi * a
                            sequential = sequential * (1 - wi * e) + wi * a
                        }
                        paperError = max(paperError, abs(before * kept + added - memory[t, b, i, j]))
                        sequentialError = max(sequentialError, abs(sequential - memory[t, b, i, j]))
                    }
                }
            }
        }
        #expect(paperError < 1e-5)
        #expect(sequentialError > 1e-3, "sequential writes differ by only \(sequentialError)")
    }

    @Test func checkpointWithWrongShapesOrKindIsRejectedWithANamedError() throws {
        var rng = SeededRNG(seed: 16)
        let ntm = NTM(config: Self.small, rng: &rng)
        var c = ntm.checkpoint()
        c.source = "bad.safetensors"
        var wrongShape = c
        wrongShape["output.weight"] = Tensor(shape: [3, 3])
        #expect(throws: ArnnError.self) { try NTM(checkpoint: wrongShape) }
        do { _ = try NTM(checkpoint: wrongShape) } catch let e as ArnnError {
            #expect(e.message.contains("output.weight"), "\(e.message)")
        }
        var wrongKind = c
        wrongKind.metadata["arnn.kind"] = "dnc"
        do { _ = try NTM(checkpoint: wrongKind); Issue.record("accepted kind dnc") } catch let e as ArnnError {
            #expect(e.message == "bad.safetensors: holds a \"dnc\" model, expected \"ntm\"")
        }
        var badConfig = c
        badConfig.metadata["arnn.config"] = "{\"inputSize\": 3}"
        do { _ = try NTM(checkpoint: badConfig); Issue.record("accepted a config without outputSize") } catch let e as ArnnError {
            #expect(e.message.contains("outputSize"), "\(e.message)")
        }
        var missing = c
        missing["controller.h0"] = nil
        do { _ = try NTM(checkpoint: missing); Issue.record("accepted a missing tensor") } catch let e as ArnnError {
            #expect(e.message.contains("controller.h0"), "\(e.message)")
        }
    }

    static let torchFixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/ntm_torch_parity.safetensors").path

    /// arnn against arnn_torch's NTM (python/arnn_torch, a PyTorch transcription of docs/models/ntm.md;
    /// Tests/Fixtures/make_ntm_torch_fixture.py): a 6-step episode of a batch of 2 with two read heads,
    /// every step's logits, weightings, reads and memory, and every parameter's gradient, to 1e-5.
    @Test func matchesArnnTorchOverAWholeEpisode() throws {
        var fixture = try ParityFixture(path: Self.torchFixturePath)
        let ntm = try NTM(checkpoint: fixture.weights)
        #expect(ntm.config == NTMConfig(inputSize: 4, outputSize: 3, memoryRows: 8, memoryWidth: 5,
                                        controllerSize: 10, readHeads: 2, shiftRange: 1))
        let batch = fixture.batch
        let r = ntm.config.readHeads
        let g = Graph(recording: true)
        var state = ntm.initialState(g, batch: batch)
        var logits: [Var] = [], reads: [Var] = [], readWeightings: [Var] = [], writeWeightings: [Var] = []
        var memories: [Var] = []
        for t in 0..<fixture.steps {
            let (next, vars) = ntm.step(g, input: fixture.input(g, step: t), state: state)
            logits.append(vars.logits)
            // [B, R, ·] per step, the fixture's layout.
            reads.append(g.concat(vars.reads.map { g.reshape($0, [batch, 1, ntm.config.memoryWidth]) }, axis: 1))
            readWeightings.append(g.concat(vars.heads[0..<r].map {
                g.reshape($0.addressing.weighting, [batch, 1, ntm.config.memoryRows])
            }, axis: 1))
            writeWeightings.append(vars.heads[r].addressing.weighting)
            memories.append(vars.memoryAfter)
            state = next
        }
        fixture.backward(g, logits: logits)
        func expectClose(_ a: [Tensor], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            fixture.expectClose(a.flatMap(\.data), name, sourceLocation: sourceLocation)
        }
        expectClose(logits.map { g.value($0) }, "reference.logits")
        expectClose(readWeightings.map { g.value($0) }, "reference.read_weightings")
        expectClose(writeWeightings.map { g.value($0) }, "reference.write_weighting")
        expectClose(reads.map { g.value($0) }, "reference.reads")
        expectClose(memories.map { g.value($0) }, "reference.memory")
        for p in ntm.parameters { expectClose([p.gradTensor], "reference.grad.\(p.name)") }
        // The fixture covers every parameter, and nothing else.
        #expect(Set(ntm.parameters.map(\.name)) == Set(fixture.weights.tensors.keys))
    }
}
