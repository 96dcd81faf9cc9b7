#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How arnn writes every file it writes (checkpoints, snapshots and their index, traces, recordings):
/// whole, or not at all, and never by replacing something that is not a regular file.
///
/// What happens depends on what `path` is, after following symbolic links (`destination(of:)`):
/// - nothing, or a regular file: the bytes go to a temporary file in the same directory (so the final
///   `rename` stays on one file system and is atomic), which is flushed to disk with `fsync`, renamed over
///   the target, and then the directory itself is flushed so the rename survives a crash. A reader sees the
///   old file or the new one, never a mixture; if anything fails before the rename, the temporary file is
///   removed and the old file is untouched. A new file gets mode 0666 minus the umask; a replaced file
///   keeps its mode.
/// - a symbolic link whose final target is a regular file: that file is replaced as above, in its own
///   directory, and the link stays a link.
/// - a character device (`/dev/null`, `/dev/full`, a terminal) or a FIFO: the bytes are written straight
///   to it (no temporary file, no rename, nothing truncated or created). A FIFO must already have a reader:
///   it is opened without blocking and refused when nobody reads it, rather than hanging. A write error
///   (`/dev/full`: "No space left on device") is thrown like any other.
/// - a directory, a block device, a socket, a dangling or looping symbolic link: refused with an
///   `ArnnError` naming the path, and nothing is changed.
public enum AtomicFile {
    /// Where a write to a path goes, after following symbolic links.
    public enum Destination: Equatable, Sendable {
        /// Nothing is there yet: a new regular file at this path (mode 0666 minus the umask).
        case newFile(path: String)
        /// A regular file, replaced atomically. `path` is the file itself: the given path, or the final
        /// target of the symbolic links at it. `mode` is its permission bits, which the new file keeps.
        case regularFile(path: String, mode: UInt32)
        /// A character device or a FIFO, written through as it is.
        case stream(StreamKind)
    }

    /// What a non-regular file that arnn writes through is.
    public enum StreamKind: String, Sendable {
        case characterDevice = "character device"
        case fifo = "FIFO"
    }

    /// What writing to `path` would do, without changing anything.
    ///
    /// - Throws: `ArnnError` naming `path` when it is empty, a directory, a block device, a socket, a
    ///   symbolic link to nothing or in a loop, or cannot be looked at (a parent that is not a directory,
    ///   no permission).
    public static func destination(of path: String) throws -> Destination {
        guard !path.isEmpty else { throw ArnnError("an empty path cannot be written") }
        var link = stat()
        guard lstat(path, &link) == 0 else {
            if errno == ENOENT { return .newFile(path: path) }
            throw ArnnError.file(path, "cannot be written (\(systemReason()))")
        }
        var target = link
        let isLink = link.st_mode & S_IFMT == S_IFLNK
        if isLink {
            guard stat(path, &target) == 0 else {
                if errno == ENOENT {
                    throw ArnnError.file(path, "is a symbolic link to \(linkText(path)), which does not exist; "
                                         + "arnn writes through a link only to an existing file")
                }
                throw ArnnError.file(path, "is a symbolic link that cannot be followed (\(systemReason()))")
            }
        }
        let through = isLink ? "is a symbolic link to " : "is "
        switch target.st_mode & S_IFMT {
        case S_IFREG:
            guard isLink else { return .regularFile(path: path, mode: UInt32(target.st_mode & 0o7777)) }
            guard let resolved = realpath(path, nil) else {
                throw ArnnError.file(path, "is a symbolic link that cannot be resolved (\(systemReason()))")
            }
            defer { free(resolved) }
            return .regularFile(path: String(cString: resolved), mode: UInt32(target.st_mode & 0o7777))
        case S_IFCHR: return .stream(.characterDevice)
        case S_IFIFO: return .stream(.fifo)
        case S_IFDIR: throw ArnnError.file(path, through + "a directory, not a file")
        case S_IFBLK: throw ArnnError.file(path, through + "a block device; arnn writes only regular files, character devices and FIFOs")
        case S_IFSOCK: throw ArnnError.file(path, through + "a socket; arnn writes only regular files, character devices and FIFOs")
        default: throw ArnnError.file(path, through + "neither a regular file, a character device nor a FIFO")
        }
    }

