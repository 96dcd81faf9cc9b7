import ArgumentParser
import Engine
import Episodes
import Foundation
import Registry
import Tasks

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a demo or checkpoint on fresh seeded sequences, per length.",
        discussion: """
            For each length, the metrics of the model's objective, averaged over the sequences (bit tasks: \
            BCE bits, wrong bits per sequence with outputs thresholded at 0.5, and the share of perfect \
            sequences). The same seed gives the same sequences. For associative recall the length is the number of items; for priority sort, \
            the number of inputs.

            Example: arnn eval \(Registry.defaultDemo) --lengths 10,20,40,80 --count 1000 --seed 7
            """
    )

    @Argument(help: "A demo name (see demos/), a demo folder, or a checkpoint file.")
    var model: String

    @Option(help: "Comma-separated sequence lengths (default: the task's, e.g. 10,20,40,80 for copy).", transform: parseLengths)
    var lengths: [Int]?

    @Option(parsing: .unconditional, help: "Sequences per length.") var count: Int = 1000
    @Option(help: "Seed of the evaluation sequences.", transform: seedArgument) var seed: UInt64 = 7
    @Option(help: "Threads.") var threads: Int = 2
    @Option(help: "For a checkpoint: the task to run it on (\(Registry.tasks.names.joined(separator: ", "))).")
    var task: String?
    @Option(help: "A folder of a dataset's own files to score on instead of generated samples (bAbI: every question of each qaN_*_test.txt, reported as qaN; --count and --seed do not apply).")
    var data: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Score the model with a config field changed, e.g. --set features=128 for a Performer's feature count or --set projection=8 for a Linformer's k (stand-in projections; repeatable; only fields that keep every weight's shape).", valueName: "field=value"))
    var settings: [String] = []
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        guard count >= 1 && count <= 1_000_000 else { throw ValidationError("--count must be in 1...1000000, got \(count)") }
        guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
        if let bad = settings.first(where: { !$0.contains("=") || $0.hasPrefix("=") }) {
            throw ValidationError("--set takes FIELD=VALUE, got '\(bad)'")
        }
    }

    mutating func run() throws {
        var loaded = try LoadedModel.load(model, catalog: Registry.catalog,
                                          task: try task.map { try Registry.tasks.task(named: $0) }, settings: Train.pairs(settings))
        if let data {
            loaded = try LoadedModel.load(model, catalog: Registry.catalog, task: try loaded.task.withData(directory: data),
                                          settings: Train.pairs(settings))
        }
        let reports = try Evaluator.evaluate(loaded.learner, lengths: lengths ?? loaded.task.evaluationLengths, count: count,
                                             seed: seed, threads: threads)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let summary = EvalSummary(model: loaded.name, kind: loaded.learner.kind, task: loaded.task.forEvaluation, seed: seed,
                                      count: count, lengths: reports, metrics: loaded.learner.metrics.map(\.name))
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("\(loaded.name): \(loaded.task.name), \(count) sequences per \(loaded.task.lengthSettingName), seed \(seed)")
        // Columns in the objective's order, each as wide as its label.
        let metrics = loaded.learner.metrics
        // The first column is wide enough for the longest category label ("  relativeClause (196)").
        let first = max(8, reports.flatMap { $0.categories.keys }.map { $0.count + 9 }.max() ?? 0)
        print(([loaded.task.lengthName.padding(toLength: first, withPad: " ", startingAt: 0)] + metrics.map { m in
            String(repeating: " ", count: max(0, 9 - m.label.count)) + m.label
        }).joined(separator: "  "))
        for r in reports {
            let cells = metrics.map { m in
                let text = m.format(r[m.name])
                return String(repeating: " ", count: max(0, max(9, m.label.count) - text.count)) + text
            }
            print(([loaded.task.lengthLabel(r.length).padding(toLength: first, withPad: " ", startingAt: 0)] + cells).joined(separator: "  "))
            // Per category (grammar rule), where the task's samples have categories.
            for (category, values) in r.categories.sorted(by: { $0.key < $1.key }) {
                let cells = metrics.map { m in
                    let text = m.format(values[m.name] ?? 0)
                    return String(repeating: " ", count: max(0, max(9, m.label.count) - text.count)) + text
                }
                let label = "  \(category) (\(Int(values["count"] ?? 0)))"
                print(([label.padding(toLength: first, withPad: " ", startingAt: 0)] + cells).joined(separator: "  "))
            }
        }
    }
}

/// What `eval --json` prints: the model, its task's configuration (sizes included), the seed and count,
/// one row per length, and `mean`: each metric averaged over the lengths, each length weighing the same.
struct EvalSummary: Encodable {
    var model: String
    var kind: String
    var task: TaskConfig
    var seed: UInt64
    var count: Int
    var lengths: [LengthReport]
    var metrics: [String]

    private enum CodingKeys: String, CodingKey { case model, kind, task, seed, count, lengths, mean, byCategory }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(kind, forKey: .kind)
        try c.encode(task, forKey: .task)
        try c.encode(seed, forKey: .seed)
        try c.encode(count, forKey: .count)
        try c.encode(lengths, forKey: .lengths)
        var mean: [String: Double] = [:]
        for name in metrics { mean[name] = lengths.map { $0[name] }.reduce(0, +) / Double(max(1, lengths.count)) }
        try c.encode(mean, forKey: .mean)
        // Each category over every length it occurs at (bAbI's qaN, a grammar rule), weighted by count.
        var sums: [String: [String: Double]] = [:]
        for report in lengths {
            for (category, values) in report.categories {
                let n = values["count"] ?? 0
                for (name, value) in values.values where name != "count" { sums[category, default: [:]][name, default: 0] += value * n }
                sums[category, default: [:]]["count", default: 0] += n
            }
        }
        if !sums.isEmpty {
            try c.encode(sums.mapValues { m in
                let n = max(m["count"] ?? 1, 1)
                return m.mapValues { $0 / n }.merging(["count": n]) { $1 }
            }, forKey: .byCategory)
        }
    }
}

/// "10,20,40" → [10, 20, 40]; each a positive whole number.
func parseLengths(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try parts.map { p in
        guard let n = Int(p), n >= 1 else {
            throw ValidationError("--lengths takes positive whole numbers separated by commas, got \"\(p)\"")
        }
        return n
    }
}
