extension NTMScene {
    /// The memory matrix after this step (or, in write-diff mode, what this step's erase and add changed),
    /// with each head's weighting of this step in a column beside the rows. When N rows do not fit, it shows
    /// the rows in use (or a window that follows the write head or the cursor), and the header says which.
    static func drawMemory(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let snap = s.snap
        let n = s.memoryRows, m = s.memoryColumns
        let rows = layout.memoryWindow
        let what = s.writeDiff ? "Memory change" : "Memory"
        let focused = s.focus == .memory
        frame(what, focused: focused, rect: layout.memory, layout: layout, &screen)
        let following = layout.memoryShowsRowsInUse ? "in use" : (focused && s.cursorRow != nil ? "cursor" : "write")
        let span = rows.isAll ? "all \(n) rows" : "rows \(rows.start)–\(rows.last)/\(n)·\(following)"
        let mark = focused && !layout.bordered ? "▸" : ""
        let name = layout.bordered ? "" : (s.writeDiff ? "Δmem " : "Mem ")
        let shortSpan = rows.isAll ? "all \(n)" : "\(rows.start)–\(rows.last)"
        let header = mark + fittedFirst([name + span, name + shortSpan + "·\(following)", name + shortSpan,
                                         String(name.dropLast())],
                                        width: layout.memoryHeader.width - mark.count)
        screen.put(header, in: layout.memoryHeader, style: focused && !layout.bordered ? Style([.bold, .reverse]) : .bold)

        // Weighting columns: one per head, labelled r/w in the row above (numbered below that when a kind
        // has several heads), and the matrix's first and last column, when there is room.
        let labels = layout.memoryHeadLabels
        if !labels.isEmpty {
            let heads = snap.heads
            for (h, column) in layout.memoryWeightColumns.enumerated() where h < heads.count {
                screen.put(heads[h].isWrite ? "w" : "r", x: column.x, y: labels.y, style: .bold, clip: labels)
                if labels.height > 1 {
                    let number = heads[..<h].filter { $0.isWrite == heads[h].isWrite }.count + 1
                    screen.put(String(number % 10), x: column.x, y: labels.y + 1, style: .dim, clip: labels)
                }
            }
            let columns = "col 0"
            let lastColumn = String(m - 1)
            let mapX = layout.memoryMap.x
            if layout.memoryMap.width >= columns.count + lastColumn.count + 1 {
                screen.put(columns, x: mapX, y: labels.y, style: .dim, clip: labels)
            } else {
                screen.put("0", x: mapX, y: labels.y, style: .dim, clip: labels)
            }
            screen.put(lastColumn, x: layout.memoryMap.maxX - lastColumn.count, y: labels.y, style: .dim, clip: labels)
        }
        for (h, column) in layout.memoryWeightColumns.enumerated() {
            let weights = snap.heads[h].weighting
            Heatmap(rows: rows.count, columns: 1, scale: weightScale, range: unitRange, mode: mode,
                    value: { r, _ in weights[rows.row(r)] })
                .render(into: &screen, rect: column)
        }
        // Row labels every 8 rows (and the cursor's row), so a position can be read off.
        for ty in 0..<layout.memoryMap.height {
            let upper = rows.row(2 * ty)
            let lower = 2 * ty + 1 < rows.count ? rows.row(2 * ty + 1) : -1
            let cursorHere = focused && s.cursorRow.map { $0 == upper || $0 == lower } == true
            if upper % 8 == 0 || ty == 0 || cursorHere {
                let label = String(cursorHere ? s.cursorRow! : upper)
                screen.put(label.padded(to: 3, alignment: .right), x: layout.memoryLabels.x,
                           y: layout.memoryLabels.y + ty, style: cursorHere ? .bold : .dim)
            }
        }
        let after = snap.memoryAfter.data, before = snap.memoryBefore.data
        let diff = s.writeDiff
        let cursor = focused ? s.cursorRow.flatMap { r in
            rows.index(of: r).map { GridPosition(row: $0, column: s.cursorColumn) }
        } : nil
        Heatmap(rows: rows.count, columns: m, cellWidth: layout.memoryCellWidth, scale: signedScale,
                range: diff ? s.stats.change : s.stats.memory, mode: mode,
                value: { r, c in
                    let i = rows.row(r) * m + c
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
