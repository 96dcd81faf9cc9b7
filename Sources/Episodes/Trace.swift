import Engine
import Foundation
import Models
import Tasks

/// The JSON document `arnn trace` writes: every frame of an episode with every snapshot quantity.
/// The schema is documented in docs/trace.md; `version` changes when a field changes meaning. Each
/// frame holds the model's own fields under its kind (`"ntm": {...}`).
public struct Trace: Encodable {
    public static let format = "arnn-trace"
    public static let version = 1

    struct Model: Encodable { var kind: String; var config: any ModelConfig
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: DynamicKey.self)
            try c.encode(kind, forKey: DynamicKey("kind"))
            try config.encode(to: c.superEncoder(forKey: DynamicKey("config")))
        }
    }
    struct ExampleInfo: Encodable {
        var steps: Int; var length: Int?; var seed: UInt64?; var source: String
        /// A token task's sample: the ids and words of both sides (no `<bos>`/`<eos>`; empty target for a
        /// typed sentence).
        var sourceTokens: [Int]?, sourceWords: [String]?, targetTokens: [Int]?, targetWords: [String]?
        /// A labelling task's sample: its symbols and one label per symbol, ids and words.
        var symbols: [Int]?, symbolWords: [String]?, labels: [Int]?, labelWords: [String]?
    }
    /// Written under `encoder` when the model computed something once per episode.
    struct Fields: Encodable { var value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }
    /// `wrong<Unit>`, `scored<Unit>` and the score's details (`{"wrongBits", "scoredBits", "bceBits"}` for bits).
    struct Score: Encodable { var score: EpisodeScore
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: DynamicKey.self)
            try c.encode(score.wrong, forKey: DynamicKey(score.wrongField))
            try c.encode(score.scored, forKey: DynamicKey(score.scoredField))
            for (name, value) in score.details { try c.encode(value, forKey: DynamicKey(name)) }
        }
    }
    struct FrameOut: Encodable {
        var kind: String
        var frame: Frame

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: DynamicKey.self)
            try c.encode(frame.step, forKey: DynamicKey("step"))
            try c.encode(frame.phase.rawValue, forKey: DynamicKey("phase"))
            try c.encode(frame.scored, forKey: DynamicKey("scored"))
            let output = frame.output
            try c.encode(output, forKey: DynamicKey("output"))
            try frame.data.encodeFields(to: &c, output: output)
            try frame.snapshot.encode(to: c.superEncoder(forKey: DynamicKey(kind)))
        }
    }

    var format = Trace.format
    var version = Trace.version
    var model: Model
    var task: TaskConfig
    var example: ExampleInfo
    var score: Score
    var encoder: Fields?
    var frames: [FrameOut]

    /// - Parameters: `length` and `seed` describe a generated example; `source` says where it came from
    ///   (`"generated"` or the input file's path).
    public init(episode: Episode, config: any ModelConfig, length: Int?, seed: UInt64?, source: String) {
        model = Model(kind: episode.kind, config: config)
        task = episode.task
        example = ExampleInfo(steps: episode.count, length: length, seed: seed, source: source)
        if let pair = episode.sample as? any TokenPairSample {
            example.sourceTokens = pair.sourceTokens
            example.sourceWords = pair.sourceWords
            example.targetTokens = pair.targetTokens
            example.targetWords = pair.targetWords
        }
        if let labelled = episode.sample as? any LabelledSequence {
            example.symbols = labelled.symbols
            example.symbolWords = labelled.symbolWords
            example.labels = labelled.labels
            example.labelWords = labelled.labelWords
        }
        encoder = episode.frames.first?.snapshot.episodeFields.map { Fields(value: $0) }
        score = Score(score: episode.score)
        frames = episode.frames.map { FrameOut(kind: episode.kind, frame: $0) }
    }

    /// The trace as JSON text (keys sorted, so two traces diff cleanly). Non-finite numbers, which JSON
    /// cannot hold, are written as the strings "nan", "inf" and "-inf".
    public func json(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

/// A coding key made from any string (a model kind, a metric name).
typealias DynamicKey = FieldKey

extension TaskConfig {
    /// An example built from a user's bit matrix (tasks that take one: copy and repeat copy).
    /// - Throws: `ArnnError` when the task takes no user input or the bits do not fit it.
    public func example(bits: [[Bool]], repeats: Int? = nil) throws -> Example {
        guard let input = task as? any BitInputTask else {
            throw ArnnError("--input is supported for copy and repeat-copy, not for \(name)")
        }
        return try input.example(bits: bits, repeats: repeats)
    }

    /// Bits per row of a user's input file for this task (nil: the task takes no user input).
    public var inputBitWidth: Int? { (task as? any BitInputTask)?.bitWidth }

    /// The task as one whose input the viewer can edit, or nil.
    public var editable: (any EditableInputTask)? { task as? any EditableInputTask }
}
