import ArgumentParser
import Engine
import Episodes
import Foundation
import Registry
import Tasks
import Viewing

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run a model on one example and write every frame and snapshot quantity as JSON.",
        discussion: """
            The schema is in docs/trace.md. The example is generated from --seed and --length (by default the \
            demo's, the example the viewer opens on), or read from --input: a text file with one sequence \
            vector per line, written as 0/1 characters (copy and repeat-copy; --repeats gives a repeat-copy \
            file's count). Lines starting with # are comments.

            --eval-seed S --length L --eval-index I traces sample I (from 0) of those `arnn eval --seed S \
            --lengths L` scores at length L (held-out sentences for translation), so any example behind an \
            eval figure can be looked at.

            Example: arnn trace \(Registry.defaultDemo) --seed 3 --length 12 > trace.json
            """
    )

    @Argument(help: "A demo name (see demos/), a demo folder, or a checkpoint file.")
    var model: String = Registry.defaultDemo
    @Option(help: "For a checkpoint: the task to run it on (\(Registry.tasks.names.joined(separator: ", "))).")
    var task: String?
    @Option(help: "Seed of the generated example (default: the demo's, as the viewer opens; 1 for a checkpoint).", transform: seedArgument) var seed: UInt64?
    @Option(parsing: .unconditional, help: "Sequence length (items for associative recall, inputs for priority sort).")
    var length: Int?
    @Option(help: "Bit-matrix file to use as the input sequence instead of a generated one.") var input: String?
    @Option(help: "With --input on a repeat-copy model: how many times to repeat the sequence (default: the task's).") var repeats: Int?
    @Option(name: [.long, .customLong("tokens")],
            help: "A sentence (or symbols, --tokens \"a b c\") to run instead of a generated one (tasks that read text).")
    var sentence: String?
    @Option(help: "A CSV table (a header of column names, then rows of numbers) to ask --question about (tasks that read tables).")
    var table: String?
    @Option(help: "With --table: the question about it.") var question: String?
    @Option(help: "Trace a sample of `arnn eval --seed S` instead (with --length; see --eval-index).") var evalSeed: UInt64?
    @Option(help: "With --eval-seed: which of eval's samples at --length, from 0 (default 0).") var evalIndex: Int?
    @Option(help: "Write to this file (atomically; a device or FIFO is written to as it is) instead of standard output.")
    var out: String?
    @Flag(help: "Indent the JSON.") var pretty = false

    func validate() throws {
        if let length, length < 1 { throw ValidationError("--length must be at least 1, got \(length)") }
        if input != nil && length != nil { throw ValidationError("--input and --length exclude each other") }
        if input == nil && repeats != nil { throw ValidationError("--repeats goes with --input (a repeat-copy input file)") }
        if sentence != nil && (input != nil || length != nil) {
            throw ValidationError("--sentence excludes --input and --length")
        }
        if (table == nil) != (question == nil) { throw ValidationError("--table and --question go together") }
        if table != nil && (input != nil || sentence != nil || length != nil || evalSeed != nil) {
            throw ValidationError("--table excludes --input, --sentence, --length and --eval-seed")
        }
        if evalIndex != nil && evalSeed == nil { throw ValidationError("--eval-index goes with --eval-seed") }
        if let evalIndex, evalIndex < 0 { throw ValidationError("--eval-index must be at least 0, got \(evalIndex)") }
        if evalSeed != nil && (seed != nil || input != nil || sentence != nil || length == nil) {
            throw ValidationError("--eval-seed needs --length and excludes --seed, --input and --sentence")
        }
    }

    mutating func run() throws {
        // A directory or a link to nothing is refused before the model runs.
        if let out { _ = try AtomicFile.destination(of: out) }
        let loaded = try LoadedModel.load(model, catalog: Registry.catalog,
                                          task: try task.map { try Registry.tasks.task(named: $0) })
        if repeats != nil && loaded.task.name != RepeatCopyTask.name {
            throw ArnnError("\(loaded.task.name) takes no repeat count; --repeats is for repeat-copy")
        }
        let seed = self.seed ?? loaded.defaultSeed
        let effects = ViewerEffects(learners: [loaded.learner], task: loaded.task)
        let episode: Episode
        let source: String
        if let input {
            guard let width = loaded.task.inputBitWidth else {
                throw ArnnError("--input is supported for copy and repeat-copy, not for \(loaded.task.name)")
            }
            episode = try effects.episodes(for: try loaded.task.example(bits: try BitMatrixFile.load(path: input, width: width),
                                                                        repeats: repeats))[0]
            source = input
        } else if let table, let question {
            // The file first: a ragged or malformed table is named before anything asks whether the task
            // reads tables at all.
            let read = try TableFile.load(path: table)
            episode = try effects.episodes(table: read, question: question)[0]
            source = table
        } else if let evalSeed, let length {
            episode = try effects.episodes(for: try Evaluator.sample(loaded.learner, length: length, seed: evalSeed,
                                                                     index: evalIndex ?? 0))[0]
            source = "eval sample \(evalIndex ?? 0)"
        } else if let sentence {
            episode = try effects.episodes(text: sentence)[0]
            source = "typed"
        } else {
            episode = try effects.episodes(length: length ?? loaded.defaultLength, seed: seed)[0]
            source = "generated"
        }
        let generated = input == nil && sentence == nil && table == nil
        let trace = Episodes.Trace(episode: episode, config: loaded.learner.config,
                                   length: generated ? (length ?? loaded.defaultLength) : nil,
                                   seed: generated ? (evalSeed ?? seed) : nil, source: source)
        let data = try trace.json(pretty: pretty)
        if let out {
            try AtomicFile.write(data + Data("\n".utf8), to: out)
        } else {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
