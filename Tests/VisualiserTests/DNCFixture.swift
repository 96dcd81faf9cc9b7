import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// An untrained DNC (N = 12, W = 5, two read heads) on an 8-bit copy task, for the DNC scene's tests.
enum DNCFixture {
    static let task = TaskConfig(CopyTask(bitWidth: 4, minLength: 1, maxLength: 8))
    static let learner: RecurrentLearner<DNC> = {
        var rng = SeededRNG(seed: 12)
        let model = DNC(config: DNCConfig(inputSize: 5, outputSize: 4, memoryRows: 12, memoryWidth: 5, readHeads: 2, controllerSize: 16),
                        rng: &rng)
        return try! RecurrentLearner(model: model, task: task)
    }()

    static func state(length: Int = 4, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        var s = try! Registry.viewer([("test-dnc", learner)], task: task, length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }
}
