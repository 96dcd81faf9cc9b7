import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing

/// A recurrent model on a token task (issue 18): it reads the source, then writes, through the token
/// objective; the same numbers whichever way it runs.
@Suite struct RecurrentTokenTests {
    static let task = TranslationTask(maxWords: 8)

    static func learner(seed: UInt64 = 5, hidden: Int = 24) throws -> RecurrentTokenLearner<LSTMModel, TranslationTask> {
        let (x, y) = RecurrentTokenLearner<LSTMModel, TranslationTask>.widths(task)
        var rng = SeededRNG(seed: seed)
        return try RecurrentTokenLearner(model: LSTMModel(config: LSTMConfig(inputSize: x, outputSize: y, hiddenSize: hidden), rng: &rng),
                                         task: task)
    }

    static func samples(_ n: Int, seed: UInt64 = 11) -> [TranslationPair] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in task.sample(rng: &rng, length: nil) }
    }

    @Test func theRegistryMakesAnLSTMOnTranslationWithBothVocabulariesInAndTheTargetsOut() throws {
        var rng = SeededRNG(seed: 1)
        let learner = try Registry.catalog.model("lstm").make(task: TaskConfig(Self.task), rng: &rng)
        let config = try #require(learner.config as? LSTMConfig)
        #expect(config.inputSize == 80 + 124 && config.outputSize == 124)
        #expect(learner.metrics.map(\.name).contains(TokenObjective.exactMatch))
        #expect(learner.curriculumMetric == TokenObjective.wrongTokens)
    }

    @Test func aModelOfOtherWidthsIsRefusedNamingBoth() throws {
        var rng = SeededRNG(seed: 1)
        let model = LSTMModel(config: LSTMConfig(inputSize: 9, outputSize: 8, hiddenSize: 4), rng: &rng)
        do {
            _ = try RecurrentTokenLearner(model: model, task: Self.task)
            Issue.record("a 9-in, 8-out LSTM was accepted on translation")
        } catch let e as ArnnError {
            #expect(e.message.contains("reads 9 and writes 8") && e.message.contains("204"), "\(e.message)")
        }
    }

    /// The training path (one graph, teacher forcing) and the evaluating path (step by step without a
    /// tape) compute the same cross-entropy, and the loss units are the target words and `<eos>`.
    @Test func teacherForcedCrossEntropyIsTheSameOnTheTapeAndStepByStep() throws {
        let l = try Self.learner()
        let batch = Self.samples(5)
        let trained = l.run(Graph(recording: true), batch, lossScale: 0)
        let evaluated = l.run(Graph(), batch, lossScale: nil)
        for (a, b) in zip(trained, evaluated) {
            let x = try #require(a[TokenObjective.crossEntropyBits]), y = try #require(b[TokenObjective.crossEntropyBits])
            #expect(abs(x - y) <= 1e-4 * max(1, abs(x)), "CE \(x) on the tape, \(y) step by step")
        }
        #expect(l.lossUnits(batch) == batch.reduce(0) { $0 + $1.targetTokens.count + 1 })
    }

    /// Greedy decoding of a batch (sentences of different lengths, each starting to write at its own
    /// step) writes what decoding each sentence alone writes, and what its episode's frames show.
    @Test func batchedGreedyDecodingEqualsOneSentenceAtATimeAndTheEpisode() throws {
        let l = try Self.learner()
        let batch = Self.samples(6, seed: 12)
        let together = l.greedy(Graph(), batch.map(\.sourceTokens))
        for (pair, tokens) in zip(batch, together) {
            #expect(l.greedy(Graph(), [pair.sourceTokens])[0] == tokens)
            let episode = l.episode(pair)
            let n = pair.sourceTokens.count
            #expect(episode.count == n + tokens.count)
            let steps = episode.frames.compactMap { $0.data(as: TokenStep.self) }
            #expect(steps.prefix(n).allSatisfy { $0.phase == .source && !$0.isScored })
            #expect(steps.prefix(n).map(\.input.id) == pair.sourceTokens, "it reads the source, word by word")
            #expect(steps.dropFirst(n).compactMap { $0.output?.id } == tokens, "then writes what greedy decoding writes")
            #expect(steps[n].input.word == "<bos>")
        }
    }

    /// Training lowers the loss: the token objective's gradient reaches the recurrent model.
    @Test func aFewHundredSentencesOfTrainingLowerTheLoss() throws {
        let l = try Self.learner(seed: 6, hidden: 32)
        let batch = Self.samples(16, seed: 13)
        func loss() -> Double { l.run(Graph(), batch, lossScale: nil).reduce(0) { $0 + $1[TokenObjective.crossEntropyBits]! } }
        let before = loss()
        let optimizer = Adam(l.parameters, learningRate: 1e-2)
        for _ in 0..<30 {
            optimizer.zeroGrad()
            _ = l.run(Graph(recording: true), batch, lossScale: 1 / Float(l.lossUnits(batch)))
            optimizer.step()
        }
        #expect(loss() < 0.8 * before, "CE \(before) → \(loss()) bits over the batch")
    }
}
