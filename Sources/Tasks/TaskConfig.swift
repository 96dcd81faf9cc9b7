import Engine

/// Any of the tasks with its configuration: what the command line builds from `--task NAME` and what a
/// checkpoint's metadata records.
///
/// JSON form: the task's fields next to its name, e.g.
/// `{"name": "copy", "bitWidth": 8, "minLength": 1, "maxLength": 20}`. Missing fields take the defaults;
/// decoding validates, so a bad configuration fails with the field's name.
/// It offers the same instance API as `SequenceTask` by forwarding to the wrapped task.
public enum TaskConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    case copy(CopyTask)
    case repeatCopy(RepeatCopyTask)
    case associativeRecall(AssociativeRecallTask)
    case prioritySort(PrioritySortTask)

    /// The names accepted by `init(name:)`, in the order help text lists them.
    public static let names = [CopyTask.name, RepeatCopyTask.name, AssociativeRecallTask.name,
                               PrioritySortTask.name]

    /// The task called `name` with its default (paper) configuration; throws naming the valid names.
    public init(name: String) throws {
        switch name {
        case CopyTask.name: self = .copy(CopyTask())
        case RepeatCopyTask.name: self = .repeatCopy(RepeatCopyTask())
        case AssociativeRecallTask.name: self = .associativeRecall(AssociativeRecallTask())
        case PrioritySortTask.name: self = .prioritySort(PrioritySortTask())
        default:
            throw ArnnError("unknown task '\(name)'; expected one of \(Self.names.joined(separator: ", "))")
        }
    }

    /// The wrapped task, for code that only needs the protocol.
    public var task: any SequenceTask {
        switch self {
        case .copy(let t): t
        case .repeatCopy(let t): t
        case .associativeRecall(let t): t
        case .prioritySort(let t): t
        }
    }

    /// The wrapped task's command-line name.
    public var name: String { type(of: task).name }
    /// What `length` counts for the wrapped task.
    public var lengthName: String { type(of: task).lengthName }

    public var description: String { name }
    public var inputWidth: Int { task.inputWidth }
    public var outputWidth: Int { task.outputWidth }
    public var inputChannelNames: [String] { task.inputChannelNames }
    public var outputChannelNames: [String] { task.outputChannelNames }
    public var lengthRange: ClosedRange<Int> { task.lengthRange }

    public func withLengthRange(_ range: ClosedRange<Int>) throws -> TaskConfig {
        switch self {
        case .copy(let t): .copy(try t.withLengthRange(range))
        case .repeatCopy(let t): .repeatCopy(try t.withLengthRange(range))
        case .associativeRecall(let t): .associativeRecall(try t.withLengthRange(range))
        case .prioritySort(let t): .prioritySort(try t.withLengthRange(range))
        }
    }

    /// See `SequenceTask.validate()`.
    public func validate() throws { try task.validate() }
    /// See `SequenceTask.validate(length:)`.
    public func validate(length: Int) throws { try task.validate(length: length) }

    /// See `SequenceTask.example(rng:length:)`.
    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        task.example(rng: &rng, length: length)
    }

    /// See `SequenceTask.checkedExample(rng:length:)`.
    public func checkedExample(rng: inout SeededRNG, length: Int?) throws -> Example {
        try task.checkedExample(rng: &rng, length: length)
    }

    private enum NameKey: String, CodingKey { case name }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.container(keyedBy: NameKey.self).decode(String.self, forKey: .name)
        switch name {
        case CopyTask.name: self = .copy(try CopyTask(from: decoder))
        case RepeatCopyTask.name: self = .repeatCopy(try RepeatCopyTask(from: decoder))
        case AssociativeRecallTask.name: self = .associativeRecall(try AssociativeRecallTask(from: decoder))
        case PrioritySortTask.name: self = .prioritySort(try PrioritySortTask(from: decoder))
        default:
            throw ArnnError("unknown task '\(name)'; expected one of \(Self.names.joined(separator: ", "))")
        }
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        try c.encode(name, forKey: .name)
        try task.encode(to: encoder)
    }
}
