import Engine
import Foundation

/// A table of named columns of numbers, as a user gives one with `--table FILE`: what a task that answers
/// questions about tables (the Neural Programmer's) reads.
public struct Table: Sendable, Equatable {
    /// The column names, left to right.
    public var columns: [String]
    /// The rows, each one number per column.
    public var rows: [[Double]]

    public init(columns: [String], rows: [[Double]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row has one number per column")
        self.columns = columns
        self.rows = rows
    }
}

/// Reads a table from a CSV file (`--table FILE`).
///
/// Format: the first non-blank line is the header, the column names separated by commas; every following
/// non-blank line is a row with one number per column. Fields may be wrapped in double quotes (a quote
/// inside one is doubled); spaces around fields are ignored; blank lines and lines starting with `#` are
/// skipped; CRLF line ends are accepted.
///
/// Errors are one line and name the file, the line and what was wrong, e.g.
/// `table.csv:4: 2 fields, but the header names 3 columns (price, weight, age)`.
public enum TableFile {
    public static func load(path: String) throws -> Table {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArnnError.file(path, "no such file")
        }
        if isDirectory.boolValue { throw ArnnError.file(path, "is a directory, expected a CSV file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ArnnError.file(path, "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ArnnError.file(path, "is not UTF-8 text; expected a CSV table")
        }
        return try parse(text, path: path)
    }

    /// The table in `text`; `path` only labels errors.
    public static func parse(_ text: String, path: String) throws -> Table {
        var header: [String]?
        var rows: [[Double]] = []
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let here = "\(path):\(index + 1)"
            let fields = try split(line, at: here)
            guard let names = header else {
                if let empty = fields.firstIndex(where: \.isEmpty) {
                    throw ArnnError("\(here): column \(empty + 1) of the header has no name")
                }
                var seen = Set<String>()
                for name in fields where !seen.insert(name).inserted {
                    throw ArnnError("\(here): the header names column \"\(name)\" twice")
                }
                header = fields
                continue
            }
            guard fields.count == names.count else {
                throw ArnnError("\(here): \(fields.count) field\(fields.count == 1 ? "" : "s"), but the header names "
                                + "\(names.count) column\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", ")))")
            }
            rows.append(try zip(fields, names).map { field, name in
                guard let x = Double(field), x.isFinite else {
                    throw ArnnError("\(here): \"\(field)\" in column \(name) is not a number")
                }
                return x
            })
        }
        guard let header else { throw ArnnError.file(path, "no header row; expected column names, then rows of numbers") }
        guard !rows.isEmpty else { throw ArnnError.file(path, "has a header but no rows") }
        return Table(columns: header, rows: rows)
    }

    /// The fields of one line: comma-separated, optionally quoted, trimmed.
    static func split(_ line: String, at here: String) throws -> [String] {
        var fields: [String] = [], current = "", quoted = false, wasQuoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
                current = ""
            } else if c == "," {
                fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                wasQuoted = false
            } else if wasQuoted && c != " " && c != "\t" {
                throw ArnnError("\(here): text after a closing quote in field \(fields.count + 1)")
            } else if !wasQuoted {
                current.append(c)
            }
        }
        if quoted { throw ArnnError("\(here): a quote in field \(fields.count + 1) is not closed") }
        fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        return fields
    }
}

extension Table {
    /// A cell or a number as tables and questions write it: an integer without a fractional part (`40`,
    /// not `40.0`).
    public static func text(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// A sample that holds a table.
public protocol TableSample: Sendable {
    var table: Table { get }
}

/// A question about a table, as a scene shows it: its words (numbers as digits) and which of them are
/// numbers.
public protocol TableQuestionSample: TableSample {
    var questionWords: [String] { get }
    var numberPositions: [Int] { get }
}

/// A task that answers a question about a table a user gives (`--table FILE --question "..."`).
public protocol TableInputTask: TaskGenerator {
    /// The sample for `table` and `question` (its answer computed from the table where the task can, else
    /// unknown). Throws a one-line error naming an unknown word of the question, a column the task cannot
    /// use, or a table too large.
    func sample(table: Table, question: String) throws -> Sample
}
