import Engine
import Foundation

extension CheckpointMetadataKey {
    /// A random identifier of the training run, kept across `--resume`: the snapshot folder records it too,
    /// so snapshots of one run are never shown as those of another.
    public static let run = "arnn.run"
    /// In a snapshot file: its index entry's `over` and `metrics`, as JSON (the same figures as `index.json`).
    public static let snapshotMetrics = "arnn.snapshot_metrics"
}

/// `index.json` of a snapshot folder: which run the snapshots belong to, and each snapshot in order of the
/// sequences seen, with the training metrics at that point (so a loss curve needs no evaluation).
public struct SnapshotIndex: Codable, Equatable, Sendable {
    public static let formatName = "arnn-snapshots"
    public static let currentVersion = 1

    public var format: String = SnapshotIndex.formatName
    public var version: Int = SnapshotIndex.currentVersion
    /// The run's `arnn.run`.
    public var run: String
    public var kind: String
    public var task: String
    /// The cadence the run was started (or last resumed) with: a snapshot every this many sequences.
    public var keepEvery: Int
    public var snapshots: [Entry] = []

    public struct Entry: Codable, Equatable, Sendable {
        /// Training sequences seen when the snapshot was kept (its `arnn.steps`).
        public var sequences: Int
        /// The file name inside the folder, `seq-<sequences, 10 digits>.safetensors`.
        public var file: String
        /// Sequences `metrics` average over: those trained on since the previous snapshot of the same
        /// session (0 for the snapshot a session starts with, whose `metrics` are empty).
        public var over: Int
        /// The objective's metrics by name (`meanBCEBits`, ...), each the mean per sequence over `over`.
        public var metrics: [String: Double]

        public init(sequences: Int, over: Int, metrics: [String: Double]) {
            self.sequences = sequences
            file = SnapshotFolder.fileName(sequences: sequences)
            self.over = over
            self.metrics = metrics.filter { $0.value.isFinite }
        }
    }

    public init(run: String, kind: String, task: String, keepEvery: Int) {
        self.run = run
        self.kind = kind
        self.task = task
        self.keepEvery = keepEvery
    }
}

/// The snapshots `arnn train --keep-every K` keeps of a run: a folder beside the checkpoint, named after it
/// (`run.safetensors` → `run.snapshots/`), with one weights-only safetensors file per snapshot (names
/// zero-padded, so they sort as the numbers do) and `index.json` listing them. Every file is written
/// atomically, the snapshot before the index that names it, so a crash leaves at worst a file the index
/// does not list. The format is described in docs/checkpoints.md.
public struct SnapshotFolder: Sendable {
    public static let indexName = "index.json"

    /// The folder's path.
    public let path: String
    public var index: SnapshotIndex

    public init(path: String, index: SnapshotIndex) {
        self.path = path
        self.index = index
    }

    /// The folder of the checkpoint at `checkpoint`: its path without `.safetensors`, plus `.snapshots`.
    public static func path(forCheckpoint checkpoint: String) -> String {
        let base = checkpoint.hasSuffix(".safetensors") ? String(checkpoint.dropLast(".safetensors".count)) : checkpoint
        return base + ".snapshots"
    }

    /// `seq-0000012000.safetensors`: ten digits, so names sort as numbers up to 9,999,999,999 sequences.
    public static func fileName(sequences: Int) -> String {
        let digits = String(sequences)
        return "seq-" + String(repeating: "0", count: Swift.max(0, 10 - digits.count)) + digits + ".safetensors"
    }

