/// Everything a view may draw about one step of one example: plain values, no graph. Each model has its
/// own snapshot type; the core only needs the output the task scores and a way to write the trace.
public protocol StepSnapshot: Sendable, Encodable {
    /// The output the task scores at this step (σ(logits) for bit tasks).
    var output: [Float] { get }
    /// Sub-steps inside this step (ACT's ponder steps), in order; empty for most models.
    var subSteps: [any StepSnapshot] { get }
    /// What the model computed once per episode before its first step (an encoder's annotations and the
    /// decoder's initial state), the same in every snapshot of the episode: a trace writes the first
    /// frame's once, as `encoder`. Nil for most models.
    var episodeFields: (any Encodable & Sendable)? { get }
}

extension StepSnapshot {
    public var subSteps: [any StepSnapshot] { [] }
    public var episodeFields: (any Encodable & Sendable)? { nil }
}

/// A snapshot of a decoder step that attends over source positions and writes one token: what
/// `arnn translate` prints without knowing the model.
public protocol AttentionSnapshot: StepSnapshot {
    /// The attention weights over the source positions (they sum to 1).
    var weights: [Float] { get }
    /// The token the step wrote.
    var token: Int { get }
}

/// A snapshot of one hop (or pass) of a model that attends over a story's sentences: what `arnn ask`
/// prints without knowing the model.
public protocol SentenceAttentionSnapshot: StepSnapshot {
    /// The hop's weight on each of the story's kept sentences, oldest first (attention, or a gate).
    var sentenceAttention: [Float] { get }
    /// The share that went to memories holding nothing (a memory network's empty slots); nil for models
    /// without them.
    var emptyAttention: Float? { get }
    /// What the model calls one of its steps over the story (`hop`, `pass`).
    static var stepName: String { get }
}

extension SentenceAttentionSnapshot {
    public var emptyAttention: Float? { nil }
    public static var stepName: String { "hop" }
}

/// One hypothesis of beam search after a step: its tokens so far and their summed log-probability.
public struct BeamHypothesis: Sendable, Equatable, Encodable {
    public var tokens: [Int]
    public var logProbability: Float
    /// True once it wrote `<eos>`.
    public var finished: Bool

    public init(tokens: [Int], logProbability: Float, finished: Bool) {
        self.tokens = tokens
        self.logProbability = logProbability
        self.finished = finished
    }
}

/// A decoder snapshot that can carry the beams of beam search at its step.
public protocol BeamSnapshot: AttentionSnapshot {
    var beams: [BeamHypothesis] { get set }
    /// The token beam search wrote at this step (nil: the most likely one, as greedy decoding writes).
    var chosen: Int? { get set }
}

/// A snapshot of one step of a model that writes a program (the Neural Programmer): what `arnn ask`
/// prints of each step without knowing the model.
public protocol ProgramSnapshot: StepSnapshot {
    /// The operation the step used and the weight the selector gave it.
    var operationName: String { get }
    var operationWeight: Float { get }
    /// The column it used (nil for an operation that reads none) and its weight.
    var usedColumn: Int? { get }
    var columnWeight: Float { get }
    /// The number a comparison compared with (nil for other operations).
    var usedPivot: Float? { get }
}
