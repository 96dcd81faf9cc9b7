import Engine
import Episodes
import Models
import Tasks
import Testing

/// What the encoder–decoder learner asks of a transformer with an approximate attention
/// (docs/models/transformer.md, eqs. 13 and 20): it refuses a Linformer too short for the task's sentences,
/// and hands the trainer's batch count to the model, so the Performer's features follow their cadence.
@Suite struct TransformerLearnerTests {
    static func model(_ attention: TransformerAttention, maxSourceLength: Int = 64, redrawEvery: Int = 100) -> Transformer {
        var rng = SeededRNG(seed: 4)
        return Transformer(config: TransformerConfig(sourceVocabulary: TranslationTask.sourceVocabulary.size,
                                                     targetVocabulary: TranslationTask.targetVocabulary.size,
                                                     modelSize: 8, heads: 2, feedForwardSize: 8, encoderLayers: 1,
                                                     decoderLayers: 1, attention: attention, projection: 4,
                                                     maxSourceLength: maxSourceLength, features: 8, redrawEvery: redrawEvery),
                           rng: &rng)
    }

    @Test func aLinformerShorterThanTheTasksLongestSentenceIsRefused() throws {
        let task = TranslationTask()
        let error = #expect(throws: ArnnError.self) {
            try EncoderDecoderLearner(model: Self.model(.linformer, maxSourceLength: task.maxSourceWords - 1), task: task)
        }
        #expect(error?.message.hasPrefix("transformer config: maxSourceLength must be at least \(task.maxSourceWords)") == true,
                "\(error?.message ?? "")")
        _ = try EncoderDecoderLearner(model: Self.model(.linformer, maxSourceLength: task.maxSourceWords), task: task)
        _ = try EncoderDecoderLearner(model: Self.model(.performer, maxSourceLength: 1), task: task)
    }

    @Test func trainingRunsThePerformerOnTheFeaturesOfItsBatch() throws {
        let learner = try EncoderDecoderLearner(model: Self.model(.performer, redrawEvery: 2), task: TranslationTask())
        var rng = SeededRNG(seed: 6)
        let samples = (0..<3).map { _ in learner.sample(rng: &rng, length: nil) }
        let loss = learner.metrics[0].name
        func trained(batch: Int) -> Double {
            defer { learner.parameters.zeroGrad() }
            let g = Graph(recording: true)
            return learner.run(g, samples, lossScale: 1, training: TrainingContext(sequencesDone: 0, seed: 1, batch: batch))[0][loss]!
        }
        let evaluated = learner.run(Graph(), samples, lossScale: nil)[0][loss]!
        // Batches 0 and 1 use the evaluation's draw; batch 2 the next one.
        #expect(abs(trained(batch: 1) - evaluated) < 1e-9)
        #expect(abs(trained(batch: 2) - evaluated) > 1e-6)
    }

    @Test(arguments: [TransformerAttention.linformer, .performer])
    func greedyDecodingForTheTokensAloneWritesWhatTheViewedEpisodeWrites(attention: TransformerAttention) throws {
        // Evaluation decodes without maps; the viewer's episode decodes with them, and draws them.
        let learner = try EncoderDecoderLearner(model: Self.model(attention), task: TranslationTask())
        var rng = SeededRNG(seed: 7)
        for _ in 0..<4 {
            let sample = learner.sample(rng: &rng, length: nil)
            let tokens = learner.greedy(Graph(), [sample.sourceTokens])[0]
            let snapshots = learner.episode(sample).frames.map { $0.snapshot as! TransformerSnapshot }
            #expect(snapshots.map(\.token) == tokens)
            #expect(snapshots.allSatisfy { $0.crossAttention.count == 1 && $0.exactCrossAttention.count == 1 })
        }
    }
}
