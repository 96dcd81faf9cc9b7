import Episodes
import Tasks

/// Everything the training watch shows: progress figures the training loop reports, the loss history for
/// the chart, and the latest sample episode (the current model on one fixed example). `TrainingWatch.update`
/// changes it on input; the loop sets the figures between batches; `TrainingWatch.view` draws it.
public struct TrainingWatchState: Sendable {
    /// What is being trained: `ntm on copy`.
    public var title: String
    /// Where checkpoints go.
    public var outputPath: String
    /// Sequences to train on in total, and done so far (counting those before a resume).
    public var total: Int
    public var done: Int
    /// Seconds since this session started, and its sequences per second.
    public var elapsed: Double = 0
    public var rate: Double = 0
    /// The objective's loss and the error metric it charts beside it (wrong bits for bit tasks).
    public var lossMetric: MetricSpec
    public var errorMetric: MetricSpec
    /// Their means over the recent batches (the progress line's figures).
    public var loss: Double = 0
    public var wrong: Double = 0
    /// The task's training lengths, and the curriculum's current longest length when there is one.
    public var lengthRange: ClosedRange<Int>
    public var curriculumLength: Int?
    /// Sequences done at the last checkpoint written by this session, nil before the first.
    public var lastCheckpoint: Int?
    public var history: TrainingHistory
    /// The current model on the fixed sample example, shown at its last step; nil until the first run.
    public private(set) var sample: WatchSample?
    /// Sequences done when the sample was run.
    public private(set) var sampleAt = 0
    /// A one-line note (stopping, saving), shown in the status bar.
    public var message: String?
    /// True once `q` asked to stop; the loop saves and ends.
    public var stopping = false
    public var helpOpen = false
    /// The terminal size (for completeness with the viewer; `view` is given its own).
    public var width = 80
    public var height = 24

    public init(title: String, outputPath: String, total: Int, done: Int, lengthRange: ClosedRange<Int>,
                lossMetric: MetricSpec, errorMetric: MetricSpec) {
        self.title = title
        self.lossMetric = lossMetric
        self.errorMetric = errorMetric
        self.outputPath = outputPath
        self.total = total
        self.done = done
        self.lengthRange = lengthRange
        history = TrainingHistory(firstSequence: done)
    }

    /// Seconds left at the current rate, nil while the rate is unknown.
    public var eta: Double? { rate > 0 ? Double(Swift.max(0, total - done)) / rate : nil }

    /// Fraction of the run done, 0…1.
    public var fraction: Double { total > 0 ? Swift.min(1, Double(done) / Double(total)) : 1 }

    /// Records one batch: its figures go into the chart's history.
    public mutating func recordBatch(sequencesDone: Int, lossBits: Double, wrongBits: Double, sequences: Int) {
        done = sequencesDone
        history.add(lossBits: lossBits, wrongBits: wrongBits, sequences: sequences)
    }

    /// Shows `episode` (the model after `done` sequences on the example of `length` from `seed`).
    /// `scene` is the model's scene for `episode` (from the registry).
    public mutating func setSample(_ episode: Episode, scene: AnyScene, task: TaskConfig, length: Int, seed: UInt64,
                                   at done: Int) {
        sample = WatchSample(episode: episode, scene: scene, task: task, length: length, seed: seed)
        sampleAt = done
    }
}

/// The sample episode the watch shows at its last step, with the scene that draws it.
public struct WatchSample: Sendable {
    public var episode: Episode
    public var scene: AnyScene
    public var task: TaskConfig
    public var length: Int
    public var seed: UInt64

    /// The scene's context for drawing the last step in `rect`; no panel has the keys (the watch has no
    /// cursor), so none is marked as focused.
    package func context(rect: Rect, kind: SceneFrame.Kind) -> SceneContext {
        SceneContext(episode: episode, step: episode.count - 1, rect: rect, kind: kind, active: false)
    }
}
