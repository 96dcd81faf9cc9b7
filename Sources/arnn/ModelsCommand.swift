import ArgumentParser
import Engine
import Episodes
import Foundation
import Registry

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
        for entry in Registry.entries {
            lines.append("  \(entry.model.kind.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.model.summary)")
            if let task = try? Registry.tasks.task(named: entry.defaultTask) {
                lines.append("           on \(task.name): \(entry.model.configHelp(task))")
            }
        }
        lines.append("")
        lines.append("Tasks (arnn train --task NAME):")
        for type in Registry.tasks.types {
            lines.append("  \(type.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(type.summary)")
        }
        lines.append("")
        lines.append("Demos (arnn view NAME; arnn view A --compare B on the same task):")
        for name in LoadedModel.demoNames() {
            if let demo = try? LoadedModel.load(name, catalog: Registry.catalog) {
                lines.append("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(demo.kind) on \(demo.task.name): \(demo.title)")
            } else {
                lines.append("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) (cannot be loaded)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
