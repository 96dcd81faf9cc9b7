import Engine
import Episodes
import Viewing
import Visualiser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The viewer's main loop, the only impure part of the app: view → draw → wait for input (as long as the
/// play speed allows) → update → run the command update returned. The terminal is restored however the
/// loop ends: `q`, a thrown error, or a signal (handled by `Terminal`).
public enum ViewerLoop {
    /// Runs the viewer until the user quits.
    /// - Throws: `ArnnError` when the terminal cannot be opened (not a TTY, unknown TERM, no UTF-8).
    public static func run(_ initial: ViewerState, effects: ViewerEffects, options: Terminal.Options,
                           environment: [String: String]) throws(ArnnError) {
        let terminal = try Terminal(options: options, environment: environment)
        defer { terminal.stop() }
        var state = initial
        state.width = terminal.width
        state.height = terminal.height
        // Playback ticks come at fixed times, so keys pressed while playing do not slow it down.
        var nextTick = monotonicMilliseconds() + state.tickMilliseconds
        while true {
            terminal.draw(Viewer.view(state, width: terminal.width, height: terminal.height, mode: terminal.colorMode))
            let timeout: Int?
            if state.playing {
                timeout = Swift.max(0, nextTick - monotonicMilliseconds())
            } else {
                timeout = nil
            }
            let event = terminal.nextEvent(timeoutMilliseconds: timeout)
            if case .tick = event {
                nextTick = monotonicMilliseconds() + state.tickMilliseconds
            }
            let wasPlaying = state.playing
            var (next, command) = Viewer.update(state, .event(event))
            // Run what update asked for, feeding each result back in, until nothing is left to do.
            while let c = command {
                if c == .quit { return }
                guard let result = effects.perform(c, for: next) else { break }
                (next, command) = Viewer.update(next, result)
            }
            if next.playing && !wasPlaying { nextTick = monotonicMilliseconds() + next.tickMilliseconds }
            state = next
        }
    }

    static func monotonicMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
    }
}
