import ArgumentParser
import Bench
import Engine
import Episodes
import Foundation
import Registry

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of arnn's engine, models and viewer.",
        discussion: "Each figure is the median of several timed batches, so a busy machine disturbs it little."
    )

    @Argument(help: "What to measure: engine, viewer, attention (one transformer attention layer, exact against Linformer and Performer, n = 64 to 4096), a model (\(ModelBenchmark.kinds.joined(separator: ", "))), or a demo (its model, trained: e.g. translate).")
    var target: String

    @Flag(help: "Print the figures as JSON.")
    var json = false

    @Flag(help: "A model: also time training on copy from a fixed seed until it stays under 0.1 wrong bits per sequence over 500 sequences.")
    var converge = false

    func validate() throws {
        guard Self.fixed.contains(target) || ModelBenchmark.kinds.contains(target)
            || LoadedModel.demoNames().contains(target) else {
            throw ValidationError("bench takes engine, viewer, attention, a model (\(ModelBenchmark.kinds.joined(separator: ", "))) or a demo, got '\(target)'")
        }
        if converge && Self.fixed.contains(target) { throw ValidationError("--converge goes with a model") }
        if !settings.isEmpty && Self.fixed.contains(target) { throw ValidationError("--set goes with a model kind") }
    }

    /// The targets that are not a model: their sizes are fixed.
    static let fixed = ["engine", "viewer", "attention"]

    @Option(name: .customLong("set"), help: ArgumentHelp("A model: a field of its config for the fresh models, e.g. --set memoryRows=128 (repeatable).", valueName: "field=value"))
    var settings: [String] = []

    mutating func run() throws {
        let json = self.json
        var rows: [BenchmarkRow] = []
        // Rows print as soon as they are measured (some take seconds); JSON prints all at the end.
        func report(_ row: BenchmarkRow) {
            rows.append(row)
            if !json { print(row.formatted) }
        }
        switch target {
        case "engine":
            EngineBenchmark.run().forEach(report)
        case "attention":
            _ = AttentionBenchmark.run(progress: report)
        case "viewer":
            let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            ViewerBenchmark.run(executable: FileManager.default.isExecutableFile(atPath: exe) ? exe : nil,
                                progress: report)
        default:
            // A demo: its trained model for the step and episode rows; training rows start fresh.
            let demo = ModelBenchmark.kinds.contains(target) ? nil : try LoadedModel.load(target, catalog: Registry.catalog)
            let kind = demo?.kind ?? target
            if !settings.isEmpty && demo != nil { throw ValidationError("--set goes with a model kind, not a demo") }
            for setting in settings where !setting.contains("=") || setting.hasPrefix("=") {
                throw ValidationError("--set takes FIELD=VALUE, got '\(setting)'")
            }
            _ = try ModelBenchmark.run(kind, trained: demo?.learner, overrides: Train.pairs(settings), progress: report)
            if converge {
                let result = try ModelBenchmark.converge(kind) { done, wrong in
                    guard !json else { return }
                    let line = "\r  converging: \(done) sequences, \(String(format: "%.3f", wrong)) wrong bits/seq over the last 500\u{1B}[K"
                    FileHandle.standardError.write(Data(line.utf8))
                }
                if !json { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                if let result {
                    report(BenchmarkRow(name: "\(kind.uppercased()) copy to < 0.1 wrong bits/seq: \(result.sequences) seq",
                                        value: result.seconds, target: Registry.benchTargets(kind).converge, unit: "s"))
                } else {
                    report(BenchmarkRow(name: "\(kind.uppercased()) copy: no convergence in 100000 sequences", value: .nan, unit: "s"))
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        }
    }
}
