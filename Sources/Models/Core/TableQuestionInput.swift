import Engine

/// What the Neural Programmer reads: a table of numbers with one-word column names, and a question with
/// its numbers taken out (docs/models/neural-programmer.md, "Sizes and inputs"). Tasks' samples conform
/// where the registry pairs them.
public protocol TableQuestionInput: Sendable {
    /// The question's words as vocabulary ids, its numbers taken out.
    var wordIds: [Int] { get }
    /// The question's numbers in order, and for each how many of `wordIds` come before it (the word to
    /// its left is that word; 0: the number comes first).
    var numberValues: [Double] { get }
    var numberContexts: [Int] { get }
    /// The cells, one row per table row, one number per column.
    var cells: [[Double]] { get }
    /// Each column's name as a vocabulary id, left to right.
    var columnNameIds: [Int] { get }
}
