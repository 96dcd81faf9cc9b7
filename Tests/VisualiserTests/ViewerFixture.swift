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
                guard let result = effects.perform(c, for: next) else { break }
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
