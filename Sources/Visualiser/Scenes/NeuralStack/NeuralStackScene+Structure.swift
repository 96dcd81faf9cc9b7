import Engine
import Models

extension NeuralStackScene {
    /// The structure after the step, top row at the top: per row the step (and word, and for a deque the
    /// end) that pushed it, its value vector v (eq. (15) when pushed), its strength s as a bar and each
    /// head's read weight (eqs. (3), (6)). Rows at strength 0 are drawn grey: popped, but kept. The end
    /// lines say what each end does this step; a run of rows that does not fit is one `┊` line.
    func drawStructure(_ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let t = context.step
        let snap = history.snapshots[t]
        let n = snap.strengths.count
        let shown = layout.lines.filter { if case .row = $0 { true } else { false } }.count
        let scope = shown < n ? " · \(shown) of \(n) rows" : " · \(n) row\(n == 1 ? "" : "s")"
        let title = "\(S.kind.capitalized) after step \(t + 1)\(scope)"
        let focused = context.active && focus == .structure && cursorSlot != nil
        let room = layout.structure.width - (layout.bordered ? 6 : 0)
        let inner = ScenePanel.open(Self.firstFitting([title + " · grey: strength 0, kept", title + " · grey: s 0", title], width: room),
                                    layout.structure, bordered: layout.bordered, focused: focused, &screen)

        // Column titles.
        let y = layout.header.y
        let dim = Style.dim
        screen.put(Self.firstFitting(["pushed", "step", "t"], width: layout.labelWidth - 1), x: layout.labelX, y: y, style: dim,
                   clip: Rect(x: layout.labelX, y: y, width: layout.labelWidth - 1, height: 1))
        let valueWidth = layout.valueCells * layout.valueCellWidth
        let m = history.valueSize
        let valueTitle = layout.valuePool > 1 ? "value v (m \(m), \(layout.valuePool) a cell)" : "value v (m \(m))"
        screen.put(valueTitle.count <= valueWidth ? valueTitle : "value v", x: layout.valuesX, y: y, style: dim,
                   clip: Rect(x: layout.valuesX, y: y, width: valueWidth, height: 1))
        screen.put("strength s", x: layout.strengthX, y: y, style: dim,
                   clip: Rect(x: layout.strengthX, y: y, width: layout.readX - layout.strengthX - 1, height: 1))
        let readStep = NeuralStackLayout.readWidth(numbers: layout.readNumbers) + 1
        for k in snap.heads.indices {
            let title = layout.readNumbers ? (snap.heads.count > 1 ? "w " + snap.heads[k].prefix(3) : "read w")
                : (snap.heads.count > 1 ? String(snap.heads[k].prefix(1)) : "w")
            screen.put(title, x: layout.readX + k * readStep, y: y, style: dim, clip: inner)
        }

        drawEnd(.top, context, layout.topEnd, &screen)
        for (i, line) in layout.lines.enumerated() {
            let y = layout.linesY + i
            switch line {
            case let .row(r): drawRow(r, y: y, context, layout, mode, &screen)
            case let .hidden(range): drawHidden(range, y: y, context, layout, &screen)
            }
        }
        drawEnd(.bottom, context, layout.bottomEnd, &screen)
        for (k, y) in layout.readLines { drawRead(k, y: y, context, layout, mode, &screen) }
    }

    /// `read r ▓▒░… Σw 1.00`: head k's read this step (eqs. (3), (6)), its entries under the value columns
    /// of the rows it mixes, and its total weight (1 unless the structure holds less than 1 in all).
    func drawRead(_ k: Int, y: Int, _ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let snap = history.snapshots[context.step]
        guard k < snap.reads.count else { return }
        let name = snap.heads.count > 1 ? "r \(snap.heads[k])" : "read r"
        screen.put(name, x: layout.labelX, y: y, style: .bold,
                   clip: Rect(x: layout.labelX, y: y, width: layout.labelWidth - 1, height: 1))
        let pool = layout.valuePool, cw = layout.valueCellWidth
        for c in 0..<layout.valueCells {
            let cell = valueCell(maxAbsPool(snap.reads[k], start: c * pool, count: pool), faint: false, cursor: false, mode: mode)
            for i in 0..<cw { screen[layout.valuesX + c * cw + i, y] = cell }
        }
        let total = snap.readWeights[k].reduce(0, +)
        screen.put("Σw \(NumberFormat.fixed(total, decimals: 2))", x: layout.strengthX, y: y, style: .dim,
                   clip: Rect(x: layout.strengthX, y: y, width: layout.rowWidth - (layout.strengthX - layout.labelX), height: 1))
    }

