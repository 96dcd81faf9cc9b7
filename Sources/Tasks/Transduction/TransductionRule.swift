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
    static func target<T>(_ source: [T]) -> [T]
}

extension TransductionRule {
    public static var evenLengthsOnly: Bool { false }
}

/// Write the sequence back: a b c → a b c.
public enum SymbolCopy: TransductionRule {
    public static let name = "symbol-copy"
    public static let summary = "symbol copy: read a sequence of symbols, then write it back (Grefenstette 2015)"
    public static func target<T>(_ source: [T]) -> [T] { source }
}

/// Write it back reversed: a b c → c b a.
public enum Reversal: TransductionRule {
    public static let name = "reversal"
    public static let summary = "reversal: read a sequence of symbols, then write it back reversed (Grefenstette 2015)"
    public static func target<T>(_ source: [T]) -> [T] { source.reversed() }
}

/// Swap each pair: a b c d → b a d c. Sequences have even length, as the paper's.
public enum BigramFlip: TransductionRule {
    public static let name = "bigram-flip"
    public static let summary = "bigram flip: read an even-length sequence, then write it with each pair swapped (Grefenstette 2015)"
    public static let evenLengthsOnly = true
    public static func target<T>(_ source: [T]) -> [T] {
        var out = source
        for i in stride(from: 0, to: source.count - 1, by: 2) { out.swapAt(i, i + 1) }
        return out
    }
}
