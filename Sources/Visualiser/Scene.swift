import Episodes
import Models

/// What a scene is given by the player: the episode, the step, and the room it has.
public struct SceneContext: Sendable {
    public var episode: Episode
    public var step: Int
    /// The scene's rectangle on screen (its part of the body; half of it when two scenes are compared).
    public var rect: Rect
    /// Rich layouts (big terminals) get bordered panels; compact ones captions.
    public var kind: SceneFrame.Kind
    /// The input editor, while the user edits the example's input (scenes draw it over their input).
    public var editor: InputEditor?
    /// True when this scene receives the scene keys (always, unless two scenes are compared).
    public var active: Bool

    public init(episode: Episode, step: Int, rect: Rect, kind: SceneFrame.Kind, editor: InputEditor? = nil, active: Bool = true) {
        self.episode = episode
        self.step = step
        self.rect = rect
        self.kind = kind
        self.editor = editor
        self.active = active
    }

    public var frame: Frame { episode[step] }
    public var lastStep: Int { episode.count - 1 }
}

/// What a scene asks the player to do after a key or a click.
public enum SceneReply: Hashable, Sendable {
    case none
    case stepForward, stepBack
    /// Pause and go to this step (a click on a time axis).
    case go(Int)
    /// Say this on the info line (a key with nothing to do here: "one layer: nothing to switch to").
    case message(String)
    /// Move the model's live setting (a Linformer's k, a Performer's m: `LiveSetting`) `steps` rungs along
    /// its values and run the same input again.
    case adjustSetting(steps: Int)
    /// The key does nothing in the scene now: the player's own binding of it runs (`[` is a shorter
    /// sequence where there is no approximation's k to change).
    case playerKey
}

/// One model's view: its own state (focus, cursor, modes), its keys and their actions, its mouse hits and
/// what it draws. The player owns time (step, play, speed), the example (seed, length, editing), help,
/// size and messages, and composes one scene, or two side by side. A scene never runs a model.
public protocol Scene: Sendable {
    associatedtype Action: Hashable & Sendable
    /// The model kind whose episodes this scene draws.
    static var kind: String { get }
    /// The scene's keys: `update` dispatches on them first, then on the player's; help and the status bar
    /// list both.
    static var keys: KeyMap<Action> { get }
    /// The smallest rectangle the scene can draw in.
    static var minimumWidth: Int { get }
    static var minimumHeight: Int { get }

    /// The scene's state for the first episode.
    init(episode: Episode)
    /// A new episode replaced the old one (a new example, or edited input).
    mutating func episodeChanged(_ context: SceneContext)
    /// A key bound in `keys`.
    mutating func perform(_ action: Action, _ context: SceneContext) -> SceneReply
    /// A left click at (x, y) inside `context.rect`.
    mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply
    /// Draws the scene into `context.rect`.
    func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode)
    /// The exact value under the scene's cursor, in words, when it shows one.
    func readout(_ context: SceneContext) -> String?
    /// Colour legends for the info line of compact layouts (which have no panel borders to carry them).
    func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode)
    /// What the status bar says of the scene's mode (the focused panel, ...).
    func statusNote(_ context: SceneContext) -> String
    /// Whether `action` does anything for the episode shown (tab over one layer or one head does not): the
    /// status bar offers only those. Default: every action.
    func offers(_ action: Action) -> Bool
    /// Help lines for the scene's keys (default: one per binding).
    static var helpEntries: [HelpEntry] { get }
    /// The scene's most telling panels at the context's step, for the training watch's sample area
    /// (default: the whole view).
    func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode)
    /// The legends of the overview, for a compact info row (default: `drawLegends`).
    func drawOverviewLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode)
}

extension Scene {
    public static var helpEntries: [HelpEntry] { keys.helpEntries }
    public func readout(_ context: SceneContext) -> String? { nil }
    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {}
    public func statusNote(_ context: SceneContext) -> String { "" }
    public func offers(_ action: Action) -> Bool { true }
    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        view(context, into: &screen, mode: mode)
    }
    public func drawOverviewLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        drawLegends(context, into: &screen, rect: rect, mode: mode)
    }
}

/// A scene of any model, as the player holds it.
public struct AnyScene: Sendable {
    public private(set) var base: any Scene

    public init(_ base: any Scene) { self.base = base }

    public var kind: String { type(of: base).kind }
    public var minimumWidth: Int { type(of: base).minimumWidth }
    public var minimumHeight: Int { type(of: base).minimumHeight }
    /// The status bar hints of the actions the scene offers now.
    public var statusHints: [HelpEntry] { Self.keyMapHints(base) }
    public var helpEntries: [HelpEntry] { Self.help(base) }

    static func keyMapHints<S: Scene>(_ s: S) -> [HelpEntry] { S.keys.statusHints { s.offers($0) } }
    static func help<S: Scene>(_ s: S) -> [HelpEntry] { S.helpEntries }

    /// Whether the scene binds `key`.
    public func binds(_ key: Key) -> Bool { Self.binds(base, key) }
    static func binds<S: Scene>(_ s: S, _ key: Key) -> Bool { S.keys.action(for: key) != nil }

    /// Runs the scene's action for `key`; nil when the scene does not bind it.
    public mutating func handle(_ key: Key, _ context: SceneContext) -> SceneReply? {
        var scene = base
        let reply = Self.handle(&scene, key, context)
        base = scene
        return reply
    }

    static func handle<S: Scene>(_ s: inout S, _ key: Key, _ context: SceneContext) -> SceneReply? {
        guard let action = S.keys.action(for: key) else { return nil }
        return s.perform(action, context)
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        var scene = base
        let reply = Self.click(&scene, x, y, context)
        base = scene
        return reply
    }

    static func click<S: Scene>(_ s: inout S, _ x: Int, _ y: Int, _ context: SceneContext) -> SceneReply {
        s.click(x: x, y: y, context)
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        var scene = base
        Self.changed(&scene, context)
        base = scene
    }

    static func changed<S: Scene>(_ s: inout S, _ context: SceneContext) { s.episodeChanged(context) }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        base.view(context, into: &screen, mode: mode)
    }

    public func readout(_ context: SceneContext) -> String? { base.readout(context) }
    public func statusNote(_ context: SceneContext) -> String { base.statusNote(context) }
    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        base.drawLegends(context, into: &screen, rect: rect, mode: mode)
    }
    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        base.drawOverview(context, into: &screen, mode: mode)
    }
    public func drawOverviewLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        base.drawOverviewLegends(context, into: &screen, rect: rect, mode: mode)
    }
}

extension Episode {
    /// Every frame's snapshot as a scene's own model type. The registry gives a scene only its model's
    /// episodes, so another type is a programming error.
    func snapshots<S: StepSnapshot>(_ type: S.Type, scene: String) -> [S] {
        frames.map { f in
            guard let s = f.snapshot as? S else { preconditionFailure("the \(scene) scene got a \(Swift.type(of: f.snapshot)) frame") }
            return s
        }
    }
}

/// How a registry line makes a model's scene: its kind and a constructor.
public struct SceneEntry: Sendable {
    public let kind: String
    public let make: @Sendable (Episode) -> AnyScene

    public init<S: Scene>(_ type: S.Type) {
        kind = S.kind
        make = { AnyScene(S(episode: $0)) }
    }
}
