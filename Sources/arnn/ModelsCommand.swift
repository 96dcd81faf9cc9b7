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

    /// `name` padded with spaces to the longest of `names`, never cut.
    static func padded(_ name: String, _ names: [String]) -> String {
        var width = name.count
        for n in names { width = max(width, n.count) }
        return name + String(repeating: " ", count: width - name.count)
    }

    static func listing() -> String {
        var lines = ["Models (arnn train --model KIND; fields for --set FIELD=VALUE, defaults on the task named):"]
        let kinds = Registry.entries.map { $0.model.kind }
        let indent = String(repeating: " ", count: 2 + padded("", kinds).count + 1)
        for entry in Registry.entries {
            lines.append("  \(padded(entry.model.kind, kinds)) \(entry.model.summary)")
            if let task = try? Registry.tasks.task(named: entry.defaultTask) {
                lines.append("\(indent)on \(task.name): \(entry.model.configHelp(task))")
            }
        }
        lines.append("")
        lines.append("Tasks (arnn train --task NAME):")
        let taskNames = Registry.tasks.types.map { $0.name }
        for type in Registry.tasks.types {
            lines.append("  \(padded(type.name, taskNames)) \(type.summary)")
        }
        lines.append("")
        lines.append("Demos (arnn view NAME; arnn view A --compare B on the same task):")
        let demos = LoadedModel.demoNames()
        for name in demos {
            if let demo = try? LoadedModel.load(name, catalog: Registry.catalog) {
                lines.append("  \(padded(name, demos)) \(demo.kind) on \(demo.task.name): \(demo.title)")
            } else {
                lines.append("  \(padded(name, demos)) (cannot be loaded)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
