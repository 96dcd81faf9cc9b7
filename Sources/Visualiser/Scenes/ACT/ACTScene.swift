import Foundation
import Episodes
import Models

/// What a key asks of the ACT scene.
public enum ACTAction: Hashable, Sendable {
    case subStepUp, subStepDown
    case hideCursor
}

/// Adaptive Computation Time (docs/models/act.md): the input, and for the current input step its ponder
/// sub-steps: the halting units filling the budget up to 1 − ε, the weights of the mean (the remainder
/// marked), N and ρ, and each sub-step's state as a row of units; the ponder cost of every input step
/// along the bottom. Its state is the cursor on a sub-step; the player owns time.
public struct ACTScene: Scene {
    public static let kind = "act"
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    static let signedScale = ColorScale.blueWhiteRed
    static let weightScale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)
    static let signedRange = ValueRange(min: -1, max: 1)

    /// The sub-step under the cursor (0-based); nil hides it.
    public var cursor: Int?
    public private(set) var snapshots: [ACTSnapshot]

    public static let keys = KeyMap<ACTAction>([
        .init([.up, .char("k")], .subStepUp, "cursor up a ponder sub-step (its exact values below)"),
        .init([.down, .char("j")], .subStepDown, "cursor down a ponder sub-step"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.subStepUp, .subStepDown, "cursor up / down a ponder sub-step (exact values below)")])
    }

    public init(episode: Episode) { snapshots = episode.snapshots(ACTSnapshot.self, scene: Self.kind) }

    public mutating func episodeChanged(_ context: SceneContext) {
        snapshots = context.episode.snapshots(ACTSnapshot.self, scene: Self.kind)
        if let c = cursor { cursor = Swift.min(c, snapshots[context.step].steps - 1) }
    }

    public mutating func perform(_ action: ACTAction, _ context: SceneContext) -> SceneReply {
        let n = snapshots[context.step].steps
        switch action {
        case .subStepUp: cursor = Swift.max(0, (cursor ?? n) - 1)
        case .subStepDown: cursor = Swift.min(n - 1, (cursor ?? -1) + 1)
        case .hideCursor: cursor = nil
        }
        return .none
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = ACTLayout(self, context)
        guard layout.subSteps.contains(x: x, y: y) else { return .none }
        let row = y - layout.subSteps.y
        if row < snapshots[context.step].steps { cursor = row }
        return .none
    }

    public func readout(_ context: SceneContext) -> String? {
        let s = snapshots[context.step]
        guard let n = cursor, n < s.steps else { return nil }
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 4) }
        let out = s.subLogits[n].first.map { 1 / (1 + Foundation.exp(-$0)) } ?? 0
        return "input \(context.step + 1), sub-step \(n + 1) of \(s.steps): h \(f(s.halting[n]))  Σh \(f(s.cumulative[n]))"
            + "  p \(f(s.weights[n]))  σ(y) \(f(out))"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let halves = rect.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        Legend(title: " state/input", scale: Self.signedScale, range: Self.signedRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[0])
        Legend(title: "h, p", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[1])
    }

    public func statusNote(_ context: SceneContext) -> String {
        let s = snapshots[context.step]
        return "N \(s.steps) · ρ \(NumberFormat.fixed(s.ponder, decimals: 2))"
    }
}

