import Episodes
import Models

/// Which panel of the neural stack scene the cursor and the arrow keys act on.
public enum NeuralStackFocus: Hashable, Sendable {
    /// The structure: the cursor picks a row and one of its value entries, its strength or a read weight.
    case structure
    /// The strengths over time: the cursor picks a row; its column is the current step.
    case history
}

/// What a key asks of the neural stack scene.
public enum NeuralStackAction: Hashable, Sendable {
    /// `→`/`←`: move the cursor along a row of the structure while it is shown there, else step.
    case right, left
    case cursorUp, cursorDown
    case hideCursor
    case nextPanel, previousPanel
}

/// The keys of every neural stack scene (a generic type cannot store them).
enum NeuralStackKeys {
    static let map = KeyMap<NeuralStackAction>([
        .init([.right], .right, "next step (moves the cursor along a row of the structure when it is shown)"),
        .init([.left], .left, "previous step (moves the cursor along a row of the structure when it is shown)"),
        .init([.up, .char("k")], .cursorUp, "cursor up a row (its exact values below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a row"),
        .init([.escape], .hideCursor, "hide the cursor"),
        .init([.tab], .nextPanel, "next panel: the structure / its strengths over time", status: "panel"),
        .init([.backTab], .previousPanel, "previous panel"),
    ])

    static let help = map.helpEntries(pairing: [
        (.right, .left, "next / previous step (or the cursor along a row, when shown)"),
        (.cursorUp, .cursorDown, "cursor up / down a row (exact values below)"),
        (.nextPanel, .previousPanel, "next / previous panel: the structure, its strengths over time"),
    ])
}

/// The colours of the neural stack scenes.
enum NeuralStackColors {
    /// Pushed and read values (tanh, signed).
    static let valueScale = ColorScale.blueWhiteRed
    /// Strengths s, push d and pop u, all in 0…1.
    static let strengthScale = ColorScale.viridis
    /// Read weights, 0…1.
    static let readScale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)
    /// A row whose strength is below this shows as 0.00 and is drawn grey: popped (or pushed with d ≈ 0),
    /// but kept, as the paper's structure keeps every row.
    static let faint: Float = 0.005
}

/// The continuous stack, queue or double-ended queue of Grefenstette et al. 2015
/// (docs/models/neural-stack.md): the words read and written; the structure drawn as it stands after
/// the step, top row at the top, each kept row's value vector as coloured cells with its strength as a bar
/// beside it and each head's read weight on it (rows popped to zero stay, in grey; the ends say which
/// head pushes, pops and reads there); this step's push d, pop u, pushed value and read per head; and
/// every row's strength over the episode (slot × step, the paper's Figure 1). `S` names the structure, so
/// each model kind has its own scene type and the scene knows where each head works. Its state is the
/// focused panel and the cursor on a row (kept by the row's identity, so it stays on the same vector
/// while steps add rows); the player owns time.
public struct NeuralStackScene<S: ContinuousStructure>: Scene {
    public static var kind: String { S.kind }
    /// Every panel in the compact layout at 72 columns and 20 rows (two scenes side by side at 160
    /// columns, each under a caption, and 80×24 alone).
    public static var minimumWidth: Int { 72 }
    public static var minimumHeight: Int { 20 }
    public static var keys: KeyMap<NeuralStackAction> { NeuralStackKeys.map }
    public static var helpEntries: [HelpEntry] { NeuralStackKeys.help }

    public var focus: NeuralStackFocus = .structure
    /// The row under the cursor as a slot of `history` (its place in the episode's last structure); nil
    /// hides the cursor.
    public var cursorSlot: Int?
    /// Along the row: value entries 0 ..< m, then the strength (m), then each head's read weight.
    public var cursorColumn = 0
    package private(set) var history: StructureHistory

    public init(episode: Episode) {
        history = StructureHistory(episode, scene: S.kind)
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        history = StructureHistory(context.episode, scene: S.kind)
        if let slot = cursorSlot { cursorSlot = Swift.min(slot, history.slotCount - 1) }
        cursorColumn = Swift.min(cursorColumn, columnCount - 1)
    }

    /// Value entries, the strength, one read weight per head.
    var columnCount: Int { history.valueSize + 1 + history.heads }
    var strengthColumn: Int { history.valueSize }

    /// The end (top, bottom) of a row pushed by `head`, when the structure pushes at both.
    func endName(ofHead head: Int) -> String? {
        let ends = Set(S.heads.map(\.pushesAt))
        guard ends.count > 1, head < S.heads.count else { return nil }
        return S.heads[head].pushesAt == .top ? "top" : "bottom"
    }

    /// `on top` / `at the bottom` for a slot of a structure that pushes at both ends.
    func endText(ofSlot slot: Int) -> String? {
        endName(ofHead: history.slots[slot].head).map { $0 == "top" ? "on top" : "at the bottom" }
    }

