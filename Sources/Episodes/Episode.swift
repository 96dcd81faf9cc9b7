import Engine
import Models
import Tasks

/// One timestep of an episode: the task's step data (what the model was given and asked for) and the
/// model's snapshot (what it did). Nothing here knows the shape of either.
public struct Frame: Sendable {
    public var step: Int
    /// The task's own data for this step (`BitStep`, `TokenStep`, ...).
    public var data: any StepData
    /// The model's own snapshot of this step (its scene knows the concrete type).
    public var snapshot: any StepSnapshot

    public init(step: Int, data: any StepData, snapshot: any StepSnapshot) {
        self.step = step
        self.data = data
        self.snapshot = snapshot
    }

    public var phase: Phase { data.phase }
    /// Whether this step's output is scored.
    public var scored: Bool { data.isScored }
    public var output: [Float] { snapshot.output }
    /// The units of this step the model got wrong, in the episode score's unit (0 where not scored).
    public var wrong: Int { data.wrong(output: snapshot.output) }

    /// The step data as the task's own type (nil for another task's).
    public func data<D: StepData>(as type: D.Type) -> D? { data as? D }
    /// The snapshot as the model's own type (nil for another model's frame).
    public func snapshot<S: StepSnapshot>(as type: S.Type) -> S? { snapshot as? S }
}

/// How one episode scored, in the objective's terms: how many scored units came out wrong of how many
/// (bits, words, answers), and the objective's other figures for it by name (`bceBits`, `exactMatch`).
public struct EpisodeScore: Sendable, Equatable {
    public var wrong: Int
    /// Units scored; 0 when there was nothing to score against (a typed sentence has no reference).
    public var scored: Int
    /// What the units are, plural: `bits`, `words`, `answers`.
    public var unit: String
    /// Further named figures, written into traces beside `wrong<Unit>` and `scored<Unit>`.
    public var details: [String: Double]

    public init(wrong: Int, scored: Int, unit: String, details: [String: Double] = [:]) {
        self.wrong = wrong
        self.scored = scored
        self.unit = unit
        self.details = details
    }

    public var isPerfect: Bool { wrong == 0 }

    /// `wrong/scored unit wrong`, as titles say it: `3/88 bits wrong`.
    public var text: String { scored == 0 ? "no reference to score" : "\(wrong)/\(scored) \(unit) wrong" }

    /// The trace's field names: `wrongBits`, `scoredWords`, ...
    public var wrongField: String { "wrong" + unit.prefix(1).uppercased() + unit.dropFirst() }
    public var scoredField: String { "scored" + unit.prefix(1).uppercased() + unit.dropFirst() }
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
    /// The objective's score of the whole episode.
    public var score: EpisodeScore

    public init(kind: String, sample: any Sendable, task: TaskConfig, length: Int, frames: [Frame], score: EpisodeScore) {
        self.kind = kind
        self.length = length
        self.sample = sample
        self.task = task
        self.frames = frames
        self.score = score
    }

    /// The sample's length in the task's own unit (vectors, items, words), as the player's `[`/`]` change it.
    public var length: Int

    /// What the score counts, for titles: `bits`, `words`.
    public var unit: String { score.unit }

    /// A bit task's example (nil for other samples).
    public var example: Example? { sample as? Example }

    /// The sample as the task's own type (nil for another task's).
    public func sample<S>(as type: S.Type) -> S? { sample as? S }

    /// `wrong/scored unit wrong`, as titles say it: `3/88 bits wrong`.
    public var scoreText: String { score.text }

    public var count: Int { frames.count }
    public subscript(step: Int) -> Frame { frames[step] }
}
