import Models

extension DNCScene {
    func panel(_ title: String, _ rect: Rect, _ layout: DNCLayout, _ screen: inout Screen) -> Rect {
        ScenePanel.open(title, rect, bordered: layout.bordered, &screen)
    }

    /// A weighting as one coloured cell `DNCLayout.columnWidth − 1` wide (a shade without colour).
    func weightCell(_ v: Float, x: Int, y: Int, mode: ColorMode, selected: Bool, _ screen: inout Screen) {
        let t = Self.unitRange.position(of: v)
        for dx in 0..<(DNCLayout.columnWidth - 1) {
            if mode == .none {
                screen[x + dx, y] = Cell(Self.weightScale.glyph(at: t), style: selected ? Style([.reverse]) : .plain)
            } else {
                screen[x + dx, y] = Cell(" ", bg: Self.weightScale.color(at: t, mode: mode))
            }
        }
    }

    /// Usage as a bar `DNCLayout.columnWidth − 1` cells long, in eighths of a cell, coloured by its value.
    func usageBar(_ u: Float, x: Int, y: Int, mode: ColorMode, selected: Bool, _ screen: inout Screen) {
        let width = DNCLayout.columnWidth - 1
        let eighths = Int((Swift.min(1, Swift.max(0, u)) * Float(width * 8)).rounded())
        let blocks: [Unicode.Scalar] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
        var style = mode == .none ? Style.plain : Style(fg: Self.weightScale.color(at: Self.unitRange.position(of: u), mode: mode))
        if selected { style.attributes.formUnion([.reverse]) }
        for dx in 0..<width {
            let filled = Swift.min(8, Swift.max(0, eighths - 8 * dx))
            screen[x + dx, y] = Cell(blocks[filled], style: style)
        }
    }

    /// Memory after the step, one row per slot, and beside each slot its usage u (a bar), allocation a,
    /// write weighting w, precedence p and each read head's weighting r (coloured cells).
    func drawMemory(_ context: SceneContext, _ layout: DNCLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let n = slots, rows = layout.slotRows
        let shown = "slots \(layout.firstSlot)–\(layout.firstSlot + rows.height - 1) of \(n)"
        let inner = panel("Memory M_t · \(shown)", layout.memory, layout, &screen)
        let heads = s.readHeads.count
        let names = DNCLayout.columnNames + (0..<heads).map { "r\($0 + 1)" }
        screen.put("  #", x: inner.x, y: inner.y, style: .dim, clip: inner)
        let heading = "memory row (W = \(s.memoryAfter.shape[1]))"
        let room = s.memoryAfter.shape[1] * layout.memoryCellWidth
        screen.put(heading.count <= room ? heading : "M (W \(s.memoryAfter.shape[1]))", x: layout.memoryX, y: inner.y, style: .dim,
                   clip: Rect(x: layout.memoryX, y: inner.y, width: room, height: 1))
        for (k, name) in names.enumerated() {
            screen.put(name, x: layout.columnsX + k * DNCLayout.columnWidth, y: inner.y, style: .bold, clip: inner)
        }
        let width = s.memoryAfter.shape[1]
        let memory = s.memoryAfter
        for r in 0..<rows.height {
            let i = layout.firstSlot + r, y = rows.y + r
            let selected = context.active && cursor == i
            screen.put(String(i).padded(to: 3, alignment: .right), x: rows.x, y: y,
                       style: selected ? Style([.bold, .reverse]) : .dim, clip: rows)
            Heatmap(rows: 1, columns: width, cellWidth: layout.memoryCellWidth, scale: Self.signedScale, range: memoryRange,
                    mode: mode, value: { _, c in memory[i, c] })
                .render(into: &screen, rect: Rect(x: layout.memoryX, y: y, width: width * layout.memoryCellWidth, height: 1))
            let values = [s.usage[i], s.allocation[i], s.writeWeighting[i], s.precedence[i]] + s.readHeads.map { $0.weighting[i] }
            for (k, v) in values.enumerated() {
                if k == 0 {
                    usageBar(v, x: layout.columnsX, y: y, mode: mode, selected: selected, &screen)
                } else {
                    weightCell(v, x: layout.columnsX + k * DNCLayout.columnWidth, y: y, mode: mode, selected: selected, &screen)
                }
            }
        }
        if let map = layout.usageMap { drawUsageOverTime(context, layout, map, inner, mode, &screen) }
    }

