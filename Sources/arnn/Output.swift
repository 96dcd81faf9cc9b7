import Foundation

/// Writes `arnn: message` as one line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("arnn: " + message.replacingNewlines() + "\n").utf8))
}

/// Ends the process with `code`, flushing stdout first.
func terminate(code: Int32) -> Never {
    fflush(nil)
    Foundation.exit(code)
}

/// True when `path` is the file or device this process's standard output goes to (`/dev/stdout`, or the
/// terminal or pipe it is), so a command that writes its result there keeps its messages off it.
func isStandardOutput(_ path: String) -> Bool {
    var output = stat(), target = stat()
    return fstat(STDOUT_FILENO, &output) == 0 && stat(path, &target) == 0
        && output.st_dev == target.st_dev && output.st_ino == target.st_ino
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}

/// With ARNN_REPORT_PEAK_MEMORY=1, prints this process's peak resident memory (VmHWM) to stderr as
/// `arnn: peak memory <kB> kB`. `arnn bench viewer` uses it: a parent cannot measure a child's peak itself,
/// because on Linux a child spawned with vfork semantics inherits the parent's high-water mark at exec.
func reportPeakMemoryIfAsked() {
    guard ProcessInfo.processInfo.environment["ARNN_REPORT_PEAK_MEMORY"] == "1",
          let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return }
    let kB = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    FileHandle.standardError.write(Data("arnn: peak memory \(kB) kB\n".utf8))
}
