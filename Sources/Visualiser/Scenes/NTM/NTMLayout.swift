import Models

/// Where every part of the NTM scene goes for one terminal size, and which slice of the data each part
/// shows (the memory rows in view, the steps in view, how many memory rows one history pixel pools).
/// `view` draws from it and `update` hit-tests mouse clicks against it, so the two always agree.
package struct NTMLayout: Sendable {
    public typealias Kind = SceneFrame.Kind

    public static let minimumWidth = SceneFrame.minimumWidth
    public static let minimumHeight = SceneFrame.minimumHeight

    public var kind: Kind

    /// Sequence panel: the outer box (bordered in `.rich`), the ruler row, and one rect per strip.
    var seq = SequenceLayout()
    package var sequence: Rect { seq.sequence }
    package var input: Rect { seq.input }
    package var output: Rect { seq.output }
    package var sequenceTime: TimeAxis { seq.sequenceTime }
    /// The target strip (nil when the sequence panel has no room for it).
    package var target: Rect? { seq.target }

    /// Memory panel: the matrix heatmap, the weighting columns beside it, and the rows shown.
    public var memory = Rect.zero
    public var memoryHeader = Rect.zero
    /// The row(s) naming each weighting column (`r`/`w`, numbered below when a kind has several heads) and
    /// the matrix's first and last column; empty when the panel has no room for it.
    public var memoryHeadLabels = Rect.zero
    public var memoryMap = Rect.zero
    public var memoryLabels = Rect.zero
    /// One half-block column per head (read heads, then write heads), left of the matrix.
    public var memoryWeightColumns: [Rect] = []
    /// The memory rows shown: every row when they fit; else the rows in use during the episode (with rows
    /// round them to fill the panel) while the write head or cursor is among them; else a window that
    /// follows the write head (or the cursor).
    public var memoryWindow = RowWindow.all(1)
    /// Whether `memoryWindow` is the rows in use rather than a window following the write head or cursor.
    public var memoryShowsRowsInUse = false
    public var memoryCellWidth = 1

    /// History panel: one time × rows heatmap per head shown, over the rows in `historyRows`.
    public var history = Rect.zero
    public var historyMaps: [(head: Int, rect: Rect)] = []
    /// The memory rows the history shows: those in use during the episode (all of them in the training
    /// watch), which may wrap from row N − 1 to row 0.
    public var historyRows = RowWindow.all(1)
    /// Memory rows pooled (max) into one half-block pixel, ≥ 1.
    public var historyPool = 1
    public var historyTime = TimeAxis(x: 0, first: 0, count: 0, stepWidth: 1)

    /// Addressing pipeline panel: a note on pooling, one block per head shown (as many as fit, all of them
    /// when they do), and the legends of its colour scales.
    public var pipeline = Rect.zero
    public var pipelineInner = Rect.zero
    public var pipelineNote = Rect.zero
    public var pipelineBlocks: [PipelineBlock] = []
    public var pipelineLegends = Rect.zero
    /// Whether the shift distribution is drawn as bars (one row per offset) instead of one line of numbers.
    public var pipelineShiftBars = false
    /// Memory rows pooled into one cell of a weighting row (≥ 1), and cell width when not pooled.
    public var pipelinePool = 1
    public var pipelineCellWidth = 1
    /// Text columns per entry of the key, erase, add and read vectors.
    public var vectorCellWidth = 1

    /// Controller and write panel (rich layouts with room to spare): the controller's state and each write
    /// head's erase and add on the row it writes most.
    public var controller = Rect.zero

    public var bordered: Bool { kind == .rich }

    /// Columns of the label before every weighting row or vector in the pipeline and controller panels,
    /// and of the `#row weight` after a weighting row.
    static let rowLabelWidth = 9
    static let stageTailWidth = 10

    /// The layout of the scene in `body` (its part of the screen), rich or compact.
    package init(state: NTMView, rect body: Rect, kind: Kind) {
        self.kind = kind
        let heads = state.headCount
        let m = state.memoryColumns
        // The target strip is always shown; steps grow up to 6 columns so the time axis spans the panel.
        let (seq, lower) = SequenceLayout.place(in: body, context: state.context, kind: kind, alwaysShowTarget: true,
                                                maxStepWidth: 6)
        self.seq = seq

        // Lower area: memory | history | pipeline, and in rich layouts the controller under the pipeline or
        // the history, wherever it fits. The compact pipeline has 31 columns at 80 wide and grows with the
        // terminal.
        var pipelineWidth = kind == .rich ? Swift.max(52, lower.width * 32 / 100)
                                          : Swift.max(31, Swift.min(44, lower.width * 38 / 100))
        let cellWidth = kind == .rich && m * 2 + 8 + heads <= lower.width * 2 / 5 ? 2 : 1
        let memoryWidth = memoryPanelWidth(state, cellWidth: cellWidth)
        // The history's steps are whole columns wide: the columns its time axis cannot use go to the pipeline
        // (whose weighting rows then pool fewer rows per cell), keeping the history at least 40 wide.
        let historyWidth = lower.width - memoryWidth - pipelineWidth - 2
        let historyChrome = 4 + (bordered ? 2 : 0)
        let axis = TimeAxis.fitting(x: 0, width: historyWidth - historyChrome, steps: state.episode.count,
                                    current: state.step, maxStepWidth: Self.historyMaxStepWidth)
        let slack = historyWidth - historyChrome - axis.count * axis.stepWidth
        if axis.count == state.episode.count, slack > 0 {
            pipelineWidth += Swift.min(slack, Swift.max(0, historyWidth - 40))
        }
        let parts = lower.split(.horizontal, [.length(memoryWidth), .fill(1), .length(pipelineWidth)], spacing: 1)
        placeMemory(in: parts[0], state: state, cellWidth: cellWidth)
        var middle = parts[1]
        var right = parts[2]
        if bordered {
            // The controller under the pipeline when every head's block still fits above it; else under the
            // history while each head's map keeps a caption and the rows in use at 4 rows per pixel or finer
            // (repeat copy's 5-row read sweeps stay visible), 3 text rows at least; else nowhere.
            let historyFloor = 2 + heads * (1 + Swift.max(3, (state.stats.rowsInUse.count + 7) / 8))
            // With several write heads, every head's write when there is room, else the first one's.
            let writes = state.snap.heads.filter(\.isWrite).count
            for shownWrites in Set([writes, Swift.min(1, writes)]).sorted(by: >) where controller.isEmpty {
                let underPipeline = controllerHeight(state, width: right.width, writes: shownWrites)
                let underHistory = controllerHeight(state, width: middle.width, writes: shownWrites)
                if right.height - underPipeline >= pipelineHeight(state, width: right.width) {
                    (right, controller) = right.splitBottom(underPipeline)
                } else if middle.height - underHistory >= historyFloor {
                    (middle, controller) = middle.splitBottom(underHistory)
                }
            }
        }
        // Every head's history when each gets a caption and three text rows; else the selected head's.
        let everyHead = (middle.height - (bordered ? 2 : 1)) / Swift.max(1, heads) >= 4
        placeHistory(in: middle, state: state, heads: everyHead ? Array(0..<heads) : [state.selectedHead],
                     rows: state.stats.rowsInUse, maxStepWidth: Self.historyMaxStepWidth)
        placePipeline(in: right, state: state)
    }

    /// Widest step of the history's time axis, in columns.
    static let historyMaxStepWidth = 6

    /// A layout with no panels placed yet, for scenes that show only some of the NTM panels (the training
    /// watch): they place them with `placeMemory` and `placeHistory` and draw them with `NTMScene`.
    package init(kind: Kind) {
        self.kind = kind
    }

    /// Columns the memory panel needs: row labels, one weighting column per head, a gap, the matrix, and the
    /// border in rich layouts.
    package func memoryPanelWidth(_ state: NTMView, cellWidth: Int) -> Int {
        4 + state.headCount + 1 + state.memoryColumns * cellWidth + (bordered ? 2 : 0)
    }

    /// Places the memory panel in `rect`: a header row, a row naming the head columns (two when a kind of
    /// head has several, to number them) when there are at least 8 rows of memory to show below, then the
    /// heatmap with the weighting columns and row labels at its left. When N rows do not fit, the rows in
    /// use when they fit and hold `state.memoryFocusRow`, else a window of rows round it.
    mutating func placeMemory(in rect: Rect, state: NTMView, cellWidth: Int) {
        memory = rect
        memoryCellWidth = cellWidth
        let heads = state.headCount, n = state.memoryRows, m = state.memoryColumns
        let memInner = memory.inset(by: bordered ? 1 : 0)
        let (header, rest) = memInner.splitTop(1)
        var memBody = rest
        memoryHeader = header
        let labelRows = state.snap.heads.filter(\.isWrite).count > 1 || state.snap.readHeads.count > 1 ? 2 : 1
        if memBody.height - labelRows >= 3 {
            (memoryHeadLabels, memBody) = memBody.splitTop(labelRows)
        } else {
            memoryHeadLabels = Rect(x: memBody.x, y: memBody.y, width: 0, height: 0)
        }
        let textRows = memBody.height
        let visible = Swift.min(n, textRows * 2)
        let focusRow = state.memoryFocusRow
        let inUse = state.stats.rowsInUse
        memoryShowsRowsInUse = false
        if visible == n {
            memoryWindow = .all(n)
        } else {
            var start = inUse.start - (visible - inUse.count) / 2
            start -= ((start % 2) + 2) % 2  // even, so row labels (every 8 rows) fall on upper pixels
            let around = RowWindow(start: start, count: visible, rows: n)
            if !inUse.isAll, inUse.count <= visible, around.index(of: focusRow) != nil {
                memoryWindow = around
                memoryShowsRowsInUse = true
            } else {
                start = focusRow - visible / 2
                start = Swift.max(0, Swift.min(start, n - visible))
                start -= start % 2  // keep pairs of rows in the same text row as they scroll
                memoryWindow = RowWindow(start: start, count: Swift.min(visible, n - start), rows: n)
            }
        }
        memoryLabels = Rect(x: memBody.x, y: memBody.y, width: 4, height: textRows)
        memoryWeightColumns = (0..<heads).map { Rect(x: memBody.x + 4 + $0, y: memBody.y, width: 1, height: textRows) }
        memoryMap = Rect(x: memBody.x + 4 + heads + 1, y: memBody.y, width: m * cellWidth,
                         height: (memoryWindow.count + 1) / 2)
    }

    /// Places the weighting history in `rect`: a time × rows heatmap for each of `shownHeads`, each with a
    /// one-row caption above it, over the memory rows of `window` (all rows when nil) pooled by max to fit,
    /// and the steps around `state.step` in view, each step up to `maxStepWidth` columns wide.
    mutating func placeHistory(in rect: Rect, state: NTMView, heads shownHeads: [Int], rows window: RowWindow? = nil,
                               maxStepWidth: Int = 2) {
        history = rect
        let histInner = history.inset(by: bordered ? 1 : 0)
        // Compact panels have a title row (rich ones carry the title and legend on their border).
        let histBody = bordered ? histInner : histInner.splitTop(1).rest
        let perMap = shownHeads.isEmpty ? 0 : histBody.height / shownHeads.count
        let mapTextRows = Swift.max(1, perMap - 1)
        // A window smaller than the maps grows evenly round the rows in use until it fills them; one that
        // would then hold most of memory shows all of it.
        let rows = state.memoryRows
        historyRows = window ?? .all(rows)
        let pool = Swift.max(1, (historyRows.count + 2 * mapTextRows - 1) / (2 * mapTextRows))
        let room = Swift.min(rows, 2 * mapTextRows * pool)
        if historyRows.count < room {
            let extra = room - historyRows.count
            historyRows = room * 4 > rows * 3 ? .all(rows)
                : RowWindow(start: historyRows.start - extra / 2, count: room, rows: rows)
        }
        let n = historyRows.count
        historyPool = Swift.max(1, (n + 2 * mapTextRows - 1) / (2 * mapTextRows))
        historyTime = TimeAxis.fitting(x: histInner.x + 4, width: histInner.width - 4, steps: state.episode.count,
                                current: state.step, maxStepWidth: maxStepWidth)
        let pooledRows = (n + historyPool - 1) / historyPool
        historyMaps = shownHeads.enumerated().map { i, head -> (head: Int, rect: Rect) in
            (head, Rect(x: historyTime.x, y: histBody.y + i * perMap + 1, width: historyTime.count * historyTime.stepWidth,
                 height: Swift.min(mapTextRows, (pooledRows + 1) / 2)))
        }
    }

    /// The memory row under text row `y` of a history map at `rect` (the upper pixel), or nil.
    package func historyRow(atY y: Int, in rect: Rect) -> Int? {
        let i = (y - rect.y) * 2 * historyPool
        guard y >= rect.y, y < rect.maxY, i < historyRows.count else { return nil }
        return historyRows.row(i)
    }

    /// Rows of one head's block in the pipeline: its title, the shift (a line, or a bar per offset), the
    /// four weighting rows, and (with `vectors`) the key and the erase and add (write) or read (read) vector.
    static func blockHeight(_ head: NTMSnapshot.Head, bars: Bool, vectors: Bool, shift: Bool = true) -> Int {
        1 + (bars ? head.shift.count : (shift ? 1 : 0)) + 4 + (vectors ? 1 + (head.isWrite ? 2 : 1) : 0)
    }

    /// One way to fill the pipeline panel, from the richest down: the shift as bars (or a line, or not at
    /// all), each head's vectors, a blank row between blocks, the pooling note, and the legends.
    struct PipelineStyle {
        var bars: Bool, vectors: Bool, gap: Int, note: Bool, legends: Bool, shift = true
        static let legendRows = 3
        static let all: [PipelineStyle] = [
            .init(bars: true, vectors: true, gap: 1, note: true, legends: true),
            .init(bars: false, vectors: true, gap: 1, note: true, legends: true),
            .init(bars: false, vectors: true, gap: 0, note: true, legends: true),
            .init(bars: false, vectors: true, gap: 0, note: true, legends: false),
            .init(bars: false, vectors: false, gap: 0, note: true, legends: false),
            .init(bars: false, vectors: false, gap: 0, note: false, legends: false),
            .init(bars: false, vectors: false, gap: 0, note: false, legends: false, shift: false),
        ]

        /// Rows the blocks of `shown` heads take in this style.
        func height(_ heads: [NTMSnapshot.Head], _ shown: [Int]) -> Int {
            shown.reduce(0) { $0 + NTMLayout.blockHeight(heads[$1], bars: bars, vectors: vectors, shift: shift) }
                + gap * Swift.max(0, shown.count - 1) + (note ? 1 : 0) + (legends ? Self.legendRows : 0)
        }
    }

    /// Rows the pipeline panel needs to show every head whole, its legends included: the shift as a line,
    /// and no blank rows between blocks (border included).
    func pipelineHeight(_ state: NTMView, width: Int) -> Int {
        let heads = state.snap.heads
        let whole = PipelineStyle(bars: false, vectors: true, gap: 0, note: true, legends: true)
        return whole.height(heads, Array(heads.indices)) + (bordered ? 2 : 0)
    }

    /// Places the pipeline panel in `rect`: every head's block when they fit (with the shift as bars, then
    /// as a line, then without gaps), else as many as fit from the selected head on; the legends of the
    /// vectors' colour scales below when there is room.
    mutating func placePipeline(in rect: Rect, state: NTMView) {
        pipeline = rect
        let border = bordered ? 1 : 0
        pipelineInner = pipeline.inset(by: border)
        let inner = pipelineInner
        let n = state.memoryRows, m = state.memoryColumns
        let weightsWidth = inner.width - Self.rowLabelWidth - Self.stageTailWidth
        if weightsWidth >= n {
            pipelinePool = 1
            pipelineCellWidth = Swift.max(1, Swift.min(3, weightsWidth / n))
        } else {
            pipelinePool = (n + Swift.max(1, weightsWidth) - 1) / Swift.max(1, weightsWidth)
            pipelineCellWidth = 1
        }
        vectorCellWidth = Swift.max(1, Swift.min(3, (inner.width - Self.rowLabelWidth) / Swift.max(1, m)))
        let heads = state.snap.heads
        let styles = PipelineStyle.all.filter { bordered || !$0.bars }
        let all = Array(heads.indices)
        var chosen = styles.last!
        var shown = [Swift.min(state.selectedHead, heads.count - 1)]
        if let c = styles.first(where: { $0.height(heads, all) <= inner.height }) {
            chosen = c
            shown = all
        } else if let c = styles.first(where: { $0.height(heads, shown) <= inner.height }) {
            // As many heads as fit, from the selected one on (wrapping round the list).
            chosen = c
            for k in 1..<heads.count {
                let next = shown + [(shown[0] + k) % heads.count]
                guard c.height(heads, next) <= inner.height else { break }
                shown = next
            }
        }
        let (bars, vectors, gap, note, legends) = (chosen.bars, chosen.vectors, chosen.gap, chosen.note, chosen.legends)
        let legendRows = PipelineStyle.legendRows
        pipelineShiftBars = bars
        var y = inner.y
        if note {
            pipelineNote = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            y += 1
        } else {
            pipelineNote = Rect(x: inner.x, y: y, width: 0, height: 0)
        }
        let cells = (n + pipelinePool - 1) / pipelinePool
        pipelineBlocks = shown.map { h in
            let head = heads[h]
            let shiftRows = bars ? head.shift.count : (chosen.shift ? 1 : 0)
            let vectorRows = vectors ? 1 + (head.isWrite ? 2 : 1) : 0
            let block = PipelineBlock(
                head: h,
                rect: Rect(x: inner.x, y: y, width: inner.width, height: 1 + shiftRows + 4 + vectorRows),
                title: Rect(x: inner.x, y: y, width: inner.width, height: 1),
                shift: Rect(x: inner.x, y: y + 1, width: inner.width, height: shiftRows),
                weights: Rect(x: inner.x + Self.rowLabelWidth, y: y + 1 + shiftRows, width: cells * pipelineCellWidth,
                              height: 4),
                vectors: Rect(x: inner.x + Self.rowLabelWidth, y: y + 5 + shiftRows,
                              width: Swift.min(m * vectorCellWidth, inner.width - Self.rowLabelWidth), height: vectorRows))
            y = block.rect.maxY + gap
            return block
        }
        pipelineLegends = legends ? Rect(x: inner.x, y: inner.maxY - legendRows, width: inner.width, height: legendRows)
                                  : Rect(x: inner.x, y: inner.maxY, width: 0, height: 0)
    }

    /// Rows the controller panel needs in `width` columns: the border, the hidden and cell state (each
    /// wrapped into rows of up to `width − label` units), for each of `writes` write heads a caption and
    /// four rows (before, erase, add, after), and a legend row.
    func controllerHeight(_ state: NTMView, width: Int, writes: Int) -> Int {
        // A feed-forward controller has no cell state: its row count is then 0.
        let units = [state.snap.hidden.count, state.snap.cell.count].reduce(0) {
            $0 + Self.wrappedRows($1, width: width - 2 - Self.rowLabelWidth)
        }
        return 2 + units + 5 * writes + 1
    }

    /// Rows of at most `width` entries that hold `count` entries, the same number in each but the last.
    static func wrappedRows(_ count: Int, width: Int) -> Int {
        guard count > 0 else { return 0 }
        return (count + Swift.max(1, width) - 1) / Swift.max(1, width)
    }

    /// The memory row drawn at text row `ty` of the memory map (upper pixel), or nil.
    public func memoryRow(atY py: Int) -> Int? {
        let i = (py - memoryMap.y) * 2
        guard py >= memoryMap.y, py < memoryMap.maxY, i < memoryWindow.count else { return nil }
        return memoryWindow.row(i)
    }
}

/// Where one head's part of the addressing panel goes: its title row, the shift distribution, the four
/// weighting rows (content, gated, shifted, sharpened; `weights.x` is the first cell) and its vectors.
public struct PipelineBlock: Sendable, Hashable {
    public var head: Int
    public var rect: Rect
    public var title: Rect
    public var shift: Rect
    public var weights: Rect
    public var vectors: Rect
}

extension NTMView {
    /// The memory row the memory window centres on: the cursor's (when the memory panel has it), else the
    /// row the write head attends to most at this step.
    package var memoryFocusRow: Int {
        if focus == .memory, let row = cursorRow { return row }
        return snap.writeHead.weighting.argmax
    }
}

extension Array where Element == Float {
    /// Index of the largest element (the first of equals); 0 when empty.
    public var argmax: Int {
        var best = 0
        for i in indices where self[i] > self[best] { best = i }
        return best
    }
}
