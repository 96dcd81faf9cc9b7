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

/// A model run over one sample, every frame kept so that any step is reached in O(1).
public struct Episode: Sendable {
    /// The kind of model that ran (`ntm`, `lstm`, ...).
    public var kind: String
    /// The task's sample the model ran on: an `Example` for bit tasks, a `TranslationPair`, ...
    public var sample: any Sendable
    /// The task (with its configuration) the sample came from.
    public var task: TaskConfig
    public var frames: [Frame]
    /// How many scored units came out wrong, of how many (bits for bit tasks, words for translation).
    public var score: SequenceScore
    /// What the score counts, for titles: `bits`, `words`.
    public var unit: String

    public init(kind: String, sample: any Sendable, task: TaskConfig, length: Int, frames: [Frame],
                score: SequenceScore, unit: String = "bits") {
        self.kind = kind
        self.length = length
        self.sample = sample
        self.task = task
        self.frames = frames
        self.score = score
        self.unit = unit
    }

    /// The sample's length in the task's own unit (vectors, items, words), as the player's `[`/`]` change it.
    public var length: Int

    /// A bit task's example (nil for other samples).
    public var example: Example? { sample as? Example }

    /// The sample as the task's own type (nil for another task's).
    public func sample<S>(as type: S.Type) -> S? { sample as? S }

    /// `wrong/scored unit wrong`, as titles say it: `3/88 bits wrong`.
    public var scoreText: String {
        score.scoredBits == 0 ? "no reference to score" : "\(score.wrongBits)/\(score.scoredBits) \(unit) wrong"
    }

    public var count: Int { frames.count }
    public subscript(step: Int) -> Frame { frames[step] }
}
