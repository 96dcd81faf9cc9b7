import Engine
import Foundation

/// Reads a bit matrix from a text file, for `arnn trace --input FILE` and the viewer's edited inputs.
///
/// Format: one row per line, each a run of `0` and `1` characters (spaces and tabs between them are
/// ignored, so `0110 1001` is one 8-bit row). Blank lines and lines starting with `#` are skipped. Every
/// row must have the same number of bits. CRLF line ends are accepted.
///
/// Errors are one line and name the file, the line and what was expected, e.g.
/// `input.txt:3: expected 8 bits, found 7`.
public enum BitMatrixFile {
    /// The rows of the file at `path`; `width` (if given) is the number of bits every row must have.
    public static func load(path: String, width: Int?) throws -> [[Bool]] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArnnError.file(path, "no such file")
        }
        if isDirectory.boolValue { throw ArnnError.file(path, "is a directory, expected a text file of bits") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArnnError.file(path, "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ArnnError.file(path, "is not UTF-8 text; expected lines of '0' and '1'")
        }
        return try parse(text, path: path, width: width)
    }

    /// The rows of `text`; `path` only labels errors.
    public static func parse(_ text: String, path: String, width: Int?) throws -> [[Bool]] {
        var rows: [[Bool]] = []
        var expected = width
        // Keep empty lines so line numbers match what an editor shows. "\r\n" is one Character in Swift,
        // so it is a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var row: [Bool] = []
            for (column, ch) in line.enumerated() {
                switch ch {
                case "0": row.append(false)
                case "1": row.append(true)
                case " ", "\t": continue
                default:
                    throw ArnnError("\(path):\(lineNumber): expected only '0' and '1', found '\(ch)' at column \(column + 1)")
                }
            }
            if let expected, row.count != expected {
                let origin = width == nil ? " (as on the first row)" : ""
                throw ArnnError("\(path):\(lineNumber): expected \(expected) bits\(origin), found \(row.count)")
            }
            expected = row.count
            rows.append(row)
        }
        if rows.isEmpty {
            let bits = width.map { "\($0) " } ?? ""
            throw ArnnError.file(path, "no rows of bits; expected at least one line of \(bits)'0'/'1' characters")
        }
        return rows
    }
}
