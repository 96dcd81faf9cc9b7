import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Training

/// A recurrent model on a sequence-labelling task (Dyck-2, issue 20): one label per input position,
/// aligned, through the label objective; every recurrent kind takes it from its registry line.
@Suite struct RecurrentLabellingTests {
    static let task = Dyck2Task()

    static func learner(seed: UInt64 = 5, hidden: Int = 16) throws -> RecurrentLabellingLearner<LSTMModel, Dyck2Task> {
        let (x, y) = RecurrentLabellingLearner<LSTMModel, Dyck2Task>.widths(task)
        var rng = SeededRNG(seed: seed)
        return try RecurrentLabellingLearner(model: LSTMModel(config: LSTMConfig(inputSize: x, outputSize: y, hiddenSize: hidden),
                                                              rng: &rng), task: task)
    }

    static func samples(_ n: Int, seed: UInt64 = 11, length: Int? = nil) -> [BracketString] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in task.sample(rng: &rng, length: length) }
    }

    @Test func theRegistryMakesAnLSTMOnDyckWithTheSymbolsInAndTheLabelsOut() throws {
        var rng = SeededRNG(seed: 1)
        let learner = try Registry.catalog.model("lstm").make(task: TaskConfig(Self.task), rng: &rng)
        let config = try #require(learner.config as? LSTMConfig)
        #expect(config.inputSize == 4 && config.outputSize == 3)
        #expect(learner.metrics.map(\.name) == [LabelObjective.crossEntropyBits, LabelObjective.wrongLabels,
                                                LabelObjective.positionAccuracy, LabelObjective.exactMatch])
        #expect(learner.curriculumMetric == LabelObjective.wrongLabels)
    }

    /// Every recurrent kind trains on Dyck through its `.recurrent` line alone, and runs an episode of one
    /// frame per bracket; ACT, whose ponder cost this runner does not train, is refused in one line.
    @Test(arguments: ["lstm", "ntm", "dnc", "stack", "queue", "deque"])
    func everyRecurrentKindTrainsOnDyck(kind: String) throws {
        let task = try Registry.tasks.task(named: Dyck2Task.name).withLengthRange(4...8)
        var rng = SeededRNG(seed: 3)
        let learner = try Registry.catalog.model(kind).make(task: task, rng: &rng)
        var options = TrainingOptions()
        options.batchSize = 4
        options.learningRate = 1e-3
        let trainer = Trainer(learner: learner, options: options)
        let before = learner.parameters.map(\.tensor)
        for _ in 0..<2 {
            let r = trainer.trainBatch()
            #expect(r.loss.isFinite && r.loss > 0)
            #expect(r.metrics[LabelObjective.positionAccuracy] != nil)
        }
        #expect(learner.parameters.map(\.tensor) != before)
        var checkpoint = learner.checkpoint(metadata: [:])
        checkpoint.source = "roundtrip"
        let loaded = try Registry.catalog.load(checkpoint, task: task)
        let (state, _) = try Registry.viewer([(kind, loaded)], task: task, length: 6, seed: 1)
        #expect(state.episode.count == 6 && state.episode.unit == "labels")
    }

    /// A curriculum raises its stage one length at a time; on Dyck it draws only the even lengths up to
    /// the stage (an odd one is no balanced string).
    @Test func aCurriculumDrawsOnlyLengthsTheTaskTakes() throws {
        let task = try TaskConfig(Dyck2Task()).withLengthRange(4...10)
        var rng = SeededRNG(seed: 3)
        let learner = try Registry.catalog.model("lstm").make(task: task, overrides: ["hiddenSize": "8"], rng: &rng)
        var options = TrainingOptions()
        options.batchSize = 4
        options.threads = 1
        options.curriculum = true
        options.curriculumWindow = 4
        options.curriculumThreshold = 1_000    // advance after every window
        let trainer = Trainer(learner: learner, options: options)
        var stages: Set<Int> = []
        for _ in 0..<12 { stages.insert(trainer.trainBatch().maxLength) }
        #expect(stages.contains(5) && stages.contains(9) && trainer.maxLength == 10, "stages \(stages.sorted())")
    }

    @Test func actIsRefusedNamingItsPonderCost() throws {
        var rng = SeededRNG(seed: 1)
        let error = #expect(throws: ArnnError.self) {
            try Registry.catalog.model("act").make(task: TaskConfig(Self.task), rng: &rng)
        }
        #expect(error?.message.contains("auxiliary cost") == true)
    }

    @Test func aModelOfOtherWidthsIsRefusedNamingBoth() throws {
        var rng = SeededRNG(seed: 1)
        let model = LSTMModel(config: LSTMConfig(inputSize: 5, outputSize: 3, hiddenSize: 4), rng: &rng)
        let error = #expect(throws: ArnnError.self) { try RecurrentLabellingLearner(model: model, task: Self.task) }
        #expect(error?.message.contains("reads 5 and writes 3") == true && error?.message.contains("reads 4 (its symbols)") == true)
    }

    /// Frame t reads bracket t and is scored against position t's label; the label written there is the
    /// argmax of the logits the model computes after reading brackets 0…t (an unrolled run, independently).
    @Test func labelsAlignWithPositions() throws {
        let l = try Self.learner()
        let sample = try Self.task.sample(text: "( [ ] ) [ ( ) ]")
        let episode = l.episode(sample)
        #expect(episode.count == 8)
        let steps = episode.frames.compactMap { $0.data(as: TokenStep.self) }
        #expect(steps.map(\.input.word) == sample.symbolWords)
        #expect(steps.compactMap { $0.target?.word } == [")", "]", ")", "none", "]", ")", "]", "none"])
        #expect(steps.allSatisfy { $0.phase == .label && $0.isScored && !$0.onlyReads })
        let g = Graph()
        let inputs = sample.symbols.map { s -> Var in
            var x = [Float](repeating: 0, count: 4)
            x[s] = 1
            return g.constant(Tensor(shape: [1, 4], data: x))
        }
        let argmax = l.model.logits(g, inputs: inputs).map { v in g.withValue(v) { TokenObjective.argmax($0, row: 0, width: 3) } }
        #expect(steps.compactMap { $0.output?.id } == argmax)
        let wrong = zip(argmax, sample.labels).filter { $0 != $1 }.count
        #expect(episode.score.wrong == wrong && episode.score.scored == 8)
        #expect(episode.frames.map(\.wrong).reduce(0, +) == wrong)
    }

    /// The training path (one graph) and the evaluating path (step by step without a tape) give the same
    /// figures, and the loss units are the labelled positions.
    @Test func theTapeAndStepByStepAgree() throws {
        let l = try Self.learner()
        let batch = Self.samples(6)
        let trained = l.run(Graph(recording: true), batch, lossScale: 0)
        let evaluated = l.run(Graph(), batch, lossScale: nil)
        for (a, b) in zip(trained, evaluated) {
            let x = try #require(a[LabelObjective.crossEntropyBits]), y = try #require(b[LabelObjective.crossEntropyBits])
            #expect(abs(x - y) <= 1e-4 * max(1, abs(x)), "CE \(x) on the tape, \(y) step by step")
            #expect(a[LabelObjective.positionAccuracy] == b[LabelObjective.positionAccuracy])
        }
        #expect(l.lossUnits(batch) == batch.reduce(0) { $0 + $1.symbols.count })
    }

    /// A short sample batched with a long one (its steps padded past its end) gets the loss and gradient it
    /// gets alone: the padded positions are not scored and send back nothing.
    @Test func gradientFlowsOnlyThroughScoredPositions() throws {
        let l = try Self.learner(hidden: 8)
        var rng = SeededRNG(seed: 31)
        let short = Self.task.sample(rng: &rng, length: 4), long = Self.task.sample(rng: &rng, length: 14)
        func gradient(_ samples: [BracketString]) -> ([Float], Double) {
            l.parameters.zeroGrad()
            let values = l.run(Graph(recording: true), samples, lossScale: 1)
            return (l.parameters.flatMap { $0.gradTensor.data }, values.reduce(0) { $0 + $1[LabelObjective.crossEntropyBits]! })
        }
        let (both, lossBoth) = gradient([short, long])
        let (a, lossA) = gradient([short])
        let (b, lossB) = gradient([long])
        #expect(abs(lossBoth - lossA - lossB) < 1e-4 * lossBoth)
        let worst = zip(both, zip(a, b)).map { abs($0 - $1.0 - $1.1) }.max()!
        #expect(worst < 1e-5, "batched gradient differs from the sum of the samples' by \(worst)")
        #expect(a.contains { $0 != 0 })
    }

    /// A tiny LSTM learns something in a few batches: the cross-entropy on held-out strings falls.
    @Test func aTinyLSTMsLossFallsOverAFewBatches() throws {
        let l = try Self.learner(seed: 6, hidden: 16)
        let held = Self.samples(32, seed: 13)
        func loss() -> Double { l.run(Graph(), held, lossScale: nil).reduce(0) { $0 + $1[LabelObjective.crossEntropyBits]! } }
        let before = loss()
        let optimizer = Adam(l.parameters, learningRate: 1e-2)
        for batch in 0..<30 {
            let samples = Self.samples(16, seed: 100 + UInt64(batch))
            optimizer.zeroGrad()
            _ = l.run(Graph(recording: true), samples, lossScale: 1 / Float(l.lossUnits(samples)))
            optimizer.step()
        }
        #expect(loss() < 0.7 * before, "CE \(before) → \(loss()) bits over the held-out strings")
    }

    @Test func aTraceCarriesTheSymbolsAndLabelsOfTheSample() throws {
        let l = try Self.learner()
        let episode = l.episode(try Self.task.sample(text: "( [ ] )"))
        let json = try Episodes.Trace(episode: episode, config: l.config, length: nil, seed: nil, source: "typed").json()
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let example = try #require(object["example"] as? [String: Any])
        #expect(example["symbolWords"] as? [String] == ["(", "[", "]", ")"])
        #expect(example["labelWords"] as? [String] == [")", "]", ")", "none"])
        let frames = try #require(object["frames"] as? [[String: Any]])
        #expect(frames.map { $0["targetWord"] as? String } == [")", "]", ")", "none"])
        let score = try #require(object["score"] as? [String: Any])
        #expect(score["scoredLabels"] as? Int == 4)
    }
}
