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

    /// Memory panel: the matrix heatmap, the weighting columns beside it, and the rows shown.
    public var memory = Rect.zero
    public var memoryHeader = Rect.zero
    public var memoryMap = Rect.zero
    public var memoryLabels = Rect.zero
    /// One half-block column per head (read heads, then write), left of the matrix.
    public var memoryWeightColumns: [Rect] = []
    public var memoryRows: Range<Int> = 0..<0
    public var memoryCellWidth = 1

    /// History panel: one time × N heatmap per head shown.
    public var history = Rect.zero
    public var historyMaps: [(head: Int, rect: Rect)] = []
    /// Memory rows pooled (max) into one half-block pixel, ≥ 1.
    public var historyPool = 1
    public var historyTime = TimeAxis(x: 0, first: 0, count: 0, stepWidth: 1)

    /// Addressing pipeline panel and the rect of its four weighting rows (content, gated, shifted, w).
    public var pipeline = Rect.zero
    public var pipelineInner = Rect.zero
    public var pipelineWeights: Rect = .zero
    /// Memory rows pooled into one cell of a weighting row (≥ 1), and cell width when not pooled.
    public var pipelinePool = 1
    public var pipelineCellWidth = 1

    public var bordered: Bool { kind == .rich }

    /// The layout of the scene in `body` (its part of the screen), rich or compact.
    package init(state: NTMView, rect body: Rect, kind: Kind) {
        self.kind = kind
        let heads = state.headCount
        let n = state.memoryRows, m = state.memoryColumns
        let (seq, lower) = SequenceLayout.place(in: body, context: state.context, kind: kind)
        self.seq = seq
        let border = bordered ? 1 : 0

        // Lower area: memory | history | pipeline.
        // The compact pipeline has 31 columns at 80 wide and grows with the terminal, so that its header
        // (β, g, γ) is whole from 100 columns on.
        let pipelineWidth = kind == .rich ? Swift.max(52, lower.width * 32 / 100)
                                          : Swift.max(31, Swift.min(44, lower.width * 38 / 100))
        let cellWidth = kind == .rich && m * 2 + 8 + heads <= lower.width * 2 / 5 ? 2 : 1
        let parts = lower.split(.horizontal, [.length(memoryPanelWidth(state, cellWidth: cellWidth)), .fill(1),
                                              .length(pipelineWidth)], spacing: 1)
        placeMemory(in: parts[0], state: state, cellWidth: cellWidth)
        // Compact layouts show only the selected head's history.
        placeHistory(in: parts[1], state: state, heads: kind == .rich ? Array(0..<heads) : [state.selectedHead])
        pipeline = parts[2]

        // Pipeline: header lines, then the four weighting rows.
        pipelineInner = pipeline.inset(by: border)
        let weightsWidth = pipelineInner.width - 9 - 10
        if weightsWidth >= n {
            pipelinePool = 1
            pipelineCellWidth = Swift.max(1, Swift.min(3, weightsWidth / n))
        } else {
            pipelinePool = (n + Swift.max(1, weightsWidth) - 1) / Swift.max(1, weightsWidth)
            pipelineCellWidth = 1
        }
        let headerLines = bordered ? 3 + state.snap.heads[0].shift.count : 3
        pipelineWeights = Rect(x: pipelineInner.x + 9, y: pipelineInner.y + headerLines,
                               width: ((n + pipelinePool - 1) / pipelinePool) * pipelineCellWidth, height: 4)
    }

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

    /// Places the memory panel in `rect`: a header row, then the heatmap with the weighting columns and row
    /// labels at its left. When N rows do not fit, a window of rows follows `state.memoryFocusRow`.
    mutating func placeMemory(in rect: Rect, state: NTMView, cellWidth: Int) {
        memory = rect
        memoryCellWidth = cellWidth
        let heads = state.headCount, n = state.memoryRows, m = state.memoryColumns
        let memInner = memory.inset(by: bordered ? 1 : 0)
        let (header, memBody) = memInner.splitTop(1)
        memoryHeader = header
        let textRows = memBody.height
        let visible = Swift.min(n, textRows * 2)
        let focusRow = state.memoryFocusRow
        var start = focusRow - visible / 2
        start = Swift.max(0, Swift.min(start, n - visible))
        start -= start % 2  // keep pairs of rows in the same text row as they scroll
        memoryRows = start..<Swift.min(n, start + visible)
        memoryLabels = Rect(x: memBody.x, y: memBody.y, width: 4, height: textRows)
        memoryWeightColumns = (0..<heads).map { Rect(x: memBody.x + 4 + $0, y: memBody.y, width: 1, height: textRows) }
        memoryMap = Rect(x: memBody.x + 4 + heads + 1, y: memBody.y, width: m * cellWidth,
                         height: (memoryRows.count + 1) / 2)
    }

    /// Places the weighting history in `rect`: a time × N heatmap for each of `shownHeads`, each with a
    /// one-row caption above it, N pooled by max to fit and the steps around `state.step` in view, each
    /// step up to `maxStepWidth` columns wide.
    mutating func placeHistory(in rect: Rect, state: NTMView, heads shownHeads: [Int], maxStepWidth: Int = 2) {
        history = rect
        let n = state.memoryRows
        let histInner = history.inset(by: bordered ? 1 : 0)
        let (_, histBody) = histInner.splitTop(bordered ? 0 : 1)
        let perMap = shownHeads.isEmpty ? 0 : histBody.height / shownHeads.count
        let mapTextRows = Swift.max(1, perMap - 1)
        historyPool = Swift.max(1, (n + 2 * mapTextRows - 1) / (2 * mapTextRows))
        historyTime = TimeAxis.fitting(x: histInner.x + 4, width: histInner.width - 4, steps: state.episode.count,
                                current: state.step, maxStepWidth: maxStepWidth)
        let pooledRows = (n + historyPool - 1) / historyPool
        historyMaps = shownHeads.enumerated().map { i, head -> (head: Int, rect: Rect) in
            (head, Rect(x: historyTime.x, y: histBody.y + i * perMap + 1, width: historyTime.count * historyTime.stepWidth,
                 height: Swift.min(mapTextRows, (pooledRows + 1) / 2)))
        }
    }

    /// The memory row drawn at text row `ty` of the memory map (upper pixel), or nil.
    public func memoryRow(atY py: Int) -> Int? {
        let i = (py - memoryMap.y) * 2
        guard py >= memoryMap.y, py < memoryMap.maxY, memoryRows.lowerBound + i < memoryRows.upperBound else { return nil }
        return memoryRows.lowerBound + i
    }
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
