import Engine
import Foundation

/// Any task with its configuration: what the command line builds from `--task NAME` and what checkpoint
/// metadata and demo manifests record.
///
/// JSON form: the task's fields next to its name, e.g.
/// `{"name": "copy", "bitWidth": 8, "minLength": 1, "maxLength": 20}`. Decoding needs to know which tasks
/// exist, so it goes through a `TaskCatalog` (the registry's); missing fields take the defaults and
/// decoding validates, so a bad configuration fails with the field's name.
public struct TaskConfig: Encodable, Equatable, Sendable, CustomStringConvertible {
    /// The wrapped task.
    public let task: any TaskGenerator

    public init(_ task: any TaskGenerator) { self.task = task }

    /// The wrapped task's command-line name.
    public var name: String { type(of: task).name }
    /// What `length` counts for the wrapped task.
    public var lengthName: String { type(of: task).lengthName }
    /// What one setting of `length` is called in a sentence: "per length", "per number of items".
    public var lengthSettingName: String { lengthName == "length" ? "length" : "number of \(lengthName)" }
    public var description: String { name }
    public var lengthRange: ClosedRange<Int> { task.lengthRange }
    /// The lengths `arnn eval` reports when none are given.
    public var evaluationLengths: [Int] { task.evaluationLengths }
    /// How `arnn eval` labels the samples drawn at `length` ("15", or "3–15" where 15 is a most).
    public func lengthLabel(_ length: Int) -> String { task.lengthLabel(length) }
    /// The configuration `arnn eval` draws from (the held-out split where the task has one).
    public var forEvaluation: TaskConfig { TaskConfig(task.forEvaluation()) }

    /// Whether the task reads text a user types (`TextInputTask`: a sentence, a story, a table).
    public var readsText: Bool { task is any TextInputTask }

    /// Why typed `text` cannot be run (an unknown word and the closest known one, empty input, too long),
    /// and the unknown words to mark; nil when it can. Pure: no model runs.
    public func checkText(_ text: String) -> (message: String, unknown: [String])? {
        guard let tokens = task as? any TextInputTask else { return ("\(name) reads no typed text", []) }
        func check<T: TextInputTask>(_ t: T) -> (message: String, unknown: [String])? {
            do {
                try t.check(text: text)
                return nil
            } catch let e as ArnnError {
                return (e.message, t.unknownWords(text))
            } catch {
                return ("\(error)", [])
            }
        }
        return check(tokens)
    }

    /// The task as a bit-sequence task, or nil when its samples are something else.
    public var bits: (any SequenceTask)? { task as? any SequenceTask }

    /// The task as a bit-sequence task, or an error naming who needed one.
    public func requireBits(for user: String) throws -> any SequenceTask {
        guard let bits else { throw ArnnError("\(user) needs a bit-sequence task; \(name) is not one") }
        return bits
    }

    public func withLengthRange(_ range: ClosedRange<Int>) throws -> TaskConfig {
        TaskConfig(try task.withLengthRange(range))
    }

    /// The task reading a dataset's own files in `directory` (`--data`); throws one line for a task that
    /// reads no files, or a folder it cannot use.
    public func withData(directory: String) throws -> TaskConfig {
        guard let files = task as? any FileDataTask else { throw ArnnError("--data: \(name) generates its examples and reads no files") }
        return TaskConfig(try files.withData(directory: directory))
    }

    /// See `TaskGenerator.validate()`.
    public func validate() throws { try task.validate() }
    /// See `TaskGenerator.validate(length:)`.
    public func validate(length: Int) throws { try task.validate(length: length) }

    public static func == (a: TaskConfig, b: TaskConfig) -> Bool {
        func same<T: TaskGenerator>(_ x: T) -> Bool { (b.task as? T) == x }
        return same(a.task)
    }

    private enum NameKey: String, CodingKey { case name }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        try c.encode(name, forKey: .name)
        try task.encode(to: encoder)
    }
}

/// The tasks a program knows, by name: it builds a task's default configuration from its name and reads
/// a `TaskConfig` from JSON. The registry holds the one instance the program uses.
public struct TaskCatalog: Sendable {
    public let types: [any TaskGenerator.Type]

    public init(_ types: [any TaskGenerator.Type]) { self.types = types }

    /// The names accepted by `task(named:)`, in the order help text lists them.
    public var names: [String] { types.map { $0.name } }

    /// The task called `name` with its default configuration; throws naming the valid names.
    public func task(named name: String) throws -> TaskConfig {
        guard let type = types.first(where: { $0.name == name }) else { throw unknown(name) }
        return TaskConfig(type.defaults)
    }

    /// A task from its JSON form (see `TaskConfig`), validated.
    public func decode(_ data: Data) throws -> TaskConfig {
        struct Named: Decodable { var name: String }
        let name = try JSONDecoder().decode(Named.self, from: data).name
        guard let type = types.first(where: { $0.name == name }) else { throw unknown(name) }
        let config = TaskConfig(try type.decode(json: data))
        try config.validate()
        return config
    }

    public func decode(_ json: String) throws -> TaskConfig { try decode(Data(json.utf8)) }

    func unknown(_ name: String) -> ArnnError {
        ArnnError("unknown task '\(name)'; expected one of \(names.joined(separator: ", "))")
    }
}

