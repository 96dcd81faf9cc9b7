extension NTMScene {
    /// Each head's weighting over time (columns are steps up to the current one, rows memory locations,
    /// pooled by max when N rows do not fit), so the copy task's write sweep and read sweep show as two
    /// diagonals. Compact layouts show the selected head only.
    static func drawHistory(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard !layout.history.isEmpty else { return }
        let focused = s.focus == .history
        frame("Weightings over time", focused: focused, rect: layout.history, layout: layout, &screen)
        let axis = layout.historyTime
        let pool = layout.historyPool
        let n = s.memoryRows
        let poolNote = pool == 1 ? "rows 0–\(n - 1)" : "rows 0–\(n - 1), \(pool)/px max"
        // Compact layouts caption each map themselves when they show several heads (the training watch).
        let captionEachMap = layout.bordered || layout.historyMaps.count > 1
        if !layout.bordered {
            let inner = layout.history
            let title = captionEachMap ? "Weightings · \(poolNote)"
                                       : (focused ? "▸" : "") + "\(s.headName(s.selectedHead)) w · \(poolNote)"
            screen.put(title.fitted(to: inner.width), in: inner.row(0),
                       style: focused ? Style([.bold, .reverse]) : .bold)
        }
        let snapshots = s.snapshots
        let pooledRows = (n + pool - 1) / pool
        for (head, rect) in layout.historyMaps {
            // Caption: head name, then ▼ over the current step.
            let captionY = rect.y - 1
            let mark = focused && head == s.selectedHead ? "▸" : ""
            let name = layout.bordered ? "\(mark)\(s.headName(head)) · \(poolNote)" : s.headName(head)
            if layout.bordered {
                // Right-aligned, so the ▼ over the current step (usually further left) does not hide it; left-
                // aligned when the ▼ would fall inside it (the training watch shows the last step).
                let captionRow = Rect(x: layout.history.x + 1, y: captionY, width: layout.history.width - 2, height: 1)
                let markX = axis.x(of: s.step) ?? Int.min
                if markX >= captionRow.maxX - name.unicodeScalars.count - 1 {
                    screen.put(" " + name, in: captionRow, alignment: .left, style: .bold)
                } else {
                    screen.put(name + " ", in: captionRow, alignment: .right, style: .bold)
                }
            } else if captionEachMap {
                // Compact maps span the whole width; the name goes over the row labels at the left.
                screen.put(name, x: layout.history.x, y: captionY, style: .bold, clip: layout.history)
            }
            if let x = axis.x(of: s.step) {
                screen.put("▼", x: x, y: captionY, style: .bold, clip: layout.history)
            }
            screen.put("0", x: rect.x - 4, y: rect.y, style: .dim, clip: layout.history)
            if rect.height > 1 {
                screen.put(String((rect.height - 1) * 2 * pool), x: rect.x - 4, y: rect.maxY - 1, style: .dim,
                           clip: layout.history)
            }
            let cursor = focused && head == s.selectedHead ? s.cursorRow.map {
                GridPosition(row: $0 / pool, column: s.step - axis.first)
            } : nil
            Heatmap(rows: pooledRows, columns: axis.count, cellWidth: axis.stepWidth, scale: weightScale,
                    range: unitRange, mode: mode,
                    value: { p, c in
                        let t = axis.first + c
                        guard t <= s.step else { return nil }
                        return maxPool(snapshots[t].heads[head].weighting, start: p * pool, count: pool)
                    }, cursor: cursor)
                .render(into: &screen, rect: rect)
        }
        if layout.bordered {
            let legendRow = Rect(x: layout.history.x + 1, y: layout.history.maxY - 1,
                                 width: Swift.min(36, layout.history.width - 2), height: 1)
            Legend(title: "weight", scale: weightScale, range: unitRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: legendRow)
        }
    }
}
