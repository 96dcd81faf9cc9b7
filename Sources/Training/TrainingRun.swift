import Engine
import Foundation
import Models
import Tasks
import Episodes

/// Metadata keys of training checkpoints beyond the common ones.
public enum TrainingMetadataKey {
    /// The `TrainingOptions` as JSON.
    public static let options = "arnn.training"
    /// Loss and error figures of the last stretch of training, as JSON.
    public static let lastResults = "arnn.last_results"
    /// The curriculum's current longest length, decimal (only with a curriculum).
    public static let curriculumLength = "arnn.curriculum_length"
}

extension Trainer {
    /// Restores the optimiser's state from a training checkpoint's `optimizer.` tensors.
    /// - Throws: `ArnnError` naming the checkpoint and the missing or mis-sized slot.
    public func loadOptimizerState(from checkpoint: Checkpoint) throws {
        var state: [String: Tensor] = [:]
        for name in checkpoint.names where name.hasPrefix(Checkpoint.optimizerPrefix) {
            state[String(name.dropFirst(Checkpoint.optimizerPrefix.count))] = checkpoint[name]
        }
        do {
            try optimizer.load(state: state)
        } catch let e as ArnnError {
            throw ArnnError.file(checkpoint.source ?? "checkpoint", e.message)
        }
    }
}

/// A running mean over the last `window` batches, for progress lines.
public struct RecentMean: Sendable {
    private var values: [Double] = []
    private var next = 0
    public let window: Int
    public init(window: Int) { self.window = window }
    public mutating func add(_ x: Double) {
        if values.count < window { values.append(x) } else { values[next] = x; next = (next + 1) % window }
    }
    public var mean: Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
    public var isFull: Bool { values.count == window }
    public var isEmpty: Bool { values.isEmpty }
}

/// A training run from start (or resume) to its sequence count: batches, progress, periodic atomic
/// checkpoints, a clean stop on request, and a stop with the last good checkpoint kept on NaN.
public final class TrainingRun {
    public let trainer: Trainer
    public let outputPath: String
    /// Metadata written into every checkpoint (command, seed, task, version...).
    public let metadata: [String: String]
    /// Each of the objective's metrics, averaged over the last 100 batches.
    public private(set) var recent: [String: RecentMean]
    public private(set) var lastCheckpointAt: Int
    /// Sequences done at the last checkpoint this run wrote; nil until it writes one (a resumed run's
    /// starting checkpoint does not count).
    public private(set) var lastWrittenAt: Int?
    /// Keeps snapshots of the weights every `options.keepEvery` sequences (nil: none are kept).
    public var snapshots: SnapshotKeeper?

    public init(trainer: Trainer, outputPath: String, metadata: [String: String]) {
        self.trainer = trainer
        self.outputPath = outputPath
        self.metadata = metadata
        lastCheckpointAt = trainer.sequencesDone
        recent = Dictionary(uniqueKeysWithValues: trainer.metrics.map { ($0.name, RecentMean(window: 100)) })
    }

    /// The recent mean of the metric called `name` (0 before the first batch).
    public func recentMean(_ name: String) -> Double { recent[name]?.mean ?? 0 }
    /// Whether training measures `name` at all (`attentionError` is measured when evaluating only).
    public func measures(_ name: String) -> Bool { recent[name].map { !$0.isEmpty } ?? false }

    /// The objective's loss (its first metric), averaged over the last 100 batches.
    public var recentLoss: Double { recentMean(trainer.metrics[0].name) }

    /// How a run ended.
    public enum Outcome: Sendable, Equatable { case finished, stopped }

