extension NTMScene {
    /// The info line: a message if there is one, else the cursor's exact value and what it is, else (compact
    /// layouts, which have no panel borders to carry them) the colour legends.
    static func drawInfo(_ s: ViewerState, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let row = layout.info
        if let message = s.message {
            screen.put(" " + message, in: row, style: Style(.bold))
        } else if let readout = cursorReadout(s) {
            screen.put(" " + readout, in: row, style: .bold)
        } else if !layout.bordered {
            let halves = row.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
            let memoryRange = s.writeDiff ? s.stats.change : s.stats.memory
            Legend(title: s.writeDiff ? " Δmemory" : " memory", scale: signedScale, range: memoryRange, mode: mode,
                   decimals: s.writeDiff ? 3 : 2).render(into: &screen, rect: halves[0])
            Legend(title: "weight/bit", scale: weightScale, range: unitRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: halves[1].inset(right: 10))
            screen.put("× wrong", in: Rect(x: halves[1].maxX - 8, y: row.y, width: 8, height: 1), style: .bold)
        } else {
            screen.put(" arrows or a click pick a cell and show its exact value here · ? lists every key",
                       in: row, style: .dim)
        }
    }

    /// What the cursor points at, in words and with its exact value.
    static func cursorReadout(_ s: ViewerState) -> String? {
        guard let row = s.cursorRow else { return nil }
        let snap = s.frame.ntm
        let step = "step \(s.step + 1)"
        switch s.focus {
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

    static func drawStatus(_ s: ViewerState, _ layout: NTMLayout, _ screen: inout Screen) {
        let play = s.editor != nil ? "✎ editing" : (s.playing ? "▶ playing" : "❚❚ paused")
        let left = "\(play) · step \(s.step + 1)/\(s.episode.count) \(s.frame.phase.rawValue)"
        let speed = NumberFormat.fixed(Float(s.speed), decimals: 0)
        let right = "\(speed) steps/s · \(s.focus.title)\(s.writeDiff ? " · diff" : "") "
        let hints = s.editor != nil ? ViewerKeys.editor.statusHints : ViewerKeys.main.statusHints
        StatusBar(left: left, hints: hints, right: right).render(into: &screen, rect: layout.status)
    }
}
