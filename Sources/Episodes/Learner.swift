import Engine
import Models
import Tasks

/// A model paired with its task and the objective that scores it: everything the trainer, the evaluator,
/// the episode runner and the benches drive, whatever the model. The registry builds one per model kind;
/// nothing above this line names a model.
public protocol Learner: AnyObject, Sendable {
    associatedtype Sample: Sendable
    /// The model's kind (`ntm`, `lstm`, ...).
    var kind: String { get }
    /// The model's config as an encodable value (for traces and help).
    var config: any ModelConfig { get }
    var parameters: [Parameter] { get }
    var task: TaskConfig { get }
    /// The objective's metrics, in display order (`metrics[0]` is the loss).
    var metrics: [MetricSpec] { get }
    /// The metric a curriculum watches (lower is better), by name.
    var curriculumMetric: String { get }

    /// A sample of the task (see `TaskGenerator.sample`).
    func sample(rng: inout SeededRNG, length: Int?) -> Sample
    /// A sample for evaluation: from the task's held-out split where it has one.
    func evaluationSample(rng: inout SeededRNG, length: Int?) -> Sample
    /// The units the loss of `samples` is normalised by (scored bits, tokens): the trainer scales the
    /// summed loss by 1 / (units of the whole batch).
    func lossUnits(_ samples: [Sample]) -> Int
    /// Runs `samples` on `g` and returns each one's metric values. With `lossScale`, `g` must record and
    /// the loss times `lossScale` is backpropagated into the parameters; without, the run keeps no tape.
    func run(_ g: Graph, _ samples: [Sample], lossScale: Float?) -> [MetricValues]
    /// The same in training, with what the model may know of the run (`TrainingContext`); the default
    /// ignores it.
    func run(_ g: Graph, _ samples: [Sample], lossScale: Float, training: TrainingContext) -> [MetricValues]
    /// The fixed samples `arnn eval` scores at `length` (a dataset's test file), or nil to draw fresh ones
    /// with `evaluationSample`.
    func evaluationSet(length: Int) -> [Sample]?
    /// Every frame of one sample, without a tape.
    func episode(_ sample: Sample) -> Episode
    /// A sample from text the user typed (a sentence, a story); tasks that read no text throw a one-line
    /// error. Comes with the protocol for tasks that are `TextInputTask`s.
    func sample(text: String) throws -> Sample
    /// Other ways to run an episode than the default one (`beam 4`); empty for most models.
    var variants: [String] { get }
    /// The episode run the way `variant` names (nil: the default).
    func episode(_ sample: Sample, variant: String?) -> Episode
    /// Config fields the model can change without retraining (a Performer's m), for `[` and `]` in the
    /// viewer and `eval --set`; empty for most models.
    var liveSettings: [LiveSetting] { get }
    /// The same learner with each of `settings` changed (weights shared); the default refuses any.
    /// - Throws: `ArnnError` for a field that is not a live setting or a value out of range.
    func adjusted(_ settings: [String: Int]) throws -> Self
    /// The parameters and metadata as a checkpoint (kind and config filled in).
    func checkpoint(metadata: [String: String]) -> Checkpoint
    /// For benchmarks: a closure that does one timestep's work at batch 1 without a tape, as the viewer
    /// does it (on a reset graph, from a carried state); nil for models without single steps.
    func stepProbe() -> (() -> Void)?
}

extension Learner {
    public func run(_ g: Graph, _ samples: [Sample], lossScale: Float, training: TrainingContext) -> [MetricValues] {
        run(g, samples, lossScale: lossScale)
    }
    public func evaluationSet(length: Int) -> [Sample]? { nil }
    public var variants: [String] { [] }
    public func episode(_ sample: Sample, variant: String?) -> Episode { episode(sample) }
    public var liveSettings: [LiveSetting] { [] }
    public func adjusted(_ settings: [String: Int]) throws -> Self {
        guard let field = settings.keys.sorted().first else { return self }
        throw ArnnError("\(kind): \(field) cannot change without retraining")
    }
    public func evaluationSample(rng: inout SeededRNG, length: Int?) -> Sample { sample(rng: &rng, length: length) }
    /// A sample from a table and a question the user gave; tasks that read no tables refuse in one line.
    public func sample(table: Table, question: String) throws -> Sample {
        guard let reader = task.task as? any TableInputTask else {
            throw ArnnError("\(task.name) reads no tables (--table is for tasks that answer questions about one)")
        }
        func read<T: TableInputTask>(_ t: T) throws -> Sample {
            guard let sample = try t.sample(table: table, question: question) as? Sample else {
                throw ArnnError("\(kind) cannot run \(task.name)'s table samples")
            }
            return sample
        }
        return try read(reader)
    }

    /// The task reads the text, whatever the model (`TextInputTask`); other tasks refuse it in one line.
    public func sample(text: String) throws -> Sample { try sample(text: text, like: nil) }

    /// The same, typed over `current`, the sample on screen (a question asked of the table shown).
    public func sample(text: String, like current: (any Sendable)?) throws -> Sample {
        guard let reader = task.task as? any TextInputTask else { throw ArnnError("\(task.name) takes no typed input") }
        func read<T: TextInputTask>(_ t: T) throws -> Sample {
            guard let sample = try t.sample(text: text, like: current as? T.Sample) as? Sample else {
                throw ArnnError("\(kind) cannot run \(task.name)'s typed samples")
            }
            return sample
        }
        return try read(reader)
    }

    /// A validated sample of `length` (nil: drawn from the training range); the form for user input.
    public func checkedSample(rng: inout SeededRNG, length: Int?) throws -> Sample {
        try task.validate()
        if let length { try task.validate(length: length) }
        return sample(rng: &rng, length: length)
    }
}
