/// What a transduction task does to a sequence of symbols (Grefenstette et al. 2015, §4.1;
/// docs/tasks/transduction.md).
public protocol TransductionRule: Sendable {
    /// The task's name on the command line (`reversal`).
    static var name: String { get }
    /// One line for `arnn help tasks`.
    static var summary: String { get }
    /// True when only sequences of even length are valid (bigram flip swaps whole pairs).
    static var evenLengthsOnly: Bool { get }
    /// The target sequence for `source`.
    static func target<T: Comparable>(_ source: [T]) -> [T]
    /// The task's lengths and alphabet size when none are set (8–32 symbols of 12 for the paper's tasks).
    static var defaultLengths: ClosedRange<Int> { get }
    static var defaultSymbols: Int { get }
    /// True when `arnn eval` scores lengths past the trained ones by default (the paper's tasks test
    /// generalisation to longer sequences); false to score inside the trained range.
    static var scoresLongerLengths: Bool { get }
}

extension TransductionRule {
    public static var evenLengthsOnly: Bool { false }
    public static var defaultLengths: ClosedRange<Int> { 8...32 }
    public static var defaultSymbols: Int { 12 }
    public static var scoresLongerLengths: Bool { true }
}

/// Write the sequence back: a b c → a b c.
public enum SymbolCopy: TransductionRule {
    public static let name = "symbol-copy"
    public static let summary = "symbol copy: read a sequence of symbols, then write it back (Grefenstette 2015)"
    public static func target<T: Comparable>(_ source: [T]) -> [T] { source }
}

/// Write it back reversed: a b c → c b a.
public enum Reversal: TransductionRule {
    public static let name = "reversal"
    public static let summary = "reversal: read a sequence of symbols, then write it back reversed (Grefenstette 2015)"
    public static func target<T: Comparable>(_ source: [T]) -> [T] { source.reversed() }
}

/// Swap each pair: a b c d → b a d c. Sequences have even length, as the paper's.
public enum BigramFlip: TransductionRule {
    public static let name = "bigram-flip"
    public static let summary = "bigram flip: read an even-length sequence, then write it with each pair swapped (Grefenstette 2015)"
    public static let evenLengthsOnly = true
    public static func target<T: Comparable>(_ source: [T]) -> [T] {
        var out = source
        for i in stride(from: 0, to: source.count - 1, by: 2) { out.swapAt(i, i + 1) }
        return out
    }
}

/// Write it in alphabetical order: c a b a → a a b c. Not one of Grefenstette's tasks: a task for the
/// transformer (issue 22) whose every output token is found by content, not by position: the i-th token
/// written is the i-th smallest read, so the decoder must find where in the source it is and how many of
/// it are left. Sequences of 32–64 symbols of 26 by default (docs/tasks/sort.md).
public enum Sorting: TransductionRule {
    public static let name = "sort"
    public static let summary = "sort: read a sequence of symbols, then write them in alphabetical order (transformer task)"
    public static let defaultLengths = 32...64
    public static let defaultSymbols = 26
    /// The transformers that sort train on 32–64 symbols and have never attended past 64 positions (a
    /// Linformer cannot: its projections stop there), so sorting is scored inside the trained range.
    public static let scoresLongerLengths = false
    public static func target<T: Comparable>(_ source: [T]) -> [T] { source.sorted() }
}
