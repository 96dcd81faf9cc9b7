import Foundation
import Models
import Tasks

extension ACTScene {
    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = ACTLayout(self, context)
        drawInput(context, layout, mode, &screen)
        drawColumns(context, layout, mode, &screen)
        drawSubSteps(context, layout, mode, &screen)
        // Rich layouts carry their legends on the sub-step panel's last row (compact ones on the info line).
        if layout.bordered, layout.subSteps.height >= 8 {
            drawLegends(context, into: &screen, rect: layout.subSteps.row(layout.subSteps.height - 1), mode: mode)
        }
    }

    func panel(_ title: String, _ rect: Rect, _ layout: ACTLayout, _ screen: inout Screen, focused: Bool = false) -> Rect {
        ScenePanel.open(title, rect, bordered: layout.bordered, focused: focused, &screen)
    }

    /// The current input vector, one cell per entry (+1 red, −1 blue, 0 a dot), with its target and the
    /// output; while editing, the edited vector with the cursor on an entry.
    func drawInput(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let f = context.frame, s = snapshots[context.step]
        let bits = f.data(as: BitStep.self) ?? BitStep(phase: f.phase, input: [], target: [], scored: false)
        let target = bits.target.first.map { $0 >= 0.5 ? "1" : "0" } ?? "–"
        let out = s.output.first ?? 0
        let right = bits.isScored ? ((out >= 0.5) == (target == "1") ? "right" : "WRONG") : "not scored"
        let input: [Float], title: String
        if let editor = context.editor {
            input = editor.rows[Swift.min(editor.row, editor.rows.count - 1)]
            let cycle = (editor.values + [editor.values[0]]).map { NumberFormat.fixed($0, decimals: 0, plusSign: $0 > 0) }
            let runs = editor.runsAtOnce ? " and runs" : ""
            title = "Edit input: space flips entry \(editor.entry + 1) (\(cycle.joined(separator: " → ")))\(runs) · ←→ move · enter/esc done"
                + " · target \(target) · output \(NumberFormat.fixed(out, decimals: 3)) (\(right))"
        } else {
            input = bits.input
            title = "Input \(context.step + 1) of \(context.episode.count) · target \(target) · output "
                + "\(NumberFormat.fixed(out, decimals: 3)) (\(right))"
        }
        let inner = panel(title, layout.input, layout, &screen, focused: context.editor != nil)
        screen.put("x", x: inner.x, y: inner.y, style: .dim, clip: inner)
        let cells = layout.inputCells
        let perRow = Swift.max(1, cells.width / ACTLayout.entrySlot)
        for (i, v) in input.enumerated() where i / perRow < cells.height {
            let x = cells.x + (i % perRow) * ACTLayout.entrySlot, y = cells.y + i / perRow
            let glyph: Unicode.Scalar = v > 0 ? "+" : (v < 0 ? "−" : "·")
            var style = mode == .none || v == 0 ? Style(v == 0 ? .dim : .bold)
                : Style(fg: Self.signedScale.color(at: Self.signedRange.position(of: v), mode: mode), [.bold])
            if let editor = context.editor, editor.entry == i { style.attributes.formUnion([.reverse, .bold]) }
            screen[x, y] = Cell(glyph, style: style)
        }
        let shown = perRow * cells.height
        if input.count > shown {
            screen.put("… \(input.count - shown) more", x: cells.x, y: cells.maxY - 1, style: .dim, clip: cells)
        }
    }

    /// One column per input step: the weights p of its sub-steps stacked from the bottom up to 1, each
    /// segment numbered by its sub-step, the remainder's marked R; the input's number, N and ρ below, and
    /// the sum of ρ at the end. At the cursor's input, only the sub-steps up to the cursor are filled;
    /// inputs after the current one are outlines with dim numbers.
    func drawColumns(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let total = snapshots.reduce(Float(0)) { $0 + $1.ponder }
        let title = "Halting p · Σρ \(NumberFormat.fixed(total, decimals: 2))"
        _ = panel(title, layout.columnsPanel, layout, &screen)
        let bars = layout.bars
        // The axis: 1 at the top, 0 at the bottom.
        let axisX = bars.x - ACTLayout.axisWidth
        screen.put("   1┤", x: axisX, y: bars.y, style: .dim)
        if bars.height >= 3 { screen.put(" 0.5┤", x: axisX, y: bars.y + (bars.height - 1) / 2, style: .dim) }
        if bars.height >= 2 { screen.put("   0┤", x: axisX, y: bars.maxY - 1, style: .dim) }
        for (label, row) in [("in", 0), ("N", 1), ("ρ", 2)] where row < layout.labels.height {
            screen.put(label, x: layout.labels.x, y: layout.labels.y + row, style: .dim)
        }
        let cursorStep = subStep(context)
        for t in snapshots.indices {
            guard let x = layout.columnX(t) else { continue }
            let s = snapshots[t]
            let current = t == context.step
            // Inputs not reached yet are outlines, as the other scenes leave future steps blank.
            let filled = current ? (cursorStep ?? s.steps - 1) : (t < context.step ? s.steps - 1 : -1)
            drawBar(s, filledThrough: filled, x: x, width: Swift.max(1, layout.columnWidth - 1), bars: bars, mode: mode, &screen)
            let style: Style = current ? Style([.bold, .reverse]) : .plain
            let w = layout.columnWidth - 1
            screen.put(String(t + 1).fitted(to: w), x: x, y: layout.labels.y, style: style, clip: layout.labels)
            let numbers: Style = current ? .bold : (t > context.step ? .dim : .plain)
            screen.put(String(s.steps).fitted(to: w), x: x, y: layout.labels.y + 1, style: numbers, clip: layout.labels)
            screen.put(NumberFormat.fixed(s.ponder, decimals: w >= 4 ? 2 : 1).fitted(to: w), x: x, y: layout.labels.y + 2,
                       style: numbers, clip: layout.labels)
        }
        if layout.firstColumn > 0 {
            screen.put("◀", x: bars.x - 1, y: layout.labels.y, style: .dim)
        }
        if layout.firstColumn + layout.visibleColumns < snapshots.count {
            screen.put("▶", x: bars.maxX - 1, y: layout.labels.y, style: .dim)
        }
    }

    /// One input's stacked bar, bottom up: segment n is p_n of the bar's height (rounded at the running
    /// sum, so the segments always fill it exactly), coloured by p_n and labelled with n (R for the
    /// remainder) on its top row when it has one (without colour: shaded by p, the label in reverse video).
    /// Segments after `filledThrough` are drawn as outlines.
    func drawBar(_ s: ACTSnapshot, filledThrough: Int, x: Int, width: Int, bars: Rect, mode: ColorMode, _ screen: inout Screen) {
        var used: Float = 0
        var bottom = bars.maxY                            // exclusive: the row above the segment's bottom
        for (n, p) in s.weights.enumerated() {
            used += p
            let top = bars.maxY - Int((Swift.min(1, used) * Float(bars.height)).rounded())
            defer { bottom = Swift.min(bottom, top) }
            guard top < bottom else { continue }
            let last = n == s.steps - 1
            let label = last ? "R" : String(n + 1)
            let color = Self.weightScale.color(at: Self.unitRange.position(of: p), mode: mode)
            for y in top..<bottom {
                for cx in x..<(x + width) {
                    let text: Unicode.Scalar? = y == top && cx - x < label.unicodeScalars.count
                        ? label.unicodeScalars[label.unicodeScalars.index(label.unicodeScalars.startIndex, offsetBy: cx - x)] : nil
                    if n > filledThrough {
                        screen[cx, y] = Cell(text ?? (cx == x || cx == x + width - 1 ? "┊" : " "), style: .dim)
                    } else if mode == .none {
                        // Shaded by p as the legend is (never blank, so a small weight still shows).
                        let shaded = Self.weightScale.glyph(at: p), shade: Unicode.Scalar = shaded == " " ? "░" : shaded
                        screen[cx, y] = Cell(text ?? shade, style: text == nil ? .plain : Style([.bold, .reverse]))
                    } else {
                        screen[cx, y] = Cell(text ?? " ", fg: color.contrastingText(mode: mode), bg: color)
                    }
                }
            }
        }
    }

    /// The current input's sub-steps: a table, one row each (h, the running sum Σh, the weight p, the
    /// sub-step's output σ(y)); below it, when there is room, every sub-step's state s^n as a small
    /// heatmap (units on a grid) and the step's mean state s_t = Σ p·s that carries on. Without room for
    /// the heatmaps, each table row ends with its state as one row of colours instead.
    func drawSubSteps(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let title = "Input \(context.step + 1): \(s.steps) ponder sub-step\(s.steps == 1 ? "" : "s") · R \(NumberFormat.fixed(s.remainder, decimals: 3))"
            + " · ρ = N + R = \(NumberFormat.fixed(s.ponder, decimals: 3))"
        let inner = panel(title, layout.subStepsPanel, layout, &screen)
        let rows = layout.bordered && layout.subSteps.height >= 8 ? layout.subSteps.inset(bottom: 2) : layout.subSteps
        let tiles = ACTTiles(units: s.state.count, count: s.steps + 1, rect: rows, tableRows: s.steps)
        let units = s.state.count
        screen.put("  n       h      Σh       p    σ(y)" + (tiles == nil ? "   state s (\(units) units)" : ""),
                   in: inner.row(0), style: .dim)
        let cursorStep = subStep(context)
        let tableHeight = tiles.map { $0.tableRows } ?? rows.height
        let visible = Swift.min(s.steps, tableHeight - (s.steps > tableHeight ? 1 : 0))
        // Keep the cursor's row in view.
        let first = Swift.max(0, Swift.min(s.steps - visible, (cursorStep ?? 0) - visible + 1))
        let stateX = rows.x + ACTLayout.numbersWidth
        for i in 0..<Swift.max(0, visible) {
            let n = first + i, y = rows.y + i
            let selected = context.active && cursorStep == n
            let later = cursorStep.map { n > $0 } ?? false
            func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 3).padded(to: 7, alignment: .right) }
            let out = logistic(s.subLogits[n]).first ?? 0
            let text = String(n + 1).padded(to: 3, alignment: .right) + " " + f(s.halting[n]) + " " + f(s.cumulative[n])
                + " " + f(s.weights[n]) + " " + f(out) + (n == s.steps - 1 ? " R" : "")
            screen.put(text, x: rows.x, y: y, style: selected ? Style([.bold, .reverse]) : (later ? .dim : .plain), clip: rows)
            if tiles == nil { drawUnits(s.subStates[n], x: stateX, y: y, width: Swift.max(1, rows.maxX - stateX), mode: mode, &screen) }
        }
        if s.steps > visible, tableHeight > 0 {
            screen.put("… \(s.steps - visible) more sub-steps (↑↓ scroll)", x: rows.x, y: rows.y + tableHeight - 1, style: .dim, clip: rows)
        }
        guard let tiles else { return }
        // The heatmaps: when not all fit, the sub-steps up to the cursor, or with no cursor up to the one
        // of largest weight p (the state s_t leans on most); then the mean.
        let shown = Swift.min(s.steps, tiles.capacity - 1)
        let heaviest = s.weights.prefix(s.steps).indices.max { s.weights[$0] < s.weights[$1] } ?? 0
        let firstTile = Swift.max(0, Swift.min(s.steps - shown, (cursorStep ?? heaviest) - shown + 1))
        let long = "states s^n as \(tiles.gridRows)×\(tiles.gridColumns) grids of units · s_t = Σ p·s carries to the next input"
        let short = "states s^n, \(tiles.gridRows)×\(tiles.gridColumns) units · s_t = Σ p·s^n"
        screen.put((long.unicodeScalars.count <= rows.width ? long : short).fitted(to: rows.width),
                   x: rows.x, y: tiles.top - 1, style: .dim, clip: rows)
        for i in 0...shown {
            let mean = i == shown
            let n = firstTile + i
            let state = mean ? s.state : s.subStates[n]
            let origin = tiles.origin(i)
            let label = mean ? "s_t (mean)" : "s^\(n + 1)  p \(NumberFormat.fixed(s.weights[n], decimals: 2))"
            let selected = !mean && context.active && cursorStep == n
            let later = !mean && (cursorStep.map { n > $0 } ?? false)
            screen.put(label.fitted(to: tiles.tileWidth), x: origin.x, y: origin.y,
                       style: selected ? Style([.bold, .reverse]) : (later ? .dim : (mean ? .bold : .plain)), clip: rows)
            let g = tiles
            Heatmap(rows: g.gridRows, columns: g.gridColumns, cellWidth: g.cellWidth, scale: Self.signedScale, range: Self.signedRange,
                    mode: mode, value: { r, c in
                        let k = r * g.gridColumns + c
                        return k < state.count ? state[k] : nil
                    })
                .render(into: &screen, rect: Rect(x: origin.x, y: origin.y + 1, width: g.tileWidth, height: g.heatmapRows))
        }
    }

    /// A state's units as one row of colours: as wide as the room allows (up to 3 cells a unit), or
    /// pooled by largest magnitude when there are more units than cells.
    func drawUnits(_ state: [Float], x: Int, y: Int, width: Int, mode: ColorMode, _ screen: inout Screen) {
        let pool = Swift.max(1, (state.count + width - 1) / width)
        let columns = (state.count + pool - 1) / pool
        Heatmap(rows: 1, columns: columns, cellWidth: Swift.max(1, Swift.min(3, width / Swift.max(1, columns))),
                scale: Self.signedScale, range: Self.signedRange, mode: mode,
                value: { _, c in maxAbsPool(state, start: c * pool, count: pool) })
            .render(into: &screen, rect: Rect(x: x, y: y, width: width, height: 1))
    }
}

