import Episodes
import Models

/// What a key asks of the DNC scene.
public enum DNCAction: Hashable, Sendable {
    case slotUp, slotDown
    case hideCursor
    /// The read head whose modes and weighting the link panel follows.
    case nextHead
    /// The link matrix fitted (pooled by largest value) or at one cell per slot around the cursor.
    case toggleZoom
}

/// The Differentiable Neural Computer (docs/models/dnc.md): the sequence panel; memory one row per slot
/// with, beside each, its usage, allocation, write weighting, precedence and every read head's weighting;
/// the N×N temporal link matrix (zoomed and scrolled when N is large) with the precedence under it; the
/// gates and each read head's mode triplet (backward / content / forward) as a stacked bar; with a small
/// memory, every slot's usage over the steps so far under the slots. Its state is
/// the cursor on a memory slot, the followed read head and the link zoom; the player owns time.
public struct DNCScene: Scene {
    public static let kind = "dnc"
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    static let signedScale = ColorScale.blueWhiteRed
    static let weightScale = ColorScale.viridis
    static let linkScale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)

    /// The memory slot under the cursor; nil hides it.
    public var cursor: Int?
    public var head = 0
    /// True: the link matrix at one cell per slot (scrolled to the cursor); false: fitted to the panel.
    public var zoomed = false
    public private(set) var snapshots: [DNCSnapshot]
    /// The largest |M| over the episode, so memory keeps its colours while scrubbing.
    public private(set) var memoryRange: ValueRange

    public static let keys = KeyMap<DNCAction>([
        .init([.up, .char("k")], .slotUp, "cursor up a memory slot (its exact values below)"),
        .init([.down, .char("j")], .slotDown, "cursor down a memory slot"),
        .init([.escape], .hideCursor, "hide the cursor"),
        .init([.tab], .nextHead, "next read head (its modes and weighting in the link panel)", status: "head"),
        .init([.char("z")], .toggleZoom, "link matrix: fitted / one cell per slot around the cursor", status: "zoom"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.slotUp, .slotDown, "cursor up / down a memory slot (exact values below)")])
    }

    public init(episode: Episode) {
        snapshots = episode.snapshots(DNCSnapshot.self, scene: Self.kind)
        memoryRange = Self.range(snapshots)
    }

    static func range(_ snapshots: [DNCSnapshot]) -> ValueRange {
        var m: Float = 1e-6
        for s in snapshots { for v in s.memoryAfter.data { m = Swift.max(m, abs(v)) } }
        return .symmetric(m)
    }

    var slots: Int { snapshots[0].usage.count }

    public func offers(_ action: DNCAction) -> Bool { action != .nextHead || snapshots[0].readHeads.count > 1 }

    public mutating func episodeChanged(_ context: SceneContext) {
        snapshots = context.episode.snapshots(DNCSnapshot.self, scene: Self.kind)
        memoryRange = Self.range(snapshots)
        head = Swift.min(head, snapshots[0].readHeads.count - 1)
        if let c = cursor { cursor = Swift.min(c, slots - 1) }
    }

    public mutating func perform(_ action: DNCAction, _ context: SceneContext) -> SceneReply {
        switch action {
        case .slotUp: cursor = Swift.max(0, (cursor ?? strongestSlot(context) + 1) - 1)
        case .slotDown: cursor = Swift.min(slots - 1, (cursor ?? strongestSlot(context) - 1) + 1)
        case .hideCursor: cursor = nil
        case .nextHead where snapshots[0].readHeads.count == 1:
            return .message("one read head: tab has no other head to show")
        case .nextHead: head = (head + 1) % snapshots[0].readHeads.count
        case .toggleZoom: zoomed.toggle()
        }
        return .none
    }

    /// Where the cursor appears first: the slot written most at this step.
    func strongestSlot(_ context: SceneContext) -> Int {
        let w = snapshots[context.step].writeWeighting
        var best = 0
        for i in w.indices where w[i] > w[best] { best = i }
        return best
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = DNCLayout(self, context)
        if layout.slotRows.contains(x: x, y: y) {
            cursor = Swift.min(slots - 1, layout.firstSlot + (y - layout.slotRows.y))
            return .none
        }
        if layout.seq.sequence.contains(x: x, y: y), let step = layout.seq.step(atX: x) { return .go(step) }
        if let map = layout.usageMap, map.contains(x: x, y: y) {
            // A cell of the usage map: its slot under the cursor, and the player to its step.
            cursor = y - map.y
            return .go(Swift.min(snapshots.count - 1, ((x - map.x) / layout.usageCellWidth + 1) * layout.usagePool - 1))
        }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = DNCLayout(self, context)
        SequencePanel.draw(context, layout.seq, mode, &screen)
        drawMemory(context, layout, mode, &screen)
        drawLinks(context, layout, mode, &screen)
        drawHeads(context, layout, mode, &screen)
        if layout.bordered, let legends = layout.legends { drawLegends(context, into: &screen, rect: legends, mode: mode) }
    }

    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = DNCLayout(self, context, sequence: false)
        drawMemory(context, layout, mode, &screen)
        drawLinks(context, layout, mode, &screen)
        drawHeads(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let i = cursor, i < slots else { return nil }
        let s = snapshots[context.step]
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 3) }
        let reads = s.readHeads.enumerated().map { "r\($0.offset + 1) \(f($0.element.weighting[i]))" }.joined(separator: " ")
        let n = slots
        var after = 0, before = 0
        for j in 0..<n where s.link[i, j] > s.link[i, after] { after = j }
        for j in 0..<n where s.link[j, i] > s.link[before, i] { before = j }
        return "slot \(i), step \(context.step + 1): usage \(f(s.usage[i]))  alloc \(f(s.allocation[i]))  write \(f(s.writeWeighting[i]))"
            + "  prec \(f(s.precedence[i]))  \(reads)  · L[\(i),\(after)] \(f(s.link[i, after])) (written after \(after))"
            + "  L[\(before),\(i)] \(f(s.link[before, i]))"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let parts = rect.split(.horizontal, [.fill(1), .fill(1), .fill(1)], spacing: 2)
        Legend(title: " memory", scale: Self.signedScale, range: memoryRange, mode: mode, decimals: 2)
            .render(into: &screen, rect: parts[0])
        Legend(title: "u a w p r", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: parts[1])
        Legend(title: "links L", scale: Self.linkScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: parts[2])
    }

    public func statusNote(_ context: SceneContext) -> String {
        let heads = snapshots[0].readHeads.count
        return (heads > 1 ? "head r\(head + 1)/\(heads) · " : "") + (zoomed ? "links 1:1" : "links fitted")
    }
}
