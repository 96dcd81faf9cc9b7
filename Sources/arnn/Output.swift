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

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}
