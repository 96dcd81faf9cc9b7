import ArgumentParser
import Engine
import Foundation
import Visualiser

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a played episode as an asciicast v2 file (play it with asciinema).",
        discussion: """
            Each step becomes one frame holding only the cells that changed. A file is written atomically \
            (a new file, or the file a symbolic link points to, replaced whole); a character device or FIFO \
            (/dev/stdout, a named pipe with a reader) is written to as it is; a directory, or a link to \
            nothing, is refused.
            """
    )

    @OptionGroup var source: ViewerSourceOptions

    @Option(help: "The .cast file to write (or a device or FIFO, e.g. /dev/stdout).")
    var out: String

    @Option(parsing: .unconditional, help: "Screen size as WIDTHxHEIGHT, each from 1 to 1000 (default: 120x40).", transform: TerminalSize.parse)
    var size = TerminalSize(argument: "120x40")!

    @Option(parsing: .unconditional, help: "Steps per second.")
    var speed: Double = 5

    /// The terminal the frames were drawn for, as asciicast's `env`: truecolor frames say so with
    /// COLORTERM=truecolor (the convention players and terminals read), 256-colour frames with
    /// xterm-256color, 8-colour and plain ones with xterm.
    static func environment(_ mode: ColorMode) -> [String: String] {
        switch mode {
        case .truecolor: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "SHELL": "/bin/sh"]
        case .c256: ["TERM": "xterm-256color", "SHELL": "/bin/sh"]
        case .c8, .none: ["TERM": "xterm", "SHELL": "/bin/sh"]
        }
    }

    mutating func run() throws {
        guard speed > 0, speed <= 1000 else { throw ArnnError("--speed must be in (0, 1000], got \(speed)") }
        _ = try AtomicFile.destination(of: out)
        var (state, _) = try source.makeViewer()
        try size.check(fits: state)
        state.width = size.width
        state.height = size.height
        state.playing = true
        let mode = source.colorMode ?? .truecolor
        var lines: [String] = []
        let header: [String: Any] = [
            "version": 2, "width": size.width, "height": size.height,
            "timestamp": Int(Date().timeIntervalSince1970),
            "title": "arnn \(state.models.map(\.name).joined(separator: " vs "))", "env": Self.environment(mode),
        ]
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]), as: UTF8.self))
        var previous: Screen?
        var time = 0.0
        func frame(_ state: ViewerState) throws {
            let screen = Viewer.view(state, width: size.width, height: size.height, mode: mode)
            let data = screen.ansiUpdate(from: previous, mode: mode)
            previous = screen
            let event: [Any] = [(time * 1000).rounded() / 1000, "o", data]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.withoutEscapingSlashes]), as: UTF8.self))
        }
        try frame(state)
        while state.playing {
            time += 1 / speed
            state = Viewer.update(state, .tick).0
            try frame(state)
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: out)
        let steps = state.lastStep + 1
        let done = "wrote \(out): \(steps) step\(steps == 1 ? "" : "s"), \(String(format: "%.1f", time)) s"
        // With --out /dev/stdout the recording is the output, and this line must not end up inside it.
        if isStandardOutput(out) { FileHandle.standardError.write(Data((done + "\n").utf8)) } else { print(done) }
    }
}