    /// Trains until `trainer.options.sequences` or until `shouldStop()` returns true (checked after each
    /// batch); calls `progress` after each batch. Writes a checkpoint every `checkpointEvery` sequences
    /// and at the end.
    /// - Throws: `ArnnError` when the loss becomes NaN or infinite (the last checkpoint stays as it was),
    ///   or when a checkpoint cannot be written.
    public func run(shouldStop: () -> Bool, progress: (BatchResult) -> Void) throws -> Outcome {
        let options = trainer.options
        try checkWorkLeft()
        // The session's first snapshot: the untrained model of a fresh run, or where a resumed one starts.
        if let snapshots, snapshots.lastSequences != trainer.sequencesDone { try keepSnapshot() }
        while trainer.sequencesDone < options.sequences {
            let before = trainer.sequencesDone
            let result = trainer.trainBatch()
            guard result.loss.isFinite, result.gradNorm.isFinite else {
                let kept: String
                if let at = lastWrittenAt {
                    kept = "the last good checkpoint, written by this run at \(at) sequences, is kept at \(outputPath)"
                } else if FileManager.default.fileExists(atPath: outputPath) {
                    kept = "this run wrote no checkpoint (\(outputPath) is as it was before the run)"
                } else {
                    kept = "this run wrote no checkpoint"
                }
                throw ArnnError("training diverged at sequence \(result.sequencesDone): the loss is \(result.loss); \(kept)")
            }
            for (name, value) in result.metrics.values { recent[name]?.add(value) }
            if let snapshots {
                snapshots.record(result, sequences: options.batchSize)
                if snapshots.isDue(before: before, after: trainer.sequencesDone) { try keepSnapshot() }
            }
            progress(result)
            if options.checkpointEvery > 0 && trainer.sequencesDone - lastCheckpointAt >= options.checkpointEvery {
                try saveCheckpoint()
            }
            if shouldStop() {
                try saveCheckpoint()
                try keepFinalSnapshot()
                return .stopped
            }
        }
        try saveCheckpoint()
        try keepFinalSnapshot()
        return .finished
    }

    /// Keeps a snapshot of the weights now.
    func keepSnapshot() throws {
        try snapshots?.keep({ trainer.learner.checkpoint(metadata: $0) }, sequences: trainer.sequencesDone, metadata: metadata)
    }

    /// The session's last snapshot, where it ended (unless one was just kept there), so the folder ends
    /// with the weights of the checkpoint.
    func keepFinalSnapshot() throws {
        if let snapshots, snapshots.lastSequences != trainer.sequencesDone { try keepSnapshot() }
    }

    /// Writes the model, the optimiser's state and the metadata atomically to `outputPath`.
    public func saveCheckpoint() throws {
        var meta = metadata
        meta[CheckpointMetadataKey.steps] = String(trainer.sequencesDone)
        meta[TrainingMetadataKey.options] = jsonString(trainer.options)
        if trainer.options.curriculum { meta[TrainingMetadataKey.curriculumLength] = String(trainer.maxLength) }
        meta[TrainingMetadataKey.lastResults] = jsonString(recent.mapValues(\.mean))
        var checkpoint = trainer.learner.checkpoint(metadata: meta)
        for (name, t) in trainer.optimizer.state() { checkpoint[Checkpoint.optimizerPrefix + name] = t }
        try checkpoint.write(to: outputPath)
        lastCheckpointAt = trainer.sequencesDone
        lastWrittenAt = trainer.sequencesDone
    }

    /// Throws when the model has already trained on `options.sequences` (a finished run resumed without
    /// a larger `--sequences`), rather than saving it again and reporting a loss of nothing.
    public func checkWorkLeft() throws {
        let done = trainer.sequencesDone, total = trainer.options.sequences
        guard done < total else {
            throw ArnnError("nothing to train: the checkpoint already has \(done) sequences (--sequences \(total)); "
                            + "give a larger --sequences to train further")
        }
    }

    /// Checks before training that a checkpoint can be written at `path`, so a bad `--out` is found in a
    /// second and not at the first save. An existing file is refused unless `overwrite` (`--force`); so is,
    /// even with `overwrite`, anything that is not a regular file or a link to one (a device, a FIFO: a
    /// checkpoint is written many times and read back by `--resume`, and a snapshot folder is made beside
    /// it), and a link to nothing.
    /// - Throws: `ArnnError` naming the path and the reason.
    public static func checkOutput(_ path: String, overwrite: Bool) throws {
        switch try AtomicFile.destination(of: path) {
        case .newFile: break
        case .regularFile:
            if !overwrite { throw ArnnError.file(path, "exists; pass --force to overwrite it, or choose another --out") }
        case .stream(let kind):
            let how = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil ? "is" : "links to"
            throw ArnnError.file(path, "\(how) a \(kind.rawValue), not a regular file; train writes its checkpoint only to a file (--force does not change that)")
        }
        try AtomicFile.checkWritable(path)
    }
}

/// Compact JSON with sorted keys.
public func jsonString<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
}