    /// Writes `data` to `path`: replaces (or creates) a regular file atomically, or writes through to a
    /// character device or FIFO, as the type's documentation says.
    ///
    /// - Throws: `ArnnError` naming `path` and the reason when `path` is refused (a directory, ...), the
    ///   directory is missing or not writable, a FIFO has no reader, the disk or device is full, or the
    ///   rename fails. A regular file is then unchanged and no temporary file is left behind.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { output in try output.write(data) }
    }

    /// Writes whatever `body` writes to its `Output` to `path`, as `write(_:to:)` does.
    ///
    /// Streaming through `body` avoids building a large file in memory first. If `body` throws, its error
    /// is rethrown unchanged; a regular file is then untouched and its temporary file removed (a device or
    /// FIFO has received what was written before). The `Output` is valid only inside `body`.
    public static func write(to path: String, _ body: (inout Output) throws -> Void) throws {
        switch try destination(of: path) {
        case .newFile(let file): try replace(file, keeping: nil, shownAs: path, body)
        case .regularFile(let file, let mode): try replace(file, keeping: mode_t(mode), shownAs: path, body)
        case .stream(let kind): try writeThrough(path, kind, body)
        }
    }

    /// The atomic replacement of the regular file (or nothing) at `file`; errors name `shown`, the path
    /// the caller gave.
    private static func replace(_ file: String, keeping keptMode: mode_t?, shownAs shown: String,
                                _ body: (inout Output) throws -> Void) throws {
        let (directory, base) = split(file)
        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            temporary = (directory == "" ? "" : directory + "/") + ".\(base).tmp-\(getpid())-\(suffix)"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, keptMode ?? mode_t(newFileMode))
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw ArnnError.file(shown, "cannot create a temporary file in \(directory == "" ? "." : directory) (\(systemReason()))")
        }

        var output = Output(fd: fd, path: shown)
        do {
            try body(&output)
            // open() applied the umask to the kept mode; the replaced file's own bits are wanted.
            if let keptMode, fchmod(fd, keptMode) != 0 {
                throw ArnnError.file(shown, "cannot set permissions of the new file (\(systemReason()))")
            }
            guard fsync(fd) == 0 else { throw ArnnError.file(shown, "cannot flush to disk (\(systemReason()))") }
            let closed = close(fd)
            fd = -1
            guard closed == 0 else { throw ArnnError.file(shown, "cannot close the new file (\(systemReason()))") }
            guard rename(temporary, file) == 0 else {
                throw ArnnError.file(shown, "cannot replace the file (\(systemReason()))")
            }
        } catch {
            if fd >= 0 { close(fd) }
            unlink(temporary)
            throw error
        }
        syncDirectory(directory == "" ? "." : directory)
    }

    /// Writes straight to the character device or FIFO at `path`: no O_CREAT (it exists), no O_TRUNC (a
    /// device has nothing to truncate, and a FIFO must not be confused with a file). The open does not
    /// block, so a FIFO nobody reads is an error (ENXIO) instead of a hang; blocking is switched back on
    /// for the writes, which then wait for a slow reader as any writer to a pipe does.
    private static func writeThrough(_ path: String, _ kind: StreamKind, _ body: (inout Output) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            if kind == .fifo && errno == ENXIO {
                throw ArnnError.file(path, "is a FIFO with no reader; start the reader first, or write to a file")
            }
            throw ArnnError.file(path, "cannot open the \(kind.rawValue) (\(systemReason()))")
        }
        var output = Output(fd: fd, path: path)
        do {
            // Between the check and the open the path could have been replaced: writing into a regular
            // file without truncating it would leave a mixture, so anything but a stream is refused.
            var opened = stat()
            guard fstat(fd, &opened) == 0, [S_IFCHR, S_IFIFO].contains(opened.st_mode & S_IFMT) else {
                throw ArnnError.file(path, "changed while it was opened; nothing was written")
            }
            let flags = fcntl(fd, F_GETFL)
            guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
                throw ArnnError.file(path, "cannot set up the \(kind.rawValue) for writing (\(systemReason()))")
            }
            try body(&output)
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw ArnnError.file(path, "cannot close (\(systemReason()))") }
    }

    /// Checks, without changing anything, that `write` could write to `path`, and says what it would
    /// write to: for a new or regular file, that a temporary file can be created in its directory (which
    /// is how `write` starts); a device or FIFO is not opened (opening and closing a FIFO would end its
    /// reader's input). Programs that work a long time before their first write (training) call this first.
    /// - Throws: `ArnnError` naming `path` and the reason, as `write` would.
    @discardableResult
    public static func checkWritable(_ path: String) throws -> Destination {
        let destination = try destination(of: path)
        let file: String
        switch destination {
        case .newFile(let p), .regularFile(let p, _): file = p
        case .stream: return destination
        }
        let (directory, base) = split(file)
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
        return destination
    }

    /// The mode every new file arnn writes is created with, before the umask: 0666, as `touch` and a
    /// shell's `>` do, so a checkpoint, a trace and a recording all get the same (0644 under the usual
    /// umask 022).
    public static let newFileMode: UInt32 = 0o666

    /// The open file (the temporary file, or the device or FIFO) that `write(to:_:)` hands to its body.
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

    /// What the symbolic link at `path` points to, as written in the link.
    private static func linkText(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "a path that cannot be read"
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
