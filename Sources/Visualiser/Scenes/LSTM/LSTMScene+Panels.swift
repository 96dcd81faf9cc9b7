extension LSTMScene {
    /// The selected layer's h (or c) over time: one column per step up to the current one, units down
    /// (pooled by largest magnitude when they do not fit), so what the network keeps from the input phase
    /// shows as bands that last, or fade.
    func drawHistory(_ context: SceneContext, _ layout: LSTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let what = showCell ? "cell state c" : "hidden state h"
        let pool = layout.historyPool
        let units = layout.units
        let note = pool == 1 ? "units 0–\(units - 1)" : "units 0–\(units - 1), \(pool)/px"
        let layers = snapshots[context.step].layers.count
        let title = "\(what)\(layers > 1 ? " · layer \(layer + 1)" : "") over time · \(note)"
        if layout.bordered {
            Panel(title: title, focused: context.active && cursorUnit != nil).render(into: &screen, rect: layout.history)
        } else {
            screen.put(title.fitted(to: layout.history.width), in: layout.history.row(0), style: .bold)
        }
        let axis = layout.historyTime
        let snapshots = self.snapshots
        let k = layer, cell = showCell, now = context.step
        let pooledRows = (units + pool - 1) / pool
        let range = cell ? cellRange[k] : Self.tanhRange
        let cursor = cursorUnit.flatMap { u -> GridPosition? in
            guard let x = axis.x(of: now) else { return nil }
            return GridPosition(row: u / pool, column: (x - axis.x) / axis.stepWidth)
        }
        Heatmap(rows: pooledRows, columns: axis.count, cellWidth: axis.stepWidth, scale: Self.signedScale, range: range,
                mode: mode, value: { r, c in
                    let t = axis.first + c
                    guard t <= now else { return nil }
                    let l = snapshots[t].layers[k]
                    return maxAbsPool(cell ? l.cell : l.hidden, start: r * pool, count: pool)
                }, cursor: cursor)
            .render(into: &screen, rect: layout.historyMap)
        // Unit labels at the left, every 8 pixel rows, and the cursor's.
        for ty in 0..<layout.historyMap.height {
            let unit = 2 * ty * pool
            let cursorHere = cursorUnit.map { $0 / pool / 2 == ty } == true
            guard ty % 4 == 0 || cursorHere else { continue }
            let label = String(cursorHere ? cursorUnit! : unit)
            screen.put(label.padded(to: 4, alignment: .right), x: layout.historyMap.x - 5, y: layout.historyMap.y + ty,
                       style: cursorHere ? .bold : .dim)
        }
        if layout.bordered {
            let legendRow = Rect(x: layout.history.x + 2, y: layout.history.maxY - 1,
                                 width: Swift.min(40, layout.history.width - 4), height: 1)
            Legend(scale: Self.signedScale, range: range, mode: mode, decimals: 1).render(into: &screen, rect: legendRow)
        }
    }

    /// This step, unit by unit: the gates i, f, o (0…1), the candidate g and the new c and h (signed),
    /// eqs. (4)–(6); the cursor's unit is marked in every strip.
    func drawStep(_ context: SceneContext, _ layout: LSTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let l = snapshots[context.step].layers[layer]
        let pool = layout.stripPool
        let title = "step \(context.step + 1): gates and state · \(pool == 1 ? "one unit a cell" : "\(pool) units a cell, largest")"
        if layout.bordered {
            Panel(title: title).render(into: &screen, rect: layout.step)
        } else {
            screen.put(title.fitted(to: layout.step.width), in: layout.step.row(0), style: .bold)
        }
        let rows: [([Float], ColorScale, ValueRange)] = [
            (l.inputGate, Self.gateScale, Self.unitRange), (l.forgetGate, Self.gateScale, Self.unitRange),
            (l.candidate, Self.signedScale, Self.tanhRange), (l.outputGate, Self.gateScale, Self.unitRange),
            (l.cell, Self.signedScale, cellRange[layer]), (l.hidden, Self.signedScale, Self.tanhRange),
        ]
        let columns = (layout.units + pool - 1) / pool
        let h = layout.stripHeight
        for (i, (values, scale, range)) in rows.enumerated() where i * h < layout.strips.height {
            let y = layout.strips.y + i * h
            screen.put(LSTMLayout.stripNames[i], x: layout.strips.x - LSTMLayout.labelWidth, y: y + h / 2, style: .dim)
            let cursor = cursorUnit.map { GridPosition(row: 2 * (h / 2), column: $0 / pool) }
            // Every data row of a strip holds the same values: a strip is one row of units, h text rows tall.
            Heatmap(rows: 2 * h, columns: columns, cellWidth: layout.stripCellWidth, scale: scale, range: range, mode: mode,
                    value: { _, c in maxAbsPool(values, start: c * pool, count: pool) }, cursor: cursor)
                .render(into: &screen, rect: Rect(x: layout.strips.x, y: y, width: layout.strips.width, height: h))
        }
        if layout.bordered, layout.strips.maxY + 1 < layout.step.maxY - 1 {
            let row = Rect(x: layout.step.x + 2, y: layout.strips.maxY + 1, width: layout.step.width - 4, height: 1)
            let halves = row.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
            Legend(title: "i f o", scale: Self.gateScale, range: Self.unitRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: halves[0])
            Legend(title: "g h", scale: Self.signedScale, range: Self.tanhRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: halves[1])
        }
    }
}