/// Where the sub-step state heatmaps go under the sub-step table: tiles of `gridRows` × `gridColumns`
/// units (two unit rows per text row), with a label row above each, as many per row as fit.
struct ACTTiles {
    var gridRows: Int, gridColumns: Int, cellWidth: Int
    var tileWidth: Int, heatmapRows: Int
    var perRow: Int, tileRows: Int
    /// Rows left to the table above the tiles.
    var tableRows: Int
    /// The first tile row's label row.
    var top: Int
    var left: Int

    /// nil when not even one row of tiles fits below a table of `tableRows` rows (and a title row).
    init?(units: Int, count: Int, rect: Rect, tableRows wanted: Int) {
        gridColumns = Swift.max(1, Swift.min(units, Int(Foundation.sqrt(Double(units) * 2).rounded(.up))))
        gridRows = (units + gridColumns - 1) / gridColumns
        heatmapRows = (gridRows + 1) / 2
        cellWidth = gridColumns * 2 + 2 <= rect.width / 3 ? 2 : 1
        tileWidth = Swift.max(gridColumns * cellWidth, 11)
        let tileHeight = heatmapRows + 1
        perRow = Swift.max(1, (rect.width + 2) / (tileWidth + 2))
        // At least one row of tiles below at least a 2-row table and a title row.
        tableRows = Swift.min(wanted, Swift.max(2, rect.height - 2 - tileHeight))
        let room = rect.height - tableRows - 2
        tileRows = Swift.min((count + perRow - 1) / perRow, room / (tileHeight + 1) + (room % (tileHeight + 1) == tileHeight ? 1 : 0))
        guard tileRows >= 1, rect.width >= tileWidth else { return nil }
        top = rect.y + tableRows + 2
        left = rect.x
    }

    var capacity: Int { perRow * tileRows }

    /// The label row's left end of tile i.
    func origin(_ i: Int) -> (x: Int, y: Int) {
        (left + (i % perRow) * (tileWidth + 2), top + (i / perRow) * (heatmapRows + 2))
    }
}
