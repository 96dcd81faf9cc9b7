extension ACTScene {
    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = ACTLayout(self, context)
        drawInput(context, layout, mode, &screen)
        drawBudget(context, layout, mode, &screen)
        drawSubSteps(context, layout, mode, &screen)
        drawPonder(context, layout, mode, &screen)
    }

    func panel(_ title: String, _ rect: Rect, _ layout: ACTLayout, _ screen: inout Screen) -> Rect {
        if layout.bordered {
            Panel(title: title).render(into: &screen, rect: rect)
            return rect.inset(by: 1)
        }
        screen.put(title.fitted(to: rect.width), in: rect.row(0), style: .bold)
        return rect.inset(top: 1)
    }

    /// The input vector, one cell per entry (−1 blue, 0 blank, +1 red), with the target and the output.
    func drawInput(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let f = context.frame, s = snapshots[context.step]
        let target = f.target.first.map { $0 >= 0.5 ? "1" : "0" } ?? "–"
        let out = s.output.first ?? 0
        let right = f.scored ? ((out >= 0.5) == (target == "1") ? "right" : "WRONG") : "not scored"
        let title = "Input \(context.step + 1) of \(context.episode.count) · target \(target) · output "
            + "\(NumberFormat.fixed(out, decimals: 3)) (\(right))"
        let inner = panel(title, layout.input, layout, &screen)
        screen.put("x", x: inner.x, y: inner.y, style: .dim, clip: inner)
        let cells = layout.inputCells, width = Swift.max(1, cells.width)
        let input = f.input
        for (i, v) in input.enumerated() where i / width < cells.height {
            let x = cells.x + i % width, y = cells.y + i / width
            let glyph: Unicode.Scalar = v > 0 ? "+" : (v < 0 ? "−" : "·")
            let style = mode == .none || v == 0 ? Style(v == 0 ? .dim : .bold)
                : Style(fg: Self.signedScale.color(at: Self.signedRange.position(of: v), mode: mode), [.bold])
            screen[x, y] = Cell(glyph, style: style)
        }
    }

    /// The halting budget of this input: one segment per sub-step as wide as its weight p_n, numbered,
    /// the remainder's segment marked R; N and ρ at the end.
    func drawBudget(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let inner = panel("Halting budget · p of each sub-step, up to 1 (R: the remainder)", layout.budget, layout, &screen)
        let label = "  N \(s.steps)  R \(NumberFormat.fixed(s.remainder, decimals: 3))  ρ \(NumberFormat.fixed(s.ponder, decimals: 3))"
        let bar = Rect(x: inner.x, y: inner.y, width: Swift.max(1, inner.width - label.count), height: 1)
        var x = bar.x
        var used: Float = 0
        for (n, p) in s.weights.enumerated() {
            used += p
            let end = bar.x + Int((used * Float(bar.width)).rounded())
            let last = n == s.weights.count - 1
            let color = Self.weightScale.color(at: 0.35 + 0.6 * Float(n % 2), mode: mode)
            for cx in x..<Swift.max(x, Swift.min(end, bar.maxX)) {
                let mark: Unicode.Scalar = cx == x ? (last ? "R" : Unicode.Scalar(UInt8(48 + (n + 1) % 10))) : " "
                screen[cx, bar.y] = mode == .none ? Cell(cx == x ? mark : (n % 2 == 0 ? "▒" : "░"))
                    : Cell(mark, fg: color.contrastingText(mode: mode), bg: color)
            }
            x = Swift.max(x, end)
        }
        screen.put(label, x: bar.maxX, y: inner.y, style: .bold, clip: inner)
    }

    /// One row per sub-step: h, the running sum, p, and the state's units (pooled) as colours.
    func drawSubSteps(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let s = snapshots[context.step]
        let inner = panel("Ponder sub-steps · h, Σh, p, and the state s", layout.subStepsPanel, layout, &screen)
        screen.put("  n       h      Σh       p   state", in: inner.row(0), style: .dim)
        let rows = layout.subSteps
        let unitsWidth = Swift.max(1, rows.width - ACTLayout.numbersWidth + 4)
        for n in 0..<Swift.min(s.steps, rows.height) {
            let y = rows.y + n
            let selected = context.active && cursor == n
            func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 3).padded(to: 7, alignment: .right) }
            let text = String(n + 1).padded(to: 3, alignment: .right) + " " + f(s.halting[n]) + " " + f(s.cumulative[n])
                + " " + f(s.weights[n])
            screen.put(text, x: rows.x, y: y, style: selected ? Style([.bold, .reverse]) : .plain, clip: rows)
            let state = s.subStates[n]
            let pool = Swift.max(1, (state.count + unitsWidth - 1) / unitsWidth)
            let columns = (state.count + pool - 1) / pool
            // Units as wide as the row allows (up to 3 columns each), so small states fill the panel too.
            Heatmap(rows: 2, columns: columns, cellWidth: Swift.max(1, Swift.min(3, unitsWidth / columns)),
                    scale: Self.signedScale, range: Self.signedRange, mode: mode,
                    value: { _, c in maxAbsPool(state, start: c * pool, count: pool) })
                .render(into: &screen, rect: Rect(x: rows.x + 34, y: y, width: rows.maxX - rows.x - 34, height: 1))
        }
        if s.steps > rows.height {
            screen.put("… \(s.steps - rows.height) more sub-steps", in: rows.row(rows.height - 1), style: .dim)
        }
    }

    /// The ponder cost ρ = N + R of every input step so far, and their sum.
    func drawPonder(_ context: SceneContext, _ layout: ACTLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let inner = panel("Ponder cost ρ = N + R per input", layout.ponder, layout, &screen)
        var x = inner.x
        var total: Float = 0
        for (t, s) in snapshots.enumerated() where t <= context.step {
            total += s.ponder
            let text = NumberFormat.fixed(s.ponder, decimals: 2) + " "
            x = screen.put(text, x: x, y: inner.y, style: t == context.step ? Style([.bold, .reverse]) : .plain, clip: inner)
        }
        screen.put("Σ \(NumberFormat.fixed(total, decimals: 2))", x: x + 1, y: inner.y, style: .bold, clip: inner)
    }
}
