import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// Small untrained continuous stacks, queues and deques (H = 12, m = 6) with fixed seeds on reversal of
/// six symbols, for the neural stack scene. The pop bias is raised from the paper's −1 to +2 so the
/// random controller pops hard (u ≈ 0.9) and the structure has rows at strength 0 as well as kept ones.
enum NeuralStackFixture {
    typealias Task = TransductionTask<Reversal>
    static let task = Task(symbols: 6, minLength: 2, maxLength: 12)
    static let taskConfig = TaskConfig(task)

    static func learner<S: ContinuousStructure>(_ structure: S.Type, seed: UInt64 = 20, popBias: Float = 2) -> any Learner {
        var rng = SeededRNG(seed: seed)
        let (x, y) = RecurrentTokenLearner<NeuralStack<S>, Task>.widths(task)
        let model = NeuralStack<S>(config: NeuralStackConfig(inputSize: x, outputSize: y, hiddenSize: 12, valueSize: 6, popBias: popBias),
                                   rng: &rng)
        return try! RecurrentTokenLearner(model: model, task: task)
    }

    static let stack = learner(ContinuousStack.self)
    static let queue = learner(ContinuousQueue.self)
    static let deque = learner(ContinuousDeque.self)

    static func state(_ learner: any Learner = stack, length: Int = 5, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        var s = try! Registry.viewer([("test-\(learner.kind)", learner)], task: taskConfig, length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }

    static func effects(_ learner: any Learner = stack) -> ViewerEffects { ViewerEffects(learners: [learner], task: taskConfig) }
}
