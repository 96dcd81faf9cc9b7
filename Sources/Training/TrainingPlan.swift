import Engine
import Episodes
import Foundation
import Synchronization
import Tasks

/// What a training run is asked to be, from the command line or anywhere else: a fresh run or the
/// resumption of a checkpoint, and the settings given. `start()` decides everything `arnn train` used to
/// decide itself: the model and task, the options, what a resumed run keeps and what it may change, the
/// checkpoint's metadata, and the snapshot folder.
public struct TrainingPlan: Sendable {
    /// The options that may also change when a run resumes (nil: keep the default, or the checkpoint's).
    public struct RunSettings: Sendable {
        public var learningRate: Float?, momentum: Float?, alpha: Float?, clip: Float?, clipNorm: Float?, gradientNoise: Float?
        public var lrHalveEvery: Int?, lrHalveFrom: Int?
        public var batchSize: Int?, threads: Int?, checkpointEvery: Int?
        public init() {}

        /// Sets the given fields of `options`; returns one line per field it changed.
        public func apply(to options: inout TrainingOptions) -> [String] {
            var changes: [String] = []
            func set<T: Equatable>(_ flag: String, _ value: T?, _ field: WritableKeyPath<TrainingOptions, T>) {
                guard let value, options[keyPath: field] != value else { return }
                changes.append("\(flag) \(value) replaces the checkpoint's \(options[keyPath: field])")
                options[keyPath: field] = value
            }
            set("--lr", learningRate, \.learningRate)
            set("--momentum", momentum, \.momentum)
            set("--alpha", alpha, \.alpha)
            set("--clip", clip, \.clipValue)
            set("--clip-norm", clipNorm, \.clipNorm)
            set("--gradient-noise", gradientNoise, \.gradientNoise)
            set("--lr-halve-every", lrHalveEvery, \.lrHalveEvery)
            set("--lr-halve-from", lrHalveFrom, \.lrHalveFrom)
            set("--batch-size", batchSize, \.batchSize)
            set("--threads", threads, \.threads)
            set("--checkpoint-every", checkpointEvery, \.checkpointEvery)
            return changes
        }
    }

    /// A fresh run: the model kind, the task (with its settings applied) and the options.
    public struct Fresh: Sendable {
        public var model: String
        public var task: TaskConfig
        /// Model config fields (`--set FIELD=VALUE`).
        public var overrides: [String: String]
        public var options: TrainingOptions
        public init(model: String, task: TaskConfig, overrides: [String: String], options: TrainingOptions) {
            self.model = model
            self.task = task
            self.overrides = overrides
            self.options = options
        }
    }

    public enum Start: Sendable {
        case fresh(Fresh)
        /// The checkpoint to resume, a larger total of sequences, and a new snapshot cadence, if given.
        case resume(path: String, sequences: Int?, keepEvery: Int?)
        /// The same with the task's settings changed for the rest of the run (`--task-set` with `--resume`: a
        /// curriculum over a task's settings, such as the kinds of questions); the model must still fit it.
        case resumeWithTask(path: String, sequences: Int?, keepEvery: Int?, task: @Sendable (TaskConfig) throws -> TaskConfig)
    }

    public var start: Start
    public var settings: RunSettings
    /// The checkpoint to write.
    public var out: String
    /// Whether an existing `out` (and its snapshot folder of another run) may be replaced.
    public var force: Bool
    /// The command that started the run, recorded in the checkpoint (`arnn train ...`).
    public var command: String
    public var version: String

    public init(start: Start, settings: RunSettings, out: String, force: Bool, command: String, version: String) {
        self.start = start
        self.settings = settings
        self.out = out
        self.force = force
        self.command = command
        self.version = version
    }

