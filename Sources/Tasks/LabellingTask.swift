/// A sample of a sequence-labelling task: input symbols and one label per symbol, aligned. The label at
/// position t is about the input up to and including symbol t (Dyck recognition: which closing bracket
/// may come after it). Ids index the task's `inputSymbols` and `labelNames`; there are no special tokens.
public protocol LabelledSequence: Sendable, Equatable {
    /// The input symbols, as ids of the task's `inputSymbols`.
    var symbols: [Int] { get }
    /// One label per symbol, as ids of the task's `labelNames`.
    var labels: [Int] { get }
    /// The symbols and the labels as words, for traces that read on their own.
    var symbolWords: [String] { get }
    var labelWords: [String] { get }
}

/// A task whose model writes, at each scored step, a distribution over named outputs (a target
/// vocabulary's words, a labelling task's labels): what a scene names the entries of an output with.
public protocol NamedOutputTask: TaskGenerator {
    /// The outputs by id.
    var outputNames: [String] { get }
}

/// A task that labels every position of its input: a model reads one symbol a step and writes that
/// position's label at the same step, scored at every position (sequence labelling). Typed input is a
/// string of its symbols, labelled by the task.
public protocol LabellingTask: TextInputTask, NamedOutputTask where Sample: LabelledSequence {
    /// The input symbols by id (a model reads each one-hot).
    var inputSymbols: [String] { get }
    /// The labels by id (a model writes a distribution over them at each position).
    var labelNames: [String] { get }
}

extension LabellingTask {
    public var outputNames: [String] { labelNames }
}

/// The phase of a labelling task's steps: read a symbol and write its position's label.
extension Phase {
    public static let label = Phase("label", letter: "l")
}

extension TaskConfig {
    /// The names of the model's outputs (a token task's target vocabulary, a labelling task's labels), or
    /// nil for a task whose outputs are not named (bits).
    public var outputNames: [String]? { (task as? any NamedOutputTask)?.outputNames }
}
