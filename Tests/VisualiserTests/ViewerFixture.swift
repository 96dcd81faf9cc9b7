import Engine
import Episodes
import Foundation
import Models
import Tasks
@testable import Visualiser

/// A small untrained NTM (N = 16, M = 4) with fixed seeds, so viewer tests need no demo files and give the
/// same screens on every machine.
enum ViewerFixture {
    static let task = TaskConfig.copy(CopyTask(bitWidth: 8, minLength: 1, maxLength: 20))

    static let ntm: NTM = {
        var rng = SeededRNG(seed: 7)
        let config = NTMConfig(inputSize: 9, outputSize: 8, memoryRows: 16, memoryWidth: 4, controllerSize: 20)
        return NTM(config: config, rng: &rng)
    }()

    static var effects: ViewerEffects { ViewerEffects(ntm: ntm, task: task) }

    /// The viewer on a length-5 example (11 steps), paused at step 0, laid out for `width × height`.
    static func state(length: Int = 5, seed: UInt64 = 1, width: Int = 80, height: Int = 24) -> ViewerState {
        let episode = try! effects.episode(length: length, seed: seed)
        var s = ViewerState(episode: episode, title: "test-ntm", task: task, length: length, seed: seed)
        s.width = width
        s.height = height
        return s
    }

    /// Applies events in order, running any command like the app loop does; returns the final state and
    /// the commands update asked for.
    static func run(_ state: ViewerState, _ events: [Event]) -> (ViewerState, [ViewerCommand]) {
        var s = state
        var commands: [ViewerCommand] = []
        for event in events {
            var (next, command) = Viewer.update(s, event)
            while let c = command {
                commands.append(c)
                guard let result = effects.perform(c) else { break }
                (next, command) = Viewer.update(next, result)
            }
            s = next
        }
        return (s, commands)
    }

    static func keys(_ text: String) -> [Event] { text.map { .key(.char($0)) } }
}
