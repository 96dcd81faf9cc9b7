import Engine

/// What one decoder step computed, as graph values.
public protocol DecoderStepVars {
    associatedtype Snapshot: StepSnapshot
    /// The step's logits over the target vocabulary [B, V].
    var logits: Var { get }
    /// Everything a view may draw of example `b`, as plain values.
    func snapshot(_ g: Graph, example b: Int) -> Snapshot
}

/// A model that reads a whole source sequence of tokens, then writes a target sequence of its own
/// length one token at a time (translation). One `step` serves training (teacher forcing, on a recording
/// graph) and decoding (greedy or beam search, on a non-recording one).
public protocol EncoderDecoderModel: Model {
    /// What the encoder leaves for the decoder (annotations, keys, mask), for a batch.
    associatedtype Memory: CarriedState
    associatedtype DecoderState: CarriedState
    associatedtype StepVars: DecoderStepVars
    var sourceVocabularySize: Int { get }
    var targetVocabularySize: Int { get }
    /// Encodes a batch of token sequences (of any lengths ≥ 1 the model reads; padded inside) for decoding
    /// whose steps may be drawn: the memory, and every step of it, hold what a snapshot reads.
    func encode(_ g: Graph, sources: [[Int]]) -> Memory
    /// Encodes for the decoder's outputs alone: in training, with what the model may know of the run
    /// (`TrainingContext`), and with nil in evaluation and decoding whose steps no one draws. The outputs
    /// are the same numbers; a model may leave out what only a snapshot reads (a transformer's approximate
    /// attentions then build no maps), so a snapshot of such a step is refused. The default is
    /// `encode(_:sources:)`.
    func encode(_ g: Graph, sources: [[Int]], training: TrainingContext?) -> Memory
    /// Throws a one-line `ArnnError` when the model cannot read sources of `length` tokens (a transformer's
    /// Linformer projections cover a fixed length); the default reads any length.
    func validate(sourceLength length: Int) throws
    /// The decoder state before the first target token.
    func initialState(_ g: Graph, memory: Memory) -> DecoderState
    /// One decoder step: `previous` holds each example's previous target token (`<bos>` first).
    func step(_ g: Graph, previous: [Int], state: DecoderState, memory: Memory) -> (state: DecoderState, vars: StepVars)
    /// The state with its batch rows reordered (beam search keeps the rows of the surviving beams).
    func reorder(_ g: Graph, _ state: DecoderState, rows: [Int]) -> DecoderState
    /// Teacher forcing over a whole target at once: `inputs[t]` holds each example's token at decoder
    /// position t (`<bos>` first). The logits of every position, [T·B, V], step-major (row t·B + b). A
    /// model whose positions do not depend on each other's outputs (a transformer) computes them side by
    /// side; the default runs `step` T times.
    func teacherForcedLogits(_ g: Graph, inputs: [[Int]], memory: Memory) -> Var
}

extension EncoderDecoderModel {
    public func teacherForcedLogits(_ g: Graph, inputs: [[Int]], memory: Memory) -> Var {
        var state = initialState(g, memory: memory)
        var logits: [Var] = []
        for previous in inputs {
            let (next, vars) = step(g, previous: previous, state: state, memory: memory)
            logits.append(vars.logits)
            state = next
        }
        return g.concat(logits, axis: 0)
    }
}

extension EncoderDecoderModel {
    public func encode(_ g: Graph, sources: [[Int]], training: TrainingContext?) -> Memory { encode(g, sources: sources) }
    public func validate(sourceLength length: Int) throws {}
}

/// An encoder–decoder whose attention may approximate exact softmax attention (the transformer's
/// Linformer and Performer), and can measure by how much on given sentences.
public protocol AttentionApproximating {
    /// True when some attention of the model is approximated.
    var approximatesAttention: Bool { get }
    /// The mean over approximated attentions and heads of ‖Â V − A V‖ / ‖A V‖ against exact attention on
    /// the same queries, keys and values, under teacher forcing on `targets`.
    func meanAttentionError(sources: [[Int]], targets: [[Int]]) throws -> Double
}
