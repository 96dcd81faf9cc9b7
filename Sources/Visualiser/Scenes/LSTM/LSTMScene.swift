import Episodes
import Models

/// What a key asks of the LSTM scene.
public enum LSTMAction: Hashable, Sendable {
    case cursorUp, cursorDown
    case hideCursor
    case nextLayer, previousLayer
    /// The history shows the hidden state h or the cell state c.
    case toggleCell
}

/// The LSTM baseline's scene: the sequence panel, the selected layer's state over time (units × steps:
/// what the network holds in place of a memory), and the step's gates, candidate, cell and hidden state
/// unit by unit (docs/models/lstm.md eqs. 4–6). Its state is the layer, the history's quantity and the
/// cursor on a unit; the player owns time.
public struct LSTMScene: Scene {
    public static let kind = "lstm"
    public static let minimumWidth = 60
    public static let minimumHeight = 20

    /// Signed state (h, c, g) and gates (0…1).
    static let signedScale = ColorScale.blueWhiteRed
    static let gateScale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)
    static let tanhRange = ValueRange(min: -1, max: 1)

    public var layer = 0
    public var showCell = false
    /// The unit under the cursor; nil hides it.
    public var cursorUnit: Int?
    /// The largest |c| over the episode, per layer, so the cell history keeps its colours while scrubbing.
    public private(set) var cellRange: [ValueRange]
    /// Every frame's snapshot as the LSTM's own type, taken once per episode so drawing never casts.
    public private(set) var snapshots: [LSTMSnapshot]

    public static let keys = KeyMap<LSTMAction>([
        .init([.up, .char("k")], .cursorUp, "cursor up a unit (shows its exact values)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a unit"),
        .init([.escape], .hideCursor, "hide the cursor"),
        .init([.tab], .nextLayer, "next layer", status: "layer"),
        .init([.backTab], .previousLayer, "previous layer"),
        .init([.char("c")], .toggleCell, "history: hidden state h / cell state c", status: "h/c"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [
            (.cursorUp, .cursorDown, "cursor up / down a unit (exact values below)"),
            (.nextLayer, .previousLayer, "next / previous layer"),
        ])
    }

    public init(episode: Episode) {
        snapshots = episode.snapshots(LSTMSnapshot.self, scene: Self.kind)
        cellRange = Self.cellRanges(snapshots)
    }

    static func cellRanges(_ snapshots: [LSTMSnapshot]) -> [ValueRange] {
        snapshots[0].layers.indices.map { k in
            var m: Float = 0
            for s in snapshots { for v in s.layers[k].cell { m = Swift.max(m, abs(v)) } }
            return .symmetric(m)
        }
    }

    public func offers(_ action: LSTMAction) -> Bool {
        action != .nextLayer && action != .previousLayer || snapshots[0].layers.count > 1
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        snapshots = context.episode.snapshots(LSTMSnapshot.self, scene: Self.kind)
        cellRange = Self.cellRanges(snapshots)
        layer = Swift.min(layer, snapshots[0].layers.count - 1)
    }

    public mutating func perform(_ action: LSTMAction, _ context: SceneContext) -> SceneReply {
        let snap = snapshots[context.step]
        let units = snap.layers[layer].hidden.count
        switch action {
        case .cursorUp: cursorUnit = Swift.max(0, (cursorUnit ?? strongestUnit(snap) + 1) - 1)
        case .cursorDown: cursorUnit = Swift.min(units - 1, (cursorUnit ?? strongestUnit(snap) - 1) + 1)
        case .hideCursor: cursorUnit = nil
        case .nextLayer where snap.layers.count == 1, .previousLayer where snap.layers.count == 1:
            return .message("one layer: tab has no other layer to show")
        case .nextLayer: layer = (layer + 1) % snap.layers.count
        case .previousLayer: layer = (layer + snap.layers.count - 1) % snap.layers.count
        case .toggleCell: showCell.toggle()
        }
        return .none
    }

    /// Where the cursor appears first: the unit with the largest |h| at this step.
    func strongestUnit(_ snap: LSTMSnapshot) -> Int {
        let h = snap.layers[layer].hidden
        var best = 0
        for i in h.indices where abs(h[i]) > abs(h[best]) { best = i }
        return best
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = LSTMLayout(self, context)
        if let step = layout.historyTime.step(atX: x), layout.historyMap.contains(x: x, y: y) {
            cursorUnit = Swift.min(layout.units - 1, (y - layout.historyMap.y) * 2 * layout.historyPool)
            return .go(step)
        }
        if layout.strips.contains(x: x, y: y) {
            cursorUnit = Swift.min(layout.units - 1, (x - layout.strips.x) / layout.stripCellWidth * layout.stripPool)
            return .none
        }
        if layout.seq.sequence.contains(x: x, y: y), let step = layout.seq.step(atX: x) {
            return .go(step)
        }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = LSTMLayout(self, context)
        SequencePanel.draw(context, layout.seq, mode, &screen)
        drawHistory(context, layout, mode, &screen)
        drawStep(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let unit = cursorUnit else { return nil }
        let l = snapshots[context.step].layers[layer]
        guard unit < l.hidden.count else { return nil }
        func f(_ v: Float, _ sign: Bool = false) -> String { NumberFormat.fixed(v, decimals: 3, plusSign: sign) }
        return "layer \(layer + 1) unit \(unit), step \(context.step + 1): h \(f(l.hidden[unit], true))  c \(f(l.cell[unit], true))"
            + "  · i \(f(l.inputGate[unit]))  f \(f(l.forgetGate[unit]))  g \(f(l.candidate[unit], true))  o \(f(l.outputGate[unit]))"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let halves = rect.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        let range = showCell ? cellRange[layer] : Self.tanhRange
        Legend(title: showCell ? " c" : " h, g", scale: Self.signedScale, range: range, mode: mode, decimals: 1)
            .render(into: &screen, rect: halves[0])
        Legend(title: "gates i f o", scale: Self.gateScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[1])
    }

    public func statusNote(_ context: SceneContext) -> String {
        let layers = snapshots[context.step].layers.count
        return (layers > 1 ? "layer \(layer + 1)/\(layers) · " : "") + (showCell ? "cell c" : "hidden h")
    }

    /// For the training watch: the state history and the step's gates, without the sequence panel.
    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = LSTMLayout(self, context, sequence: false)
        drawHistory(context, layout, mode, &screen)
        drawStep(context, layout, mode, &screen)
    }
}


/// The largest-magnitude value (sign kept) of `values[start ..< start + count]`, for pooling units into
/// fewer cells without losing a strong one.
func maxAbsPool(_ values: [Float], start: Int, count: Int) -> Float {
    let end = Swift.min(values.count, start + count)
    guard start < end else { return 0 }
    var m = values[start]
    for i in start..<end where abs(values[i]) > abs(m) { m = values[i] }
    return m
}
