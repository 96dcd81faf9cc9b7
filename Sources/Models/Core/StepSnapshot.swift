/// Everything a view may draw about one step of one example: plain values, no graph. Each model has its
/// own snapshot type; the core only needs the output the task scores and a way to write the trace.
public protocol StepSnapshot: Sendable, Encodable {
    /// The output the task scores at this step (σ(logits) for bit tasks).
    var output: [Float] { get }
    /// Sub-steps inside this step (ACT's ponder steps), in order; empty for most models.
    var subSteps: [any StepSnapshot] { get }
}

extension StepSnapshot {
    public var subSteps: [any StepSnapshot] { [] }
}

/// A snapshot of a decoder step that attends over source positions and writes one token: what
/// `arnn translate` prints without knowing the model.
public protocol AttentionSnapshot: StepSnapshot {
    /// The attention weights over the source positions (they sum to 1).
    var weights: [Float] { get }
    /// The token the step wrote.
    var token: Int { get }
}
