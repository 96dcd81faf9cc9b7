import Engine
import Episodes
import Foundation

/// Keeps a run's snapshots (`arnn train --keep-every K`): one at the sequence count the session starts at
/// (when the folder has none there), one whenever training passes a multiple of K, and one where the
/// session ends, each a weights-only checkpoint in the run's `SnapshotFolder`. Between snapshots it sums
/// each metric over the sequences trained on, so every snapshot records the mean since the one before.
public final class SnapshotKeeper {
    public let every: Int
    public private(set) var folder: SnapshotFolder
    private var sums: [String: Double] = [:]
    private var sequencesSince = 0

    /// - Parameter folder: the run's folder, opened or created (and checked) by the caller.
    public init(folder: SnapshotFolder, every: Int) {
        precondition(every >= 1, "a snapshot cadence is at least one sequence")
        self.folder = folder
        self.every = every
    }

    /// Sequences of the last snapshot kept, nil when the folder has none.
    public var lastSequences: Int? { folder.index.snapshots.last?.sequences }

    /// Adds one batch's metric means (over `sequences` sequences) to the running sums.
    func record(_ result: BatchResult, sequences: Int) {
        for (name, value) in result.metrics.values where value.isFinite { sums[name, default: 0] += value * Double(sequences) }
        sequencesSince += sequences
    }

    /// True when a batch that moved the count from `before` to `after` passed a multiple of `every`.
    func isDue(before: Int, after: Int) -> Bool { after / every > before / every }

    /// Writes the snapshot of `learner`'s weights at `sequences`, with `metadata` (the run's: task, seed,
    /// command, run id...), and starts the sums afresh.
    func keep(_ checkpointOf: ([String: String]) -> Checkpoint, sequences: Int, metadata: [String: String]) throws {
        let means = sequencesSince > 0 ? sums.mapValues { $0 / Double(sequencesSince) } : [:]
        let entry = SnapshotIndex.Entry(sequences: sequences, over: sequencesSince, metrics: means)
        var meta = metadata
        meta[CheckpointMetadataKey.steps] = String(sequences)
        meta[CheckpointMetadataKey.snapshotMetrics] = jsonString(SnapshotMetrics(over: entry.over, metrics: entry.metrics))
        try folder.add(entry, checkpoint: checkpointOf(meta))
        sums = [:]
        sequencesSince = 0
    }
}

/// What `arnn.snapshot_metrics` holds.
struct SnapshotMetrics: Codable {
    var over: Int
    var metrics: [String: Double]
}
