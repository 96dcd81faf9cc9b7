import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// A small untrained LSTM (hidden 24) with a fixed seed, for the LSTM scene and comparisons with the
/// NTM fixture on the same task.
enum LSTMFixture {
    static let model: LSTMModel = {
        var rng = SeededRNG(seed: 8)
        return LSTMModel(config: LSTMConfig(inputSize: 9, outputSize: 8, hiddenSize: 24), rng: &rng)
    }()
    static let learner = try! RecurrentLearner(model: model, task: ViewerFixture.task)
    static var effects: ViewerEffects { ViewerEffects(learners: [learner], task: ViewerFixture.task) }

    static func state(length: Int = 5, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        var s = try! Registry.viewer([("test-lstm", learner)], task: ViewerFixture.task, length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }

    /// The NTM fixture and this LSTM side by side on the same example.
    static func compare(length: Int = 5, seed: UInt64 = 1, width: Int = 160, height: Int = 48) -> ViewerState {
        var s = try! Registry.viewer([("test-ntm", ViewerFixture.learner), ("test-lstm", learner)], task: ViewerFixture.task,
                                     length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }

    static var compareEffects: ViewerEffects {
        ViewerEffects(learners: [ViewerFixture.learner, learner], task: ViewerFixture.task)
    }
}
