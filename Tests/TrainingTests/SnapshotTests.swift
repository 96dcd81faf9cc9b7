import Engine
import Episodes
import Foundation
import Models
import Tasks
import Testing
import Training

/// A fresh directory for one test's run, removed afterwards by the caller.
func tempDirectory(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("arnn-\(name)-\(UInt32.random(in: 0...UInt32.max))").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A short run of the small copy NTM to `<dir>/run.safetensors` keeping a snapshot every `every` sequences.
func trainWithSnapshots(in dir: String, sequences: Int, every: Int, batchSize: Int = 1, run: String = "test-run")
    throws -> (TrainingRun, NTM) {
    var (ntm, task, options) = smallCopySetup(seed: 3, batchSize: batchSize, sequences: sequences)
    options.keepEvery = every
    let learner = try RecurrentLearner(model: ntm, task: task)
    let out = (dir as NSString).appendingPathComponent("run.safetensors")
    let trainingRun = TrainingRun(trainer: Trainer(learner: learner, options: options), outputPath: out, metadata: [
        CheckpointMetadataKey.task: task.name, CheckpointMetadataKey.taskConfig: jsonString(task),
        CheckpointMetadataKey.run: run,
    ])
    let folder = try SnapshotFolder.create(at: SnapshotFolder.path(forCheckpoint: out),
                                           index: SnapshotIndex(run: run, kind: "ntm", task: task.name, keepEvery: every))
    trainingRun.snapshots = SnapshotKeeper(folder: folder, every: every)
    return (trainingRun, ntm)
}

@Suite struct SnapshotTests {
    @Test func theFolderIsNamedAfterTheCheckpointAndNamesSortAsNumbers() {
        #expect(SnapshotFolder.path(forCheckpoint: "runs/copy.safetensors") == "runs/copy.snapshots")
        #expect(SnapshotFolder.path(forCheckpoint: "copy.st") == "copy.st.snapshots")
        #expect(SnapshotFolder.fileName(sequences: 12000) == "seq-0000012000.safetensors")
        let counts = [0, 5, 40, 1000, 60000, 123_456_789]
        #expect(counts.map(SnapshotFolder.fileName).sorted() == counts.map(SnapshotFolder.fileName))
    }

    @Test func keepsOneAtTheStartOneEveryKAndOneAtTheEnd() throws {
        let dir = tempDirectory("cadence")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, ntm) = try trainWithSnapshots(in: dir, sequences: 25, every: 10)
        let initial = ntm.parameters.map(\.tensor)  // a value: training replaces it, this copy stays
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        let folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        #expect(folder.index.snapshots.map(\.sequences) == [0, 10, 20, 25])
        #expect(folder.index.snapshots.map(\.over) == [0, 10, 10, 5])
        #expect(folder.index.snapshots[0].metrics.isEmpty)
        for entry in folder.index.snapshots.dropFirst() {
            let loss = try #require(entry.metrics[BitObjective.bceBits])
            #expect(loss.isFinite && loss > 0)
        }
        // Weights only, with the run's metadata; the first is the untrained model, the last the checkpoint's.
        let first = try Checkpoint.read(from: folder.filePath(folder.index.snapshots[0]))
        let last = try Checkpoint.read(from: folder.filePath(folder.index.snapshots[3]))
        #expect(!first.names.contains { $0.hasPrefix(Checkpoint.optimizerPrefix) })
        #expect(first.metadata[CheckpointMetadataKey.steps] == "0")
        #expect(last.metadata[CheckpointMetadataKey.steps] == "25")
        #expect(last.metadata[CheckpointMetadataKey.run] == "test-run")
        #expect(last.metadata[CheckpointMetadataKey.snapshotMetrics]?.contains("\"over\":5") == true)
        #expect(ntm.parameters.map { first[$0.name]! } == initial)
        #expect(ntm.parameters.map { last[$0.name]! } == ntm.parameters.map(\.tensor))
        #expect(ntm.parameters.map { first[$0.name]! } != ntm.parameters.map(\.tensor))
        let checkpoint = try Checkpoint.read(from: run.outputPath)
        #expect(ntm.parameters.allSatisfy { checkpoint[$0.name] == last[$0.name] })
    }

    @Test func batchesKeepOneAtTheFirstCountPastEachMultiple() throws {
        let dir = tempDirectory("batches")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 32, every: 10, batchSize: 4)
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        let folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        #expect(folder.index.snapshots.map(\.sequences) == [0, 12, 20, 32])
        #expect(folder.index.snapshots.map(\.over) == [0, 12, 8, 12])
    }

    @Test func aStoppedRunKeepsASnapshotWhereItStopped() throws {
        let dir = tempDirectory("stop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 100, every: 10)
        var batches = 0
        #expect(try run.run(shouldStop: { batches >= 13 }, progress: { _ in batches += 1 }) == .stopped)
        let folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        #expect(folder.index.snapshots.map(\.sequences) == [0, 10, 13])
    }

    @Test func droppingPastACountRemovesIndexEntriesAndFiles() throws {
        let dir = tempDirectory("drop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 30, every: 10)
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        var folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        let gone = folder.filePath(folder.index.snapshots[3])
        #expect(try folder.drop(after: 20) == 1)
        #expect(try SnapshotFolder.read(at: folder.path).index.snapshots.map(\.sequences) == [0, 10, 20])
        #expect(!FileManager.default.fileExists(atPath: gone))
    }

    /// Issue 24 (1): clearing a folder (`--force`) removes only regular files with the format's names;
    /// a directory or link under such a name stops it before anything is removed.
    @Test func clearingRemovesOnlyRegularFilesItWrote() throws {
        let dir = tempDirectory("clear")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folder = dir + "/run.snapshots"
        _ = try SnapshotFolder.create(at: folder, index: SnapshotIndex(run: "r", kind: "ntm", task: "copy", keepEvery: 10))
        let trap = folder + "/" + SnapshotFolder.fileName(sequences: 10)
        try FileManager.default.createDirectory(atPath: trap, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: trap + "/inside"))
        #expect(throws: ArnnError("\(trap): is not a regular file; arnn removes only the files it wrote, so remove it yourself")) {
            try SnapshotFolder.clear(at: folder)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["index.json", "seq-0000000010.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: trap) == ["inside"])
        // A link with an index's name goes neither, nor does what it points to.
        try FileManager.default.removeItem(atPath: trap)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/mine.json"))
        try FileManager.default.removeItem(atPath: folder + "/index.json")
        try FileManager.default.createSymbolicLink(atPath: folder + "/index.json", withDestinationPath: "../mine.json")
        #expect(throws: ArnnError.self) { try SnapshotFolder.clear(at: folder) }
        #expect(try String(contentsOfFile: dir + "/mine.json", encoding: .utf8) == "mine")
        // Regular files only: everything goes, the folder too.
        try FileManager.default.removeItem(atPath: folder + "/index.json")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/index.json"))
        try SnapshotFolder.clear(at: folder)
        #expect(!FileManager.default.fileExists(atPath: folder))
        // A folder that is a link to a directory: its own files go, the link and the directory stay.
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: false)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/real/index.json"))
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: "real")
        try SnapshotFolder.clear(at: folder)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder) == "real")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/real").isEmpty)
    }

    @Test func nearestSnapshotPrefersTheEarlierOfTwoEquallyNear() throws {
        let counts = [0, 1000, 2000, 5000]
        #expect(SnapshotFolder.nearest(to: 0, in: counts) == 0)
        #expect(SnapshotFolder.nearest(to: 1400, in: counts) == 1)
        #expect(SnapshotFolder.nearest(to: 1500, in: counts) == 1)
        #expect(SnapshotFolder.nearest(to: 1501, in: counts) == 2)
        #expect(SnapshotFolder.nearest(to: 4000, in: counts) == 3)
        #expect(SnapshotFolder.nearest(to: 3, in: []) == nil)
    }

    @Test func runSnapshotsFindTheNearestAndTheLastPastTheRun() throws {
        let dir = tempDirectory("nearest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 30, every: 10)
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        let loaded = try LoadedModel.loadCheckpoint(path: run.outputPath).withSnapshots()
        let snapshots = try #require(loaded.snapshots)
        #expect(snapshots.moments.map(\.sequences) == [0, 10, 20, 30])
        #expect(snapshots.checkpointPosition == 3)
        #expect(snapshots.moments[0].loss == nil && snapshots.moments[2].loss != nil)
        #expect(snapshots.position(nearest: 14) == 1)
        #expect(snapshots.position(nearest: 16) == 2)
        #expect(snapshots.position(nearest: 15) == 1, "the earlier of two equally near")
        // Past the run: its last moment, as the README says ("nearest"); arnn view notes which it opened.
        #expect(snapshots.position(nearest: 31) == 3 && snapshots.position(nearest: 1_000_000) == 3)
    }

    @Test func aMissingOrDamagedSnapshotOrIndexIsNamed() throws {
        let dir = tempDirectory("damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 20, every: 10)
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        let folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        let file = folder.filePath(folder.index.snapshots[1])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))

        try bytes.prefix(200).write(to: URL(fileURLWithPath: file))
        let damaged = #expect(throws: ArnnError.self) { try LoadedModel.loadCheckpoint(path: run.outputPath).withSnapshots() }
        #expect(damaged?.message.hasPrefix(file) == true, "\(damaged?.message ?? "")")

        try FileManager.default.removeItem(atPath: file)
        #expect(throws: ArnnError.file(file, "missing (listed in index.json)")) {
            try LoadedModel.loadCheckpoint(path: run.outputPath).withSnapshots()
        }

        try Data("{\"format\": 3".utf8).write(to: URL(fileURLWithPath: folder.indexPath))
        let index = #expect(throws: ArnnError.self) { try SnapshotFolder.read(at: folder.path) }
        #expect(index?.message.hasPrefix(folder.indexPath + ": not a valid snapshot index") == true)
    }

    @Test func snapshotsOfAnotherRunAreRefused() throws {
        let dir = tempDirectory("other-run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (run, _) = try trainWithSnapshots(in: dir, sequences: 10, every: 10)
        _ = try run.run(shouldStop: { false }, progress: { _ in })
        var folder = try SnapshotFolder.read(at: (dir as NSString).appendingPathComponent("run.snapshots"))
        folder.index.run = "someone-else"
        try folder.writeIndex()
        let error = #expect(throws: ArnnError.self) { try LoadedModel.loadCheckpoint(path: run.outputPath).withSnapshots() }
        #expect(error?.message.contains("holds snapshots of another run") == true)
    }
}

extension LoadedModel {
    /// A checkpoint written by these tests, loaded as the viewer loads it.
    static func loadCheckpoint(path: String) throws -> LoadedModel {
        let tasks = TaskCatalog([CopyTask.self])
        let entry = ModelEntry.recurrent(NTM.self, summary: "", defaultConfig: { NTMConfig(inputSize: $0, outputSize: $1) })
        return try load(path, catalog: ModelCatalog(models: [entry], tasks: tasks, defaultDemo: ""))
    }
}
