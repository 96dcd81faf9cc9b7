import Engine
import Foundation
import Models
import Tasks

/// `demos/<name>/demo.json`: which model and task a demo shows and how.
public struct DemoManifest: Sendable {
    /// Model kind (`ntm`, `lstm`, ...).
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

    struct Raw: Decodable {
        var model: String, checkpoint: String, title: String, defaultLength: Int, defaultSeed: UInt64
    }
    struct TaskOnly: Decodable {
        var task: JSONFragment
    }

    /// Reads a manifest; the task goes through `tasks` (which knows the task names).
    public init(json data: Data, tasks: TaskCatalog) throws {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        let task = try JSONDecoder().decode(TaskOnly.self, from: data).task
        model = raw.model
        checkpoint = raw.checkpoint
        title = raw.title
        defaultLength = raw.defaultLength
        defaultSeed = raw.defaultSeed
        self.task = try tasks.decode(task.data)
    }
}

/// A JSON value kept as its bytes, to be decoded later by whoever knows its type.
struct JSONFragment: Decodable {
    var data: Data
    init(from decoder: any Decoder) throws {
        data = try JSONSerialization.data(withJSONObject: try JSONValue(from: decoder).object, options: [.fragmentsAllowed])
    }
}

/// Any JSON value, decoded generically (for `JSONFragment`).
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var object: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case .string(let s): s
        case .array(let a): a.map(\.object)
        case .object(let o): o.mapValues(\.object)
        }
    }
}

/// A model ready to run with the task it was trained on: from a demo folder or a bare checkpoint.
public struct LoadedModel: Sendable {
    public var name: String
    public var title: String
    public var learner: any Learner
    public var task: TaskConfig
    public var defaultLength: Int
    public var defaultSeed: UInt64
    /// The checkpoint's metadata (training command, steps, seed...).
    public var metadata: [String: String]
    /// The weights file it was loaded from.
    public var weightsPath: String? = nil
    /// The run's snapshots, once `withSnapshots()` has read them; nil when it has none.
    public var snapshots: RunSnapshots? = nil
    /// Which of `snapshots.moments` the learner's weights are now.
    public var snapshotPosition: Int? = nil

    public var kind: String { learner.kind }

    /// This model with its run's snapshots read and checked (`RunSnapshots.load`), at the checkpoint's
    /// own moment; unchanged when it has none.
    public func withSnapshots() throws -> LoadedModel {
        guard let weightsPath,
              let found = try RunSnapshots.load(checkpointPath: weightsPath, metadata: metadata, learner: learner) else { return self }
        var copy = self
        copy.snapshots = found
        copy.snapshotPosition = found.checkpointPosition
        return copy
    }

    /// Loads the weights of snapshot `position` into the learner.
    public mutating func move(to position: Int) throws {
        guard let snapshots else { throw ArnnError("\(name) has no snapshots") }
        try learner.loadWeights(from: Checkpoint.read(from: snapshots.moments[position].path))
        snapshotPosition = position
    }

