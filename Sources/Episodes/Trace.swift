import Engine
import Foundation
import Models
import Tasks

/// The JSON document `arnn trace` writes: every frame of an episode with every snapshot quantity.
/// The schema is documented in docs/trace.md; `version` changes when a field changes meaning.
public struct Trace: Encodable {
    public static let format = "arnn-trace"
    public static let version = 1

    struct Model: Encodable { var kind: String; var config: NTMConfig }
    struct ExampleInfo: Encodable { var steps: Int; var length: Int?; var seed: UInt64?; var source: String }
    struct Score: Encodable { var wrongBits: Int; var scoredBits: Int; var bceBits: Double }
    struct Head: Encodable {
        var kind: String
        var key: [Float]; var beta: Float; var gate: Float; var shift: [Float]; var gamma: Float
        var content: [Float]; var gated: [Float]; var shifted: [Float]; var weighting: [Float]
        var erase: [Float]?; var add: [Float]?
    }
    struct NTMFrame: Encodable {
        var heads: [Head]
        var reads: [[Float]]
        var memoryBefore: [[Float]]
        var memoryAfter: [[Float]]
        var hidden: [Float]; var cell: [Float]; var logits: [Float]
    }
    struct FrameOut: Encodable {
        var step: Int; var phase: String; var scored: Bool
        var input: [Float]; var target: [Float]; var output: [Float]; var wrongBits: Int
        var ntm: NTMFrame
    }

    var format = Trace.format
    var version = Trace.version
    var model: Model
    var task: TaskConfig
    var example: ExampleInfo
    var score: Score
    var frames: [FrameOut]

    /// - Parameters: `length` and `seed` describe a generated example; `source` says where it came from
    ///   (`"generated"` or the input file's path).
    public init(episode: Episode, ntm: NTM, length: Int?, seed: UInt64?, source: String) {
        model = Model(kind: NTM.kind, config: ntm.config)
        task = episode.example.task
        example = ExampleInfo(steps: episode.count, length: length, seed: seed, source: source)
        score = Score(wrongBits: episode.score.wrongBits, scoredBits: episode.score.scoredBits,
                      bceBits: episode.score.bceBits)
        frames = episode.frames.map { f in
            guard case .ntm(let s) = f.snapshot else { preconditionFailure("trace of a non-NTM frame") }
            func rows(_ t: Tensor) -> [[Float]] {
                (0..<t.shape[0]).map { Array(t.data[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
            }
            let heads = s.heads.map { h in
                Head(kind: h.isWrite ? "write" : "read", key: h.key, beta: h.beta, gate: h.gate, shift: h.shift,
                     gamma: h.gamma, content: h.content, gated: h.gated, shifted: h.shifted,
                     weighting: h.weighting, erase: h.erase, add: h.add)
            }
            return FrameOut(step: f.step, phase: f.phase.rawValue, scored: f.scored, input: f.input,
                            target: f.target, output: f.output, wrongBits: f.wrongBits,
                            ntm: NTMFrame(heads: heads, reads: s.reads, memoryBefore: rows(s.memoryBefore),
                                          memoryAfter: rows(s.memoryAfter), hidden: s.hidden, cell: s.cell,
                                          logits: s.logits))
        }
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

extension TaskConfig {
    /// An example built from a user's bit matrix (copy and repeat copy; the rows are the sequence).
    /// - Throws: `ArnnError` when the task takes no user input or the bits do not fit it.
    public func example(bits: [[Bool]], repeats: Int? = nil) throws -> Example {
        switch self {
        case .copy(let t): return try t.example(bits: bits)
        case .repeatCopy(let t):
            return try t.example(bits: bits, repeats: repeats ?? t.minRepeats)
        default:
            throw ArnnError("--input is supported for copy and repeat-copy, not for \(name)")
        }
    }

    /// Bits per row of a user's input file for this task.
    public var inputBitWidth: Int? {
        switch self {
        case .copy(let t): t.bitWidth
        case .repeatCopy(let t): t.bitWidth
        default: nil
        }
    }
}
