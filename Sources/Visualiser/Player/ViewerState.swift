import Episodes
import Models
import Tasks

/// The input editor opened with `e`: a copy of the example's input vectors and a cursor over their
/// entries. Toggling an entry moves it to the next of the task's values (bits: 0 → 1 → 0; parity:
/// 0 → +1 → −1 → 0).
public struct InputEditor: Hashable, Sendable {
    /// `rows[i][e]`: entry e of the i-th input vector.
    public var rows: [[Float]]
    /// The values an entry cycles through.
    public var values: [Float]
    /// True when each toggle runs the model at once (the editor stays open).
    public var runsAtOnce: Bool
    public var row: Int = 0
    public var entry: Int = 0
    /// The input when the editor opened, and whether it was itself an edited one (not a drawn example):
    /// esc goes back to it, in every editor (one that ran at once runs it again).
    public let original: [[Float]]
    public var originalWasEdited = false

    public init(rows: [[Float]], values: [Float] = [0, 1], runsAtOnce: Bool = false) {
        precondition(!rows.isEmpty && !rows[0].isEmpty, "the editor needs at least one entry")
        precondition(values.count >= 2, "an entry needs two values to toggle between")
        self.rows = rows
        self.values = values
        self.runsAtOnce = runsAtOnce
        self.original = rows
    }

    public var width: Int { rows[0].count }
    /// The entry under the cursor.
    public var value: Float { rows[row][entry] }

    /// Moves the entry under the cursor to the next value (an unknown value goes to the first).
    public mutating func toggle() {
        let i = values.firstIndex(of: rows[row][entry]).map { ($0 + 1) % values.count } ?? 0
        rows[row][entry] = values[i]
    }
}

/// One model the player shows: its name, its current episode and its scene.
public struct ShownModel: Sendable {
    /// What the title calls it (`ntm-copy`).
    public var name: String
    public var episode: Episode
    public var scene: AnyScene
    /// The run's snapshots the model can move through (`{`/`}`), and where it is; nil when it has none.
    public var timeline: TrainingTimeline?

    public init(name: String, episode: Episode, scene: AnyScene, timeline: TrainingTimeline? = nil) {
        self.name = name
        self.episode = episode
        self.scene = scene
        self.timeline = timeline
    }
}

/// The player: everything the viewer shows besides each model's own panels. Time (step, play, speed),
/// the example (task, length, seed, edited input), help, size and messages live here; each model's scene
/// keeps its own state. `update` turns it and an event into the next state; `Viewer.view` into a `Screen`.
public struct ViewerState: Sendable {
    /// The models shown: one, or two side by side (`--compare`), all on the same input.
    public private(set) var models: [ShownModel]
    /// Which model's scene receives the scene keys (`o` switches when two are compared).
    public var activeModel = 0
    /// The task the examples come from (its training length range is shown next to the current length).
    public var task: TaskConfig
    /// Length and seed of the current example (`[`/`]` change the length, `n` the seed).
    public var length: Int
    public var seed: UInt64
    /// True when the example came from the bit editor rather than the seed.
    public var edited = false

    public private(set) var step = 0
    public var playing = false
    /// Index into `ViewerState.speeds`.
    public var speedIndex = ViewerState.defaultSpeedIndex
    public var helpOpen = false
    /// The bit editor while editing (`e`), nil otherwise.
    public var editor: InputEditor?
    /// The text typed so far while typing a sentence (`t`, tasks that read text), nil otherwise.
    public var prompt: String?
    /// Why the typed text could not be run (shown in the status bar), and its unknown words (underlined).
    public var promptProblem: String?
    public var promptUnknown: [String] = []
    /// Other ways the models can run an episode (`beam 4`), and the one in use (nil: the default).
    public var variants: [String] = []
    public var variant: String?
    /// The first model's settings that can change without retraining (`[`/`]` where its scene offers
    /// them), and their values where they differ from the trained ones.
    public var liveSettings: [LiveSetting] = []
    public var settings: [String: Int] = [:]
    /// A setting change whose episodes are being run: the settings before it (kept if the run fails) and
    /// what to say of it.
    public struct SettingChange: Hashable, Sendable {
        public var before: [String: Int]
        public var note: String
    }
    public var settingChange: SettingChange?
    /// A one-line note for the user (an error, or what an action did); cleared by the next key.
    public var message: String?
    /// The terminal size `update` lays out for (mouse hit-testing); `view` is given its own size.
    public var width = 80
    public var height = 24

    /// Play speeds in steps per second.
    public static let speeds: [Double] = [1, 2, 3, 5, 8, 12, 20, 30, 60]
    public static let defaultSpeedIndex = 3

    /// - Parameter models: at least one; every episode runs on the same example.
    public init(models: [ShownModel], task: TaskConfig, length: Int, seed: UInt64) {
        precondition(!models.isEmpty, "the player shows at least one model")
        precondition(models.allSatisfy { $0.episode.count > 0 }, "an episode has at least one step")
        self.models = models
        self.task = task
        self.length = length
        self.seed = seed
    }