    /// True when something (a folder or a file) is at `path`.
    public static func exists(at path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public var indexPath: String { (path as NSString).appendingPathComponent(Self.indexName) }

    public func filePath(_ entry: SnapshotIndex.Entry) -> String { (path as NSString).appendingPathComponent(entry.file) }

    /// Reads and checks the index of the folder at `path`: a known format and version, entries in strictly
    /// increasing order with the names the format gives them, and every listed file present.
    /// - Throws: `ArnnError` naming the folder, the index or the missing file.
    public static func read(at path: String) throws -> SnapshotFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ArnnError.file(path, "is not a snapshot folder (not a directory)")
        }
        let indexPath = (path as NSString).appendingPathComponent(indexName)
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw ArnnError.file(indexPath, "missing or unreadable (every snapshot folder has one)")
        }
        let index: SnapshotIndex
        do {
            index = try JSONDecoder().decode(SnapshotIndex.self, from: data)
        } catch {
            throw ArnnError.file(indexPath, "not a valid snapshot index (\(describeSnapshotDecoding(error)))")
        }
        guard index.format == SnapshotIndex.formatName else {
            throw ArnnError.file(indexPath, "format is \"\(index.format)\", expected \"\(SnapshotIndex.formatName)\"")
        }
        guard index.version == SnapshotIndex.currentVersion else {
            throw ArnnError.file(indexPath, "version \(index.version) is not one this arnn reads (\(SnapshotIndex.currentVersion))")
        }
        var previous = -1
        for entry in index.snapshots {
            guard entry.sequences > previous, entry.sequences >= 0 else {
                throw ArnnError.file(indexPath, "snapshots are not in increasing order of sequences (\(entry.sequences) after \(previous))")
            }
            guard entry.file == fileName(sequences: entry.sequences) else {
                throw ArnnError.file(indexPath, "the snapshot after \(entry.sequences) sequences is called \"\(entry.file)\", expected \"\(fileName(sequences: entry.sequences))\"")
            }
            previous = entry.sequences
        }
        let folder = SnapshotFolder(path: path, index: index)
        for entry in index.snapshots where !FileManager.default.fileExists(atPath: folder.filePath(entry)) {
            throw ArnnError.file(folder.filePath(entry), "missing (listed in \(indexName))")
        }
        return folder
    }

    /// Creates the folder (if needed) with an empty index for a run.
    public static func create(at path: String, index: SnapshotIndex) throws -> SnapshotFolder {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            var isDirectory: ObjCBool = false
            if !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw ArnnError.file(path, "cannot create the snapshot folder (\(error.localizedDescription))")
            }
        }
        let folder = SnapshotFolder(path: path, index: index)
        try folder.writeIndex()
        return folder
    }

    /// Removes the files a snapshot folder holds (the index, the snapshots and any temporary files of an
    /// interrupted write) and then the folder if it is empty; other files are left alone. Only regular
    /// files are removed: an entry with one of those names that is anything else (a directory, a link, a
    /// FIFO) is refused before anything is removed, and the folder goes only if it is a real directory
    /// left empty (never a link to one).
    public static func clear(at path: String) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: path) else {
            if fm.fileExists(atPath: path) { throw ArnnError.file(path, "exists but is not a snapshot folder") }
            return
        }
        let own = names.filter(isOwnFile).sorted().map { (path as NSString).appendingPathComponent($0) }
        for file in own where !isRegularFile(file) {
            throw ArnnError.file(file, "is not a regular file; arnn removes only the files it wrote, so remove it yourself")
        }
        for file in own {
            do { try fm.removeItem(atPath: file) } catch {
                throw ArnnError.file(file, "cannot be removed (\(error.localizedDescription))")
            }
        }
        if kind(at: path) == .typeDirectory, (try? fm.contentsOfDirectory(atPath: path))?.isEmpty == true {
            try? fm.removeItem(atPath: path)
        }
    }

    /// The type of what is at `path` itself, not of what a link there points to.
    private static func kind(at path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    /// True when `path` itself (not what a link at it points to) is a regular file.
    static func isRegularFile(_ path: String) -> Bool { kind(at: path) == .typeRegular }

    /// Files the format writes: the index, snapshots, and AtomicFile's temporary files of either.
    static func isOwnFile(_ name: String) -> Bool {
        let bare = name.hasPrefix(".") ? String(name.dropFirst()) : name
        let isSnapshot = bare.hasPrefix("seq-") && (bare.hasSuffix(".safetensors") || bare.contains(".safetensors.tmp-"))
        let isIndex = bare == indexName || bare.hasPrefix(indexName + ".tmp-")
        return isSnapshot || isIndex
    }

    /// Writes `index.json` atomically (pretty-printed, keys sorted, so it reads well and diffs well).
    public func writeIndex() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(index) + Data("\n".utf8), to: indexPath)
    }

    /// Writes `checkpoint` as the snapshot `entry` (atomically), then the index that lists it. An entry for
    /// the same sequence count replaces the old one.
    public mutating func add(_ entry: SnapshotIndex.Entry, checkpoint: Checkpoint) throws {
        try checkpoint.write(to: filePath(entry))
        index.snapshots.removeAll { $0.sequences >= entry.sequences }
        index.snapshots.append(entry)
        try writeIndex()
    }

    /// Drops the snapshots after `sequences` (index first, then their files); returns how many.
    @discardableResult
    public mutating func drop(after sequences: Int) throws -> Int {
        let dropped = index.snapshots.filter { $0.sequences > sequences }
        guard !dropped.isEmpty else { return 0 }
        index.snapshots.removeAll { $0.sequences > sequences }
        try writeIndex()
        for entry in dropped where Self.isRegularFile(filePath(entry)) { try? FileManager.default.removeItem(atPath: filePath(entry)) }
        return dropped.count
    }

    /// The position of the snapshot nearest to `sequences` (the earlier of two equally near); nil when
    /// there are none.
    public func nearest(to sequences: Int) -> Int? {
        Self.nearest(to: sequences, in: index.snapshots.map(\.sequences))
    }

    /// The position in `counts` (increasing) nearest to `target`, the earlier of two equally near.
    public static func nearest(to target: Int, in counts: [Int]) -> Int? {
        guard !counts.isEmpty else { return nil }
        var best = 0
        for (i, c) in counts.enumerated() where abs(c - target) < abs(counts[best] - target) { best = i }
        return best
    }
}

/// A decoding error of the index in one phrase.
private func describeSnapshotDecoding(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let c):
        return "missing field \"\((c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))\""
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        return "wrong type at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\""
    case DecodingError.dataCorrupted: return "not JSON"
    default: return "\(error)"
    }
}
