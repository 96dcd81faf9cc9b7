import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Visualiser

/// A small untrained NTM (N = 16, M = 4) with fixed seeds, so viewer tests need no demo files and give the
/// same screens on every machine.
enum ViewerFixture {
    static let task = TaskConfig(CopyTask(bitWidth: 8, minLength: 1, maxLength: 20))

    static let ntm: NTM = {
        var rng = SeededRNG(seed: 7)
        let config = NTMConfig(inputSize: 9, outputSize: 8, memoryRows: 16, memoryWidth: 4, controllerSize: 20)
        return NTM(config: config, rng: &rng)
    }()

    static let learner = try! RecurrentLearner(model: ntm, task: task)

    static var effects: ViewerEffects { ViewerEffects(learners: [learner], task: task) }

    /// The viewer on a length-5 example (11 steps), paused at step 0, laid out for `width × height`.
    static func state(length: Int = 5, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        var s = try! Registry.viewer([("test-ntm", learner)], task: task, length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }

    /// Applies events in order, running any command like the app loop does; returns the final state and
    /// the commands update asked for.
    static func run(_ state: ViewerState, _ events: [Event], effects: ViewerEffects = effects) -> (ViewerState, [ViewerCommand]) {
        var s = state
        var commands: [ViewerCommand] = []
        for event in events {
            var (next, command) = Viewer.update(s, event)
            while let c = command {
                commands.append(c)
                guard let result = effects.perform(c, current: next.episode) else { break }
                (next, command) = Viewer.update(next, result)
            }
            s = next
        }
        return (s, commands)
    }

    static func keys(_ text: String) -> [Event] { text.map { .key(.char($0)) } }
}

/// The NTM scene's state and layout, read through the player (tests only).
extension ViewerState {
    var ntmScene: NTMScene { models[0].scene.base as! NTMScene }
    var focus: NTMFocus { ntmScene.focus }
    var selectedHead: Int { ntmScene.selectedHead }
    var writeDiff: Bool { ntmScene.writeDiff }
    var cursorRow: Int? { ntmScene.cursorRow }
    var cursorColumn: Int { ntmScene.cursorColumn }
    var ntmView: NTMView { NTMView(ntmScene, context(0)) }
    var ntmLayout: NTMLayout { NTMLayout(state: ntmView, rect: context(0).rect, kind: context(0).kind) }
    var readout: String? { models[0].scene.readout(context(0)) }
}

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
