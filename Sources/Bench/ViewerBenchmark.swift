import Engine
import Episodes
import Foundation
import Registry
import Tasks
import Viewing
import Visualiser

/// `arnn bench viewer`: how fast the viewer composes and diffs screens, how much it writes per step, how
/// fast it jumps within a long episode, and how soon a process shows its first frame.
public enum ViewerBenchmark {
    /// - Parameter executable: the arnn binary, to time `arnn render` from process start to its first frame
    ///   (and its peak memory); nil skips that row.
    public static func run(executable: String?, progress: (BenchmarkRow) -> Void) {
        let (learner, task) = model()

        // Compose + diff one frame at 200×60, stepping through a length-20 copy episode (41 steps).
        var state = try! Registry.viewer([("bench", learner)], task: task, length: 20, seed: 1).0
        state.width = 200
        state.height = 60
        var previous = Viewer.view(state, width: 200, height: 60, mode: .truecolor)
        var changed = 0
        let compose = medianMicroseconds {
            state = Viewer.update(state, .key(.char(state.step == state.lastStep ? "g" : "l"))).0
            let screen = Viewer.view(state, width: 200, height: 60, mode: .truecolor)
            screen.forEachChange(since: previous) { _, _, _ in changed += 1 }
            previous = screen
        }
        progress(BenchmarkRow(name: "viewer compose + diff, 200×60", value: compose, target: "≤ 2000 µs"))

        // Bytes written per step while playing: the ANSI of the changed cells.
        for mode in [ColorMode.truecolor, .c256] {
            var s = state
            s.go(to: 0)
            var last = Viewer.view(s, width: 200, height: 60, mode: mode)
            var bytes = 0
            for _ in 0..<s.lastStep {
                s = Viewer.update(s, .key(.char("l"))).0
                let screen = Viewer.view(s, width: 200, height: 60, mode: mode)
                bytes += screen.ansiUpdate(from: last, mode: mode).utf8.count
                last = screen
            }
            let name = mode == .truecolor ? "truecolor" : "256 colours"
            progress(BenchmarkRow(name: "bytes per step, 200×60, \(name)", value: Double(bytes) / Double(s.lastStep),
                                  unit: "B"))
        }

        // Jump anywhere in a 1,001-step episode: update (g/G) and compose the new frame.
        var jumper = try! Registry.viewer([("bench", learner)], task: task, length: 500, seed: 2).0
        let long = jumper.episode
        jumper.width = 200
        jumper.height = 60
        var toggle = false
        let jump = medianMicroseconds {
            toggle.toggle()
            jumper = Viewer.update(jumper, .key(.char(toggle ? "G" : "g"))).0
            _ = Viewer.view(jumper, width: 200, height: 60, mode: .truecolor)
        }
        progress(BenchmarkRow(name: "viewer jump in \(long.count) steps + compose", value: jump, target: "≤ 2000 µs"))

        // In-process: load the default demo, run its example, compose the first frame.
        let t0 = monotonicNanoseconds()
        if let loaded = try? LoadedModel.load(Registry.defaultDemo, catalog: Registry.catalog) {
            if let (s, _) = try? Registry.viewer([loaded]) {
                _ = Viewer.view(s, width: 200, height: 60, mode: .truecolor)
                progress(BenchmarkRow(name: "load + run + first frame (in process)",
                                      value: Double(monotonicNanoseconds() - t0) / 1e6, target: "≤ 150 ms", unit: "ms"))
            }
        }

        // A whole process: `arnn render` from exec to the frame printed, median of 5, and its peak memory.
        if let executable {
            var times: [Double] = []
            var peakKiB = 0
            for _ in 0..<5 {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: executable)
                p.arguments = ["render", "--size", "200x60", "--color", "truecolor"]
                var env = ProcessInfo.processInfo.environment
                env["ARNN_REPORT_PEAK_MEMORY"] = "1"
                p.environment = env
                let errors = Pipe()
                p.standardOutput = FileHandle.nullDevice
                p.standardError = errors
                let start = monotonicNanoseconds()
                guard (try? p.run()) != nil else { break }
                p.waitUntilExit()
                times.append(Double(monotonicNanoseconds() - start) / 1e6)
                // The child reports its own peak (VmHWM): rusage of a spawned child would include this
                // process's memory, inherited at exec.
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("arnn: peak memory ") }),
                   let kB = line.split(separator: " ").compactMap({ Int($0) }).first {
                    peakKiB = max(peakKiB, kB)
                }
            }
            if !times.isEmpty {
                times.sort()
                progress(BenchmarkRow(name: "process start to frame (arnn render)",
                                      value: times[times.count / 2], target: "≤ 150 ms", unit: "ms"))
                progress(BenchmarkRow(name: "peak RSS of arnn render", value: Double(peakKiB) / 1024,
                                      target: "≤ 50 MiB", unit: "MiB"))
            }
        }
    }

    /// The shipped default demo's model when it loads (what users see), else a seeded untrained model of the
    /// default kind at its default size.
    static func model() -> (any Learner, TaskConfig) {
        if let loaded = try? LoadedModel.load(Registry.defaultDemo, catalog: Registry.catalog) {
            return (loaded.learner, loaded.task)
        }
        var rng = SeededRNG(seed: 1)
        let task = try! Registry.tasks.task(named: CopyTask.name)
        return (try! Registry.catalog.model(Registry.defaultModel).make(task: task, rng: &rng), task)
    }
}
