import Engine
import Models
import Episodes
import Foundation
import Registry
import Viewing
import Tasks
import Testing
import Training
import Visualiser

/// Every registry line works end to end through the core alone: it makes a model for a task, trains a few
/// steps, saves and reloads, runs an episode, and its scene draws at 80×24 and 160×48.
@Suite struct RegistryTests {
    static let demos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demos").path

    @Test(arguments: Registry.catalog.kinds)
    func everyModelTrainsSavesLoadsAndRenders(kind: String) throws {
        let task = try Registry.tasks.task(named: Registry.defaultTask(kind)).withLengthRange(3...4)
        var rng = SeededRNG(seed: 3)
        let learner = try Registry.catalog.model(kind).make(task: task, rng: &rng)
        #expect(learner.kind == kind)
        let before = learner.parameters.map(\.tensor)
        var options = TrainingOptions()
        options.batchSize = 4
        options.threads = 2
        options.learningRate = 1e-3
        let trainer = Trainer(learner: learner, options: options)
        for _ in 0..<3 {
            let r = trainer.trainBatch()
            #expect(r.loss.isFinite && r.loss > 0)
            for m in learner.metrics { #expect(r.metrics[m.name] != nil, "\(kind) reports \(m.name)") }
        }
        #expect(learner.parameters.map(\.tensor) != before, "training changed no parameter of \(kind)")

        // Checkpoint round trip through the catalog: same weights, same episode.
        var checkpoint = learner.checkpoint(metadata: [:])
        checkpoint.source = "roundtrip"
        let loaded = try Registry.catalog.load(checkpoint, task: task)
        #expect(loaded.parameters.map(\.tensor) == learner.parameters.map(\.tensor))

        let (state, _) = try Registry.viewer([(kind, loaded)], task: task, length: 3, seed: 1)
        #expect(state.episode.kind == kind && state.episode.count >= 1)
        for (w, h) in [(80, 24), (160, 48)] {
            let text = Viewer.view(state, width: w, height: h, mode: .none).plainText()
            #expect(!text.contains("too small"), "\(kind) at \(w)×\(h)")
            #expect(text.contains("arnn · \(kind)"))
        }
    }

    @Test func everyEntryHasAScene() throws {
        for kind in Registry.catalog.kinds { #expect(try Registry.scene(kind).kind == kind) }
        #expect(throws: ArnnError.self) { try Registry.scene("no-such-model") }
    }

    @Test func configFieldsAreSetByNameAndBadOnesAreNamed() throws {
        let task = try Registry.tasks.task(named: "copy")
        var rng = SeededRNG(seed: 1)
        let ntm = try Registry.catalog.model("ntm").make(task: task, overrides: ["memoryRows": "16"], rng: &rng)
        #expect(ntm.parameters.count > 0)
        let (state, _) = try Registry.viewer([("ntm", ntm)], task: task, length: 2, seed: 1)
        #expect(state.episode.kind == "ntm")
        let unknown = #expect(throws: ArnnError.self) {
            try Registry.catalog.model("lstm").make(task: task, overrides: ["memoryRows": "16"], rng: &rng)
        }
        #expect(unknown?.message.contains("lstm has no config field \"memoryRows\"") == true)
        let notNumber = #expect(throws: ArnnError.self) {
            try Registry.catalog.model("lstm").make(task: task, overrides: ["hiddenSize": "big"], rng: &rng)
        }
        #expect(notNumber?.message.contains("hiddenSize takes a number") == true)
        let invalid = #expect(throws: ArnnError.self) {
            try Registry.catalog.model("lstm").make(task: task, overrides: ["layers": "0"], rng: &rng)
        }
        #expect(invalid?.message.contains("layers") == true)
        #expect(throws: ArnnError.self) { try Registry.catalog.model("gpt") }
    }

    /// A switch takes true or false, and a list field a JSON list (`--set timeNoise=false`, `--task-set tasks=[1,3]`).
    @Test func switchesAndListsAreSetByName() throws {
        let babi = try Registry.tasks.task(named: "babi")
        let data = try ConfigOverrides.setting(["tasks": "[1,3]"], in: JSONEncoder().encode(babi), flag: "--task-set", owner: "babi has no field")
        #expect(try Registry.tasks.decode(data).lengthRange == 1...3)
        #expect(throws: ArnnError.self) {
            try ConfigOverrides.setting(["tasks": "1,3"], in: JSONEncoder().encode(babi), flag: "--task-set", owner: "babi has no field")
        }
        var rng = SeededRNG(seed: 1)
        let off = try Registry.catalog.model("memn2n").make(task: babi, overrides: ["timeNoise": "false", "linearStart": "100"], rng: &rng)
        let config = try #require(off.config as? MemN2NConfig)
        #expect(config.timeNoise == false && config.linearStart == 100)
    }

    /// Issue 12, item 2: a checkpoint whose metadata holds only `arnn.kind` and `arnn.config` (the minimum
    /// docs/checkpoints.md asks of PyTorch users) loads, through the path every command takes, once the
    /// task is given; without it the error says to pass --task (which eval, trace, view, render and
    /// record all accept).
    @Test func aMinimalCheckpointLoadsWithTheTaskGiven() throws {
        let task = try Registry.tasks.task(named: "copy")
        var rng = SeededRNG(seed: 4)
        let learner = try Registry.catalog.model("ntm").make(task: task, rng: &rng)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("arnn-minimal-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try learner.checkpoint(metadata: [:]).write(to: path)
        #expect(Set(try Checkpoint.read(from: path).metadata.keys) == [CheckpointMetadataKey.kind, CheckpointMetadataKey.config])
        do {
            _ = try LoadedModel.load(path, catalog: Registry.catalog)
            Issue.record("a checkpoint that names no task loaded without one")
        } catch let e as ArnnError {
            #expect(e.message.contains("pass --task"), "\(e.message)")
        }
        let loaded = try LoadedModel.load(path, catalog: Registry.catalog, task: task)
        #expect(loaded.task.name == "copy")
        #expect(loaded.kind == "ntm")
        #expect(loaded.learner.parameters.map(\.tensor) == learner.parameters.map(\.tensor))
        // And it runs: the viewer's first example.
        let (state, _) = try Registry.viewer([loaded], length: nil, seed: nil)
        #expect(state.seed == 1)
    }

    @Test func aCheckpointOfAnUnknownKindIsRejectedNamingIt() throws {
        let metadata = [CheckpointMetadataKey.kind: "no-such-model", CheckpointMetadataKey.config: "{}"]
        let checkpoint = Checkpoint(metadata: metadata, source: "x.safetensors")
        let error = #expect(throws: ArnnError.self) {
            try Registry.catalog.load(checkpoint, task: try Registry.tasks.task(named: "copy"))
        }
        #expect(error?.message.hasPrefix("x.safetensors: unknown model 'no-such-model'") == true)
    }

    @Test func everyShippedDemoLoadsAndDrawsThroughTheRegistry() throws {
        let names = LoadedModel.demoNames()
        #expect(names.contains("lstm-copy") && names.contains(Registry.defaultDemo))
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.demos).sorted()
        where FileManager.default.fileExists(atPath: "\(Self.demos)/\(name)/demo.json") {
            let loaded = try LoadedModel.load("\(Self.demos)/\(name)", catalog: Registry.catalog)
            let (state, _) = try Registry.viewer([loaded])
            let text = Viewer.view(state, width: 80, height: 24, mode: .none).plainText()
            #expect(text.contains(name), "\(name) title")
        }
    }

    @Test func theTwoAttentionVariantsCompareOnOneSentence() throws {
        let additive = try LoadedModel.load("\(Self.demos)/translate", catalog: Registry.catalog)
        let dot = try LoadedModel.load("\(Self.demos)/translate-dot", catalog: Registry.catalog)
        let (state, effects) = try Registry.viewer([additive, dot])
        #expect(state.models.map(\.episode.kind) == ["seq2seq", "seq2seq"])
        let text = Viewer.view(state, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("translate (seq2seq)") && text.contains("translate-dot (seq2seq)"))
        // A typed sentence runs through both.
        let typed = try effects.episodes(text: "the small cats do not see the red car")
        #expect(typed.count == 2 && typed.allSatisfy { $0.frames.count == 10 })
    }

    @Test func typedSentencesThatCannotBeRunAreRefusedWithOneLine() throws {
        let task = try Registry.tasks.task(named: TranslationTask.name)
        #expect(task.checkText("")?.message.hasPrefix("type a sentence") == true)
        let unknown = task.checkText("xyz the qqq")
        #expect(unknown?.unknown == ["xyz", "qqq"])
        let long = Array(repeating: "the cat", count: 14).joined(separator: " ")
        #expect(task.checkText(long)?.message.contains("at most 27") == true)
        #expect(task.checkText("the small cats do not see the red car") == nil)
        #expect(try Registry.tasks.task(named: "copy").checkText("the cat")?.message.contains("reads no typed text") == true)
    }

    @Test func compareNeedsTheSameTask() throws {
        let recall = try LoadedModel.load("\(Self.demos)/ntm-assoc-recall", catalog: Registry.catalog)
        let lstm = try LoadedModel.load("\(Self.demos)/lstm-copy", catalog: Registry.catalog)
        let error = #expect(throws: ArnnError.self) { try Registry.viewer([recall, lstm]) }
        #expect(error?.message.contains("--compare needs two models on the same task") == true)
        let ntm = try LoadedModel.load("\(Self.demos)/ntm-copy", catalog: Registry.catalog)
        let (state, _) = try Registry.viewer([ntm, lstm])
        #expect(state.models.count == 2 && state.models[0].episode.example == state.models[1].episode.example)
    }
}

