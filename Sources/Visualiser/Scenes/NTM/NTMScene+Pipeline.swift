extension NTMScene {
    /// The selected head's addressing at this step (docs/models/ntm.md eqs. 7–11): β, g, γ and the shift
    /// distribution as numbers, then the four weightings content → gated → shifted → sharpened, then the
    /// key, and the erase and add vectors (write head) or the read vector (read head).
    static func drawPipeline(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let h = Swift.min(s.selectedHead, s.headCount - 1)
        let head = s.snap.heads[h]
        let focused = s.focus == .pipeline
        frame("Addressing · \(s.headName(h)) head", focused: focused, rect: layout.pipeline, layout: layout, &screen)
        let inner = layout.pipelineInner
        var y = inner.y
        let params = "β \(NumberFormat.fixed(head.beta, decimals: 2))  g \(NumberFormat.fixed(head.gate, decimals: 3))"
            + "  γ \(NumberFormat.fixed(head.gamma, decimals: 2))"
        if !layout.bordered {
            let title = (focused ? "▸" : "") + "\(s.headName(h)) head  " + params
            screen.put(title, in: inner.row(0), style: focused ? Style([.bold, .reverse]) : .bold)
            y += 1
        } else {
            screen.put(params, in: inner.row(0), style: .bold)
            y += 1
        }
        // The shift distribution, −S … +S (eq. 10).
        let shiftRange = (head.shift.count - 1) / 2
        let offsets = (0..<head.shift.count).map { $0 - shiftRange }
        if layout.bordered {
            screen.put("shift s", x: inner.x, y: y, style: .dim, clip: inner)
            y += 1
            let items = zip(offsets, head.shift).map { ValueBars.Item(NumberFormat.fixed(Float($0), decimals: 0, plusSign: $0 > 0), $1) }
            let bars = Rect(x: inner.x + 2, y: y, width: Swift.min(40, inner.width - 2), height: head.shift.count)
            ValueBars(items: items, range: unitRange, color: .yellow, mode: mode).render(into: &screen, rect: bars)
            y = layout.pipelineWeights.y - 1
        } else {
            let text = "s " + zip(offsets, head.shift).map {
                "\(NumberFormat.fixed(Float($0), decimals: 0, plusSign: $0 > 0)):\(NumberFormat.fixed($1, decimals: 2))"
            }.joined(separator: " ")
            screen.put(text, in: inner.row(y - inner.y), style: .plain)
            y += 1
        }
        let n = s.memoryRows, pool = layout.pipelinePool
        let note = pool == 1 ? "rows 0–\(n - 1)" : "rows 0–\(n - 1), \(pool) per cell (max)"
        screen.put(note, in: Rect(x: layout.pipelineWeights.x, y: y, width: inner.maxX - layout.pipelineWeights.x, height: 1),
                   style: .dim)

        // Four weighting rows.
        let stages: [(String, [Float])] = [("content", head.content), ("gated", head.gated),
                                           ("shifted", head.shifted), ("sharp w", head.weighting)]
        let cursorCell = focused ? s.cursorRow.map { $0 / pool } : nil
        for (i, (label, weights)) in stages.enumerated() {
            let ry = layout.pipelineWeights.y + i
            guard ry < inner.maxY else { break }
            screen.put(label, x: inner.x, y: ry, style: .dim, clip: inner)
            weightRow(weights, pool: pool, cellWidth: layout.pipelineCellWidth, x: layout.pipelineWeights.x, y: ry,
                      cursorCell: cursorCell, mode: mode, clip: inner, &screen)
            let peak = weights.argmax
            let tail = " #\(peak) \(NumberFormat.fixed(weights[peak], decimals: 2))"
            screen.put(tail, x: layout.pipelineWeights.maxX, y: ry, clip: inner)
        }

        // Vectors of width M.
        var vectors: [(String, [Float], ColorScale, ValueRange)] = [("key k", head.key, signedScale, s.stats.vectors)]
        if let erase = head.erase { vectors.append(("erase e", erase, weightScale, unitRange)) }
        if let add = head.add { vectors.append(("add a", add, signedScale, .symmetric(1))) }
        if !head.isWrite, h < s.snap.reads.count {
            vectors.append(("read r", s.snap.reads[h], signedScale, s.stats.vectors))
        }
        var vy = layout.pipelineWeights.maxY
        let m = s.memoryColumns
        let cellWidth = Swift.max(1, Swift.min(3, (inner.width - 9) / Swift.max(1, m)))
        for (label, values, scale, range) in vectors where vy < inner.maxY {
            screen.put(label, x: inner.x, y: vy, style: .dim, clip: inner)
            for (c, v) in values.enumerated() {
                let x = inner.x + 9 + c * cellWidth
                guard x + cellWidth <= inner.maxX else { break }
                let cell = scale.cell(at: range.position(of: v), mode: mode)
                for k in 0..<cellWidth { screen[x + k, vy] = cell }
            }
            vy += 1
        }
        if layout.bordered {
            let legendRow = Rect(x: layout.pipeline.x + 1, y: layout.pipeline.maxY - 1,
                                 width: Swift.min(36, layout.pipeline.width - 2), height: 1)
            Legend(title: "weight", scale: weightScale, range: unitRange, mode: mode, decimals: 0)
                .render(into: &screen, rect: legendRow)
        }
    }

    /// One weighting as a row of cells (pooled by max when N does not fit), the cursor's cell marked `┃`.
    static func weightRow(_ weights: [Float], pool: Int, cellWidth: Int, x: Int, y: Int, cursorCell: Int?,
                          mode: ColorMode, clip: Rect, _ screen: inout Screen) {
        let cells = (weights.count + pool - 1) / pool
        for c in 0..<cells {
            let v = maxPool(weights, start: c * pool, count: pool)
            let t = unitRange.position(of: v)
            let color = weightScale.color(at: t, mode: mode)
            var cell = weightScale.cell(at: t, mode: mode)
            if c == cursorCell {
                cell = mode == .none ? Cell("┃", style: Style(.bold))
                                     : Cell("┃", fg: color.contrastingText(mode: mode), bg: color, [.bold])
            }
            for k in 0..<cellWidth where x + c * cellWidth + k < clip.maxX {
                screen[x + c * cellWidth + k, y] = cell
            }
        }
    }
}
