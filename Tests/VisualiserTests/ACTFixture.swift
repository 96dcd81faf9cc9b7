import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// A small untrained ACT model on 8-entry parity, with a fixed seed, for the ACT scene.
enum ACTFixture {
    static let task = TaskConfig(ParityTask(size: 8))
    static let model: ACTModel = {
        var rng = SeededRNG(seed: 10)
        return ACTModel(config: ACTConfig(inputSize: 8, outputSize: 1, hiddenSize: 12, maxSteps: 6), rng: &rng)
    }()
    static let learner = try! RecurrentLearner(model: model, task: task)

    static func state(length: Int = 5, seed: UInt64 = 1) -> ViewerState {
        try! Registry.viewer([("test-act", learner)], task: task, length: length, seed: seed).0
    }

    /// What runs the ACT model for `ViewerFixture.run`.
    static let effects = try! Registry.viewer([("test-act", learner)], task: task, length: 1, seed: 1).1
}
