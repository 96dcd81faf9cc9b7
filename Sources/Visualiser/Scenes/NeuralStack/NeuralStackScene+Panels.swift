import Models

extension NeuralStackScene {
    /// This step, per head: push d and pop u as bars (eqs. (13), (14)) and the value v it pushed (15);
    /// then the most likely output tokens (17). (The reads are in the structure panel, at their ends.)
    func drawStep(_ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard !layout.step.isEmpty else { return }
        let t = context.step
        let snap = history.snapshots[t]
        let read = history.words[t].map { ": read \($0)" } ?? ""
        let title = Self.firstFitting(["Step \(t + 1)\(read) · push d, pop u, value v pushed", "Step \(t + 1)\(read) · d, u, v pushed",
                                       "Step \(t + 1)\(read)"], width: layout.step.width - (layout.bordered ? 6 : 0))
        let inner = ScenePanel.open(title, layout.step, bordered: layout.bordered, &screen)
        func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 2) }
        let nameWidth = snap.heads.count > 1 ? (snap.heads.map(\.count).max() ?? 0) + 1 : 0
        let x0 = inner.x + nameWidth
        // "push d " bar " 0.00  pop u " bar " 0.00"
        let bar = Swift.max(3, Swift.min(16, (inner.width - nameWidth - 2 * 12 - 2) / 2))
        let m = history.valueSize
        let vectorRoom = Swift.max(1, inner.width - nameWidth - 8)
        let pool = Swift.max(1, (m + vectorRoom - 1) / vectorRoom)
        let cw = 2 * m <= vectorRoom ? 2 : 1
        var y = inner.y
        for k in snap.heads.indices {
            guard y < inner.maxY else { break }
            if nameWidth > 0 { screen.put(snap.heads[k], x: inner.x, y: y, style: .bold, clip: inner) }
            var x = screen.put("push d ", x: x0, y: y, style: .dim, clip: inner)
            x = drawBar(snap.push[k], x: x, y: y, width: bar, clip: inner, &screen)
            x = screen.put(" \(f(snap.push[k]))  ", x: x, y: y, clip: inner)
            x = screen.put("pop u ", x: x, y: y, style: .dim, clip: inner)
            x = drawBar(snap.pop[k], x: x, y: y, width: bar, clip: inner, &screen)
            screen.put(" \(f(snap.pop[k]))", x: x, y: y, clip: inner)
            y += 1
            if layout.stepLinesPerHead >= 2, y < inner.maxY {
                var x = screen.put("value v ", x: x0, y: y, style: .dim, clip: inner)
                for c in 0..<((m + pool - 1) / pool) where x + cw <= inner.maxX {
                    let cell = valueCell(maxAbsPool(snap.pushedValues[k], start: c * pool, count: pool), faint: false, cursor: false,
                                         mode: mode)
                    for _ in 0..<cw { screen[x, y] = cell; x += 1 }
                }
                y += 1
            }
        }
        // The output distribution, most likely first.
        guard !history.outputWords.isEmpty, y < inner.maxY else { return }
        let p = snap.output
        let top = p.indices.sorted { p[$0] > p[$1] }.prefix(4)
        var x = screen.put("p(y) ", x: inner.x, y: y, style: .dim, clip: inner)
        for (i, id) in top.enumerated() where id < history.outputWords.count {
            let word = history.outputWords[id]
            x = screen.put((i > 0 ? " · " : "") + "\(word) \(f(p[id]))", x: x, y: y, style: i == 0 ? .bold : .plain, clip: inner)
        }
        if history.written[t] == nil { screen.put("  (unscored while reading)", x: x, y: y, style: .dim, clip: inner) }
    }

    /// A 0…1 value as a bar of eighths on a dotted track; returns the x after it.
    func drawBar(_ v: Float, x: Int, y: Int, width: Int, clip: Rect, _ screen: inout Screen) -> Int {
        let units = Int((Swift.min(1, Swift.max(0, v)) * Float(width * 8)).rounded())
        for i in 0..<width where clip.contains(x: x + i, y: y) {
            // The empty part of the bar as a faint track, so its length reads against the whole 0…1.
            let filled = Swift.min(8, Swift.max(0, units - 8 * i))
            screen[x + i, y] = filled == 0 ? Cell("·", [.dim]) : Cell(Self.eighths[filled])
        }
        return x + width
    }

    /// Every row's strength over the episode up to this step: one pixel row per slot (top slot at the top,
    /// `heatPool` slots a pixel when they do not fit, the largest shown), one column per step; blank where
    /// a row was not pushed yet. The paper's Figure 1, drawn from the episode's snapshots.
    func drawStrengths(_ context: SceneContext, _ layout: NeuralStackLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard !layout.strengths.isEmpty else { return }
        let pool = layout.heatPool
        let note = pool > 1 ? " · \(pool) rows a pixel, largest" : ""
        let room = layout.strengths.width - (layout.bordered ? 6 : 0)
        let title = Self.firstFitting(["Strengths s over time · row × step (the paper's Fig. 1)\(note)",
                                       "Strengths s over time · row × step\(note)", "Strengths s · row × step", "Strengths s"],
                                      width: room)
        let focused = context.active && focus == .history && cursorSlot != nil
        _ = ScenePanel.open(title, layout.strengths, bordered: layout.bordered, focused: focused, &screen)
        let axis = layout.time
        let now = context.step
        // The ruler: each step's phase, `▼` at the current one.
        let ruler = layout.ruler
        screen.put("step", x: ruler.x, y: ruler.y, style: .dim, clip: ruler)
        for i in 0..<axis.count {
            let t = axis.first + i
            let mark = t == now ? "▼" : SequencePanel.phaseLetter(context.episode[t].phase)
            screen.put(mark, x: axis.x + i * axis.stepWidth, y: ruler.y, style: t == now ? .bold : .dim, clip: ruler)
        }
        let history = self.history, l = layout
        let cursor = cursorSlot.flatMap { slot -> GridPosition? in
            guard let x = axis.x(of: now) else { return nil }
            return GridPosition(row: l.pixelRow(ofSlot: slot), column: (x - axis.x) / axis.stepWidth)
        }
        Heatmap(rows: layout.heatRows, columns: axis.count, cellWidth: axis.stepWidth, scale: NeuralStackColors.strengthScale,
                range: NeuralStackColors.unitRange, mode: mode, value: { r, c in
                    let t = axis.first + c
                    guard t <= now, let slots = l.slots(ofPixelRow: r) else { return nil }
                    var best: Float?
                    for slot in slots { if let s = history.strength(ofSlot: slot, at: t) { best = Swift.max(best ?? 0, s) } }
                    return best
                }, cursor: cursor)
            .render(into: &screen, rect: layout.heatmap)
        // Row labels: the step that pushed the top slot of every text row (every fourth when a text row
        // holds two pixel rows), and the cursor's.
        let labelX = layout.heatmap.x - NeuralStackLayout.slotLabelWidth
        let cursorRow = cursorSlot.map { l.pixelRow(ofSlot: $0) / 2 }
        let every = l.heatPixels == 2 ? 1 : 4
        for ty in 0..<layout.heatmap.height {
            let here = cursorRow == ty
            guard ty % every == 0 || here, let slots = l.slots(ofPixelRow: 2 * ty) else { continue }
            let slot = here ? cursorSlot! : slots.upperBound
            let origin = history.slots[slot]
            let end = endName(ofHead: origin.head).map { $0 == "top" ? "↑" : "↓" } ?? ""
            screen.put((String(origin.step + 1) + end).padded(to: NeuralStackLayout.slotLabelWidth - 1, alignment: .right),
                       x: labelX, y: layout.heatmap.y + ty, style: here ? .bold : .dim)
        }
        // What blank and the colours mean, under the map when there is room (the colours are the strength
        // scale of the legend line, whose low end is blue in colour, not dark).
        let below = layout.heatmap.maxY
        let inner = layout.bordered ? layout.strengths.inset(by: 1) : layout.strengths.inset(top: 1)
        if below < inner.maxY {
            let zero = mode == .none ? "blank: strength below 0.2 or not pushed yet" : "blank: not pushed yet · colours: the strength scale below"
            screen.put(Self.firstFitting(["rows by the step that pushed them · \(zero)", zero, "blank: not pushed yet"], width: inner.width),
                       x: inner.x, y: below, style: .dim, clip: inner)
        }
    }

    /// The first of `candidates` that fits in `width` columns (the last one, cut, when none does).
    static func firstFitting(_ candidates: [String], width: Int) -> String {
        candidates.first { $0.unicodeScalars.count <= width } ?? (candidates.last ?? "").fitted(to: width)
    }
}