    /// The run, ready to train: `out` checked before any work (an unwritable path, or a file it would
    /// replace without `force`; resuming in place replaces its own checkpoint), the model made or loaded,
    /// and its snapshot folder prepared. `notes` receives what a resumed run changed.
    /// - Throws: `ArnnError` naming what is wrong.
    public func makeRun(catalog: ModelCatalog, notes: (String) -> Void) throws -> TrainingRun {
        let resumePath: String? = switch start {
        case let .resume(path, _, _), let .resumeWithTask(path, _, _, _): path
        case .fresh: nil
        }
        let inPlace = resumePath.map { Self.samePath($0, out) } ?? false
        // Every argument is checked (options, model and task, the checkpoint resumed) before --out, so a
        // bad value is named even when --out exists; nothing is written before training starts.
        let run: TrainingRun
        switch start {
        case let .fresh(fresh):
            var options = fresh.options
            _ = settings.apply(to: &options)
            try options.validate()
            var rng = SeededRNG(seed: options.seed)
            let learner = try catalog.model(fresh.model).make(task: fresh.task, overrides: fresh.overrides, rng: &rng)
            run = TrainingRun(trainer: Trainer(learner: learner, options: options), outputPath: out, metadata: [
                CheckpointMetadataKey.task: fresh.task.name,
                CheckpointMetadataKey.taskConfig: jsonString(fresh.task),
                CheckpointMetadataKey.seed: String(options.seed),
                CheckpointMetadataKey.command: command,
                CheckpointMetadataKey.version: version,
                CheckpointMetadataKey.run: Self.newRunID(),
            ])
        case let .resume(path, sequences, keepEvery):
            run = try resume(from: path, sequences: sequences, keepEvery: keepEvery, catalog: catalog, notes: notes)
        case let .resumeWithTask(path, sequences, keepEvery, task):
            run = try resume(from: path, sequences: sequences, keepEvery: keepEvery, task: task, catalog: catalog, notes: notes)
        }
        try TrainingRun.checkOutput(out, overwrite: force || inPlace)
        let options = run.trainer.options
        if options.sequences % options.batchSize != 0 {
            notes("training \(options.sequencesInWholeBatches) sequences: --sequences \(options.sequences) is not a whole number of batches of \(options.batchSize), so the last batch is whole")
        }
        run.snapshots = try prepareSnapshots(for: run, fresh: resumePath == nil, notes: notes)
        return run
    }

    /// Rebuilds model, optimiser state and options from a training checkpoint.
    func resume(from path: String, sequences: Int?, keepEvery: Int?, task change: ((TaskConfig) throws -> TaskConfig)? = nil,
                catalog: ModelCatalog, notes: (String) -> Void) throws -> TrainingRun {
        let checkpoint = try Checkpoint.read(from: path)
        var taskConfig = try catalog.tasks.decode(try checkpoint.metadataValue(CheckpointMetadataKey.taskConfig))
        if let change {
            let changed = try change(taskConfig)
            try changed.validate()
            if jsonString(changed) != jsonString(taskConfig) {
                notes("resume: --task-set makes the task \(jsonString(changed)) for the rest of the run")
            }
            taskConfig = changed
        }
        let learner = try catalog.load(checkpoint, task: taskConfig)
        var options = try JSONDecoder().decode(TrainingOptions.self,
                                               from: Data(try checkpoint.metadataValue(TrainingMetadataKey.options).utf8))
        if let sequences { options.sequences = max(options.sequences, sequences) }
        if let keepEvery, keepEvery != options.keepEvery {
            notes("resume: --keep-every \(keepEvery) replaces the checkpoint's \(options.keepEvery)")
            options.keepEvery = keepEvery
        }
        for change in settings.apply(to: &options) { notes("resume: \(change)") }
        try options.validate()
        guard let done = Int(try checkpoint.metadataValue(CheckpointMetadataKey.steps)) else {
            throw ArnnError.file(path, "arnn.steps is not a whole number")
        }
        let stage = checkpoint.metadata[TrainingMetadataKey.curriculumLength].flatMap { Int($0) }
        let trainer = Trainer(learner: learner, options: options, sequencesDone: done, curriculumLength: stage)
        try trainer.loadOptimizerState(from: checkpoint)
        var metadata = checkpoint.metadata
        for key in [CheckpointMetadataKey.steps, TrainingMetadataKey.options, TrainingMetadataKey.lastResults,
                    TrainingMetadataKey.curriculumLength,
                    CheckpointMetadataKey.kind, CheckpointMetadataKey.config] { metadata[key] = nil }
        metadata[CheckpointMetadataKey.command] = (metadata[CheckpointMetadataKey.command] ?? "") + " && " + command
        metadata[CheckpointMetadataKey.taskConfig] = jsonString(taskConfig)
        // A checkpoint from before run ids (or from elsewhere) becomes a run of its own here.
        if metadata[CheckpointMetadataKey.run] == nil { metadata[CheckpointMetadataKey.run] = Self.newRunID() }
        return TrainingRun(trainer: trainer, outputPath: out, metadata: metadata)
    }