    /// Every slot's usage u over the steps so far, one row a slot and one column per `usagePool` steps (the
    /// usage after the pool's last step), coloured as the u column; the steps still to come are blank. A
    /// slot freed after it is read shows as a row going dark, and filling again when it is reused.
    func drawUsageOverTime(_ context: SceneContext, _ layout: DNCLayout, _ map: Rect, _ inner: Rect, _ mode: ColorMode,
                           _ screen: inout Screen) {
        let pool = layout.usagePool, now = context.step, cw = layout.usageCellWidth
        let caption = pool == 1 ? "usage u over time · a column per step"
            : "usage u over time · a column per \(pool) steps"
        let room = inner.maxX - map.x
        screen.put((caption.count <= room ? caption : "usage u over time").fitted(to: room), x: map.x, y: map.y - 1,
                   style: .dim, clip: inner)
        for r in 0..<map.height {
            let selected = context.active && cursor == r
            screen.put(String(r).padded(to: 3, alignment: .right), x: inner.x, y: map.y + r,
                       style: selected ? Style([.bold, .reverse]) : .dim, clip: inner)
        }
        let snaps = snapshots
        for r in 0..<map.height {
            // One text row a slot, as the memory rows above it.
            Heatmap(rows: 1, columns: map.width / cw, cellWidth: cw, scale: Self.weightScale, range: Self.unitRange, mode: mode,
                    value: { _, c in
                        c * pool <= now ? snaps[Swift.min(snaps.count - 1, now, (c + 1) * pool - 1)].usage[r] : nil
                    })
                .render(into: &screen, rect: Rect(x: map.x, y: map.y + r, width: map.width, height: 1))
        }
    }

    /// The temporal link matrix L_t (row i, column j: how much slot i was written right after slot j),
    /// fitted or one cell per slot around the cursor, the cursor's row and column marked; the precedence
    /// p_t below it.
    func drawLinks(_ context: SceneContext, _ layout: DNCLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let n = slots
        let lastRow = Swift.min(n, layout.firstRow + layout.linkRows * layout.linkPool) - 1
        let lastColumn = Swift.min(n, layout.firstColumn + layout.linkColumns * layout.linkPool) - 1
        let scope = layout.linkPool > 1 ? "\(layout.linkPool)×\(layout.linkPool) slots a cell (max)"
            : "rows \(layout.firstRow)–\(lastRow), columns \(layout.firstColumn)–\(lastColumn)"
        let inner = panel("Links L[i,j]: i written after j · \(scope) · z zoom", layout.links, layout, &screen)
        _ = inner
        let link = s.link, pool = layout.linkPool, l = layout
        @Sendable func pooled(_ r: Int, _ c: Int) -> Float? {
            let r0 = l.linkSlot(row: r), c0 = l.linkSlot(column: c)
            guard r0 < n, c0 < n else { return nil }
            var m: Float = 0
            for i in r0..<Swift.min(n, r0 + pool) { for j in c0..<Swift.min(n, c0 + pool) { m = Swift.max(m, link[i, j]) } }
            return m
        }
        let cursorCell = cursor.flatMap { c -> GridPosition? in
            guard c >= l.firstRow, c >= l.firstColumn else { return nil }
            let r = (c - l.firstRow) / pool, col = (c - l.firstColumn) / pool
            guard r < l.linkRows, col < l.linkColumns else { return nil }
            return GridPosition(row: r, column: col)
        }
        Heatmap(rows: l.linkRows, columns: l.linkColumns, cellWidth: l.linkCellWidth, scale: Self.linkScale, range: Self.unitRange,
                mode: mode, value: pooled, cursor: cursorCell)
            .render(into: &screen, rect: l.linkMap)
        // Row labels every few text rows.
        for y in stride(from: 0, to: l.linkMap.height, by: Swift.max(1, l.linkMap.height / 4)) {
            screen.put(String(l.linkSlot(row: 2 * y)).padded(to: 3, alignment: .right), x: l.linkMap.x - DNCLayout.slotLabelWidth,
                       y: l.linkMap.y + y, style: .dim)
        }
        // The precedence over the same columns.
        screen.put("precedence p_t", x: l.precedenceRow.x, y: l.precedenceRow.y - 1, style: .dim, clip: l.links)
        screen.put("p", x: l.precedenceRow.x - DNCLayout.slotLabelWidth + 2, y: l.precedenceRow.y, style: .dim)
        let precedence = s.precedence
        Heatmap(rows: 2, columns: l.linkColumns, cellWidth: l.linkCellWidth, scale: Self.weightScale, range: Self.unitRange, mode: mode,
                value: { _, c in
                    let c0 = l.linkSlot(column: c)
                    guard c0 < n else { return nil }
                    return precedence[c0..<Swift.min(n, c0 + pool)].max()
                })
            .render(into: &screen, rect: Rect(x: l.precedenceRow.x, y: l.precedenceRow.y, width: l.linkMap.width, height: 1))
    }