    /// `── ▲ top: push d 0.93 · pop u 0.02 · read ──`: what the heads do at this end this step.
    func drawEnd(_ end: StackEnd, _ context: SceneContext, _ rect: Rect, _ screen: inout Screen) {
        guard !rect.isEmpty else { return }
        let snap = history.snapshots[context.step]
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 2) }
        let endName = end == .top ? "top" : "bottom"
        // In words, and as short as `d 0.93 u 0.02 Σw 1.00` for narrow panels.
        var long: [String] = [], short: [String] = []
        for (k, head) in S.heads.enumerated() where k < snap.push.count {
            let who = S.heads.count > 1 || head.name == endName ? "" : " (\(head.name))"
            if head.pushesAt == end {
                long.append("push d \(f(snap.push[k]))\(who)")
                short.append("d \(f(snap.push[k]))")
            }
            if head.popsAt == end {
                let total = f(snap.readWeights[k].reduce(0, +))
                long += ["pop u \(f(snap.pop[k]))\(who)", "read Σw \(total)"]
                short += ["u \(f(snap.pop[k]))", "Σw \(total)"]
            }
        }
        let mark = end == .top ? "▲" : "▼"
        let text = long.isEmpty ? "\(mark) \(endName)\(end == .bottom ? ": the first push" : "") "
            : Self.firstFitting(["\(mark) \(endName): \(long.joined(separator: " · ")) ", "\(mark) \(endName): \(short.joined(separator: " ")) "],
                                width: rect.width - 1)
        screen.put(String(repeating: "─", count: rect.width), x: rect.x, y: rect.y, style: .dim, clip: rect)
        screen.put(text, x: rect.x + 1, y: rect.y, style: .bold, clip: rect)
    }

    func drawRow(_ r: Int, y: Int, _ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let t = context.step
        let snap = history.snapshots[t]
        let slot = history.slot(ofRow: r, at: t)
        let s = snap.strengths[r]
        let faint = s < NeuralStackColors.faint
        let selected = cursorSlot == slot
        let cursorHere = selected && focus == .structure
        // The label: the step that pushed the row, the word read then, and a deque's end.
        let origin = history.slots[slot]
        var label = String(origin.step + 1).padded(to: layout.stepDigits, alignment: .right)
        if layout.wordWidth > 0 { label += " " + (history.words[origin.step] ?? "").fitted(to: layout.wordWidth).padded(to: layout.wordWidth) }
        if layout.endWidth > 0 { label += " " + (endName(ofHead: origin.head) == "top" ? "top" : "bot") }
        var labelStyle: Style = faint ? .dim : .plain
        if selected { labelStyle = Style([.bold, .reverse]) }
        screen.put(label, x: layout.labelX, y: y, style: labelStyle)

        // The value vector, pooled by largest magnitude when the cells are fewer than its entries.
        let values = snap.values[r]
        let pool = layout.valuePool, cw = layout.valueCellWidth
        for c in 0..<layout.valueCells {
            let v = maxAbsPool(values, start: c * pool, count: pool)
            let cell = valueCell(v, faint: faint, cursor: cursorHere && cursorColumn / pool == c && cursorColumn < history.valueSize,
                                 mode: mode)
            for k in 0..<cw { screen[layout.valuesX + c * cw + k, y] = cell }
        }

        // The strength: a bar in eighths, then its value.
        let bar = layout.strengthBarWidth
        let units = Int((Swift.min(1, Swift.max(0, s)) * Float(bar * 8)).rounded())
        for i in 0..<bar {
            screen[layout.strengthX + i, y] = Cell(Self.eighths[Swift.min(8, Swift.max(0, units - 8 * i))], faint ? [.dim] : [])
        }
        var numberStyle: Style = faint ? .dim : .plain
        if cursorHere && cursorColumn == history.valueSize { numberStyle = Style([.bold, .reverse]) }
        screen.put(NumberFormat.fixed(s, decimals: 2), x: layout.strengthX + bar + 1, y: y, style: numberStyle)

        // Each head's read weight on the row.
        let step = NeuralStackLayout.readWidth(numbers: layout.readNumbers) + 1
        for k in snap.readWeights.indices {
            let w = snap.readWeights[k][r]
            let x = layout.readX + k * step
            let here = cursorHere && cursorColumn == history.valueSize + 1 + k
            let cell = weightCell(w, cursor: here, mode: mode)
            screen[x, y] = cell
            screen[x + 1, y] = cell
            if layout.readNumbers && w >= NeuralStackColors.faint {
                screen.put(NumberFormat.fixed(w, decimals: 2), x: x + 3, y: y, style: here ? Style([.bold, .reverse]) : .plain)
            }
        }
    }

    /// `┊ 12 rows not shown (pushed at steps 3–14) · Σs 0.00`: a run of rows left out.
    func drawHidden(_ range: ClosedRange<Int>, y: Int, _ context: SceneContext, _ layout: NeuralStackLayout, _ screen: inout Screen) {
        let t = context.step
        let snap = history.snapshots[t]
        let steps = range.map { history.slots[history.slot(ofRow: $0, at: t)].step + 1 }
        let total = range.reduce(Float(0)) { $0 + snap.strengths[$1] }
        let count = range.count
        let rows = "┊ \(count) row\(count == 1 ? "" : "s")", span = "\(steps.min()!)–\(steps.max()!)"
        let sum = "Σs \(NumberFormat.fixed(total, decimals: 2))"
        let width = layout.structure.maxX - (layout.bordered ? 1 : 0) - layout.labelX
        let text = Self.firstFitting(["\(rows) not shown (pushed at steps \(span)) · \(sum)", "\(rows) not shown (steps \(span)) · \(sum)",
                                      "\(rows) not shown · \(sum)", "\(rows) not shown"], width: width)
        screen.put(text, x: layout.labelX, y: y, style: .dim, clip: Rect(x: layout.labelX, y: y, width: width, height: 1))
    }

    /// Bars in eighths of a cell, by how many eighths are filled.
    static var eighths: [Unicode.Scalar] { [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"] }

    /// A value entry: its colour on the diverging scale (a space on that background, so the cursor's `+`
    /// can sit on it), or its glyph without colour. A row at strength 0 is drawn grey: its entries' sizes
    /// as shades of dark grey (in 8 colours and without colour, its glyphs, dim).
    func valueCell(_ v: Float, faint: Bool, cursor: Bool, mode: ColorMode) -> Cell {
        let scale = NeuralStackColors.valueScale
        let position = history.valueRange.position(of: v)
        let bg: Color
        if faint {
            guard mode == .truecolor || mode == .c256 else {
                return cursor ? Cell("+", [.bold]) : Cell(scale.glyph(at: position), [.dim])
            }
            bg = Self.grey(abs(position - 0.5) * 2, mode: mode)
        } else {
            if mode == .none { return cursor ? Cell("+", [.bold]) : Cell(scale.glyph(at: position)) }
            bg = scale.color(at: position, mode: mode)
        }
        return cursor ? Cell("+", fg: Heatmap.marker(on: bg, mode: mode), bg: bg, [.bold]) : Cell(" ", bg: bg)
    }

    /// A read weight as a coloured cell (its glyph without colour).
    func weightCell(_ w: Float, cursor: Bool, mode: ColorMode) -> Cell {
        let scale = NeuralStackColors.readScale
        let position = NeuralStackColors.unitRange.position(of: w)
        if mode == .none { return cursor ? Cell("+", [.bold]) : Cell(scale.glyph(at: position)) }
        let bg = scale.color(at: position, mode: mode)
        return cursor ? Cell("+", fg: Heatmap.marker(on: bg, mode: mode), bg: bg, [.bold]) : Cell(" ", bg: bg)
    }

    /// The grey of a value of size `magnitude` (0…1) in a row at strength 0: dark greys only, so the row
    /// reads as kept but out of play.
    static func grey(_ magnitude: Float, mode: ColorMode) -> Color {
        let level = UInt8(48 + (Swift.min(1, Swift.max(0, magnitude)) * 72).rounded())
        return Color.rgb(level, level, level).quantised(for: mode)
    }
}
