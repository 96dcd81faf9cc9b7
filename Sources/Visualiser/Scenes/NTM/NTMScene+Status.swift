extension NTMScene {
    public func readout(_ context: SceneContext) -> String? { Self.cursorReadout(NTMView(self, context)) }

    /// The colour legends of memory (or its change) and of weightings and bits, for a compact info row.
    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect row: Rect, mode: ColorMode) {
        let s = NTMView(self, context)
        let halves = row.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        let memoryRange = s.writeDiff ? s.stats.change : s.stats.memory
        Legend(title: s.writeDiff ? " Δmemory" : " memory", scale: Self.signedScale, range: memoryRange, mode: mode,
               decimals: s.writeDiff ? 3 : 2).render(into: &screen, rect: halves[0])
        Legend(title: "weight/bit", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[1].inset(right: 10))
        screen.put("× wrong", in: Rect(x: halves[1].maxX - 8, y: row.y, width: 8, height: 1), style: .bold)
    }

    /// What the cursor points at, in words and with its exact value: the longest wording that fits the
    /// scene's width (the info row), so a small terminal still shows every number.
    static func cursorReadout(_ s: NTMView) -> String? {
        guard let row = s.cursorRow, let focus = s.focus else { return nil }
        let snap = s.snap
        let step = "step \(s.step + 1)"
        let candidates: [String]
        func f(_ v: Float, _ d: Int, sign: Bool = false) -> String { NumberFormat.fixed(v, decimals: d, plusSign: sign) }
        switch focus {
        case .memory:
            let m = s.memoryColumns, c = Swift.min(s.cursorColumn, m - 1)
            let after = snap.memoryAfter.data[row * m + c], before = snap.memoryBefore.data[row * m + c]
            let w = snap.writeHead.weighting[row]
            candidates = [
                "memory row \(row), column \(c), after \(step): \(f(after, 4, sign: true))"
                    + "  (before \(f(before, 4, sign: true)), change \(f(after - before, 4, sign: true)))  w \(f(w, 3))",
                "memory row \(row), col \(c), \(step): \(f(after, 4, sign: true)) (before \(f(before, 4, sign: true)),"
                    + " Δ \(f(after - before, 4, sign: true))) w \(f(w, 3))",
                "mem \(row),\(c) \(step): \(f(after, 4, sign: true)) (was \(f(before, 4, sign: true)),"
                    + " Δ \(f(after - before, 4, sign: true))) w \(f(w, 3))",
            ]
        case .history:
            let h = s.selectedHead
            candidates = ["\(s.headName(h)) weighting, row \(row), \(step): \(f(snap.heads[h].weighting[row], 4))"]
        case .pipeline:
            let head = snap.heads[s.selectedHead]
            let name = s.headName(s.selectedHead)
            func stages(_ d: Int) -> String {
                "content \(f(head.content[row], d)) → gated \(f(head.gated[row], d))"
                    + " → shifted \(f(head.shifted[row], d)) → w \(f(head.weighting[row], d))"
            }
            candidates = ["\(name) row \(row), \(step): " + stages(4), "\(name) row \(row), \(step): " + stages(3),
                          "\(name) row \(row): " + stages(3)]
        }
        // The info row puts one space before the readout.
        return fittedFirst(candidates, width: s.context.rect.width - 1)
    }
}
