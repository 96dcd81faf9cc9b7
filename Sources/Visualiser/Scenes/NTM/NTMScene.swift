import Episodes
import Models

/// Which part of the NTM scene the keys and the cursor act on. `tab` walks through them in this order.
public enum NTMFocus: Hashable, Sendable, CaseIterable {
    /// The memory matrix: the cursor picks a (row, column) cell.
    case memory
    /// The weighting history (time × N) of the selected head: the cursor picks a row, the step is the column.
    case history
    /// The addressing pipeline of the selected head: the cursor picks a memory row and shows every stage.
    case pipeline

    public var title: String {
        switch self {
        case .memory: "memory"
        case .history: "history"
        case .pipeline: "addressing"
        }
    }
}

/// What a key asks of the NTM scene.
public enum NTMAction: Hashable, Sendable {
    /// `→`/`←`: move the memory cursor's column while it is shown in the memory panel, else step.
    case right, left
    case cursorUp, cursorDown
    case hideCursor
    case nextFocus, previousFocus
    case toggleWriteDiff
}

/// The NTM scene: the sequence (input, target, output over time), memory with the current weightings
/// beside it, the weighting history (time × the rows in use), the heads' addressing pipelines and, in big
/// terminals, the controller's state and each write head's erase and add. Its state is
/// the focused panel, the selected head, write-diff and the cursor; the player owns time.
public struct NTMScene: Scene {
    public static let kind = "ntm"
    /// The compact layout still has every panel at 72 columns and 20 rows (so two scenes fit side by side
    /// at 160 columns, each under a caption row at 24 rows).
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    /// Colour of bits and outputs (0…1), of attention weightings (0…1), and of signed memory values.
    static let bitScale = ColorScale.viridis
    static let weightScale = ColorScale.magma
    static let signedScale = ColorScale.blueWhiteRed
    static let unitRange = ValueRange(min: 0, max: 1)

    public var focus: NTMFocus = .memory
    /// The head whose history and pipeline are shown first when not every head fits, and that the cursor
    /// reads (read heads first, then write heads).
    public var selectedHead: Int
    /// Show memoryAfter − memoryBefore instead of memoryAfter.
    public var writeDiff = false
    /// The cursor in the focused panel: a memory row (0..<N) and, for the memory matrix, a column (0..<M).
    /// nil hides it, and the memory window then follows the write head.
    public var cursorRow: Int?
    public var cursorColumn = 0
    /// Colour ranges over the whole episode, so scrubbing keeps colours stable.
    public private(set) var stats: EpisodeStats
    /// Every frame's snapshot as the NTM's own type, taken once per episode so drawing never casts.
    public private(set) var snapshots: [NTMSnapshot]

