import Engine
import Models
import Tasks

/// One timestep of an episode: the data the model saw and what it did with it.
public struct Frame: Sendable {
    public var step: Int
    public var phase: Phase
    public var input: [Float]
    public var target: [Float]
    /// Whether this step's output is scored (the answer phase).
    public var scored: Bool
    /// The model's own snapshot of this step (its scene knows the concrete type).
    public var snapshot: any StepSnapshot

    public init(step: Int, phase: Phase, input: [Float], target: [Float], scored: Bool, snapshot: any StepSnapshot) {
        self.step = step
        self.phase = phase
        self.input = input
        self.target = target
        self.scored = scored
        self.snapshot = snapshot
    }

    public var output: [Float] { snapshot.output }
    /// Output bits that disagree with the target after thresholding at 0.5 (scored steps only; else 0).
    public var wrongBits: Int {
        guard scored else { return 0 }
        return zip(output, target).filter { ($0 >= 0.5) != ($1 >= 0.5) }.count
    }

    /// The snapshot as the model's own type (nil for another model's frame).
    public func snapshot<S: StepSnapshot>(as type: S.Type) -> S? { snapshot as? S }
}

/// A model run over one example, every frame kept so that any step is reached in O(1).
public struct Episode: Sendable {
    /// The kind of model that ran (`ntm`, `lstm`, ...).
    public var kind: String
    public var example: Example
    public var frames: [Frame]
    public var score: SequenceScore

    public init(kind: String, example: Example, frames: [Frame], score: SequenceScore) {
        self.kind = kind
        self.example = example
        self.frames = frames
        self.score = score
    }

    public var count: Int { frames.count }
    public subscript(step: Int) -> Frame { frames[step] }
}
