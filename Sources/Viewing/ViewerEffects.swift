import Engine
import Episodes
import Tasks
import Visualiser

/// Does what `update` asks for: runs every model shown on a new or edited example. Kept apart from
/// `update` so update stays pure and fast; the app loop (and tests) call it with the command `update`
/// returned. The Visualiser never runs a model; this does.
public struct ViewerEffects: Sendable {
    public var learners: [any Learner]
    public var task: TaskConfig
    /// How episodes are run (`beam 4`; nil: each model's default way), as the player last asked.
    public var variant: String?
    /// Live settings (`LiveSetting`: a Performer's m) as the player last set them; each model takes the ones
    /// it has.
    public var settings: [String: Int] = [:]
    /// For each model, the weights file of each moment of its run's timeline (nil: it has no snapshots).
    public var snapshotFiles: [[String]?]

    /// - Parameter learners: the models shown, all on `task`.
    public init(learners: [any Learner], task: TaskConfig) {
        precondition(!learners.isEmpty, "the viewer shows at least one model")
        self.learners = learners
        self.task = task
        snapshotFiles = Array(repeating: nil, count: learners.count)
    }

    /// The sample of `length` drawn from `seed` (by the first model's task), run through every model.
    public func episodes(length: Int, seed: UInt64) throws -> [Episode] {
        var rng = SeededRNG(seed: seed)
        return try episodes(for: draw(learners[0], &rng, length))
    }

    func draw<L: Learner>(_ learner: L, _ rng: inout SeededRNG, _ length: Int) throws -> any Sendable {
        try learner.checkedSample(rng: &rng, length: length)
    }

    /// Every model on this sample (compared models run on the same task, so they take the same samples).
    /// Their episodes may differ in length (a decoder that stops sooner, a model that reads its input step
    /// by step): the player aligns them (`ViewerState.offset`) and holds a finished one at its last frame.
    public func episodes(for sample: any Sendable) throws -> [Episode] {
        let result = try learners.map { try run($0, sample) }
        return result
    }

    func run<L: Learner>(_ learner: L, _ sample: any Sendable) throws -> Episode {
        guard let typed = sample as? L.Sample else {
            throw ArnnError("\(learner.kind) cannot run on a \(type(of: sample)) sample")
        }
        let fields = Set(learner.liveSettings.map(\.field))
        let model = try learner.adjusted(settings.filter { fields.contains($0.key) })
        return model.episode(typed, variant: variant.flatMap { learner.variants.contains($0) ? $0 : nil })
    }

    /// The first model's task's sample for text the user typed (a sentence; a question over the table of
    /// `current`, the sample on screen), run through every model.
    public func episodes(text: String, like current: (any Sendable)? = nil) throws -> [Episode] {
        try episodes(for: parse(learners[0], text, current))
    }

    func parse<L: Learner>(_ learner: L, _ text: String, _ current: (any Sendable)?) throws -> any Sendable {
        try learner.sample(text: text, like: current)
    }

    /// The first model's task's sample for a table and a question the user gave, run through every model.
    public func episodes(table: Table, question: String) throws -> [Episode] {
        func read<L: Learner>(_ learner: L) throws -> any Sendable { try learner.sample(table: table, question: question) }
        return try episodes(for: read(learners[0]))
    }

    /// `perform` the way `state` runs its models (its variant and live settings), on its episode.
    public func perform(_ command: ViewerCommand, for state: ViewerState) -> ViewerMessage? {
        var effects = self
        effects.variant = state.variant
        effects.settings = state.settings
        return effects.perform(command, current: state.episode)
    }

    /// The result of `command` as a message for `update`; nil for `.quit`, which the loop handles itself.
    public func perform(_ command: ViewerCommand, current: Episode? = nil) -> ViewerMessage? {
        do {
            switch command {
            case let .rerun(variant, seed, edited):
                // The same sample another way (beam search): a typed or edited input stays one.
                guard let current else { return .failed("nothing to run again") }
                var effects = self
                effects.variant = variant
                return .episodes(try effects.episodes(for: current.sample), length: current.length, seed: seed, edited: edited)
            case let .runExample(length, seed):
                return .episodes(try episodes(length: length, seed: seed), length: length, seed: seed, edited: false)
            case let .runInput(rows):
                guard let editable = task.editable else { return .failed("\(task.name) takes no edited input") }
                let example = try editable.example(entries: rows, like: current?.example)
                return .episodes(try episodes(for: example), length: example.parameters.length, seed: 0,
                                 edited: true)
            case let .loadSnapshot(model, position, from):
                guard let current else { return .failed("nothing to run again") }
                guard let files = snapshotFiles[model], files.indices.contains(position) else {
                    return .failed("no snapshot \(position) to load")
                }
                try learners[model].loadWeights(from: Checkpoint.read(from: files[position]))
                do {
                    return .snapshotLoaded(model: model, position: position, episodes: try episodes(for: current.sample))
                } catch let error as ArnnError where files.indices.contains(from) {
                    // A decoder may stop sooner at one moment than at another: keep the weights as they were.
                    try learners[model].loadWeights(from: Checkpoint.read(from: files[from]))
                    return .failed("at that moment \(error.message); compare moments one at a time")
                }
            case let .runText(text):
                let result = try episodes(text: text, like: current?.sample)
                return .episodes(result, length: result[0].length, seed: 0, edited: true)
            case .quit:
                return nil
            }
        } catch let error as ArnnError {
            return .failed(error.message)
        } catch {
            return .failed("\(error)")
        }
    }
}
