import Engine
import Foundation
import Models
import Tasks

/// `demos/<name>/demo.json`: which model and task a demo shows and how.
public struct DemoManifest: Codable, Equatable, Sendable {
    /// Model kind (`ntm`).
    public var model: String
    /// Task and its settings (the training ranges; the viewer may go beyond them).
    public var task: TaskConfig
    /// Checkpoint file, relative to the demo's folder.
    public var checkpoint: String
    /// One line for lists and the viewer's title bar.
    public var title: String
    /// The length (or item count) the viewer opens with, and the seed of its first example.
    public var defaultLength: Int
    public var defaultSeed: UInt64
}

/// A model ready to run with the task it was trained on: from a demo folder or a bare checkpoint.
public struct LoadedModel: Sendable {
    public var name: String
    public var title: String
    public var ntm: NTM
    public var task: TaskConfig
    public var defaultLength: Int
    public var defaultSeed: UInt64
    /// The checkpoint's metadata (training command, steps, seed...).
    public var metadata: [String: String]

    /// The name of the demo `arnn` opens with no arguments.
    public static let defaultDemo = "ntm-copy"

    /// Loads `reference`: a demo name (a folder under the demos directory), a demo folder path, or a
    /// safetensors checkpoint path (whose metadata names its task).
    /// - Throws: `ArnnError` naming what could not be found or read.
    /// - Parameter task: for a bare checkpoint, the task to run it on instead of the one its metadata
    ///   names (a checkpoint written elsewhere may name none).
    public static func load(_ reference: String, task: TaskConfig? = nil) throws -> LoadedModel {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: reference, isDirectory: &isDir) {
            return isDir.boolValue ? try loadDemo(folder: reference) : try loadCheckpoint(path: reference, task: task)
        }
        if !reference.contains("/"), let root = demosDirectory() {
            let folder = (root as NSString).appendingPathComponent(reference)
            if fm.fileExists(atPath: folder) { return try loadDemo(folder: folder) }
            let names = demoNames().joined(separator: ", ")
            throw ArnnError("no demo or checkpoint called \"\(reference)\" (demos: \(names.isEmpty ? "none" : names))")
        }
        throw ArnnError("\(reference): no such demo, folder or checkpoint file")
    }

    static func loadDemo(folder: String) throws -> LoadedModel {
        let manifestPath = (folder as NSString).appendingPathComponent("demo.json")
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw ArnnError.file(manifestPath, "cannot be read (a demo folder needs a demo.json)")
        }
        let manifest: DemoManifest
        do {
            manifest = try JSONDecoder().decode(DemoManifest.self, from: data)
        } catch let e as ArnnError {
            throw ArnnError.file(manifestPath, e.message)
        } catch {
            throw ArnnError.file(manifestPath, "not a valid demo manifest (\(NTM.describeDecoding(error)))")
        }
        guard manifest.model == NTM.kind else {
            throw ArnnError.file(manifestPath, "model \"\(manifest.model)\" is not supported (expected \"ntm\")")
        }
        let weights = (folder as NSString).appendingPathComponent(manifest.checkpoint)
        let checkpoint = try Checkpoint.read(from: weights)
        let ntm = try NTM(checkpoint: checkpoint)
        try checkWidths(ntm, manifest.task, weights)
        return LoadedModel(name: (folder as NSString).lastPathComponent, title: manifest.title, ntm: ntm,
                           task: manifest.task, defaultLength: manifest.defaultLength,
                           defaultSeed: manifest.defaultSeed, metadata: checkpoint.metadata)
    }

    static func loadCheckpoint(path: String, task override: TaskConfig?) throws -> LoadedModel {
        let checkpoint = try Checkpoint.read(from: path)
        let ntm = try NTM(checkpoint: checkpoint)
        let task: TaskConfig
        do {
            if let override {
                task = override
            } else {
                guard let json = checkpoint.metadata[CheckpointMetadataKey.taskConfig] else {
                    throw ArnnError.file(path, "names no task (no arnn.task_config in its metadata); pass --task")
                }
                task = try JSONDecoder().decode(TaskConfig.self, from: Data(json.utf8))
            }
        } catch let e as ArnnError where e.message.hasPrefix(path) {
            throw e
        } catch let e as ArnnError {
            throw ArnnError.file(path, "arnn.task_config: \(e.message)")
        } catch {
            throw ArnnError.file(path, "arnn.task_config is not a valid task (\(NTM.describeDecoding(error)))")
        }
        try checkWidths(ntm, task, path)
        let range = task.lengthRange
        return LoadedModel(name: (path as NSString).lastPathComponent, title: "\(task.name) (\(path))", ntm: ntm,
                           task: task, defaultLength: min(max(10, range.lowerBound), range.upperBound),
                           defaultSeed: 1, metadata: checkpoint.metadata)
    }

    static func checkWidths(_ ntm: NTM, _ task: TaskConfig, _ path: String) throws {
        guard ntm.config.inputSize == task.inputWidth, ntm.config.outputSize == task.outputWidth else {
            throw ArnnError.file(path, "the model reads \(ntm.config.inputSize) and writes \(ntm.config.outputSize) channels, "
                                 + "but task \(task.name) has \(task.inputWidth) and \(task.outputWidth)")
        }
    }

    /// The demos directory: $ARNN_DEMOS, else `demos/` in the working directory, else the repository's
    /// `demos/` found from the executable's location (`.build/<config>/arnn`).
    public static func demosDirectory() -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["ARNN_DEMOS"] { candidates.append(env) }
        candidates.append((fm.currentDirectoryPath as NSString).appendingPathComponent("demos"))
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("demos").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { path in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
        }
    }

    /// The names of the demos found.
    public static func demoNames() -> [String] {
        guard let root = demosDirectory(),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return entries.filter {
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("\($0)/demo.json"))
        }.sorted()
    }
}
