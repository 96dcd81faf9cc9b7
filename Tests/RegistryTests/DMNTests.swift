import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import TestSupport
import Training

/// The dynamic memory network DMN+ (docs/models/dmn.md) on generated bAbI stories.
@Suite struct DMNTests {
    static func model(d: Int = 8, h: Int = 6, memory: Int = 50, passes: Int = 3, seed: UInt64 = 1) -> DMN<BabiSample> {
        var rng = SeededRNG(seed: seed)
        return DMN(config: DMNConfig(vocabularySize: BabiTask.vocabulary.count, answerCount: BabiTask.answers.count, embeddingSize: d,
                                     hiddenSize: h, memorySize: memory, passes: passes), rng: &rng)
    }

    static func samples(_ n: Int, task: Int, seed: UInt64 = 2) -> [BabiSample] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in BabiTask(tasks: [task]).sample(rng: &rng, length: task) }
    }

    @Test func positionEncodingIsThePapers() {
        // J = 4, D = 2: l_kj = (1 − j/J) − (k/D)(1 − 2j/J), j and k from 1.
        let l = DMN<BabiSample>.positionWeights(word: 1, of: 4, d: 2)
        #expect(abs(l[0] - (0.75 - 0.5 * 0.5)) < 1e-6 && abs(l[1] - (0.75 - 1 * 0.5)) < 1e-6)
        // The last word of any sentence weighs k/D; a one-word sentence too.
        #expect(DMN<BabiSample>.positionWeights(word: 1, of: 1, d: 4) == [0.25, 0.5, 0.75, 1])
    }

    /// The names, shapes and order of docs/models/dmn.md's parameter table (D = H = 80, T = 3, V = 56).
    @Test func parametersAreTheDocsTableInItsOrder() {
        let m = Self.model(d: 80, h: 80)
        let gru = { (p: String, s: String) in
            [("\(p).weight_ih\(s)", [240, 80]), ("\(p).weight_hh\(s)", [240, 80]), ("\(p).bias_ih\(s)", [240]), ("\(p).bias_hh\(s)", [240])]
        }
        let expected: [(String, [Int])] = [("embedding.weight", [56, 80])] + gru("question", "_l0") + gru("fusion", "_l0")
            + gru("fusion", "_l0_reverse")
            + [("attention.hidden.weight", [80, 320]), ("attention.hidden.bias", [80]),
               ("attention.score.weight", [1, 80]), ("attention.score.bias", [1]),
               ("attn_gru.weight_ih", [160, 80]), ("attn_gru.weight_hh", [160, 80]), ("attn_gru.bias_ih", [160]), ("attn_gru.bias_hh", [160])]
            + (0..<3).flatMap { [("memory.\($0).weight", [80, 240]), ("memory.\($0).bias", [80])] }
            + [("answer.weight", [12, 160]), ("answer.bias", [12])]
        #expect(m.parameters.map(\.name) == expected.map(\.0))
        #expect(m.parameters.map(\.shape.dims) == expected.map(\.1))
    }

    /// "Initialisation (arnn train)": the embedding uniform in ±√3 with row 0 zero, weights inside their
    /// Xavier bounds, every bias zero.
    @Test func initialisationFollowsTheDoc() {
        let m = Self.model(d: 80, h: 80)
        let e = m.embedding.tensor
        #expect(e.data[0..<80].allSatisfy { $0 == 0 })
        #expect(e.data.allSatisfy { abs($0) <= Float(3).squareRoot() } && e.data.contains { abs($0) > 1.5 })
        for p in m.parameters where p.name.contains("bias") { #expect(p.tensor.data.allSatisfy { $0 == 0 }, "\(p.name)") }
        let bound = { (out: Int, inp: Int) in (6 / Float(out + inp)).squareRoot() }
        let bounds: [String: Float] = ["question.weight_ih_l0": bound(80, 80), "attention.hidden.weight": bound(80, 320),
                                       "attention.score.weight": bound(1, 80), "memory.0.weight": bound(80, 240),
                                       "answer.weight": bound(12, 160)]
        for p in m.parameters {
            guard let b = bounds[p.name] else { continue }
            let largest = p.tensor.data.map(abs).max()!
            #expect(largest <= b && largest > 0.8 * b, "\(p.name): largest \(largest), bound \(b)")
        }
    }

    /// Eq. (10): each pass's gates over a story's kept statements sum to 1; the padding of shorter stories
    /// in the batch gets exactly 0, and the snapshot lists only the kept statements.
    @Test func gatesSumToOneOverTheKeptStatementsAndPaddingGetsNone() {
        let m = Self.model(memory: 6)
        let batch = Self.samples(2, task: 1, seed: 3) + Self.samples(2, task: 3, seed: 4)
        let g = Graph()
        let (passes, answer) = m.answer(g, batch)
        #expect(passes.count == 3 && g.shape(answer) == Shape(4, BabiTask.answers.count))
        let kept = batch.map { min(6, $0.sentenceIds.count) }
        #expect(kept.contains { $0 < 6 } && kept.contains(6), "the batch mixes padded and full stories: \(kept)")
        let n = kept.max()!
        for pass in passes {
            let gates = g.value(pass.gates)                        // [N, B], the examples longest first
            let packing = pass.story.packing
            #expect(packing.kept == kept.sorted(by: >))
            for (b, count) in kept.enumerated() {
                let column = (0..<n).map { gates.data[$0 * batch.count + packing.position[b]] }
                #expect(abs(column.prefix(count).reduce(0, +) - 1) < 1e-5)
                #expect(column.dropFirst(count).allSatisfy { $0 == 0 }, "padding's gates: \(column)")
                let snapshot = pass.snapshot(g, example: b)
                #expect(snapshot.gates.count == count && snapshot.states.count == count && snapshot.once.facts.count == count)
                #expect(abs(snapshot.output.reduce(0, +) - 1) < 1e-5)
            }
        }
        // m⁰ = q (7), and each pass starts from the memory the last one left.
        let first = passes[0].snapshot(g, example: 0)
        #expect(first.memoryBefore == first.once.question)
        #expect(passes[1].snapshot(g, example: 0).memoryBefore == first.memory)
    }

    /// Padding changes nothing: a story answers the same alone as in a batch padded to a longer story and a
    /// longer question.
    @Test func aStoryAnswersTheSameAloneAndInAPaddedBatch() {
        let m = Self.model()
        let short = Self.samples(1, task: 1, seed: 5)[0]
        let batch = [short] + Self.samples(2, task: 3, seed: 6)
        let alone = Graph(), padded = Graph()
        let a = alone.row(m.answer(alone, [short]).answer, example: 0)
        let p = padded.row(m.answer(padded, batch).answer, example: 0)
        #expect(zip(a, p).allSatisfy { abs($0 - $1) < 1e-5 }, "\(a) vs \(p)")
    }

    /// Dropout acts in training only: without a context the answers are the dropout-free model's; with
    /// one they change, each example's masks are its own (the same in a batch split in two), and about
    /// the configured share of a fact's units is zeroed.
    @Test func dropoutActsOnlyInTrainingAndEachExampleDrawsItsOwnMasks() {
        var config = Self.model().config
        config.dropout = 0.5
        var rng = SeededRNG(seed: 1)
        let dropping = DMN<BabiSample>(config: config, rng: &rng)
        let plain = Self.model()                                    // the same weights (seed 1), no dropout
        let batch = Self.samples(4, task: 2, seed: 3)
        let g = Graph()
        #expect(g.value(dropping.answer(g, batch).answer) == g.value(plain.answer(g, batch).answer))
        let context = TrainingContext(sequencesDone: 0, seed: 9)
        let trained = g.value(dropping.answer(g, batch, training: context).answer)
        #expect(trained != g.value(plain.answer(g, batch).answer))
        // Examples 2 and 3 alone, as the second of two workers (firstSample 2): the same rows.
        let half = g.value(dropping.answer(g, Array(batch[2...]), training: TrainingContext(sequencesDone: 0, seed: 9, firstSample: 2)).answer)
        #expect(zip(Array(trained.data[(2 * 12)...]), half.data).allSatisfy { abs($0 - $1) < 1e-5 })
        let masks = dropping.dropoutMasks(StoryPacking(kept: batch.map { min($0.sentenceIds.count, 50) }), training: context)
        let zeroed = Double(masks.facts.data.filter { $0 == 0 }.count) / Double(masks.facts.count)
        #expect(zeroed > 0.4 && zeroed < 0.6 && masks.facts.data.allSatisfy { $0 == 0 || $0 == 2 })
    }

    @Test func gradientsOfAWholeAnswerMatchFiniteDifferences() {
        let m = Self.model(d: 4, h: 3, memory: 5)
        let batch = Self.samples(2, task: 2, seed: 5) + Self.samples(1, task: 1, seed: 8)
        let targets = batch.map { if case let .word(i)? = $0.answer { i } else { 0 } }
        checkParameterGradients(m.parameters) { g in
            g.crossEntropy(m.answer(g, batch).answer, targets: targets, reduction: .sum)
        }
    }

    /// b⁽²⁾ adds the same to every score, so the softmax (10) cancels it: its gradient is exactly 0.
    @Test func theScoreBiasGetsNoGradient() {
        let m = Self.model()
        let batch = Self.samples(3, task: 2, seed: 9)
        m.parameters.zeroGrad()
        let g = Graph(recording: true)
        g.backward(g.crossEntropy(m.answer(g, batch).answer, targets: [0, 1, 2], reduction: .sum))
        #expect(abs(m.attentionScore.bias!.gradTensor.data[0]) < 1e-5)
        #expect(m.attentionScore.weight.gradTensor.data.contains { $0 != 0 })
    }

    @Test func aCheckpointRoundTripGivesTheSameAnswers() throws {
        let m = Self.model(d: 10, h: 7, memory: 20, passes: 2, seed: 4)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmn-roundtrip-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.checkpoint(metadata: [:]).write(to: path)
        let checkpoint = try Checkpoint.read(from: path)
        #expect(checkpoint.metadata[CheckpointMetadataKey.kind] == "dmn")
        #expect(checkpoint.metadata[CheckpointMetadataKey.config]
                == #"{"answerCount":12,"dropout":0,"embeddingSize":10,"hiddenSize":7,"memorySize":20,"passes":2,"vocabularySize":56}"#)
        let loaded = try DMN<BabiSample>(checkpoint: checkpoint)
        #expect(loaded.config == m.config)
        #expect(loaded.parameters.map(\.name) == m.parameters.map(\.name))
        let batch = Self.samples(4, task: 6, seed: 11)
        let g1 = Graph(), g2 = Graph()
        #expect(g1.value(m.answer(g1, batch).answer) == g2.value(loaded.answer(g2, batch).answer))
    }

    /// A babi checkpoint opens in the viewer without --length: on its first task, not on length 10,
    /// which is no bAbI task.
    @Test func aBabiCheckpointOpensOnItsFirstTask() throws {
        let learner = ReadThenAnswerLearner(model: Self.model(), task: BabiTask())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmn-open-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let task = String(decoding: try JSONEncoder().encode(TaskConfig(BabiTask())), as: UTF8.self)
        try learner.checkpoint(metadata: [CheckpointMetadataKey.taskConfig: task]).write(to: path)
        let loaded = try LoadedModel.load(path, catalog: Registry.catalog)
        #expect(loaded.defaultLength == 1)
        let (state, _) = try Registry.viewer([loaded])
        #expect(state.episode.kind == "dmn" && state.episode.count == 3)
    }

    /// Through the shared runner and trainer, 150 batches of qa1 lift it far above chance (1 in 6 places).
    @Test func trainingOnQa1AnswersWhereSomeoneIs() throws {
        let learner = ReadThenAnswerLearner(model: Self.model(d: 16, h: 16, seed: 3), task: BabiTask(tasks: [1], trainingStories: 500))
        var options = TrainingOptions()
        options.batchSize = 32
        options.optimizer = .adam
        options.learningRate = 1e-2
        options.clipValue = 0
        options.threads = 2
        let trainer = Trainer(learner: learner, options: options)
        for _ in 0..<150 { _ = trainer.trainBatch() }
        let report = try Evaluator.evaluate(learner, lengths: [1], count: 300, seed: 4)[0]
        #expect(report["accuracy"] > 0.6, "qa1 accuracy after 4,800 questions: \(report["accuracy"])")
    }

    /// An episode has one frame per pass, the last the answer, and a trace writes the input module's values
    /// once.
    @Test func anEpisodeHasOneFramePerPass() throws {
        let learner = ReadThenAnswerLearner(model: Self.model(), task: BabiTask(tasks: [2]))
        let sample = Self.samples(1, task: 2, seed: 12)[0]
        let episode = learner.episode(sample)
        #expect(episode.count == 3)
        let snapshots = episode.frames.map { $0.snapshot as! DMNSnapshot }
        #expect(snapshots.allSatisfy { $0.once == snapshots[0].once && $0.gates.count == min(50, sample.sentenceIds.count) })
        #expect(snapshots[0].episodeFields != nil)
    }
}
