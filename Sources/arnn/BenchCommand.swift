import ArgumentParser
import Bench
import Engine
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of arnn's engine, models and viewer.",
        discussion: "Each figure is the median of several timed batches, so a busy machine disturbs it little."
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case engine
        static var allValueStrings: [String] { allCases.map(\.rawValue) }
    }

    @Argument(help: "What to measure: \(Target.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: Target

    @Flag(help: "Print the figures as JSON.")
    var json = false

    mutating func run() throws {
        let rows: [BenchmarkRow]
        switch target {
        case .engine: rows = EngineBenchmark.run()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            for row in rows { print(row.formatted) }
        }
    }
}
