import Engine
import Foundation
import Models
import TestSupport
import Testing

@Suite struct NTMTests {
    static let small = NTMConfig(inputSize: 3, outputSize: 2, memoryRows: 5, memoryWidth: 3, controllerSize: 4,
                                 readHeads: 2, shiftRange: 1)

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
        let ref = try Checkpoint.read(from: Self.torchFixturePath)
        var weights = ref
        weights.tensors = ref.tensors.filter { !$0.key.hasPrefix("reference.") }
        let ntm = try NTM(checkpoint: weights)
        #expect(ntm.config == NTMConfig(inputSize: 4, outputSize: 3, memoryRows: 8, memoryWidth: 5,
                                        controllerSize: 10, readHeads: 2, shiftRange: 1))

        let input = ref["reference.input"]!, upstream = ref["reference.upstream"]!
        let steps = input.shape[0], batch = input.shape[1], x = input.shape[2], y = upstream.shape[2]
        let r = ntm.config.readHeads
        let g = Graph(recording: true)
        var state = ntm.initialState(g, batch: batch)
        var logits: [Var] = [], reads: [Var] = [], readWeightings: [Var] = [], writeWeightings: [Var] = []
        var memories: [Var] = []
        for t in 0..<steps {
            let xt = g.constant(Tensor(shape: [batch, x], data: Array(input.data[(t * batch * x)..<((t + 1) * batch * x)])))
            let (next, vars) = ntm.step(g, input: xt, state: state)
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
        let all = g.concat(logits, axis: 0)                                           // [T·B, Y]
        g.backward(g.sum(g.mul(all, g.constant(upstream.reshaped([steps * batch, y])))))

        // |a − b| ≤ 1e-5 · max(1, |b|): absolute for values up to 1, relative above.
        func expectClose(_ a: [Tensor], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let b = ref[name]!
            let data = a.flatMap(\.data)
            #expect(data.count == b.count, "\(name): \(data.count) values vs \(b.shape)", sourceLocation: sourceLocation)
            guard data.count == b.count else { return }
            let excess = zip(data, b.data).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(excess <= 1e-5, "\(name): scaled difference \(excess)", sourceLocation: sourceLocation)
        }
        expectClose(logits.map { g.value($0) }, "reference.logits")
        expectClose(readWeightings.map { g.value($0) }, "reference.read_weightings")
        expectClose(writeWeightings.map { g.value($0) }, "reference.write_weighting")
        expectClose(reads.map { g.value($0) }, "reference.reads")
        expectClose(memories.map { g.value($0) }, "reference.memory")
        for p in ntm.parameters { expectClose([p.gradTensor], "reference.grad.\(p.name)") }
        // The fixture covers every parameter, and nothing else.
        #expect(Set(ntm.parameters.map(\.name)) == Set(weights.tensors.keys))
    }
}
