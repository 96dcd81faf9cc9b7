import ArgumentParser
import Engine
import Episodes
import Foundation
import Registry
import Visualiser

/// `arnn models` (also `arnn help models`): what the registry holds, from the registry itself.
struct Models: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: "List the models, tasks and demos arnn knows, with each model's config fields.",
            discussion: """
                Models: \(Registry.catalog.kinds.joined(separator: ", ")). Tasks: \(Registry.tasks.names.joined(separator: ", ")). \
                Set a config field when training with 'arnn train --model KIND --set FIELD=VALUE'.
                """)
    }

    mutating func run() throws {
        print(Self.listing())
    }

    static func listing() -> String {
        var lines = ["Models (arnn train --model KIND; fields for --set FIELD=VALUE, defaults on the task named):"]
        // Each list's names padded to its longest, so none is cut.
        let kindWidth = Registry.entries.map { $0.model.kind.unicodeScalars.count }.max() ?? 0
        let indent = String(repeating: " ", count: 2 + kindWidth + 1)
        for entry in Registry.entries {
            lines.append("  \(entry.model.kind.padded(to: kindWidth)) \(entry.model.summary)")
            if let task = try? Registry.tasks.task(named: entry.defaultTask) {
                lines.append("\(indent)on \(task.name): \(entry.model.configHelp(task))")
            }
        }
        lines.append("")
        lines.append("Tasks (arnn train --task NAME):")
        let taskWidth = Registry.tasks.types.map { $0.name.unicodeScalars.count }.max() ?? 0
        for type in Registry.tasks.types {
            lines.append("  \(type.name.padded(to: taskWidth)) \(type.summary)")
        }
        lines.append("")
        lines.append("Demos (arnn view NAME; arnn view A --compare B on the same task):")
        let demos = LoadedModel.demoNames()
        let demoWidth = demos.map { $0.unicodeScalars.count }.max() ?? 0
        for name in demos {
            if let demo = try? LoadedModel.load(name, catalog: Registry.catalog) {
                lines.append("  \(name.padded(to: demoWidth)) \(demo.kind) on \(demo.task.name): \(demo.title)")
            } else {
                lines.append("  \(name.padded(to: demoWidth)) (cannot be loaded)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