    /// The run's snapshot keeper, with its folder checked before any training: a fresh run refuses an
    /// existing folder (snapshots of another run) unless `force`, which removes them, even when it keeps
    /// none itself; a resumed run goes on in its own run's folder, dropping snapshots past the checkpoint
    /// (a run that stopped on NaN trains over them again), and refuses another run's folder unless `force`.
    func prepareSnapshots(for run: TrainingRun, fresh: Bool, notes: (String) -> Void) throws -> SnapshotKeeper? {
        let path = SnapshotFolder.path(forCheckpoint: out)
        let every = run.trainer.options.keepEvery
        let runID = run.metadata[CheckpointMetadataKey.run] ?? ""
        var existing: SnapshotFolder?
        if SnapshotFolder.exists(at: path) {
            if fresh {
                guard force else {
                    throw ArnnError.file(path, "holds snapshots of an earlier run to \(out); pass --force to remove them, or choose another --out")
                }
                try SnapshotFolder.clear(at: path)
            } else {
                let folder: SnapshotFolder
                do {
                    folder = try SnapshotFolder.read(at: path)
                } catch let e as ArnnError {
                    guard force else { throw ArnnError("\(e.message); pass --force to replace the snapshot folder") }
                    try SnapshotFolder.clear(at: path)
                    folder = SnapshotFolder(path: path, index: SnapshotIndex(run: "", kind: "", task: "", keepEvery: 0))
                }
                if folder.index.run == runID {
                    existing = folder
                } else if !folder.index.run.isEmpty {
                    guard force else {
                        throw ArnnError.file(path, "holds snapshots of another run (\(folder.index.run), not \(runID)); pass --force to remove them, or choose another --out")
                    }
                    try SnapshotFolder.clear(at: path)
                }
            }
        }
        guard every > 0 else { return nil }
        var folder: SnapshotFolder
        if var existing {
            let done = run.trainer.sequencesDone
            let dropped = try existing.drop(after: done)
            if dropped > 0 {
                notes("dropping \(dropped) snapshot\(dropped == 1 ? "" : "s") past the checkpoint's \(done) sequences in \(path) (training goes over them again)")
            }
            existing.index.keepEvery = every
            try existing.writeIndex()
            folder = existing
        } else {
            folder = try SnapshotFolder.create(at: path, index: SnapshotIndex(run: runID, kind: run.trainer.learner.kind,
                                                                              task: run.trainer.task.name, keepEvery: every))
        }
        return SnapshotKeeper(folder: folder, every: every)
    }

    /// A fresh random run id: 16 hex digits.
    public static func newRunID() -> String {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// True when `a` and `b` name the same file (after resolving `..` and symbolic links).
    public static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL.path
            == URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL.path
    }
}

/// SIGINT and SIGTERM ask a training loop to save and stop; a second one ends the process at once.
public enum StopSignal {
    static let requested = Atomic<Bool>(false)

    /// Whether a stop was asked for (the training loop's `shouldStop`).
    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    public static func install() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            if StopSignal.requested.load(ordering: .relaxed) {
                signal(sig, SIG_DFL)
                raise(sig)
            }
            StopSignal.requested.store(true, ordering: .relaxed)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
