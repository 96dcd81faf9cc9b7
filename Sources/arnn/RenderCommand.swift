import ArgumentParser
import Engine
import Foundation
import Visualiser

/// Parses `120x40` (or `120×40`) into a width and height; shown in help as `120x40`.
struct TerminalSize: ExpressibleByArgument, CustomStringConvertible {
    var width: Int
    var height: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" })
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0, w <= 1000, h <= 1000 else {
            return nil
        }
        width = w
        height = h
    }

    var description: String { "\(width)x\(height)" }
    var defaultValueDescription: String { description }

    /// For `@Option(parsing: .unconditional, transform:)`: a negative size is a value, not a flag, and a
    /// bad one says what is allowed.
    static func parse(_ argument: String) throws -> TerminalSize {
        guard let size = TerminalSize(argument: argument) else {
            throw ValidationError("give WIDTHxHEIGHT, each from 1 to 1000, e.g. 120x40")
        }
        return size
    }

    /// Refuses a size on which `state`'s scenes cannot be drawn (the viewer would show only "Terminal too
    /// small"), naming the smallest that works.
    func check(fits state: ViewerState) throws {
        let (w, h) = Viewer.minimumSize(state)
        if width < w || height < h {
            let what = state.models.map(\.name).joined(separator: " and ")
            throw ArnnError("--size \(self) is too small for \(what): it needs at least \(w)x\(h)")
        }
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one frame of the viewer as ANSI or plain text, without a terminal.",
        discussion: "For docs, issues and tests: the same screen the viewer draws, at a size you choose."
    )

    @OptionGroup var source: ViewerSourceOptions

    @Option(parsing: .unconditional, help: "The step to show, from 1 (default: the last).")
    var step: Int?

    @Option(parsing: .unconditional, help: "Screen size as WIDTHxHEIGHT, each from 1 to 1000 (default: 120x40).", transform: TerminalSize.parse)
    var size = TerminalSize(argument: "120x40")!

    @Flag(help: "Characters only, no colour escapes.")
    var plain = false

    @Flag(help: "Show this step's change of memory (write-diff) instead of its values.")
    var writeDiff = false

    @Flag(help: "Show the help overlay.")
    var helpOverlay = false

    mutating func run() throws {
        var (state, _) = try source.makeViewer()
        try size.check(fits: state)
        if let step {
            guard step >= 1, step <= state.lastStep + 1 else {
                throw ArnnError("--step must be between 1 and \(state.lastStep + 1), got \(step)")
            }
            state.go(to: step - 1)
        } else {
            state.go(to: state.lastStep)
        }
        if writeDiff {
            // The scene's own key for it: `w` where the model has a write-diff view.
            state = Viewer.update(state, .key(.char("w"))).0
        }
        state.helpOpen = helpOverlay
        state.width = size.width
        state.height = size.height
        let environment = ProcessInfo.processInfo.environment
        let mode = plain ? ColorMode.none : (source.colorMode ?? ColorMode.detect(environment: environment))
        let screen = Viewer.view(state, width: size.width, height: size.height, mode: mode)
        print(plain ? screen.plainText() : screen.ansiText(mode: mode))
    }
}