    public mutating func perform(_ action: NeuralStackAction, _ context: SceneContext) -> SceneReply {
        let t = context.step
        switch action {
        case .right:
            guard focus == .structure, cursorSlot != nil else { return .stepForward }
            cursorColumn = Swift.min(columnCount - 1, cursorColumn + 1)
        case .left:
            guard focus == .structure, cursorSlot != nil else { return .stepBack }
            cursorColumn = Swift.max(0, cursorColumn - 1)
        case .cursorUp:
            moveCursor(by: 1, at: t)
        case .cursorDown:
            moveCursor(by: -1, at: t)
        case .hideCursor:
            cursorSlot = nil
        case .nextPanel, .previousPanel:
            focus = focus == .structure ? .history : .structure
        }
        return .none
    }

    /// Up is towards the top. On the structure the cursor stays among the rows held at step `t`; on the
    /// heatmap it goes over every slot of the episode. A hidden cursor appears on the row the first head
    /// reads most.
    mutating func moveCursor(by delta: Int, at t: Int) {
        let lo: Int, hi: Int
        if focus == .structure {
            lo = history.offsets[t]
            hi = lo + history.snapshots[t].strengths.count - 1
        } else {
            lo = 0
            hi = history.slotCount - 1
        }
        guard let slot = cursorSlot else {
            cursorSlot = history.slot(ofRow: mostReadRow(at: t), at: t)
            return
        }
        cursorSlot = Swift.min(hi, Swift.max(lo, slot + delta))
    }

    /// The row head 0 reads most at step `t` (the top row when it reads nothing).
    func mostReadRow(at t: Int) -> Int {
        let s = history.snapshots[t]
        guard let w = s.readWeights.first, !w.isEmpty else { return Swift.max(0, s.strengths.count - 1) }
        var best = w.count - 1
        for i in w.indices where w[i] > w[best] { best = i }
        return best
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = NeuralStackLayout(self, context)
        if let (row, column) = layout.structureHit(x: x, y: y) {
            focus = .structure
            cursorSlot = history.slot(ofRow: row, at: context.step)
            if let column { cursorColumn = Swift.min(columnCount - 1, column) }
            return .none
        }
        if let (slot, step) = layout.heatmapHit(x: x, y: y) {
            focus = .history
            cursorSlot = slot
            return .go(step)
        }
        if layout.seq.sequence.contains(x: x, y: y), let step = layout.seq.step(atX: x) { return .go(step) }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = NeuralStackLayout(self, context)
        SequencePanel.draw(context, layout.seq, mode, &screen)
        drawPanels(context, layout, mode, &screen)
    }

    /// For the training watch: the structure, the step and the strengths, without the sequence panel.
    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        drawPanels(context, NeuralStackLayout(self, context, sequence: false), mode, &screen)
    }

    func drawPanels(_ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        drawStructure(context, layout, mode, &screen)
        drawStep(context, layout, mode, &screen)
        drawStrengths(context, layout, mode, &screen)
        if let legends = layout.legends { drawLegends(context, into: &screen, rect: legends, mode: mode) }
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let slot = cursorSlot, slot < history.slotCount else { return nil }
        let t = context.step
        let snap = history.snapshots[t]
        func f(_ v: Float, _ sign: Bool = false) -> String { NumberFormat.fixed(v, decimals: 3, plusSign: sign) }
        let origin = history.originText(slot, end: endText(ofSlot: slot))
        guard let row = history.row(ofSlot: slot, at: t) else {
            return "row \(origin): not pushed yet at step \(t + 1)"
        }
        let head = "row \(row) of 0–\(snap.strengths.count - 1) (\(origin)), step \(t + 1):"
        let reads = snap.heads.indices.map { "read w \(snap.heads[$0]) \(f(snap.readWeights[$0][row]))" }.joined(separator: "  ")
        let strength = "strength s \(f(snap.strengths[row]))"
        if focus == .history {
            return "\(head) \(strength) (pushed with d \(f(history.pushStrength(ofSlot: slot))))  \(reads)"
        }
        let m = history.valueSize
        if cursorColumn < m {
            return "\(head) v[\(cursorColumn)] \(f(snap.values[row][cursorColumn], true))  · \(strength)  \(reads)"
        }
        if cursorColumn == m {
            return "\(head) \(strength) (pushed with d \(f(history.pushStrength(ofSlot: slot))))  \(reads)"
        }
        let k = Swift.min(cursorColumn - m - 1, snap.heads.count - 1)
        return "\(head) read weight of \(snap.heads[k]) \(f(snap.readWeights[k][row])) (of Σ \(f(snap.readWeights[k].reduce(0, +))))  · \(strength)"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let parts = rect.split(.horizontal, [.fill(1), .fill(1), .fill(1)], spacing: 2)
        Legend(title: " value v r", scale: NeuralStackColors.valueScale, range: history.valueRange, mode: mode, decimals: 1)
            .render(into: &screen, rect: parts[0])
        Legend(title: "strength s d u", scale: NeuralStackColors.strengthScale, range: NeuralStackColors.unitRange, mode: mode,
               decimals: 0)
            .render(into: &screen, rect: parts[1])
        Legend(title: "read w", scale: NeuralStackColors.readScale, range: NeuralStackColors.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: parts[2])
    }

    public func statusNote(_ context: SceneContext) -> String {
        focus == .structure ? "structure" : "strengths"
    }
}