    public static let keys = KeyMap<NTMAction>([
        .init([.right], .right, "next step (moves the memory cursor when it is shown)"),
        .init([.left], .left, "previous step (moves the memory cursor when it is shown)"),
        .init([.up, .char("k")], .cursorUp, "cursor up a memory row (shows the cell's exact value)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a memory row"),
        .init([.escape], .hideCursor, "hide the cursor (memory follows the write head again)"),
        .init([.tab], .nextFocus, "next panel / head (memory, history, addressing)", status: "panel"),
        .init([.backTab], .previousFocus, "previous panel / head"),
        .init([.char("w")], .toggleWriteDiff, "memory: values / this step's change (write-diff)", status: "diff"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [
            (.right, .left, "next / previous step (move the memory cursor when shown)"),
            (.cursorUp, .cursorDown, "cursor up / down a memory row (exact value below)"),
            (.nextFocus, .previousFocus, "next / previous panel and head"),
        ])
    }

    public init(episode: Episode) {
        snapshots = episode.snapshots(NTMSnapshot.self, scene: Self.kind)
        selectedHead = snapshots[0].heads.firstIndex(where: \.isWrite) ?? Swift.max(0, snapshots[0].heads.count - 1)
        stats = EpisodeStats(snapshots)
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        snapshots = context.episode.snapshots(NTMSnapshot.self, scene: Self.kind)
        stats = EpisodeStats(snapshots)
        let v = NTMView(self, context)
        selectedHead = Swift.min(selectedHead, v.headCount - 1)
        if let row = cursorRow { cursorRow = Swift.min(row, v.memoryRows - 1) }
    }

    public mutating func perform(_ action: NTMAction, _ context: SceneContext) -> SceneReply {
        let v = NTMView(self, context)
        switch action {
        case .right:
            guard focus == .memory, cursorRow != nil else { return .stepForward }
            cursorColumn = Swift.min(v.memoryColumns - 1, cursorColumn + 1)
        case .left:
            guard focus == .memory, cursorRow != nil else { return .stepBack }
            cursorColumn = Swift.max(0, cursorColumn - 1)
        case .cursorUp:
            cursorRow = Swift.max(0, (cursorRow ?? v.attendedRow + 1) - 1)
        case .cursorDown:
            cursorRow = Swift.min(v.memoryRows - 1, (cursorRow ?? v.attendedRow - 1) + 1)
        case .hideCursor:
            cursorRow = nil
        case .nextFocus:
            moveFocus(by: 1, heads: v.headCount)
        case .previousFocus:
            moveFocus(by: -1, heads: v.headCount)
        case .toggleWriteDiff:
            writeDiff.toggle()
        }
        return .none
    }

    /// Tab stops: memory, then the history of each head, then the pipeline of each head.
    mutating func moveFocus(by delta: Int, heads: Int) {
        let stops: [(NTMFocus, Int?)] = [(.memory, nil)] + (0..<heads).map { (.history, $0) }
            + (0..<heads).map { (.pipeline, $0) }
        let current = stops.firstIndex { $0.0 == focus && ($0.1 == nil || $0.1 == selectedHead) } ?? 0
        let next = stops[((current + delta) % stops.count + stops.count) % stops.count]
        focus = next.0
        if let head = next.1 { selectedHead = head }
    }

    /// A left click picks what is under it: a memory cell, a history step and row, a pipeline row, or a
    /// step of the sequence.
    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let v = NTMView(self, context)
        let layout = NTMLayout(state: v, rect: context.rect, kind: context.kind)
        if layout.memoryMap.contains(x: x, y: y), let row = layout.memoryRow(atY: y) {
            focus = .memory
            cursorRow = row
            cursorColumn = Swift.min(v.memoryColumns - 1, (x - layout.memoryMap.x) / layout.memoryCellWidth)
        } else if let hit = layout.historyMaps.first(where: { $0.rect.contains(x: x, y: y) }),
                  let step = layout.historyTime.step(atX: x), let row = layout.historyRow(atY: y, in: hit.rect) {
            focus = .history
            selectedHead = hit.head
            cursorRow = row
            return .go(step)
        } else if let block = layout.pipelineBlocks.first(where: { $0.weights.contains(x: x, y: y) }) {
            focus = .pipeline
            selectedHead = block.head
            let cell = (x - block.weights.x) / layout.pipelineCellWidth
            cursorRow = Swift.min(v.memoryRows - 1, cell * layout.pipelinePool)
        } else if layout.sequence.contains(x: x, y: y), let step = layout.seq.step(atX: x) {
            return .go(step)
        }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let v = NTMView(self, context)
        let layout = NTMLayout(state: v, rect: context.rect, kind: context.kind)
        SequencePanel.draw(context, layout.seq, mode, &screen)
        Self.drawMemory(v, layout, mode, &screen)
        Self.drawHistory(v, layout, mode, &screen)
        Self.drawController(v, layout, mode, &screen)
        Self.drawPipeline(v, layout, mode, &screen)
    }

    public func statusNote(_ context: SceneContext) -> String {
        "\(focus.title)\(writeDiff ? " · diff" : "")"
    }

    /// A panel frame in rich layouts (compact ones caption their panels themselves).
    static func frame(_ title: String, focused: Bool, rect: Rect, layout: NTMLayout, _ screen: inout Screen) {
        if layout.bordered {
            Panel(title: title, focused: focused).render(into: &screen, rect: rect)
        }
    }
}

/// What the NTM drawing code reads: the scene's own state and the player's context, together.
package struct NTMView {
    package let scene: NTMScene
    package let context: SceneContext

    package init(_ scene: NTMScene, _ context: SceneContext) {
        self.scene = scene
        self.context = context
    }

    package var episode: Episode { context.episode }
    package var step: Int { context.step }
    package var frame: Frame { context.frame }
    package var lastStep: Int { context.lastStep }
    package var editor: InputEditor? { context.editor }
    package var stats: EpisodeStats { scene.stats }
    /// The focus shows only on the scene that gets the keys.
    package var focus: NTMFocus? { context.active ? scene.focus : nil }
    package var selectedHead: Int { scene.selectedHead }
    package var writeDiff: Bool { scene.writeDiff }
    package var cursorRow: Int? { scene.cursorRow }
    package var cursorColumn: Int { scene.cursorColumn }
    /// This step's snapshot, and every step's.
    package var snap: NTMSnapshot { scene.snapshots[step] }
    package var snapshots: [NTMSnapshot] { scene.snapshots }
    package var headCount: Int { snap.heads.count }
    package var memoryRows: Int { snap.memoryAfter.shape[0] }
    package var memoryColumns: Int { snap.memoryAfter.shape[1] }

    /// The name of head `index`: `read 1`, `read 2`, …, `write` (`write 1`, `write 2`, … when there are
    /// several; read heads come first).
    package func headName(_ index: Int) -> String {
        let heads = snap.heads
        guard index < heads.count else { return "head \(index)" }
        let readCount = heads.filter { !$0.isWrite }.count
        if heads[index].isWrite { return heads.count - readCount > 1 ? "write \(index - readCount + 1)" : "write" }
        return readCount > 1 ? "read \(index + 1)" : "read"
    }

    /// The row the cursor starts from when it appears: where the selected head (memory: the write head)
    /// attends most at this step.
    package var attendedRow: Int {
        let heads = snap.heads
        let firstWrite = heads.firstIndex(where: \.isWrite) ?? heads.count - 1
        let head = scene.focus == .memory ? firstWrite : Swift.min(selectedHead, heads.count - 1)
        return heads[head].weighting.argmax
    }
}

