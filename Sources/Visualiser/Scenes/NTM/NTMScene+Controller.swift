extension NTMScene {
    /// The controller's hidden and cell state at this step (a feed-forward controller has only h), and for
    /// each write head what it does to the row it weights most (docs/models/ntm.md eq. 13): the row before,
    /// after its erase (× (1 − w·e)), its add (w·a), and the row after the step (every head's erase and add
    /// together), all on the memory panel's scale.
    static func drawController(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard !layout.controller.isEmpty else { return }
        frame(s.snap.cell.isEmpty ? "Controller h · writes" : "Controller · writes", focused: false, rect: layout.controller, layout: layout, &screen)
        let inner = layout.controller.inset(by: layout.bordered ? 1 : 0)
        let label = NTMLayout.rowLabelWidth
        let snap = s.snap
        var y = inner.y

        // Hidden and cell state, wrapped into rows of equal length.
        let area = inner.width - label
        for (name, values) in [("h", snap.hidden), ("c", snap.cell)] {
            let rows = NTMLayout.wrappedRows(values.count, width: area)
            guard rows > 0 else { continue }
            let perRow = (values.count + rows - 1) / rows
            for r in 0..<rows where y < inner.maxY {
                let from = r * perRow, to = Swift.min(values.count, from + perRow)
                let text = rows == 1 ? (name == "h" ? "hidden h" : "cell c") : "\(name) \(from)–\(to - 1)"
                screen.put(text, x: inner.x, y: y, style: .dim, clip: inner)
                vectorRow(Array(values[from..<to]), scale: signedScale, range: s.stats.controller, mode: mode,
                          rect: Rect(x: inner.x + label, y: y, width: area, height: 1), cellWidth: 1, &screen)
                y += 1
            }
        }

        // Each write head's effect on the row it weights most (eq. 13).
        let m = s.memoryColumns
        let cellWidth = Swift.max(1, Swift.min(3, area / Swift.max(1, m)))
        let before = snap.memoryBefore.data, after = snap.memoryAfter.data
        for (h, head) in snap.heads.enumerated() where head.isWrite {
            guard y + 5 <= inner.maxY - 1, let erase = head.erase, let add = head.add else { break }
            let row = head.weighting.argmax
            let w = head.weighting[row]
            let old = Array(before[(row * m)..<((row + 1) * m)])
            let rows: [(String, [Float])] = [
                ("before", old),
                ("×(1−w·e)", zip(old, erase).map { $0 * (1 - w * $1) }),
                ("+ w·a", add.map { w * $0 }),
                ("after", Array(after[(row * m)..<((row + 1) * m)])),
            ]
            let caption = "\(s.headName(h)) head on row \(row) (w \(NumberFormat.fixed(w, decimals: 2)))"
            screen.put(caption.fitted(to: inner.width), x: inner.x, y: y, style: .bold, clip: inner)
            y += 1
            for (name, values) in rows {
                screen.put(name, x: inner.x, y: y, style: .dim, clip: inner)
                vectorRow(values, scale: signedScale, range: s.stats.memory, mode: mode,
                          rect: Rect(x: inner.x + label, y: y, width: m * cellWidth, height: 1), cellWidth: cellWidth,
                          &screen)
                y += 1
            }
        }

        // Legends: the controller's scale, and memory's (which the write rows use).
        let legendRow = Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1)
        let halves = legendRow.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        Legend(title: snap.cell.isEmpty ? "h" : "h/c", scale: signedScale, range: s.stats.controller, mode: mode, decimals: 2)
            .render(into: &screen, rect: halves[0])
        Legend(title: "memory", scale: signedScale, range: s.stats.memory, mode: mode, decimals: 2)
            .render(into: &screen, rect: halves[1])
    }
}