    /// The first model's episode (compared models run on the same input; their episodes may differ in
    /// length, see `offset`).
    public var episode: Episode { models[0].episode }
    /// The first model's frame at the player's step.
    public var frame: Frame { episode[step(of: 0)] }
    /// The player's last step: the end of the longest of the compared episodes, as aligned.
    public var lastStep: Int {
        guard isComparing else { return episode.count - 1 }
        return models.indices.map { offset($0) + models[$0].episode.count }.max()! - 1
    }

    /// Where model `i`'s episode starts on the player's time line. Compared models step together, aligned
    /// on where they start writing: a model that reads its input step by step first (steps whose data
    /// `onlyReads`) starts at 0, and one that reads it all at once (an encoder–decoder) starts that many
    /// steps later. Episodes of the same shape start together (offset 0).
    public func offset(_ i: Int) -> Int {
        guard isComparing else { return 0 }
        func reading(_ e: Episode) -> Int { e.frames.prefix { $0.data.onlyReads }.count }
        return models.map { reading($0.episode) }.max()! - reading(models[i].episode)
    }

    /// Model `i`'s own step at the player's step: before its start it shows its first frame, after its end
    /// its last (a decoder that stopped sooner holds its last word).
    public func step(of i: Int) -> Int {
        Swift.max(0, Swift.min(models[i].episode.count - 1, step - offset(i)))
    }
    public var speed: Double { Self.speeds[speedIndex] }
    /// Milliseconds between steps while playing.
    public var tickMilliseconds: Int { Int((1000 / speed).rounded()) }
    public var isComparing: Bool { models.count > 1 }

    /// Moves to `step`, clamped to the episode.
    public mutating func go(to target: Int) {
        step = Swift.max(0, Swift.min(lastStep, target))
    }

    /// Replaces every model's episode (a new example, or edited input), keeping the step when it still
    /// exists; each scene adjusts its own state.
    public mutating func replaceEpisodes(_ episodes: [Episode]) {
        precondition(episodes.count == models.count, "one episode per model shown")
        precondition(episodes.allSatisfy { $0.count > 0 }, "an episode has at least one step")
        for i in models.indices { models[i].episode = episodes[i] }
        step = Swift.min(step, lastStep)
        let layout = PlayerLayout(self, width: width, height: height)
        for i in models.indices { models[i].scene.episodeChanged(context(i, layout)) }
    }

    /// The context model `i`'s scene sees under `layout`.
    func context(_ i: Int, _ layout: PlayerLayout) -> SceneContext {
        SceneContext(episode: models[i].episode, step: step(of: i), rect: layout.sceneRects[i] ?? .zero,
                     kind: layout.sceneKind, editor: editor, active: i == activeModel)
    }

    /// Model `i`'s scene context at the current size (tests and the key handlers).
    public func context(_ i: Int) -> SceneContext { context(i, PlayerLayout(self, width: width, height: height)) }

    /// Gives model `i` the timeline of its run's snapshots (the loader does, when it has them).
    public mutating func setTimeline(_ timeline: TrainingTimeline?, for i: Int) {
        models[i].timeline = timeline
    }

    /// Moves model `i` to `position` on its timeline with the episodes its new weights gave (one per model
    /// shown, on the same example): the step, the example and every scene's state stay.
    mutating func moveInTime(model i: Int, to position: Int, episodes: [Episode]) {
        models[i].timeline?.position = position
        replaceEpisodes(episodes)
    }

    /// True when any model shown has snapshots to move through.
    public var hasTimeline: Bool { models.contains { $0.timeline != nil } }

    /// Calls `body` with model `i`'s scene to change it in place.
    mutating func withScene(_ i: Int, _ body: (inout AnyScene) -> Void) {
        body(&models[i].scene)
    }
}

extension ViewerState {
    /// The player's actions this view cannot do (help and the status bar leave them out): `o` without a
    /// comparison, typing for tasks that read no text, editing for tasks whose input cannot be edited, `b`
    /// for models that run one way only.
    public var unavailableActions: Set<ViewerAction> {
        var actions: Set<ViewerAction> = []
        if !isComparing { actions.insert(.otherModel) }
        if !task.readsText { actions.insert(.typeText) }
        if task.editable == nil { actions.insert(.edit) }
        if variants.isEmpty { actions.insert(.nextVariant) }
        if !hasTimeline { actions.formUnion([.earlierSnapshot, .laterSnapshot]) }
        return actions
    }

    /// The editor over the current example's input vectors, as its task lays them out; nil for tasks
    /// whose input cannot be edited.
    public var inputEditor: InputEditor? {
        guard let editable = task.editable, let example = episode.example else { return nil }
        let rows = editable.editedEntries(of: example)
        guard !rows.isEmpty, !rows[0].isEmpty else { return nil }
        return InputEditor(rows: rows, values: editable.entryValues, runsAtOnce: editable.editRunsAtOnce)
    }
}
