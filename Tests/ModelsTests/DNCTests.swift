import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The DNC against docs/models/dnc.md (equation numbers below refer to it) and against a PyTorch
/// transcription of it (Tests/Fixtures/make_dnc_fixture.py).
@Suite struct DNCTests {
    static let small = DNCConfig(inputSize: 3, outputSize: 2, memoryRows: 5, memoryWidth: 3, readHeads: 2, controllerSize: 4)
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/dnc_parity.safetensors").path

    func randomInputs(steps: Int, batch: Int, width: Int, seed: UInt64) -> [Tensor] {
        var rng = SeededRNG(seed: seed)
        return (0..<steps).map { _ in rng.uniformTensor([batch, width], -1, 1) }
    }

    /// Every step's snapshot of example `example`, run on one non-recording graph.
    func snapshots(_ model: DNC, _ xs: [Tensor], example: Int = 0) -> [DNCSnapshot] {
        let g = Graph()
        var state = model.initialState(g, batch: xs[0].shape[0])
        return xs.map { x in
            let (next, vars) = model.step(g, input: g.constant(x), state: state)
            state = next
            return vars.snapshot(g, example: example)
        }
    }

    /// A DNC whose interface layer is scaled up and whose write gate is held open (bias 5): gates are
    /// decided, weightings peaked, and the bookkeeping moves far from its starting values within a few
    /// steps, so that checks of it are not checks of zeros.
    func decisiveModel(_ config: DNCConfig, seed: UInt64) -> DNC {
        var rng = SeededRNG(seed: seed)
        let model = DNC(config: config, rng: &rng)
        for p in model.interface.parameters { p.tensor = Tensor(shape: p.tensor.shape, data: p.tensor.data.map { $0 * 3 }) }
        // ξ's write gate sits after R·W + R + W + 1 + 2W + R + 1 entries, eq. (4).
        let writeGate = config.readHeads * config.memoryWidth + 2 * config.readHeads + 3 * config.memoryWidth + 2
        model.interface.bias!.tensor.data[writeGate] = 5
        return model
    }

