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

    /// What the cursor points at, in words and with its exact value.
    static func cursorReadout(_ s: NTMView) -> String? {
        guard let row = s.cursorRow, let focus = s.focus else { return nil }
        let snap = s.snap
        let step = "step \(s.step + 1)"
        switch focus {
        case .memory:
            let m = s.memoryColumns, c = Swift.min(s.cursorColumn, m - 1)
            let after = snap.memoryAfter.data[row * m + c], before = snap.memoryBefore.data[row * m + c]
            return "memory row \(row), column \(c), after \(step): \(NumberFormat.fixed(after, decimals: 4, plusSign: true))"
                + "  (before \(NumberFormat.fixed(before, decimals: 4, plusSign: true)),"
                + " change \(NumberFormat.fixed(after - before, decimals: 4, plusSign: true)))"
                + "  w \(NumberFormat.fixed(snap.writeHead.weighting[row], decimals: 3))"
        case .history:
            let h = s.selectedHead
            return "\(s.headName(h)) weighting, row \(row), \(step): \(NumberFormat.fixed(snap.heads[h].weighting[row], decimals: 4))"
        case .pipeline:
            let head = snap.heads[s.selectedHead]
            func f(_ v: Float) -> String { NumberFormat.fixed(v, decimals: 4) }
            return "\(s.headName(s.selectedHead)) row \(row), \(step): content \(f(head.content[row])) → gated \(f(head.gated[row]))"
                + " → shifted \(f(head.shifted[row])) → w \(f(head.weighting[row]))"
        }
    }
}
