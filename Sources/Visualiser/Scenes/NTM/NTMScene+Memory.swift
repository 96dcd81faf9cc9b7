extension NTMScene {
    /// The memory matrix after this step (or, in write-diff mode, what this step's erase and add changed),
    /// with each head's weighting of this step in a column beside the rows. When N rows do not fit, a window
    /// of rows follows the write head (or the cursor), and the header says which rows are shown.
    static func drawMemory(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let snap = s.snap
        let n = s.memoryRows, m = s.memoryColumns
        let rows = layout.memoryRows
        let what = s.writeDiff ? "Memory change" : "Memory"
        let focused = s.focus == .memory
        frame(what, focused: focused, rect: layout.memory, layout: layout, &screen)
        let following = focused && s.cursorRow != nil ? "cursor" : "write"
        let span = rows.count == n ? "all \(n) rows" : "rows \(rows.lowerBound)–\(rows.upperBound - 1)/\(n)·\(following)"
        var header = layout.bordered ? span : (focused ? "▸" : "") + (s.writeDiff ? "Δmem " : "Mem ") + span
        header = header.fitted(to: layout.memoryHeader.width)
        screen.put(header, in: layout.memoryHeader, style: focused && !layout.bordered ? Style([.bold, .reverse]) : .bold)

        // Weighting columns: one per head, labelled r/w in the row above when there is room.
        for (h, column) in layout.memoryWeightColumns.enumerated() {
            let weights = snap.heads[h].weighting
            Heatmap(rows: rows.count, columns: 1, scale: weightScale, range: unitRange, mode: mode,
                    value: { r, _ in weights[rows.lowerBound + r] })
                .render(into: &screen, rect: column)
        }
        // Row labels every 8 rows (and the cursor's row), so a position can be read off.
        for ty in 0..<layout.memoryMap.height {
            let upper = rows.lowerBound + 2 * ty
            let cursorHere = focused && s.cursorRow.map { $0 == upper || $0 == upper + 1 } == true
            if upper % 8 == 0 || ty == 0 || cursorHere {
                let label = String(cursorHere ? s.cursorRow! : upper)
                screen.put(label.padded(to: 3, alignment: .right), x: layout.memoryLabels.x,
                           y: layout.memoryLabels.y + ty, style: cursorHere ? .bold : .dim)
            }
        }
        let after = snap.memoryAfter.data, before = snap.memoryBefore.data
        let diff = s.writeDiff
        let cursor = focused ? s.cursorRow.flatMap { r in
            rows.contains(r) ? GridPosition(row: r - rows.lowerBound, column: s.cursorColumn) : nil
        } : nil
        Heatmap(rows: rows.count, columns: m, cellWidth: layout.memoryCellWidth, scale: signedScale,
                range: diff ? s.stats.change : s.stats.memory, mode: mode,
                value: { r, c in
                    let i = (rows.lowerBound + r) * m + c
                    return diff ? after[i] - before[i] : after[i]
                }, cursor: cursor)
            .render(into: &screen, rect: layout.memoryMap)
        if layout.bordered {
            let legendRow = Rect(x: layout.memory.x + 1, y: layout.memory.maxY - 1, width: layout.memory.width - 2, height: 1)
            Legend(scale: signedScale, range: diff ? s.stats.change : s.stats.memory, mode: mode,
                   decimals: diff ? 3 : 2).render(into: &screen, rect: legendRow)
        }
    }
}
