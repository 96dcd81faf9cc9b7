import Engine
import Foundation
import Models
import TestSupport
import Testing

/// The attention encoder–decoder (docs/models/seq2seq.md): against PyTorch, against finite differences,
/// and against its own equations.
@Suite struct Seq2SeqTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/seq2seq_parity.safetensors").path

    static func small(_ kind: AttentionKind) -> Seq2SeqConfig {
        Seq2SeqConfig(sourceVocabulary: 11, targetVocabulary: 13, embeddingSize: 5, encoderSize: 4, decoderSize: 6,
                      attentionSize: 3, attention: kind)
    }

    /// Teacher forcing as the learner does it: logits of every step, step-major [T·B, V], and the targets.
    static func teacherForcing(_ model: Seq2Seq, _ g: Graph, sources: [[Int]], targets: [[Int]]) -> (Var, [Int]) {
        let steps = targets.map(\.count).max()! + 1
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var logits: [Var] = [], flat: [Int] = []
        for t in 0..<steps {
            let previous = targets.map { t == 0 ? 1 : (t <= $0.count ? $0[t - 1] : 0) }
            flat += targets.map { t < $0.count ? $0[t] : (t == $0.count ? 2 : 0) }
            let (next, vars) = model.step(g, previous: previous, state: state, memory: memory)
            logits.append(vars.logits)
            state = next
        }
        return (g.concat(logits, axis: 0), flat)
    }

    @Test(arguments: ["additive", "dot"])
    func matchesPyTorchOverATeacherForcedBatch(kind: String) throws {
        let fixture = try Checkpoint.read(from: Self.fixturePath)
        let sources = try JSONDecoder().decode([[Int]].self, from: Data(fixture.metadata["sources"]!.utf8))
        let targets = try JSONDecoder().decode([[Int]].self, from: Data(fixture.metadata["targets"]!.utf8))
        var weights = Checkpoint(metadata: [CheckpointMetadataKey.kind: Seq2Seq.kind,
                                            CheckpointMetadataKey.config: fixture.metadata["\(kind).config"]!])
        for name in fixture.names where name.hasPrefix("\(kind).") && !name.hasPrefix("\(kind).grad.")
            && name != "\(kind).logits" && name != "\(kind).loss" {
            weights[String(name.dropFirst(kind.count + 1))] = fixture[name]
        }
        let model = try Seq2Seq(checkpoint: weights)
        let g = Graph(recording: true)
        let (logits, flat) = Self.teacherForcing(model, g, sources: sources, targets: targets)
        let loss = g.crossEntropy(logits, targets: flat, ignoreIndex: 0, reduction: .sum)
        g.backward(loss)
        let expected = fixture["\(kind).logits"]!
        let got = g.value(logits)
        #expect(got.count == expected.count)
        #expect(got.maxAbsDifference(Tensor(shape: got.shape, data: expected.data)) < 1e-5)
        #expect(abs(g.scalar(loss) - fixture["\(kind).loss"]!.data[0]) < 1e-4)
        for p in model.parameters {
            let reference = fixture["\(kind).grad.\(p.name)"]!
            let scale = max(1, reference.data.map(abs).max() ?? 1)
            #expect(p.gradTensor.maxAbsDifference(reference) < 1e-5 * scale, "gradient of \(p.name)")
        }
    }

    @Test(arguments: [AttentionKind.additive, .dot])
    func gradientOfATeacherForcedSentenceMatchesFiniteDifferences(kind: AttentionKind) {
        var rng = SeededRNG(seed: 21)
        let model = Seq2Seq(config: Self.small(kind), rng: &rng)
        checkParameterGradients(model.parameters, rtol: 2e-2) { g in
            Self.teacherForcing(model, g, sources: [[4, 7, 5], [9, 6]], targets: [[5, 8], [10, 11, 12]]).0
        }
    }

    @Test func paddingChangesNothing() {
        var rng = SeededRNG(seed: 5)
        let model = Seq2Seq(config: Self.small(.additive), rng: &rng)
        let ga = Graph()
        let alone = Self.teacherForcing(model, ga, sources: [[8, 9]], targets: [[5, 6, 7]])
        let g = Graph()
        let batched = Self.teacherForcing(model, g, sources: [[4, 5, 6, 7, 10], [8, 9]], targets: [[5], [5, 6, 7]])
        // Row j of step t is t·B + j: the second sentence's rows of the batch equal its rows alone.
        let v = 13, a = ga.value(alone.0)
        let b = g.value(batched.0)
        for t in 0..<4 {
            for c in 0..<v { #expect(abs(a.data[t * v + c] - b.data[(t * 2 + 1) * v + c]) < 1e-5) }
        }
    }

    @Test func theSnapshotFollowsTheEquations() {
        var rng = SeededRNG(seed: 6)
        let model = Seq2Seq(config: Self.small(.dot), rng: &rng)
        let g = Graph()
        let memory = model.encode(g, sources: [[4, 5, 6]])
        let (_, vars) = model.step(g, previous: [1], state: model.initialState(g, memory: memory), memory: memory)
        let s = vars.snapshot(g, example: 0)
        #expect(s.weights.count == 3 && abs(s.weights.reduce(0, +) - 1) < 1e-5)         // (7)
        for j in 0..<8 {                                                                   // (8)
            let c = (0..<3).reduce(Float(0)) { $0 + s.weights[$1] * s.annotations[$1][j] }
            #expect(abs(c - s.context[j]) < 1e-5)
        }
        #expect(abs(s.output.reduce(0, +) - 1) < 1e-5 && s.top(3).count == 3)              // (10)
        #expect(s.token == s.top(1)[0].token)
    }

    @Test func aCheckpointRoundTripsAndAWrongConfigIsNamed() throws {
        var rng = SeededRNG(seed: 7)
        let model = Seq2Seq(config: Self.small(.additive), rng: &rng)
        let loaded = try Seq2Seq(checkpoint: model.checkpoint())
        #expect(loaded.parameters.map(\.tensor) == model.parameters.map(\.tensor))
        var bad = model.checkpoint()
        bad.metadata[CheckpointMetadataKey.config] = #"{"sourceVocabulary": 11, "targetVocabulary": 2}"#
        let error = #expect(throws: ArnnError.self) { try Seq2Seq(checkpoint: bad) }
        #expect(error?.message.contains("targetVocabulary") == true)
    }
}