/// Beam search of the translation model (docs/models/seq2seq.md): width 1 is greedy decoding, a wider
/// beam never finds a worse sequence by its own measure, and its episode carries the beams.
@Suite struct BeamSearchTests {
    func learner() throws -> EncoderDecoderLearner<Seq2Seq, TranslationTask> {
        var rng = SeededRNG(seed: 12)
        let task = TranslationTask()
        let model = Seq2Seq(config: Seq2SeqConfig(sourceVocabulary: TranslationTask.sourceVocabulary.size,
                                                  targetVocabulary: TranslationTask.targetVocabulary.size,
                                                  embeddingSize: 8, encoderSize: 8, decoderSize: 12, attentionSize: 6),
                            rng: &rng)
        return try EncoderDecoderLearner(model: model, task: task)
    }

    @Test func widthOneIsGreedyDecoding() throws {
        let l = try learner()
        var rng = SeededRNG(seed: 3)
        for _ in 0..<5 {
            let pair = l.sample(rng: &rng, length: 8)
            #expect(l.beam(pair.sourceTokens, width: 1) == l.greedy(Graph(), [pair.sourceTokens])[0])
        }
    }

    @Test func theBeamEpisodeFollowsItsBestSequenceAndCarriesTheBeams() throws {
        let l = try learner()
        var rng = SeededRNG(seed: 4)
        let pair = l.sample(rng: &rng, length: 6)
        let episode = l.episode(pair, variant: "beam 4")
        let tokens = l.beam(pair.sourceTokens, width: 4)
        #expect(episode.count == tokens.count)
        for (t, frame) in episode.frames.enumerated() {
            let s = frame.snapshot as! Seq2SeqSnapshot
            #expect(s.token == tokens[t])
            #expect(!s.beams.isEmpty && s.beams.count <= 4)
            // Kept best first, each extending the step before by one token (or finished).
            #expect(zip(s.beams, s.beams.dropFirst()).allSatisfy { $0.logProbability >= $1.logProbability })
            #expect(s.beams.allSatisfy { $0.tokens.count == t + 1 || $0.finished })
        }
        #expect(l.variants == ["beam 4"])
        #expect(l.episode(pair, variant: nil).frames.count == l.greedy(Graph(), [pair.sourceTokens])[0].count)
    }
}
