import Engine
import Foundation
import Models
import Tasks

/// How the core makes and loads one kind of model: the model half of a registry line.
public struct ModelEntry: Sendable {
    public let kind: String
    /// One line for `arnn help models`.
    public let summary: String
    /// The config fields `arnn train --set FIELD=VALUE` accepts, with their defaults, for help.
    public let configHelp: @Sendable (TaskConfig) -> String
    let makeLearner: @Sendable (TaskConfig, [String: String], inout SeededRNG) throws -> any Learner
    let loadLearner: @Sendable (Checkpoint, TaskConfig, String) throws -> any Learner

    /// A fresh model for `task`: its default config for the task, with `overrides` (field → value, as in
    /// `--set memoryRows=64`) applied, initialised from `rng`.
    /// - Throws: `ArnnError` naming an unknown field, a bad value or a task the model cannot run.
    public func make(task: TaskConfig, overrides: [String: String] = [:], rng: inout SeededRNG) throws -> any Learner {
        try makeLearner(task, overrides, &rng)
    }

    /// The model in `checkpoint`, on `task`. `source` names the file in errors.
    public func load(_ checkpoint: Checkpoint, task: TaskConfig, source: String) throws -> any Learner {
        try loadLearner(checkpoint, task, source)
    }

    /// An entry from what differs between shapes: the model's default config for a task (or a one-line
    /// reason it cannot run it), and the learner that pairs a model with a task. Overrides, validation,
    /// help and loading are the same for every shape.
    /// - Parameter needs: what help says when a task does not fit (`runs on translation`).
    static func of<M: Model>(
        _ type: M.Type, summary: String, needs: String,
        defaultConfig: @escaping @Sendable (TaskConfig) throws -> M.Config,
        learner: @escaping @Sendable (M, TaskConfig, _ source: String) throws -> any Learner
    ) -> ModelEntry {
        @Sendable func config(_ task: TaskConfig, _ overrides: [String: String]) throws -> M.Config {
            try ConfigOverrides.apply(overrides, to: defaultConfig(task), kind: M.kind)
        }
        return ModelEntry(
            kind: M.kind, summary: summary,
            configHelp: { task in
                guard let c = try? config(task, [:]) else { return "(\(needs))" }
                return ConfigOverrides.describe(c)
            },
            makeLearner: { task, overrides, rng in
                let c = try config(task, overrides)
                try M.validate(c)
                return try learner(M(config: c, rng: &rng), task, "the model")
            },
            loadLearner: { checkpoint, task, source in
                try learner(M(checkpoint: checkpoint), task, source)
            })
    }

    /// The entry of a recurrent model: on bit-sequence tasks (`RecurrentLearner`), on token tasks
    /// (`RecurrentTokenLearner`: read the source, then write) and on labelling tasks
    /// (`RecurrentLabellingLearner`: a label at every position); `defaultConfig` gives its config for the
    /// task's input and output widths (for a token task: both vocabularies in, the target's out; for a
    /// labelling task: its symbols in, its labels out).
    public static func recurrent<M: RecurrentModel>(
        _ type: M.Type, summary: String, defaultConfig: @escaping @Sendable (_ inputs: Int, _ outputs: Int) -> M.Config
    ) -> ModelEntry {
        @Sendable func tokenWidths<T: TokenTask>(_ t: T) -> (inputs: Int, outputs: Int) { RecurrentTokenLearner<M, T>.widths(t) }
        @Sendable func labellingWidths<T: LabellingTask>(_ t: T) -> (inputs: Int, outputs: Int) {
            RecurrentLabellingLearner<M, T>.widths(t)
        }
        return of(M.self, summary: summary, needs: "needs a bit-sequence, token or labelling task", defaultConfig: { task in
            if let bits = task.bits { return defaultConfig(bits.inputWidth, bits.outputWidth) }
            if let tokens = task.task as? any TokenTask {
                let (x, y) = tokenWidths(tokens)
                return defaultConfig(x, y)
            }
            if let labelling = task.task as? any LabellingTask {
                let (x, y) = labellingWidths(labelling)
                return defaultConfig(x, y)
            }
            throw ArnnError("a \(M.kind) model needs a bit-sequence, token or labelling task; \(task.name) is none of them")
        }, learner: { model, task, source in
            func onTokens<T: TokenTask>(_ t: T) throws -> any Learner { try RecurrentTokenLearner(model: model, task: t, source: source) }
            func onLabels<T: LabellingTask>(_ t: T) throws -> any Learner {
                try RecurrentLabellingLearner(model: model, task: t, source: source)
            }
            if task.bits == nil, let tokens = task.task as? any TokenTask { return try onTokens(tokens) }
            if task.bits == nil, let labelling = task.task as? any LabellingTask { return try onLabels(labelling) }
            return try RecurrentLearner(model: model, task: task, source: source)
        })
    }

    /// The task as the type `T` a model of `kind` runs on, or an error saying so.
    static func typed<T: TaskGenerator>(_ task: TaskConfig, as _: T.Type, for kind: String) throws -> T {
        guard let t = task.task as? T else { throw ArnnError("a \(kind) model runs on \(T.name), not on \(task.name)") }
        return t
    }

