import Engine
import Foundation
import Models

extension Learner {
    /// The weights `checkpoint` holds for this model, each checked: every parameter present with its shape,
    /// no tensor besides them (an optimiser's are allowed), and the same model kind.
    /// - Throws: `ArnnError` naming the file and the tensor.
    public func weights(in checkpoint: Checkpoint) throws -> [Tensor] {
        let source = checkpoint.source ?? "checkpoint"
        if let kind = checkpoint.metadata[CheckpointMetadataKey.kind], kind != self.kind {
            throw ArnnError.file(source, "holds a \"\(kind)\" model, expected \"\(self.kind)\"")
        }
        let tensors = try parameters.map { try checkpoint.tensor($0.name, shape: $0.shape.dims) }
        try checkpoint.checkNoTensors(besides: parameters.map(\.name)
            + checkpoint.names.filter { $0.hasPrefix(Checkpoint.optimizerPrefix) })
        return tensors
    }

    /// Replaces the model's weights with `checkpoint`'s, all or none: the next episode runs the model as it
    /// was then. (This is how the viewer moves through training time: the model stays, its weights change.)
    public func loadWeights(from checkpoint: Checkpoint) throws {
        for (p, t) in zip(parameters, try weights(in: checkpoint)) { p.tensor = t }
    }
}

/// The moments of one training run a viewer can move through: the snapshots `arnn train --keep-every`
/// kept, plus the checkpoint itself when no snapshot is of it. Read and checked up front, so a damaged or
/// missing file is reported before the viewer opens, not when a key reaches it.
public struct RunSnapshots: Sendable {
    public struct Moment: Sendable, Equatable {
        /// Training sequences seen.
        public var sequences: Int
        /// The file holding the weights.
        public var path: String
        /// The objective's loss at that point (mean per sequence since the previous snapshot); nil when
        /// the snapshot records none (the one a session starts with).
        public var loss: Double?
    }

    /// The folder, as it was read.
    public var folder: String
    /// In order of sequences.
    public var moments: [Moment]
    /// The run's id (`arnn.run`).
    public var run: String
    /// The checkpoint's position in `moments`.
    public var checkpointPosition: Int

    /// The snapshots of the checkpoint at `checkpointPath` (which `learner` was loaded from, with
    /// `metadata`), or nil when it has no snapshot folder. Every snapshot file is read and checked against
    /// the model (tensors, shapes, kind, and its `arnn.steps` against the index).
    /// - Throws: `ArnnError` naming the folder, the index or the file: a folder of another run, a damaged
    ///   index, a missing or damaged snapshot.
    public static func load(checkpointPath: String, metadata: [String: String], learner: any Learner) throws -> RunSnapshots? {
        let path = SnapshotFolder.path(forCheckpoint: checkpointPath)
        guard SnapshotFolder.exists(at: path) else { return nil }
        let folder = try SnapshotFolder.read(at: path)
        let run = metadata[CheckpointMetadataKey.run]
        guard folder.index.run == run else {
            throw ArnnError.file(path, "holds snapshots of another run (\(folder.index.run)) than \(checkpointPath) "
                                 + "(\(run ?? "no arnn.run")); move it away to view the checkpoint alone")
        }
        let lossName = learner.metrics[0].name
        var moments: [Moment] = []
        for entry in folder.index.snapshots {
            let file = folder.filePath(entry)
            let checkpoint = try Checkpoint.read(from: file)
            _ = try learner.weights(in: checkpoint)
            guard checkpoint.metadata[CheckpointMetadataKey.steps] == String(entry.sequences) else {
                throw ArnnError.file(file, "arnn.steps is \(checkpoint.metadata[CheckpointMetadataKey.steps] ?? "missing"), "
                                     + "but \(SnapshotFolder.indexName) lists it after \(entry.sequences) sequences")
            }
            moments.append(Moment(sequences: entry.sequences, path: file, loss: entry.metrics[lossName]))
        }
        let steps = metadata[CheckpointMetadataKey.steps].flatMap { Int($0) } ?? moments.last?.sequences ?? 0
        let position: Int
        if let i = moments.firstIndex(where: { $0.sequences == steps }) {
            position = i
        } else {
            // The checkpoint is not among the snapshots (say, trained further without them): it is a moment too.
            position = moments.firstIndex { $0.sequences > steps } ?? moments.count
            moments.insert(Moment(sequences: steps, path: checkpointPath, loss: nil), at: position)
        }
        return RunSnapshots(folder: path, moments: moments, run: folder.index.run, checkpointPosition: position)
    }

    /// The moment nearest to `sequences` (the earlier of two equally near): past the run's last moment,
    /// the last (`arnn view` then says which moment it opened).
    public func position(nearest sequences: Int) -> Int {
        SnapshotFolder.nearest(to: sequences, in: moments.map(\.sequences))!
    }
}
