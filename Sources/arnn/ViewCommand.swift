import ArgumentParser
import Engine
import Episodes
import Foundation
import Registry
import Tasks
import TerminalUI
import Viewing
import Visualiser

/// `--seed`: read with `parsing: .unconditional`, so that `-1` is a value to refuse, not a missing one.
func seedArgument(_ argument: String) throws -> UInt64 {
    guard let seed = UInt64(argument) else {
        throw ValidationError("a seed is a whole number from 0 to \(UInt64.max)")
    }
    return seed
}

/// What the viewer shows, shared by `view`, `render` and `record`: a demo or checkpoint (and another to
/// compare it with), and the example.
struct ViewerSourceOptions: ParsableArguments {
    @Argument(help: "A demo name (e.g. \(Registry.defaultDemo)), a demo folder, or a checkpoint file. Default: \(Registry.defaultDemo).")
    var demo: String?

    @Option(help: "A checkpoint (.safetensors) to show instead of a demo; its metadata names the task.")
    var checkpoint: String?

    @Option(help: "For a checkpoint file: the task to run it on (\(Registry.tasks.names.joined(separator: ", "))), for checkpoints whose metadata names none.")
    var task: String?

    @Option(help: "A second demo or checkpoint on the same task, shown side by side on the same input (e.g. --compare lstm-copy).")
    var compare: String?

    @Option(name: .customLong("at-sequences"), parsing: .unconditional,
            help: "For a run trained with --keep-every: open its snapshot nearest to this many training sequences (the status bar says which).")
    var atSequences: Int?

    @Option(name: .customLong("compare-at"), parsing: .unconditional,
            help: "Compare with the run's snapshot nearest to this many sequences, side by side (e.g. --at-sequences 1000 --compare-at 60000); with --compare, that model's run.")
    var compareAt: Int?

    @Option(parsing: .unconditional, help: "Sequence length of the example (default: the demo's). Lengths beyond training are allowed.")
    var length: Int?

    @Option(parsing: .unconditional, help: "Seed of the example (default: the demo's).", transform: seedArgument)
    var seed: UInt64?

    @Option(name: [.long, .customLong("tokens")],
            help: "A sentence (or symbols, --tokens \"a b c\") to open on (tasks that read text, e.g. translate, reversal).")
    var sentence: String?

    @Option(help: "A CSV table (a header of column names, then rows of numbers) to open on (tasks that read tables); t asks it another question.")
    var table: String?
    @Option(help: "With --table: the question about it (default: the sum of its first column).")
    var question: String?

    @Option(help: "Colours: auto, truecolor, 256, 8 or none (auto honours NO_COLOR and the terminal). Without colour, signed values are ≡=-· below zero and ░▒▓█ above it; the legends say so.")
    var color: String = "auto"

    func validate() throws {
        if demo != nil && checkpoint != nil {
            throw ValidationError("give a demo or --checkpoint, not both")
        }
        if let demo { try Self.checkKnown(demo) }
        if color != "auto" && ColorMode(argument: color) == nil {
            throw ValidationError("--color must be auto, truecolor, 256, 8 or none, got '\(color)'")
        }
        if let length, length < 1 { throw ValidationError("--length must be at least 1, got \(length)") }
        if table == nil && question != nil { throw ValidationError("--question goes with --table") }
        if table != nil && sentence != nil { throw ValidationError("give --sentence or --table, not both") }
        if let atSequences, atSequences < 0 { throw ValidationError("--at-sequences must be 0 or more, got \(atSequences)") }
        if let compareAt, compareAt < 0 { throw ValidationError("--compare-at must be 0 or more, got \(compareAt)") }
        // --task names the task of a checkpoint file, given as --checkpoint or as the first argument.
        if task != nil && checkpoint == nil && !isCheckpointFile(demo) {
            throw ValidationError("--task goes with a checkpoint file (--checkpoint FILE or FILE)")
        }
    }