    /// The entry of an encoder–decoder model on any token task (translation, the transduction tasks,
    /// sorting); `defaultConfig` gives its config for the task's source and target vocabulary sizes.
    public static func encoderDecoder<M: EncoderDecoderModel>(
        _ type: M.Type, summary: String,
        defaultConfig: @escaping @Sendable (_ sourceVocabulary: Int, _ targetVocabulary: Int) -> M.Config
    ) -> ModelEntry {
        @Sendable func sizes<T: TokenTask>(_ t: T) -> (source: Int, target: Int) { (t.sourceVocabulary.size, t.targetVocabulary.size) }
        return of(M.self, summary: summary, needs: "needs a token task", defaultConfig: { task in
            guard let tokens = task.task as? any TokenTask else {
                throw ArnnError("a \(M.kind) model needs a token task (translation, a transduction task, sort); \(task.name) is not one")
            }
            let (s, t) = sizes(tokens)
            return defaultConfig(s, t)
        }, learner: { model, task, source in
            func on<T: TokenTask>(_ t: T) throws -> any Learner { try EncoderDecoderLearner(model: model, task: t, source: source) }
            guard let tokens = task.task as? any TokenTask else {
                throw ArnnError("a \(M.kind) model needs a token task (translation, a transduction task, sort); \(task.name) is not one")
            }
            return try on(tokens)
        })
    }

    /// The entry of an encoder–decoder model on a token task of type `T`; `defaultConfig` gives its config
    /// for the task's source and target vocabulary sizes.
    public static func encoderDecoder<M: EncoderDecoderModel, T: TokenTask>(
        _ type: M.Type, task: T.Type, summary: String,
        defaultConfig: @escaping @Sendable (_ sourceVocabulary: Int, _ targetVocabulary: Int) -> M.Config
    ) -> ModelEntry {
        of(M.self, summary: summary, needs: "runs on \(T.name)", defaultConfig: { task in
            let t = try typed(task, as: T.self, for: M.kind)
            return defaultConfig(t.sourceVocabulary.size, t.targetVocabulary.size)
        }, learner: { model, task, source in
            try EncoderDecoderLearner(model: model, task: typed(task, as: T.self, for: M.kind), source: source)
        })
    }
}

/// `--set FIELD=VALUE` on a model config (and `--task-set` on a task's): through the JSON form, so every
/// field is settable without the command line knowing any model or task.
public enum ConfigOverrides {
    public static func apply<C: ModelConfig>(_ overrides: [String: String], to config: C, kind: String) throws -> C {
        guard !overrides.isEmpty else { return config }
        let data = try setting(overrides, in: JSONEncoder().encode(config), flag: "--set", owner: "\(kind) has no config field")
        do {
            return try C.decode(json: data)
        } catch {
            throw ArnnError("--set: \(describeDecoding(error)) (whole numbers where the field counts something)")
        }
    }

    /// The JSON object `data` with `fields` set: a number where the field holds one, text where it holds
    /// text. Throws naming an unknown or `protected` field (with the fields there are) or a value of the
    /// wrong kind; `flag` and `owner` ("copy has no field") start the messages.
    public static func setting(_ fields: [String: String], in data: Data, flag: String, owner: String,
                               protected: Set<String> = []) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return data }
        for (field, text) in fields.sorted(by: { $0.key < $1.key }) {
            guard let old = object[field], !protected.contains(field) else {
                let known = object.keys.filter { !protected.contains($0) }.sorted().joined(separator: ", ")
                throw ArnnError("\(flag): \(owner) \"\(field)\" (fields: \(known))")
            }
            if old is NSNumber || old is NSNull, let number = Double(text) {
                object[field] = number
            } else if old is NSNumber, text == "true" || text == "false" {
                object[field] = text == "true"
            } else if old is String {
                object[field] = text
            } else if old is [Any], let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] {
                object[field] = list
            } else {
                throw ArnnError("\(flag): \(field) takes \(old is [Any] ? "a list such as [1,2]" : "a number (or true, false)"), got \"\(text)\"")
            }
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// `field=default` for every field of `config`, sorted.
    public static func describe<C: ModelConfig>(_ config: C) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(config),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "" }
        return object.keys.sorted().map { "\($0)=\(object[$0]! is NSNull ? "none" : object[$0]!)" }.joined(separator: " ")
    }
}

/// The models and tasks a program knows: the part of the registry below the screen.
public struct ModelCatalog: Sendable {
    public let models: [ModelEntry]
    public let tasks: TaskCatalog
    /// The demo `arnn` opens with no arguments.
    public let defaultDemo: String

    public init(models: [ModelEntry], tasks: TaskCatalog, defaultDemo: String) {
        self.models = models
        self.tasks = tasks
        self.defaultDemo = defaultDemo
    }

    public var kinds: [String] { models.map(\.kind) }

    /// The entry for `kind`; throws naming the known kinds.
    public func model(_ kind: String) throws -> ModelEntry {
        guard let entry = models.first(where: { $0.kind == kind }) else {
            throw ArnnError("unknown model '\(kind)'; expected one of \(kinds.joined(separator: ", "))")
        }
        return entry
    }

    /// The model a checkpoint holds, on `task`.
    public func load(_ checkpoint: Checkpoint, task: TaskConfig) throws -> any Learner {
        let source = checkpoint.source ?? "checkpoint"
        let kind = try checkpoint.metadataValue(CheckpointMetadataKey.kind)
        let entry: ModelEntry
        do { entry = try model(kind) } catch let e as ArnnError { throw ArnnError.file(source, e.message) }
        do {
            return try entry.load(checkpoint, task: task, source: source)
        } catch let e as ArnnError where !e.message.hasPrefix(source) {
            throw ArnnError.file(source, e.message)
        }
    }
}
