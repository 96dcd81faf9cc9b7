import ArgumentParser
import Engine
import Episodes
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a demo or checkpoint on fresh seeded sequences, per length.",
        discussion: """
            For each length: mean wrong bits per sequence (outputs thresholded at 0.5), the share of \
            perfect sequences, and the binary cross-entropy per sequence in bits. The same seed gives the \
            same sequences. For associative recall the length is the number of items; for priority sort, \
            the number of inputs.

            Example: arnn eval ntm-copy --lengths 10,20,40,80 --count 1000 --seed 7
            """
    )

    @Argument(help: "A demo name (see demos/), a demo folder, or a checkpoint file.")
    var model: String

    @Option(help: "Comma-separated sequence lengths.", transform: parseLengths)
    var lengths: [Int] = [10, 20, 40, 80]

    @Option(parsing: .unconditional, help: "Sequences per length.") var count: Int = 1000
    @Option(help: "Seed of the evaluation sequences.") var seed: UInt64 = 7
    @Option(help: "Threads.") var threads: Int = 2
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        guard count >= 1 && count <= 1_000_000 else { throw ValidationError("--count must be in 1...1000000, got \(count)") }
        guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    }

    mutating func run() throws {
        let loaded = try LoadedModel.load(model)
        let reports = try Evaluator.evaluate(loaded.ntm, task: loaded.task, lengths: lengths, count: count,
                                             seed: seed, threads: threads)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
            return
        }
        print("\(loaded.name): \(loaded.task.name), \(count) sequences per \(loaded.task.lengthName), seed \(seed)")
        print("\(loaded.task.lengthName.padding(toLength: 8, withPad: " ", startingAt: 0))  wrong bits/seq  perfect   BCE bits/seq")
        for r in reports {
            print(String(format: "%-8d  %14.3f  %6.1f%%  %13.3f", r.length, r.meanWrongBits, 100 * r.perfectShare, r.meanBCEBits))
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
