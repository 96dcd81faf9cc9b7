#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import Testing
import Engine

/// A fresh empty directory for one test.
private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("arnn-atomic-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func listing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

/// The file type bits of `path` itself (a link is a link).
private func type(_ path: String) -> mode_t? {
    var status = stat()
    return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
}

private func mode(_ path: String) -> mode_t? {
    var status = stat()
    return stat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
}

private func contents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

private func makeFIFO(_ path: String) throws {
    guard mkfifo(path, 0o600) == 0 else { throw ArnnError("mkfifo \(path): \(String(cString: strerror(errno)))") }
}

/// This process's umask, read without changing it (setting it to read it would race with other tests).
private func currentUmask() throws -> mode_t {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
    return try #require(mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
}

/// What a reader of a FIFO received, filled in by the reader's thread.
private final class Received: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// Issue 24 (1): AtomicFile replaces regular files atomically, writes through to character devices and
/// FIFOs, and never removes or replaces anything else.
@Suite struct AtomicFileTests {
    @Test func aNewFileGets0666MinusTheUmaskAndAReplacedOneKeepsItsMode() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/trace.json"
        #expect(try AtomicFile.destination(of: path) == .newFile(path: path))
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(mode(path) == AtomicFile.newFileMode & ~(try currentUmask()))
        #expect(chmod(path, 0o640) == 0)
        #expect(try AtomicFile.destination(of: path) == .regularFile(path: path, mode: 0o640))
        try AtomicFile.write(Data("again".utf8), to: path)
        #expect(mode(path) == 0o640)
        #expect(try contents(path) == "again")
        #expect(try listing(dir) == ["trace.json"])
    }

    @Test func aFIFOWithNoReaderIsRefusedAtOnceAndStaysAFIFO() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        try makeFIFO(fifo)
        #expect(try AtomicFile.destination(of: fifo) == .stream(.fifo))
        // Opening a FIFO for writing blocks until a reader comes; this must fail instead of hanging.
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: fifo) }
        #expect(error?.message == "\(fifo): is a FIFO with no reader; start the reader first, or write to a file")
        #expect(type(fifo) == S_IFIFO)
        #expect(try listing(dir) == ["pipe"])
    }

    @Test func aFIFOWithAReaderGetsEveryByteAndStaysAFIFO() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        try makeFIFO(fifo)
        // The reader opens first (a non-blocking open for reading succeeds with no writer). A read before
        // any writer came would return 0 (end of file), so each read waits in poll(), which on Linux
        // reports nothing until a writer has written or come and gone. 1 MiB is far more than a pipe
        // holds, so the writes must wait for the reader: they would fail with EAGAIN if the write end had
        // stayed non-blocking.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(reader >= 0)
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                var ready = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, -1) < 0 { if errno == EINTR { continue } else { break } }
                let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if n <= 0 { break }
                received.bytes += buffer[..<n]
            }
            close(reader)
            done.signal()
        }
        let sent = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try AtomicFile.write(sent, to: fifo)
        done.wait()
        #expect(Data(received.bytes) == sent)
        #expect(type(fifo) == S_IFIFO)
        #expect(try listing(dir) == ["pipe"])
    }

    @Test func devNullIsWrittenThroughAndStaysACharacterDevice() throws {
        #expect(try AtomicFile.destination(of: "/dev/null") == .stream(.characterDevice))
        try AtomicFile.write(Data("discarded".utf8), to: "/dev/null")
        #expect(type("/dev/null") == S_IFCHR)
        #expect(try AtomicFile.checkWritable("/dev/null") == .stream(.characterDevice))
    }

    @Test func devFullFailsWithTheDevicesErrorAndStaysACharacterDevice() throws {
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: "/dev/full") }
        #expect(error?.message == "/dev/full: cannot write (No space left on device)")
        #expect(type("/dev/full") == S_IFCHR)
    }

    @Test func aLinkToARegularFileReplacesTheTargetInItsOwnDirectoryAndKeepsTheLink() throws {
        let dir = try temporaryDirectory(), elsewhere = try temporaryDirectory()
        defer { for d in [dir, elsewhere] { try? FileManager.default.removeItem(atPath: d) } }
        let target = elsewhere + "/real.json", link = dir + "/link.json"
        try AtomicFile.write(Data("old".utf8), to: target)
        #expect(chmod(target, 0o604) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try AtomicFile.destination(of: link) == .regularFile(path: target, mode: 0o604))
        try AtomicFile.write(Data("new".utf8), to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try contents(target) == "new")
        #expect(mode(target) == 0o604)
        #expect(try listing(dir) == ["link.json"])
        #expect(try listing(elsewhere) == ["real.json"])
    }

    @Test func aRelativeChainOfLinksReachesTheFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Data("old".utf8), to: dir + "/real")
        try FileManager.default.createSymbolicLink(atPath: dir + "/b", withDestinationPath: "real")
        try FileManager.default.createSymbolicLink(atPath: dir + "/a", withDestinationPath: "b")
        try AtomicFile.write(Data("new".utf8), to: dir + "/a")
        #expect(try contents(dir + "/real") == "new")
        #expect(type(dir + "/a") == S_IFLNK && type(dir + "/b") == S_IFLNK)
        #expect(try listing(dir) == ["a", "b", "real"])
    }

    @Test func aLinkToACharacterDeviceIsWrittenThrough() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = dir + "/out"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        #expect(try AtomicFile.destination(of: link) == .stream(.characterDevice))
        try AtomicFile.write(Data("x".utf8), to: link)
        #expect(type(link) == S_IFLNK)
        #expect(type("/dev/null") == S_IFCHR)
        #expect(try listing(dir) == ["out"])
    }

    @Test func aDanglingLinkIsRefusedAndNothingIsCreated() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = dir + "/out.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "missing.json")
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: link) }
        #expect(error?.message == "\(link): is a symbolic link to missing.json, which does not exist; arnn writes through a link only to an existing file")
        #expect(#expect(throws: ArnnError.self) { try AtomicFile.checkWritable(link) } == error)
        #expect(type(link) == S_IFLNK)
        #expect(try listing(dir) == ["out.json"])
    }

    @Test func aLoopOfLinksIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/a", withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: dir + "/b", withDestinationPath: "a")
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: dir + "/a") }
        #expect(error?.message == "\(dir)/a: is a symbolic link that cannot be followed (Too many levels of symbolic links)")
        #expect(try listing(dir) == ["a", "b"])
    }

    @Test func aDirectoryOrALinkToOneIsRefusedAndKeepsItsContents() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folder = dir + "/run.json"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try AtomicFile.write(Data("inside".utf8), to: folder + "/kept")
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: folder) }
        #expect(error?.message == "\(folder): is a directory, not a file")
        #expect(#expect(throws: ArnnError.self) { try AtomicFile.checkWritable(folder) } == error)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: "run.json")
        let viaLink = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: dir + "/link") }
        #expect(viaLink?.message == "\(dir)/link: is a symbolic link to a directory, not a file")
        #expect(type(folder) == S_IFDIR && type(dir + "/link") == S_IFLNK)
        #expect(try listing(dir) == ["link", "run.json"])
        #expect(try listing(folder) == ["kept"])
    }

    @Test func aPathThroughAFileIsRefusedNamingTheReason() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Data("x".utf8), to: dir + "/file")
        let error = #expect(throws: ArnnError.self) { try AtomicFile.write(Data("x".utf8), to: dir + "/file/out") }
        #expect(error?.message == "\(dir)/file/out: cannot be written (Not a directory)")
        #expect(throws: ArnnError("an empty path cannot be written")) { try AtomicFile.write(Data(), to: "") }
    }
}
