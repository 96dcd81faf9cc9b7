extension NTMScene {
    /// The heads' addressing at this step (docs/models/ntm.md eqs. 7–11), one block per head shown (every
    /// head when they fit): β, g, γ and the shift distribution, the four weightings content → gated →
    /// shifted → sharpened, then the key and the erase and add vectors (write heads) or the read vector
    /// (read heads). Below them, a legend for each colour scale the blocks use.
    static func drawPipeline(_ s: NTMView, _ layout: NTMLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let focused = s.focus == .pipeline
        let shown = layout.pipelineBlocks.map(\.head)
        let title: String
        if shown.count == s.headCount {
            title = s.headCount == 1 ? "Addressing" : "Addressing · every head"
        } else if shown.count == 1 {
            title = "Addressing · \(s.headName(shown[0])) head"
        } else {
            title = "Addressing · \(shown.count) of \(s.headCount) heads (tab: others)"
        }
        frame(title, focused: focused, rect: layout.pipeline, layout: layout, &screen)
        let inner = layout.pipelineInner
        let n = s.memoryRows, pool = layout.pipelinePool
        if !layout.pipelineNote.isEmpty {
            let more = shown.count < s.headCount ? " · \(shown.count)/\(s.headCount) heads, tab" : ""
            let note = fittedFirst(["weightings over rows 0–\(n - 1)\(pool == 1 ? "" : ", \(pool) per cell (max)")\(more)",
                                    "rows 0–\(n - 1)\(pool == 1 ? "" : ", \(pool) per cell (max)")\(more)",
                                    "rows 0–\(n - 1)\(pool == 1 ? "" : " · \(pool)/cell max")"],
                                   width: layout.pipelineNote.width)
            screen.put(note, in: layout.pipelineNote, style: .dim)
        }
        for block in layout.pipelineBlocks {
            drawBlock(s, block, layout, focused: focused && block.head == s.selectedHead, mode, clip: inner, &screen)
        }
        if !layout.pipelineLegends.isEmpty {
            let rows = layout.pipelineLegends
            let width = Swift.min(rows.width, 48)
            let writes = s.snap.heads.contains { $0.isWrite }
            let legends: [Legend] = [
                Legend(title: writes ? "weight/erase" : "weight", scale: weightScale, range: unitRange, mode: mode,
                       decimals: 0),
                Legend(title: "key/read", scale: signedScale, range: s.stats.vectors, mode: mode, decimals: 2),
                Legend(title: "add", scale: signedScale, range: .symmetric(1), mode: mode, decimals: 0),
            ]
            for (i, legend) in legends.enumerated() where i < rows.height && (i < 2 || writes) {
                legend.render(into: &screen, rect: Rect(x: rows.x, y: rows.y + i, width: width, height: 1))
            }
        }
    }

    /// One head's block: its title with β, g and γ, the shift distribution, the four weighting rows with the
    /// most-weighted row of each, and its vectors.
    static func drawBlock(_ s: NTMView, _ block: PipelineBlock, _ layout: NTMLayout, focused: Bool, _ mode: ColorMode,
                          clip inner: Rect, _ screen: inout Screen) {
        let head = s.snap.heads[block.head]
        let name = s.headName(block.head)
        let marker = focused ? "▸" : ""
        let f = { (v: Float, d: Int) in NumberFormat.fixed(v, decimals: d) }
        let title = marker + fittedFirst([
            "\(name) head  β \(f(head.beta, 2))  g \(f(head.gate, 3))  γ \(f(head.gamma, 2))",
            "\(name)  β \(f(head.beta, 2)) g \(f(head.gate, 3)) γ \(f(head.gamma, 2))",
            "\(name) β \(f(head.beta, 2)) g \(f(head.gate, 2)) γ \(f(head.gamma, 2))",
            "\(name) β\(f(head.beta, 1)) g\(f(head.gate, 2)) γ\(f(head.gamma, 1))",
        ], width: block.title.width - marker.count)
        screen.put(title, in: block.title, style: focused ? Style([.bold, .reverse]) : .bold)

        // The shift distribution, −S … +S (eq. 10).
        let shiftRange = (head.shift.count - 1) / 2
        let offsets = (0..<head.shift.count).map { $0 - shiftRange }
        if layout.pipelineShiftBars {
            screen.put("shift s", x: block.shift.x, y: block.shift.y, style: .dim, clip: inner)
            let items = zip(offsets, head.shift).map {
                ValueBars.Item(NumberFormat.fixed(Float($0), decimals: 0, plusSign: $0 > 0), $1)
            }
            let bars = Rect(x: block.weights.x, y: block.shift.y, width: Swift.min(40, inner.maxX - block.weights.x),
                            height: head.shift.count)
            ValueBars(items: items, range: unitRange, color: .yellow, mode: mode).render(into: &screen, rect: bars)
        } else if !block.shift.isEmpty {
            let text = "shift " + zip(offsets, head.shift).map {
                "\(NumberFormat.fixed(Float($0), decimals: 0, plusSign: $0 > 0)):\(NumberFormat.fixed($1, decimals: 2))"
            }.joined(separator: " ")
            screen.put(text.unicodeScalars.count <= block.shift.width ? text : "s" + text.dropFirst(5),
                       in: block.shift, style: .plain)
        }

        // Four weighting rows.
        let stages: [(String, [Float])] = [("content", head.content), ("gated", head.gated),
                                           ("shifted", head.shifted), ("sharp w", head.weighting)]
        let pool = layout.pipelinePool
        let cursorCell = focused ? s.cursorRow.map { $0 / pool } : nil
        for (i, (label, weights)) in stages.enumerated() {
            let ry = block.weights.y + i
            screen.put(label, x: inner.x, y: ry, style: .dim, clip: inner)
            weightRow(weights, pool: pool, cellWidth: layout.pipelineCellWidth, x: block.weights.x, y: ry,
                      cursorCell: cursorCell, mode: mode, clip: inner, &screen)
            let peak = weights.argmax
            let tail = " #\(peak) \(NumberFormat.fixed(weights[peak], decimals: 2))"
            screen.put(tail, x: block.weights.maxX, y: ry, clip: inner)
        }

        // Vectors of width M, through the heatmap so every colour mode shades them by the same rule as
        // memory: the key and read vector on the key/read scale, erase on the weight scale, add on ±1.
        guard !block.vectors.isEmpty else { return }
        var vectors: [(String, [Float], ColorScale, ValueRange)] = [("key k", head.key, signedScale, s.stats.vectors)]
        if let erase = head.erase { vectors.append(("erase e", erase, weightScale, unitRange)) }
        if let add = head.add { vectors.append(("add a", add, signedScale, .symmetric(1))) }
        let readIndex = s.snap.heads[..<block.head].filter { !$0.isWrite }.count
        if !head.isWrite, readIndex < s.snap.reads.count {
            vectors.append(("read r", s.snap.reads[readIndex], signedScale, s.stats.vectors))
        }
        for (i, (label, values, scale, range)) in vectors.enumerated() where i < block.vectors.height {
            let y = block.vectors.y + i
            screen.put(label, x: inner.x, y: y, style: .dim, clip: inner)
            vectorRow(values, scale: scale, range: range, mode: mode,
                      rect: Rect(x: block.vectors.x, y: y, width: block.vectors.width, height: 1),
                      cellWidth: layout.vectorCellWidth, &screen)
        }
    }

    /// A vector as one text row of cells drawn by the shared heatmap (each value fills its whole cell).
    static func vectorRow(_ values: [Float], scale: ColorScale, range: ValueRange, mode: ColorMode, rect: Rect,
                          cellWidth: Int, cursor: Int? = nil, _ screen: inout Screen) {
        // Two identical data rows make one text row whose upper and lower halves share the value's colour.
        Heatmap(rows: 2, columns: values.count, cellWidth: cellWidth, scale: scale, range: range, mode: mode,
                value: { _, c in values[c] }, cursor: cursor.map { GridPosition(row: 0, column: $0) })
            .render(into: &screen, rect: rect)
    }

    /// One weighting as a row of cells (pooled by max when N does not fit), the cursor's cell marked.
    static func weightRow(_ weights: [Float], pool: Int, cellWidth: Int, x: Int, y: Int, cursorCell: Int?,
                          mode: ColorMode, clip: Rect, _ screen: inout Screen) {
        let cells = (weights.count + pool - 1) / pool
        let pooled = (0..<cells).map { maxPool(weights, start: $0 * pool, count: pool) }
        let rect = Rect(x: x, y: y, width: cells * cellWidth, height: 1).intersection(clip)
        guard rect.x == x else { return }
        vectorRow(pooled, scale: weightScale, range: unitRange, mode: mode, rect: rect, cellWidth: cellWidth,
                  cursor: cursorCell, &screen)
    }
}
