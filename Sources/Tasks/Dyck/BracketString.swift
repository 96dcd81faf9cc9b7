import Engine

/// A string of Dyck-2 brackets and, at each position, which closing bracket may come next: the one that
/// closes the innermost open bracket (`)` or `]`), or `none` when every bracket so far is closed and the
/// string may end there (docs/tasks/dyck.md). An opening bracket may always come next, so it needs no label.
public struct BracketString: LabelledSequence, CustomStringConvertible {
    /// `(` 0, `)` 1, `[` 2, `]` 3: an opening bracket is even, its closer the next id.
    public static let symbols = ["(", ")", "[", "]"]
    /// `)` 0, `]` 1, `none` 2: the closer of opening bracket id b is label b / 2.
    public static let labelNames = [")", "]", "none"]
    public static let none = 2

    public let symbols: [Int]
    public let labels: [Int]

    /// The string of `symbols`, labelled. A precondition: it is a prefix of a balanced string (check with
    /// `firstError` first).
    public init(symbols: [Int]) {
        precondition(Self.firstError(symbols) == nil, "not a prefix of a Dyck-2 string: \(symbols)")
        self.symbols = symbols
        labels = Self.labels(symbols)
    }

    /// Each position's label: the closer of the innermost bracket still open after it, else `none`.
    public static func labels(_ symbols: [Int]) -> [Int] {
        var open: [Int] = []
        return symbols.map { s in
            if s % 2 == 0 { open.append(s) } else if !open.isEmpty { open.removeLast() }
            return open.last.map { $0 / 2 } ?? none
        }
    }

    /// Why `symbols` is no prefix of a balanced string: the position (from 0) of the first closer that
    /// closes nothing or the wrong kind, and the opener it met there (nil when nothing was open).
    public static func firstError(_ symbols: [Int]) -> (position: Int, open: (bracket: Int, position: Int)?)? {
        var open: [(bracket: Int, position: Int)] = []
        for (i, s) in symbols.enumerated() {
            if s % 2 == 0 {
                open.append((s, i))
            } else if let top = open.last, top.bracket + 1 == s {
                open.removeLast()
            } else {
                return (i, open.last)
            }
        }
        return nil
    }

    public var symbolWords: [String] { symbols.map { Self.symbols[$0] } }
    public var labelWords: [String] { labels.map { Self.labelNames[$0] } }
    /// Whether every bracket is closed.
    public var isBalanced: Bool { labels.last.map { $0 == Self.none } ?? true }
    /// The deepest nesting.
    public var depth: Int {
        var d = 0, m = 0
        for s in symbols { d += s % 2 == 0 ? 1 : -1; m = Swift.max(m, d) }
        return m
    }

    /// The brackets with a space between each: `( [ ] )`.
    public var description: String { symbolWords.joined(separator: " ") }
}
