extension NTMScene {
    /// Each head's weighting over time (columns are steps up to the current one, rows memory locations:
    /// the rows in use during the episode, pooled by max when they do not fit), so the copy task's write
    /// sweep and read sweep show as two diagonals. Compact layouts without room for every head show the
    /// selected one.
    static func drawHistory(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard !layout.history.isEmpty else { return }
        let focused = s.focus == .history
        let window = layout.historyRows
        frame(fittedFirst(window.isAll ? ["Weightings over time", "Weightings"]
                                       : ["Weightings over time · rows in use", "Weightings · rows in use", "Weightings"],
                          width: layout.history.width - 6),
              focused: focused, rect: layout.history, layout: layout, &screen)
        let axis = layout.historyTime
        let pool = layout.historyPool
        let poolNote = pool == 1 ? "" : ", \(pool)/px max"
        // Compact layouts caption each map themselves when they show several heads.
        let captionEachMap = layout.bordered || layout.historyMaps.count > 1
        if !layout.bordered {
            let inner = layout.history
            let name = s.headName(s.selectedHead)
            let title = captionEachMap
                ? fittedFirst(["Weightings · \(window.label)\(window.isAll ? "" : " (in use)")\(poolNote)",
                               "Weightings · \(window.label)\(poolNote)", "w · \(window.label)\(poolNote)",
                               "w · \(window.start)–\(window.last)\(pool == 1 ? "" : " · \(pool)/px")",
                               "w \(window.start)–\(window.last)"],
                              width: inner.width)
                : (focused ? "▸" : "") + fittedFirst(["\(name) w · \(window.label)\(window.isAll ? "" : " (in use)")\(poolNote)",
                                                      "\(name) w · \(window.label)\(poolNote)",
                                                      "\(name) · \(window.start)–\(window.last)\(pool == 1 ? "" : " ·\(pool)/px")",
                                                      "\(name) \(window.start)–\(window.last)"],
                                                     width: inner.width - (focused ? 1 : 0))
            screen.put(title.fitted(to: inner.width), in: inner.row(0),
                       style: focused ? Style([.bold, .reverse]) : .bold)
        }
        let snapshots = s.snapshots
        let pooledRows = (window.count + pool - 1) / pool
        for (head, rect) in layout.historyMaps {
            // Caption: head name, then ▼ over the current step.
            let captionY = rect.y - 1
            let mark = focused && head == s.selectedHead ? "▸" : ""
            if layout.bordered {
                // Right of the ▼ over the current step when it fits there, else left of it (the ▼ is usually
                // near the left while playing, at the right end at the last step); the longest wording that fits.
                let captionRow = Rect(x: layout.history.x + 1, y: captionY, width: layout.history.width - 2, height: 1)
                let markX = axis.x(of: s.step) ?? Int.min
                let right = captionRow.maxX - Swift.max(captionRow.x, markX + 2)
                let left = Swift.min(captionRow.maxX, markX) - captionRow.x - 1
                let words = [" · \(window.label)\(poolNote)", " · \(window.label)", ""].map { mark + s.headName(head) + $0 }
                let rightFit = words.firstIndex { $0.unicodeScalars.count + 1 <= right }
                let leftFit = words.firstIndex { $0.unicodeScalars.count + 1 <= left }
                if let r = rightFit, r <= (leftFit ?? words.count) {
                    screen.put(words[r] + " ", in: captionRow, alignment: .right, style: .bold)
                } else {
                    screen.put(" " + fittedFirst(words, width: Swift.max(1, left - 1)), in: captionRow, alignment: .left,
                               style: .bold)
                }
            } else if captionEachMap {
                // Compact maps span the whole width; the name goes over the row labels at the left.
                screen.put(s.headName(head), x: layout.history.x, y: captionY, style: .bold, clip: layout.history)
            }
            if let x = axis.x(of: s.step) {
                screen.put("▼", x: x, y: captionY, style: .bold, clip: layout.history)
            }
            drawRowLabels(window, pool: pool, rect: rect, clip: layout.history, &screen)
            let cursor = focused && head == s.selectedHead ? s.cursorRow.flatMap { row in
                window.index(of: row).map { GridPosition(row: $0 / pool, column: s.step - axis.first) }
            } : nil
            Heatmap(rows: pooledRows, columns: axis.count, cellWidth: axis.stepWidth, scale: weightScale,
                    range: unitRange, mode: mode,
                    value: { p, c in
                        let t = axis.first + c
                        guard t <= s.step else { return nil }
                        let w = snapshots[t].heads[head].weighting
                        var best: Float = 0
                        for i in (p * pool)..<Swift.min(window.count, (p + 1) * pool) { best = Swift.max(best, w[window.row(i)]) }
                        return best
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

    /// Memory row numbers left of a history map: its first and last text row, and the text row where a
    /// window that wraps reaches row 0, so a wrapped diagonal can be read off.
    static func drawRowLabels(_ window: RowWindow, pool: Int, rect: Rect, clip: Rect, _ screen: inout Screen) {
        let textRows = rect.height
        guard textRows > 0 else { return }
        let zeroAt = window.index(of: 0).map { $0 / (2 * pool) }
        for ty in 0..<textRows {
            let first = ty * 2 * pool
            let isZero = ty == zeroAt && ty > 0 && window.start != 0
            guard ty == 0 || ty == textRows - 1 || isZero, first < window.count else { continue }
            // The zero row's label wins over the last row's when they share a text row.
            let row = isZero ? 0 : window.row(first)
            screen.put(String(row).padded(to: 3, alignment: .right), x: rect.x - 4, y: rect.y + ty, style: .dim,
                       clip: clip)
        }
    }

    /// The first of `candidates` that fits in `width` columns (the last one, cut, when none does).
    static func fittedFirst(_ candidates: [String], width: Int) -> String {
        candidates.first { $0.unicodeScalars.count <= width } ?? (candidates.last ?? "").fitted(to: width)
    }
}