    func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6, _ what: String,
               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }, "\(what): \(a) vs \(b)",
                sourceLocation: sourceLocation)
    }

    // MARK: Allocation, eq. (9)

    func allocation(_ usage: [[Float]], epsilon: Float) -> [[Float]] {
        let g = Graph()
        let n = usage[0].count
        let a = g.allocationWeighting(g.constant(Tensor(shape: [usage.count, n], data: usage.flatMap { $0 })), epsilon: epsilon)
        return (0..<usage.count).map { g.row(a, example: $0) }
    }

    @Test func allocationGoesToTheLeastUsedRowWithTheHandComputedShares() {
        // u = [0.9, 0.1, 0.5, 0.0], û = ε + (1 − ε)u with ε = 10⁻⁶; the free list is φ = (3, 1, 2, 0).
        //   a[3] = 1 − û₃                    = 0.999999
        //   a[1] = (1 − û₁) û₃                = 0.8999991 · 10⁻⁶
        //   a[2] = (1 − û₂) û₃ û₁             = 0.4999995 · 10⁻⁶ · 0.1000009
        //   a[0] = (1 − û₀) û₃ û₁ û₂          = 0.0999999 · 10⁻⁶ · 0.1000009 · 0.5000005
        let a = allocation([[0.9, 0.1, 0.5, 0.0], [0.2, 0.2, 0.2, 0.2]], epsilon: 1e-6)
        let hand: [Float] = [5.000045e-9, 8.999991e-7, 5.00004e-8, 0.999999]
        for i in 0..<4 { #expect(abs(a[0][i] - hand[i]) <= 2e-6 * hand[i], "a[\(i)] = \(a[0][i]), hand \(hand[i])") }
        #expect(a[0].indices.max { a[0][$0] < a[0][$1] } == 3)
        // Without the guard the same rule gives round numbers: φ = (1, 3, 2, 0).
        close(allocation([[0.9, 0.1, 0.5, 0.2]], epsilon: 0)[0], [0.1 * 0.1 * 0.2 * 0.5, 0.9, 0.5 * 0.1 * 0.2, 0.8 * 0.1], 1e-7,
              "u = [0.9, 0.1, 0.5, 0.2]")
        // The second example of the batch is its own: equal usage, so ties go in index order (below).
        close(a[1], [0.8, 0.8 * 0.2, 0.8 * 0.04, 0.8 * 0.008], 2e-6, "second example")
    }

    @Test func tiedUsagesAreAllocatedInIndexOrder() {
        // Rows 1 and 2 tie at 0.2: the lower index comes first in the free list (as TensorFlow's top_k).
        close(allocation([[0.5, 0.2, 0.2, 0.7]], epsilon: 0)[0], [0.5 * 0.04, 0.8, 0.8 * 0.2, 0.3 * 0.5 * 0.04], 1e-7, "tie")
        // A fresh memory (all usage 0): row 0 first, each next row ε times the one before.
        let fresh = allocation([[0, 0, 0, 0]], epsilon: 1e-6)[0]
        close(fresh, [1 - 1e-6, 1e-6 * (1 - 1e-6), 1e-12 * (1 - 1e-6), 1e-18 * (1 - 1e-6)], 1e-9, "fresh")
        #expect(fresh[2] > fresh[3] && fresh[3] > 0)
    }

    @Test func theModelAllocatesFromItsOwnUsageAndWritesWhereTheGatesSay() {
        let model = decisiveModel(Self.small, seed: 30)
        let snaps = snapshots(model, randomInputs(steps: 8, batch: 1, width: 3, seed: 31))
        for (t, s) in snaps.enumerated() {
            // (9) from the snapshot's usage, (11) from its gates.
            close(s.allocation, allocation([s.usage], epsilon: DNC.epsilon)[0], 1e-6, "t \(t) allocation")
            close(s.writeWeighting, (0..<5).map { s.writeGate * (s.allocationGate * s.allocation[$0]
                                                                 + (1 - s.allocationGate) * s.writeContent[$0]) },
                  1e-6, "t \(t) write weighting")
            // (8): usage from the previous step's write and read weightings and this step's free gates.
            let previousWrite = t == 0 ? [Float](repeating: 0, count: 5) : snaps[t - 1].writeWeighting
            let previousUsage = t == 0 ? [Float](repeating: 0, count: 5) : snaps[t - 1].usage
            let usage = (0..<5).map { i -> Float in
                var psi: Float = 1
                for (k, f) in s.freeGates.enumerated() { psi *= 1 - f * (t == 0 ? 0 : snaps[t - 1].readHeads[k].weighting[i]) }
                return (previousUsage[i] + previousWrite[i] - previousUsage[i] * previousWrite[i]) * psi
            }
            close(s.usage, usage, 1e-6, "t \(t) usage")
            // (12) from the snapshot alone.
            for i in 0..<5 {
                for j in 0..<3 {
                    let expected = s.memoryBefore[i, j] * (1 - s.writeWeighting[i] * s.erase[j]) + s.writeWeighting[i] * s.writeVector[j]
                    #expect(abs(s.memoryAfter[i, j] - expected) < 1e-6)
                }
            }
            if t > 0 { #expect(s.memoryBefore == snaps[t - 1].memoryAfter) }
        }
        #expect(snaps[0].memoryBefore.data.allSatisfy { $0 == Self.small.memoryInit })
        // Decided gates: usage really moves, so the checks above are not of zeros.
        #expect(snaps.last!.usage.max()! > 0.3)
    }

    // MARK: Temporal links, eqs. (13)–(15)

    @Test func linkMatrixHasAZeroDiagonalAndRowsAndColumnsSummingToAtMostOne() {
        // Straight through the operations, with sharp random writes of random strength for 30 steps.
        var rng = SeededRNG(seed: 40)
        let n = 7, g = Graph()
        var link = g.constant(Shape(2, n, n), repeating: 0), precedence = g.constant(Shape(2, n), repeating: 0)
        var largest: Float = 0
        for t in 0..<30 {
            let logits = g.constant(rng.normalTensor([2, n], std: 4))
            let gate = g.constant(rng.uniformTensor([2, 1], 0.5, 1))
            let w = g.mul(g.softmax(logits, axis: -1), gate)
            link = g.temporalLinks(link, precedence: precedence, writeWeighting: w)
            precedence = g.precedence(precedence, writeWeighting: w)
            let l = g.value(link), p = g.value(precedence)
            for b in 0..<2 {
                for i in 0..<n {
                    #expect(l.data[(b * n + i) * n + i] == 0, "t \(t): L[\(i), \(i)] = \(l.data[(b * n + i) * n + i])")
                    let row = (0..<n).reduce(Float(0)) { $0 + l.data[(b * n + i) * n + $1] }
                    let column = (0..<n).reduce(Float(0)) { $0 + l.data[(b * n + $1) * n + i] }
                    #expect(row <= 1 + 1e-5 && column <= 1 + 1e-5, "t \(t): row \(i) sums to \(row), column to \(column)")
                    largest = max(largest, row, column)
                }
                let sum = (0..<n).reduce(Float(0)) { $0 + p.data[b * n + $1] }
                #expect(sum <= 1 + 1e-5 && p.data[(b * n)..<((b + 1) * n)].allSatisfy { $0 >= 0 }, "t \(t): precedence sums to \(sum)")
            }
            #expect(l.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        // The bound is approached, so a wrong coefficient would break it.
        #expect(largest > 0.5, "largest row or column sum \(largest)")

        // And inside the model, over a random episode.
        let model = decisiveModel(Self.small, seed: 41)
        for s in snapshots(model, randomInputs(steps: 10, batch: 2, width: 3, seed: 42), example: 1) {
            for i in 0..<5 {
                #expect(s.link[i, i] == 0)
                #expect((0..<5).reduce(Float(0)) { $0 + s.link[i, $1] } <= 1 + 1e-5)
                #expect((0..<5).reduce(Float(0)) { $0 + s.link[$1, i] } <= 1 + 1e-5)
            }
            #expect(s.precedence.reduce(0, +) <= 1 + 1e-5)
        }
    }

    @Test func forwardAndBackwardWeightingsAreLAndLTransposeTimesThePreviousReadWeighting() {
        let model = decisiveModel(Self.small, seed: 43)
        let snaps = snapshots(model, randomInputs(steps: 8, batch: 1, width: 3, seed: 44))
        var asymmetry: Float = 0
        for t in 1..<snaps.count {
            let l = snaps[t].link
            for (k, head) in snaps[t].readHeads.enumerated() {
                let previous = snaps[t - 1].readHeads[k].weighting
                // f[i] = Σ_j L[i, j] w[j]: from i, the rows written after it. b[j] = Σ_i L[i, j] w[i].
                close(head.forward, (0..<5).map { i in (0..<5).reduce(Float(0)) { $0 + l[i, $1] * previous[$1] } }, 1e-6,
                      "t \(t) head \(k) forward")
                close(head.backward, (0..<5).map { j in (0..<5).reduce(Float(0)) { $0 + l[$1, j] * previous[$1] } }, 1e-6,
                      "t \(t) head \(k) backward")
                asymmetry = max(asymmetry, zip(head.forward, head.backward).map { abs($0 - $1) }.max()!)
            }
        }
        // Forward and backward differ by far more than the tolerance, so a swap would fail above.
        #expect(asymmetry > 5e-3, "largest |f − b| \(asymmetry)")
        // At t = 1 nothing has been read yet (w₀ʳ = 0) and nothing linked (p₀ = 0).
        for head in snaps[0].readHeads { #expect(head.forward.allSatisfy { $0 == 0 } && head.backward.allSatisfy { $0 == 0 }) }
    }

    // MARK: Read modes, eq. (17)

    @Test func readModesAllBackwardAllContentOrAllForwardGiveExactlyThatWeighting() {
        // The operation, with exact one-hot modes.
        let g = Graph()
        let bw = g.constant(randomTensor([2, 2, 5], 0, 1, seed: 50)), c = g.constant(randomTensor([2, 2, 5], 0, 1, seed: 51))
        let fw = g.constant(randomTensor([2, 2, 5], 0, 1, seed: 52))
        for (mode, expected) in [(0, bw), (1, c), (2, fw)] {
            var modes = Tensor(shape: [2, 2, 3])
            for h in 0..<4 { modes.data[3 * h + mode] = 1 }
            let mixed = g.readModeMix(modes: g.constant(modes), backward: bw, content: c, forward: fw)
            #expect(g.value(mixed) == g.value(expected), "mode \(mode)")
        }
        // The model: the read-mode rows of the interface layer set to a bias of 100 on one mode, so π is
        // one-hot to within e⁻¹⁰⁰; every read weighting is then that mode's weighting.
        let config = Self.small
        let modesStart = config.interfaceSize - 3 * config.readHeads
        for mode in 0..<3 {
            let model = decisiveModel(config, seed: 53)
            var weight = model.interface.weight.tensor, bias = model.interface.bias!.tensor
            for row in modesStart..<config.interfaceSize {
                for j in 0..<config.controllerSize { weight[row, j] = 0 }
                bias.data[row] = (row - modesStart) % 3 == mode ? 100 : 0
            }
            model.interface.weight.tensor = weight
            model.interface.bias!.tensor = bias
            for (t, s) in snapshots(model, randomInputs(steps: 6, batch: 1, width: 3, seed: 54)).enumerated() {
                for (k, head) in s.readHeads.enumerated() {
                    close(head.modes, (0..<3).map { $0 == mode ? 1 : 0 }, 1e-30, "t \(t) head \(k) modes")
                    close(head.weighting, [head.backward, head.content, head.forward][mode], 1e-7,
                          "t \(t) head \(k) mode \(mode)")
                }
            }
        }
    }

    // MARK: Gradients

    @Test func gradientOfAWholeFourStepBatchedEpisodeMatchesFiniteDifferences() {
        let model = decisiveModel(Self.small, seed: 60)
        // Inputs are fixed; every parameter (controller, interface, output) is checked. From the initial
        // state the rows no write has reached stay exactly tied (index order, whatever the parameters), and
        // with these seeds no finite-difference step reorders the free list (allocation jumps where it does).
        let xs = randomInputs(steps: 4, batch: 2, width: 3, seed: 61)
        checkParameterGradients(model.parameters, rtol: 2e-2) { g in
            g.concat(model.logits(g, inputs: xs.map { g.constant($0) }), axis: 1)
        }
    }

    @Test func gradientFromAMidEpisodeStateMatchesFiniteDifferences() {
        // From a state with used memory, links and reads (usages well apart, so that no finite-difference
        // step reorders the free list), with decided gates: every path through (7)–(18) carries gradient.
        let model = decisiveModel(Self.small, seed: 62)
        let n = 5, w = 3, r = 2, h = 4, b = 2
        var rng = SeededRNG(seed: 63)
        func simplex(_ rows: Int, _ scale: Float) -> Tensor {
            let t = rng.uniformTensor([rows, n], 0.1, 1)
            var d = t.data
            for i in 0..<rows {
                let s = d[(i * n)..<((i + 1) * n)].reduce(0, +)
                for j in 0..<n { d[i * n + j] *= scale / s }
            }
            return Tensor(shape: [rows, n], data: d)
        }
        var link = rng.uniformTensor([b, n, n], 0, 0.2)
        for bt in 0..<b { for i in 0..<n { link.data[(bt * n + i) * n + i] = 0 } }
        let usage = Tensor(shape: [b, n], data: [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.05])
        // In the order of DNC.State's fields (its mapVars order).
        let start = [
            rng.uniformTensor([b, h], -0.5, 0.5), rng.uniformTensor([b, h], -0.5, 0.5),
            rng.uniformTensor([b, r * w], -0.5, 0.5),
            simplex(b * r, 1).reshaped([b, r, n]), simplex(b, 0.8),
            usage, simplex(b, 0.9), link, rng.uniformTensor([b, n, w], -1, 1)]
        let xs = randomInputs(steps: 3, batch: b, width: 3, seed: 64)
        checkParameterGradients(model.parameters, rtol: 2e-2) { g in
            let v = start.map { g.constant($0) }
            var state = DNC.State(hidden: v[0], cell: v[1], reads: v[2], readWeightings: v[3], writeWeighting: v[4],
                                  usage: v[5], precedence: v[6], link: v[7], memory: v[8])
            var logits: [Var] = []
            for x in xs {
                let (next, vars) = model.step(g, input: g.constant(x), state: state)
                state = next
                logits.append(vars.logits)
            }
            return g.concat(logits, axis: 1)
        }
    }

    // MARK: Running

    @Test func batchedStepEqualsTheSameExamplesOneByOne() {
        let model = decisiveModel(Self.small, seed: 70)
        let xs = randomInputs(steps: 5, batch: 3, width: 3, seed: 71)
        let g = Graph()
        let batched = model.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        for b in 0..<3 {
            let gb = Graph()
            let single = model.logits(gb, inputs: xs.map { x in
                gb.constant(Tensor(shape: [1, 3], data: Array(x.data[(b * 3)..<(b * 3 + 3)])))
            }).map { gb.value($0) }
            for t in 0..<5 { for j in 0..<2 { #expect(abs(batched[t][b, j] - single[t][0, j]) < 1e-6) } }
        }
    }

    @Test func stepwiseRunGivesTheSameLogitsAsUnrollingOnOneGraph() {
        let model = decisiveModel(Self.small, seed: 72)
        let xs = randomInputs(steps: 6, batch: 2, width: 3, seed: 73)
        let g = Graph(recording: true)
        let unrolled = model.logits(g, inputs: xs.map { g.constant($0) }).map { g.value($0) }
        var stepwise: [Tensor] = []
        let sg = Graph()
        model.runStepwise(sg, batch: 2, steps: xs.count, input: { xs[$0] }) { _, vars in stepwise.append(sg.value(vars.logits)) }
        #expect(stepwise == unrolled)
    }

    @Test func snapshotEncodesEveryFieldByName() throws {
        let model = decisiveModel(Self.small, seed: 74)
        let s = snapshots(model, randomInputs(steps: 2, batch: 1, width: 3, seed: 75)).last!
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s)) as! [String: Any]
        #expect(Set(json.keys) == ["memoryBefore", "memoryAfter", "usage", "allocation", "writeContent", "writeWeighting",
                                   "writeKey", "writeStrength", "allocationGate", "writeGate", "freeGates", "erase",
                                   "writeVector", "precedence", "link", "readHeads", "hidden", "cell", "logits"])
        #expect((json["link"] as! [[Any]]).count == 5 && (json["link"] as! [[Any]])[0].count == 5)
        #expect((json["memoryAfter"] as! [[Any]]).count == 5 && (json["memoryAfter"] as! [[Any]])[0].count == 3)
        let heads = json["readHeads"] as! [[String: Any]]
        #expect(heads.count == 2)
        for head in heads {
            #expect(Set(head.keys) == ["key", "strength", "content", "forward", "backward", "modes", "weighting", "read"])
            #expect((head["modes"] as! [Any]).count == 3 && (head["read"] as! [Any]).count == 3)
        }
        #expect(s.output == s.logits.map { 1 / (1 + Foundation.exp(-$0)) })
        #expect(s.writeStrength >= 1 && s.readHeads.allSatisfy { $0.strength >= 1 && abs($0.modes.reduce(0, +) - 1) < 1e-6 })
    }

    // MARK: Parameters, config and checkpoints

    @Test func parametersAreNamedAsAPyTorchModuleNamesThem() {
        var rng = SeededRNG(seed: 80)
        let model = DNC(config: Self.small, rng: &rng)
        // C = X + R·W = 9, I = R·W + 3W + 5R + 3 = 6 + 9 + 10 + 3 = 28.
        let expected: [(String, [Int])] = [
            ("controller.weight_ih", [16, 9]), ("controller.weight_hh", [16, 4]), ("controller.bias_ih", [16]),
            ("controller.bias_hh", [16]), ("interface.weight", [28, 4]), ("interface.bias", [28]),
            ("output.weight", [2, 10]), ("output.bias", [2]),
        ]
        #expect(model.parameters.map(\.name) == expected.map(\.0))
        #expect(model.parameters.map(\.shape.dims) == expected.map(\.1))
        #expect(DNC.kind == "dnc" && model.inputSize == 3 && model.outputSize == 2)
    }

    @Test func configValidationNamesTheBadField() throws {
        try DNCConfig(inputSize: 1, outputSize: 1, memoryRows: 1, memoryWidth: 1, readHeads: 1, controllerSize: 1).validate()
        try DNCConfig(inputSize: 9, outputSize: 8).validate()
        let cases: [(DNCConfig, String)] = [
            (DNCConfig(inputSize: 0, outputSize: 2), "inputSize"),
            (DNCConfig(inputSize: 3, outputSize: 0), "outputSize"),
            (DNCConfig(inputSize: 3, outputSize: 2, memoryRows: 0), "memoryRows"),
            (DNCConfig(inputSize: 3, outputSize: 2, memoryRows: 1025), "memoryRows"),
            (DNCConfig(inputSize: 3, outputSize: 2, memoryWidth: 0), "memoryWidth"),
            (DNCConfig(inputSize: 3, outputSize: 2, readHeads: 0), "readHeads"),
            (DNCConfig(inputSize: 3, outputSize: 2, readHeads: 17), "readHeads"),
            (DNCConfig(inputSize: 3, outputSize: 2, controllerSize: 0), "controllerSize"),
            (DNCConfig(inputSize: 3, outputSize: 2, memoryInit: .nan), "memoryInit"),
        ]
        for (config, field) in cases {
            do { try config.validate(); Issue.record("accepted bad \(field)") } catch let e as ArnnError {
                #expect(e.message.hasPrefix("DNC config: \(field) must be"), "\(e.message)")
            }
        }
    }

    @Test func configLeftOutFieldsTakeTheirDefaults() throws {
        let config = try DNCConfig.decode(json: Data("{\"inputSize\":9,\"outputSize\":8}".utf8))
        #expect(config == DNCConfig(inputSize: 9, outputSize: 8, memoryRows: 32, memoryWidth: 16, readHeads: 1,
                                    controllerSize: 128, memoryInit: 1e-6))
        #expect(try DNCConfig.decode(json: JSONEncoder().encode(Self.small)) == Self.small)
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        var rng = SeededRNG(seed: 81)
        let model = DNC(config: Self.small, rng: &rng)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("dnc-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.checkpoint(metadata: ["arnn.task": "copy"]).write(to: path)
        let read = try Checkpoint.read(from: path)
        #expect(read.metadata["arnn.kind"] == "dnc")
        #expect(read.metadata["arnn.config"]
                == "{\"controllerSize\":4,\"inputSize\":3,\"memoryInit\":1e-06,\"memoryRows\":5,\"memoryWidth\":3,\"outputSize\":2,\"readHeads\":2}")
        let loaded = try DNC(checkpoint: read)
        #expect(loaded.config == model.config)
        for (a, b) in zip(model.parameters, loaded.parameters) { #expect(a.name == b.name && a.tensor == b.tensor) }
        let xs = randomInputs(steps: 3, batch: 1, width: 3, seed: 82)
        #expect(snapshots(loaded, xs) == snapshots(model, xs))
    }

    @Test func checkpointWithAWrongShapedExtraOrMissingTensorIsRefusedInOneLineNamingIt() throws {
        var rng = SeededRNG(seed: 83)
        let model = DNC(config: Self.small, rng: &rng)
        var c = model.checkpoint()
        c.source = "bad.safetensors"
        func rejects(_ bad: Checkpoint, naming words: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try DNC(checkpoint: bad)
                Issue.record("accepted \(what)", sourceLocation: sourceLocation)
            } catch let e as ArnnError {
                #expect(!e.message.contains("\n"), "not one line: \(e.message)", sourceLocation: sourceLocation)
                for w in words { #expect(e.message.contains(w), "\(e.message)", sourceLocation: sourceLocation) }
            } catch {
                Issue.record("\(what): not an ArnnError: \(error)", sourceLocation: sourceLocation)
            }
        }
        var wrongShape = c
        wrongShape["interface.weight"] = Tensor(shape: [27, 4])
        rejects(wrongShape, naming: ["bad.safetensors", "interface.weight", "[27, 4]", "[28, 4]"], "a wrong shape")
        var extra = c
        extra["read_init"] = Tensor(shape: [2, 3])
        rejects(extra, naming: ["bad.safetensors", "unexpected tensor", "read_init"], "an extra tensor")
        var missing = c
        missing["output.bias"] = nil
        rejects(missing, naming: ["bad.safetensors", "output.bias"], "a missing tensor")
        var wrongKind = c
        wrongKind.metadata["arnn.kind"] = "ntm"
        rejects(wrongKind, naming: ["bad.safetensors: holds a \"ntm\" model, expected \"dnc\""], "kind ntm")
        var badRows = c
        badRows.metadata["arnn.config"] = "{\"inputSize\":3,\"outputSize\":2,\"memoryRows\":0}"
        rejects(badRows, naming: ["bad.safetensors", "memoryRows"], "zero memory rows")
    }

    // MARK: PyTorch parity

    /// The fixture's weights load as an arnn checkpoint, and a whole 5-step, batch-2 episode gives the
    /// PyTorch transcription's logits, bookkeeping and parameter gradients.
    @Test func matchesPyTorchOverAWholeEpisode() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let model = try DNC(checkpoint: fixture.weights)
        #expect(model.config == DNCConfig(inputSize: 5, outputSize: 4, memoryRows: 6, memoryWidth: 4, readHeads: 2,
                                          controllerSize: 8))
        let g = Graph(recording: true)
        let vars = model.unroll(g, inputs: fixture.inputs(g))
        let logits = fixture.backward(g, logits: vars.map(\.logits))                // [T·B, Y]
        func expectClose(_ a: [Float], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
            fixture.expectClose(a, name, sourceLocation: sourceLocation)
        }
        func perStep(_ v: (DNC.StepVars) -> Var) -> [Float] { vars.flatMap { g.value(v($0)).data } }
        expectClose(g.value(logits).data, "reference.logits")
        expectClose(perStep(\.usage), "reference.usage")
        expectClose(perStep(\.allocation), "reference.allocation")
        expectClose(perStep(\.writeWeighting), "reference.write_weighting")
        expectClose(perStep(\.memoryAfter), "reference.memory")
        expectClose(perStep(\.link), "reference.link")
        expectClose(perStep(\.precedence), "reference.precedence")
        expectClose(perStep(\.forward), "reference.forward")
        expectClose(perStep(\.backward), "reference.backward")
        expectClose(perStep(\.readContent), "reference.read_content")
        expectClose(perStep(\.readWeightings), "reference.read_weightings")
        expectClose(perStep(\.reads), "reference.reads")
        for p in model.parameters { expectClose(p.gradTensor.data, "reference.grad.\(p.name)") }
        fixture.printWorst()
    }
}
