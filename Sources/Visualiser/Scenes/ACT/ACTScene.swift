import Episodes
import Models

/// What a key asks of the ACT scene.
public enum ACTAction: Hashable, Sendable {
    case subStepUp, subStepDown
    /// Step through the ponder sub-steps of the whole sequence: after an input's last sub-step comes the
    /// next input's first.
    case nextSubStep, previousSubStep
    case hideCursor
}

/// Adaptive Computation Time (docs/models/act.md): the current input along the top; one column per input
/// step with the halting distribution p of its sub-steps stacked up to 1 (the remainder R marked, N and
/// the ponder cost ρ = N + R written underneath); and the current input's sub-steps expanded: h, Σh, p,
/// σ(y) and the state as a row of units. Its state is the cursor on a sub-step (the stacked bar of the
/// current input then fills only up to it); the player owns time.
public struct ACTScene: Scene {
    public static let kind = "act"
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    static let signedScale = ColorScale.blueWhiteRed
    static let weightScale = ColorScale.viridis
    static let unitRange = ValueRange(min: 0, max: 1)
    static let signedRange = ValueRange(min: -1, max: 1)

    /// The sub-step under the cursor (0-based); nil hides it.
    public var cursor: Int?
    public private(set) var snapshots: [ACTSnapshot]

    public static let keys = KeyMap<ACTAction>([
        .init([.char(".")], .nextSubStep, "next ponder sub-step (then the next input's)", status: "sub-step"),
        .init([.char(",")], .previousSubStep, "previous ponder sub-step (then the previous input's)"),
        .init([.up, .char("k")], .subStepUp, "cursor up a ponder sub-step (its exact values below)"),
        .init([.down, .char("j")], .subStepDown, "cursor down a ponder sub-step"),
        .init([.escape], .hideCursor, "hide the cursor: show every sub-step"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.previousSubStep, .nextSubStep, "step back / forward one ponder sub-step, across inputs"),
                                   (.subStepUp, .subStepDown, "cursor up / down a ponder sub-step (exact values below)")])
    }

    public init(episode: Episode) { snapshots = episode.snapshots(ACTSnapshot.self, scene: Self.kind) }

    public mutating func episodeChanged(_ context: SceneContext) {
        snapshots = context.episode.snapshots(ACTSnapshot.self, scene: Self.kind)
    }

    /// The sub-step under the cursor at the context's step (the cursor is kept across steps and clamped
    /// to each input's own N), or nil.
    package func subStep(_ context: SceneContext) -> Int? {
        cursor.map { Swift.min($0, snapshots[context.step].steps - 1) }
    }

    public mutating func perform(_ action: ACTAction, _ context: SceneContext) -> SceneReply {
        let n = snapshots[context.step].steps
        let current = subStep(context)
        switch action {
        case .subStepUp: cursor = Swift.max(0, (current ?? n) - 1)
        case .subStepDown: cursor = Swift.min(n - 1, (current ?? -1) + 1)
        case .nextSubStep:
            guard let c = current else { cursor = 0; return .none }
            if c + 1 < n { cursor = c + 1; return .none }
            guard context.step < context.lastStep else { return .none }
            cursor = 0
            return .stepForward
        case .previousSubStep:
            guard let c = current else { cursor = n - 1; return .none }
            if c > 0 { cursor = c - 1; return .none }
            guard context.step > 0 else { return .none }
            cursor = Int.max          // the previous input's last sub-step, whatever its N
            return .stepBack
        case .hideCursor: cursor = nil
        }
        return .none
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = ACTLayout(self, context)
        if layout.subSteps.contains(x: x, y: y) {
            let row = y - layout.subSteps.y
            if row < snapshots[context.step].steps { cursor = row }
            return .none
        }
        // A click on an input's column goes to that input.
        if Rect(x: layout.bars.x, y: layout.bars.y, width: layout.bars.width, height: layout.bars.height + layout.labels.height)
            .contains(x: x, y: y) {
            let t = layout.firstColumn + (x - layout.bars.x) / layout.columnWidth
            if t < snapshots.count { return .go(t) }
        }
        return .none
    }

    public func readout(_ context: SceneContext) -> String? {
        let s = snapshots[context.step]
        guard let n = subStep(context) else { return nil }
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 4) }
        let out = logistic(s.subLogits[n]).first ?? 0
        return "input \(context.step + 1), sub-step \(n + 1) of \(s.steps): h \(f(s.halting[n]))  Σh \(f(s.cumulative[n]))"
            + "  p \(f(s.weights[n]))  σ(y) \(f(out))"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let halves = rect.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        // Without colour the inputs are only their symbols + − ·, which this legend does not describe.
        Legend(title: mode == .none ? " state s" : " state s, input", scale: Self.signedScale, range: Self.signedRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[0])
        Legend(title: "p (bar colour)", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[1])
    }

    public func statusNote(_ context: SceneContext) -> String {
        let s = snapshots[context.step]
        let at = subStep(context).map { "sub-step \($0 + 1)/" } ?? "N "
        return "\(at)\(s.steps) · ρ \(NumberFormat.fixed(s.ponder, decimals: 2))"
    }
}