    /// The write gates, then per read head its free gate, strength and read modes π as a stacked bar:
    /// backward (b), content (c), forward (f).
    func drawHeads(_ context: SceneContext, _ layout: DNCLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let inner = panel("Gates and read modes", layout.heads, layout, &screen)
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 2) }
        let wide = inner.width >= 64
        screen.put(wide ? "write: gate gʷ \(f(s.writeGate))  allocate gᵃ \(f(s.allocationGate))  strength βʷ \(f(s.writeStrength))"
                        : "write gʷ \(f(s.writeGate)) gᵃ \(f(s.allocationGate)) βʷ \(f(s.writeStrength))",
                   x: inner.x, y: inner.y, clip: inner)
        let colors: [Float] = [0.15, 0.55, 0.9]
        for (h, r) in s.readHeads.enumerated() where 1 + h < inner.height {
            let y = inner.y + 1 + h
            let label = "r\(h + 1)\(h == head && s.readHeads.count > 1 ? "▸" : " ") "
            var x = screen.put(label, x: inner.x, y: y, style: h == head ? .bold : .plain, clip: inner)
            let barWidth = Swift.max(6, Swift.min(30, inner.width - (wide ? 50 : 33)))
            var used: Float = 0, start = x
            for (k, p) in r.modes.enumerated() {
                used += p
                let end = x + Int((used * Float(barWidth)).rounded())
                let letter: Unicode.Scalar = ["b", "c", "f"][k]
                for cx in start..<Swift.max(start, end) {
                    let glyph: Unicode.Scalar = cx == start ? letter : (mode == .none ? ["░", "▒", "▓"][k] : " ")
                    screen[cx, y] = mode == .none ? Cell(glyph)
                        : Cell(glyph, fg: Self.linkScale.color(at: colors[k], mode: mode).contrastingText(mode: mode),
                               bg: Self.linkScale.color(at: colors[k], mode: mode))
                }
                start = Swift.max(start, end)
            }
            x += barWidth + 1
            let modes = "b\(f(r.modes[0])) c\(f(r.modes[1])) f\(f(r.modes[2]))"
            let texts = wide ? ["b \(f(r.modes[0])) c \(f(r.modes[1])) f \(f(r.modes[2]))  β \(f(r.strength))  free \(f(s.freeGates[h]))"]
                : [modes + " free \(f(s.freeGates[h]))", modes]
            // The longest that fits; the free gate goes before anything is cut, and a cut ends in "…".
            let room = Swift.max(0, inner.maxX - x)
            let text = texts.first { $0.unicodeScalars.count <= room } ?? texts[texts.count - 1].fitted(to: room)
            screen.put(text, x: x, y: y, clip: inner)
        }
    }
}