    /// Loads `reference`: a demo name (a folder under the demos directory), a demo folder path, or a
    /// safetensors checkpoint path (whose metadata names its task).
    /// - Throws: `ArnnError` naming what could not be found or read.
    /// - Parameter task: the task to run it on instead of the one the metadata names (a checkpoint written
    ///   elsewhere may name none).
    /// - Parameter settings: config fields to change on the loaded model (`eval --set features=128`): its
    ///   live settings (`Learner.liveSettings`), and other fields that leave every weight's shape as trained.
    public static func load(_ reference: String, catalog: ModelCatalog, task: TaskConfig? = nil,
                            settings: [String: String] = [:]) throws -> LoadedModel {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: reference, isDirectory: &isDir) {
            return isDir.boolValue ? try loadDemo(folder: reference, catalog: catalog, task: task, settings: settings)
                                   : try loadCheckpoint(path: reference, catalog: catalog, task: task, settings: settings)
        }
        if !reference.contains("/"), let root = demosDirectory() {
            let folder = (root as NSString).appendingPathComponent(reference)
            if fm.fileExists(atPath: folder) { return try loadDemo(folder: folder, catalog: catalog, task: task, settings: settings) }
            let names = demoNames().joined(separator: ", ")
            throw ArnnError("no demo or checkpoint called \"\(reference)\" (demos: \(names.isEmpty ? "none" : names))")
        }
        throw ArnnError("\(reference): no such demo, folder or checkpoint file")
    }

    /// `checkpoint` (read from `path`) and the learner `make` builds from it, with `settings` applied: fields
    /// the learner can change live (`Learner.liveSettings`: a Linformer's k, a Performer's m) through
    /// `Learner.adjusted`, the rest written into its config (`arnn.config`) as `--set` does in training.
    static func learner(_ checkpoint: Checkpoint, at path: String, settings: [String: String],
                        make: (Checkpoint) throws -> any Learner) throws -> (Checkpoint, any Learner) {
        var checkpoint = checkpoint
        let base = try make(checkpoint)
        guard !settings.isEmpty else { return (checkpoint, base) }
        let live = Set(base.liveSettings.map(\.field))
        var learner = base
        let written = settings.filter { !live.contains($0.key) }
        if !written.isEmpty {
            let kind = checkpoint.metadata[CheckpointMetadataKey.kind] ?? "the model"
            guard let config = checkpoint.metadata[CheckpointMetadataKey.config] else {
                throw ArnnError.file(path, "has no arnn.config to change with --set")
            }
            let changed = try ConfigOverrides.setting(written, in: Data(config.utf8), flag: "--set",
                                                      owner: "\(kind) has no config field")
            checkpoint.metadata[CheckpointMetadataKey.config] = String(decoding: changed, as: UTF8.self)
            learner = try make(checkpoint)
        }
        var adjusting: [String: Int] = [:]
        for (field, value) in settings where live.contains(field) {
            guard let number = Int(value) else { throw ArnnError("--set \(field)=\(value): \(field) takes a whole number") }
            adjusting[field] = number
        }
        return (checkpoint, try learner.adjusted(adjusting))
    }

    static func loadDemo(folder: String, catalog: ModelCatalog, task override: TaskConfig?,
                         settings: [String: String] = [:]) throws -> LoadedModel {
        let manifestPath = (folder as NSString).appendingPathComponent("demo.json")
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw ArnnError.file(manifestPath, "cannot be read (a demo folder needs a demo.json)")
        }
        let manifest: DemoManifest
        do {
            manifest = try DemoManifest(json: data, tasks: catalog.tasks)
        } catch let e as ArnnError {
            throw ArnnError.file(manifestPath, e.message)
        } catch {
            throw ArnnError.file(manifestPath, "not a valid demo manifest (\(describeDecoding(error)))")
        }
        do { _ = try catalog.model(manifest.model) } catch let e as ArnnError { throw ArnnError.file(manifestPath, e.message) }
        let weights = (folder as NSString).appendingPathComponent(manifest.checkpoint)
        let task = override ?? manifest.task
        let (checkpoint, learner) = try Self.learner(Checkpoint.read(from: weights), at: weights, settings: settings) {
            try catalog.load($0, task: task)
        }
        return LoadedModel(name: (folder as NSString).lastPathComponent, title: manifest.title, learner: learner,
                           task: task, defaultLength: manifest.defaultLength,
                           defaultSeed: manifest.defaultSeed, metadata: checkpoint.metadata, weightsPath: weights)
    }

    static func loadCheckpoint(path: String, catalog: ModelCatalog, task override: TaskConfig?,
                               settings: [String: String] = [:]) throws -> LoadedModel {
        let read = try Checkpoint.read(from: path)
        let task: TaskConfig
        if let override {
            task = override
        } else {
            guard let json = read.metadata[CheckpointMetadataKey.taskConfig] else {
                throw ArnnError.file(path, "names no task (no arnn.task_config in its metadata); pass --task")
            }
            do {
                task = try catalog.tasks.decode(json)
            } catch let e as ArnnError {
                throw ArnnError.file(path, "arnn.task_config: \(e.message)")
            } catch {
                throw ArnnError.file(path, "arnn.task_config is not a valid task (\(describeDecoding(error)))")
            }
        }
        let (checkpoint, learner) = try Self.learner(read, at: path, settings: settings) { try catalog.load($0, task: task) }
        // Length 10 within the training range, or else the first length the task evaluates at (babi's
        // lengths are task numbers, and 10 is none of them).
        let range = task.lengthRange
        let clamped = min(max(10, range.lowerBound), range.upperBound)
        let length = (try? task.validate(length: clamped)) != nil ? clamped
            : task.evaluationLengths.first { (try? task.validate(length: $0)) != nil } ?? range.lowerBound
        return LoadedModel(name: (path as NSString).lastPathComponent, title: "\(task.name) (\(path))", learner: learner,
                           task: task, defaultLength: length,
                           defaultSeed: 1, metadata: checkpoint.metadata, weightsPath: path)
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
