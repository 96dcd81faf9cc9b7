import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// A small untrained translation model with a fixed seed, for the seq2seq scene.
enum Seq2SeqFixture {
    static let task = TaskConfig(TranslationTask())
    static let model: Seq2Seq = {
        var rng = SeededRNG(seed: 9)
        return Seq2Seq(config: Seq2SeqConfig(sourceVocabulary: TranslationTask.sourceVocabulary.size,
                                             targetVocabulary: TranslationTask.targetVocabulary.size,
                                             embeddingSize: 8, encoderSize: 8, decoderSize: 12, attentionSize: 6),
                       rng: &rng)
    }()
    static let learner = try! EncoderDecoderLearner(model: model, task: TranslationTask())
    static var effects: ViewerEffects { ViewerEffects(learners: [learner], task: task) }

    static func state(length: Int = 8, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        var s = try! Registry.viewer([("test-seq2seq", learner)], task: task, length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }
}