    /// True when `reference` is an existing file (a checkpoint), not a demo name or folder.
    private func isCheckpointFile(_ reference: String?) -> Bool {
        var isDirectory: ObjCBool = false
        guard let reference, FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory) else { return false }
        return !isDirectory.boolValue
    }

    /// A first word that is neither a demo, a path, nor a command is most likely a mistyped command
    /// (`arnn trian`) or demo: say so, with the nearest name, before any option's complaint.
    static func checkKnown(_ demo: String) throws {
        if let message = unknownName(demo) { throw ValidationError(message) }
    }

    /// The one-line message for a first word that names no demo, path or command; nil when it names one.
    static func unknownName(_ demo: String) -> String? {
        if demo.contains("/") || FileManager.default.fileExists(atPath: demo) { return nil }
        let demos = LoadedModel.demoNames()
        let commands = Arnn.configuration.subcommands.map { $0._commandName }
        if demos.contains(demo) || commands.contains(demo) { return nil }
        if let near = NameSuggestion.closest(to: demo, among: commands + demos) {
            return "no demo or command '\(demo)'; did you mean '\(near)'?"
        }
        return "no demo or command '\(demo)' ('arnn models' lists the demos, 'arnn --help' the commands)"
    }

    /// The model `reference` names with its run's snapshots, moved to the one nearest `sequences` when
    /// given; a note in `notes` when that is not exactly the count asked for.
    /// - Throws: `ArnnError` when it has no snapshots to move to.
    static func load(_ reference: String, task: TaskConfig?, at sequences: Int?, flag: String,
                     notes: inout [String]) throws -> LoadedModel {
        var model = try LoadedModel.load(reference, catalog: Registry.catalog, task: task).withSnapshots()
        guard let sequences else { return model }
        guard let snapshots = model.snapshots else {
            throw ArnnError("\(flag): \(reference) has no snapshots (\(SnapshotFolder.path(forCheckpoint: model.weightsPath ?? reference)) "
                            + "does not exist; train with --keep-every K to keep them)")
        }
        let position = snapshots.position(nearest: sequences)
        try model.move(to: position)
        let found = snapshots.moments[position].sequences
        if found != sequences {
            notes.append("\(flag) \(sequences): the nearest snapshot is after \(TrainingTimeline.grouped(found)) sequences")
        }
        return model
    }

    /// The requested colour mode; nil for auto.
    var colorMode: ColorMode? { ColorMode(argument: color) }

    /// Loads the model (and the one to compare with), runs the first example, and returns the viewer's
    /// first state with what runs the next ones.
    func makeViewer() throws -> (ViewerState, ViewerEffects) {
        let taskOverride = try task.map { try Registry.tasks.task(named: $0) }
        let reference = checkpoint ?? demo ?? Registry.defaultDemo
        var notes: [String] = []
        var loaded = [try Self.load(reference, task: taskOverride, at: atSequences, flag: "--at-sequences", notes: &notes)]
        if compare != nil || compareAt != nil {
            // --compare-at alone compares two moments of the same run.
            loaded.append(try Self.load(compare ?? reference, task: compare == nil ? taskOverride : nil, at: compareAt,
                                        flag: "--compare-at", notes: &notes))
        }
        var (state, effects) = try Registry.viewer(loaded, length: length, seed: seed)
        if !notes.isEmpty { state.message = notes.joined(separator: "; ") }
        if let sentence {
            let episodes = try effects.episodes(text: sentence)
            state = Viewer.update(state, .episodes(episodes, length: episodes[0].length, seed: state.seed, edited: true)).0
            state.message = nil
        } else if let table {
            let loaded = try TableFile.load(path: table)
            let asked = question ?? "what is the sum of \(loaded.columns.first?.lowercased() ?? "price") ?"
            let episodes = try effects.episodes(table: loaded, question: asked)
            state = Viewer.update(state, .episodes(episodes, length: episodes[0].length, seed: state.seed, edited: true)).0
            state.message = nil
        }
        return (state, effects)
    }
}

struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a trained model step by step in the terminal (the default command).",
        discussion: """
            Opens the demo (or checkpoint) and plays one example: input, target and output over time, and \
            the model's own panels (memory and attention, or state and gates; 'arnn models' lists them). \
            --compare shows a second model on \
            the same input beside it, stepping together. For a run trained with --keep-every, { and } move \
            through training time (the same example and step, the weights of an earlier or later snapshot) \
            and a loss curve marks where you are; --at-sequences N opens at the snapshot nearest N, and \
            --compare-at M puts the run's snapshot nearest M beside it (early vs late). Press ? for every key, q to quit. Needs a \
            terminal; without one use 'arnn render'.
            """
    )

    @OptionGroup var source: ViewerSourceOptions

    @Flag(help: "Start paused instead of playing.")
    var paused = false

    mutating func run() throws {
        var (state, effects) = try source.makeViewer()
        state.playing = !paused
        try ViewerLoop.run(state, effects: effects, options: Terminal.Options(colorMode: source.colorMode),
                           environment: ProcessInfo.processInfo.environment)
    }
}
