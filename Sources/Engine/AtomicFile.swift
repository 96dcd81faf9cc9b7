#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whole-file writes that either happen completely or not at all.
///
/// The bytes go to a temporary file in the target's directory (so the final `rename` stays on one file
/// system and is atomic), which is flushed to disk with `fsync`, renamed over the target, and then the
/// directory itself is flushed so the rename survives a crash. A reader therefore sees the old file or the
/// new one, never a mixture; if anything fails before the rename, the temporary file is removed and the
/// old file is untouched. Checkpoints, traces and demo files all go through here.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`, atomically.
    ///
    /// - Throws: `ArnnError` naming `path` and the system's reason when the directory is missing or not
    ///   writable, the disk is full, or the rename fails (for example when `path` is a directory). The old
    ///   file, if any, is then unchanged and no temporary file is left behind.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { output in try output.write(data) }
    }

    /// Replaces (or creates) the file at `path` with whatever `body` writes to its `Output`, atomically.
    ///
    /// Streaming through `body` avoids building a large file in memory first. If `body` throws, its error
    /// is rethrown unchanged after the temporary file is removed, and the old file is untouched. The
    /// `Output` is valid only inside `body`.
    public static func write(to path: String, _ body: (inout Output) throws -> Void) throws {
        let (directory, base) = split(path)
        // Keep the permissions of the file being replaced; a new file gets 0666 minus the umask.
        var existing = stat()
        let keptMode: mode_t? = stat(path, &existing) == 0 ? (existing.st_mode & 0o7777) : nil

        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = (directory == "" ? "" : directory + "/") + ".\(base).tmp-\(getpid())-\(suffix)"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, keptMode ?? 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw ArnnError.file(path, "cannot create a temporary file in \(directory == "" ? "." : directory) (\(systemReason()))")
        }

        var output = Output(fd: fd, path: path)
        do {
            try body(&output)
            if let keptMode, fchmod(fd, keptMode) != 0 {
                throw ArnnError.file(path, "cannot set permissions of the new file (\(systemReason()))")
            }
            guard fsync(fd) == 0 else { throw ArnnError.file(path, "cannot flush to disk (\(systemReason()))") }
            let closed = close(fd)
            fd = -1
            guard closed == 0 else { throw ArnnError.file(path, "cannot close the new file (\(systemReason()))") }
            guard rename(temporary, path) == 0 else {
                throw ArnnError.file(path, "cannot replace the file (\(systemReason()))")
            }
        } catch {
            if fd >= 0 { close(fd) }
            unlink(temporary)
            throw error
        }
        syncDirectory(directory == "" ? "." : directory)
    }

    /// Checks, without changing anything, that `write` could put a file at `path`: the path is not a
    /// directory, and a temporary file can be created in its directory (which is how `write` starts).
    /// Programs that work a long time before their first write (training) call this first.
    /// - Throws: `ArnnError` naming `path` and the reason, as `write` would.
    public static func checkWritable(_ path: String) throws {
        guard !path.isEmpty else { throw ArnnError("an empty path cannot be written") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ArnnError.file(path, "is a directory, not a file")
        }
        let (directory, base) = split(path)
        let shown = directory == "" ? "." : directory
        var dirIsDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shown, isDirectory: &dirIsDirectory) else {
            throw ArnnError.file(path, "cannot be written: the directory \(shown) does not exist")
        }
        guard dirIsDirectory.boolValue else { throw ArnnError.file(path, "cannot be written: \(shown) is not a directory") }
        let probe = (directory == "" ? "" : directory + "/") + ".\(base).probe-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ArnnError.file(path, "cannot be written: cannot create a file in \(shown) (\(systemReason()))")
        }
        close(fd)
        unlink(probe)
    }

    /// The open temporary file that `write(to:_:)` hands to its body.
    public struct Output {
        fileprivate let fd: Int32
        fileprivate let path: String
        /// Bytes written so far.
        public private(set) var count = 0

        /// Appends `data` to the file.
        public mutating func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }

        /// Appends `bytes` to the file, retrying short writes and interrupted calls.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var base = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = posixWrite(fd, base, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ArnnError.file(path, "cannot write (\(systemReason()))")
                }
                remaining -= written
                base += written
                count += written
            }
        }
    }

    /// Flushes a directory entry change (the rename) to disk. Best effort: some file systems refuse
    /// `fsync` on directories, and by now the new file is already in place, so failure is not reported.
    private static func syncDirectory(_ directory: String) {
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        _ = fsync(dirFD)
        close(dirFD)
    }

    /// Directory part ("" for a bare file name) and last component of `path`.
    private static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let directory = String(path[..<slash])
        return (directory == "" ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// The system's text for the current `errno`, e.g. "No such file or directory".
func systemReason() -> String {
    String(cString: strerror(errno))
}
