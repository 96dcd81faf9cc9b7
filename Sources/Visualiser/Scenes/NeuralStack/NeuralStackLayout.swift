import Models

/// Where the neural stack scene's parts go: the sequence panel on top; below it the structure panel on
/// the left (a row of column titles, then the read of each head that reads at the top, the top end, the
/// rows top to bottom, the bottom end and the reads made there, standing on the panel's floor as a stack
/// does) and on the right the step panel over the strengths panel (a step ruler, then slots × steps in
/// half blocks). `view` draws from it and `click` hit-tests against it.
package struct NeuralStackLayout {
    package var bordered: Bool
    var seq = SequenceLayout()
    /// The colour legends' row (rich layouts; compact ones put them on the info line).
    package var legends: Rect?

    // The structure panel.
    package var structure = Rect.zero
    package var header = Rect.zero
    package var topEnd = Rect.zero
    package var bottomEnd = Rect.zero
    /// Each head's read r, on a line outside the end it reads from (above the top, below the bottom),
    /// its entries in the value columns: the read mixes the rows right there.
    package var readLines: [(head: Int, y: Int)] = []
    /// The lines between the two ends, top to bottom, the first at `linesY`.
    package var lines: [StructureLine] = []
    package var linesY = 0
    /// A row's parts: label, value cells (`valuePool` entries a cell, `valueCellWidth` columns each), the
    /// strength bar and its number, one read weight per head (a coloured cell and, when `readNumbers`,
    /// the weight).
    package var labelX = 0, labelWidth = 0
    package var stepDigits = 2, wordWidth = 0, endWidth = 0
    package var valuesX = 0, valuePool = 1, valueCellWidth = 1, valueCells = 0
    package var strengthX = 0, strengthBarWidth = 3
    package var readX = 0, readNumbers = false
    package var rowWidth = 0
    /// Value entries of a row m (the strength's column index along it).
    package var entries = 0

    // The step panel (empty when the right side is too narrow for it): per head its d and u, and (2) the
    // value it pushed.
    package var step = Rect.zero
    package var stepLinesPerHead = 2

    // The strengths panel: `heatPool` slots a pixel row (or, when every slot has a text row, each slot
    // two pixel rows: `heatPixels`), the top slot first.
    package var strengths = Rect.zero
    package var ruler = Rect.zero
    package var heatmap = Rect.zero
    package var heatPool = 1
    package var heatPixels = 1
    package var heatRows = 0
    /// The episode's top slot: the heatmap's first pixel row.
    package var topSlot = 0
    package var time = TimeAxis(x: 0, first: 0, count: 0, stepWidth: 1)
    package static let slotLabelWidth = 5

    package static let strengthNumberWidth = 4
    package static func readWidth(numbers: Bool) -> Int { numbers ? 7 : 2 }

    package init<S>(_ scene: NeuralStackScene<S>, _ context: SceneContext, sequence: Bool = true) {
        bordered = context.kind == .rich
        let history = scene.history
        let t = context.step
        let snap = history.snapshots[t]
        var body = context.rect
        if sequence {
            let (s, rest) = SequenceLayout.place(in: body, context: context, kind: context.kind, alwaysShowTarget: true)
            seq = s
            body = rest
        }
        if bordered && body.height > 20 {
            let (rest, bottom) = body.splitBottom(1)
            legends = bottom
            body = rest
        }
        let border = bordered ? 1 : 0

        // Row parts, widest first: two columns a value entry, then one, then pooled entries.
        stepDigits = Swift.max(2, String(history.steps).count)
        wordWidth = Swift.min(5, history.words.compactMap { $0?.unicodeScalars.count }.max() ?? 0)
        endWidth = scene.endName(ofHead: 0) == nil ? 0 : 4
        labelWidth = stepDigits + (wordWidth > 0 ? 1 + wordWidth : 0) + endWidth + 1
        let m = history.valueSize, heads = history.heads
        entries = m
        func width(pool: Int, cw: Int, bar: Int, numbers: Bool) -> Int {
            labelWidth + (m + pool - 1) / pool * cw + 1 + bar + 1 + Self.strengthNumberWidth + 1
                + heads * Self.readWidth(numbers: numbers) + (heads - 1)
        }
        let minRight = bordered ? 44 : 24
        let room = body.width - 2 * border - minRight
        var options: [(pool: Int, cw: Int, bar: Int, numbers: Bool)] = []
        if width(pool: 1, cw: 2, bar: 8, numbers: true) + 2 * border <= body.width * 11 / 20 { options.append((1, 2, 8, true)) }
        options += [(1, 1, 8, true), (1, 1, 6, true), (1, 1, 4, false), (1, 1, 3, false)]
        options += (2...Swift.max(2, m)).map { ($0, 1, 3, false) }
        let pick = options.first { width(pool: $0.pool, cw: $0.cw, bar: $0.bar, numbers: $0.numbers) <= room } ?? options.last!
        valuePool = pick.pool
        valueCellWidth = pick.cw
        strengthBarWidth = pick.bar
        readNumbers = pick.numbers
        valueCells = (m + valuePool - 1) / valuePool
        rowWidth = width(pool: pick.pool, cw: pick.cw, bar: pick.bar, numbers: pick.numbers)

        // Wide enough for the end lines in words (`▲ top: push d 0.93 · pop u 0.02 · read Σw 1.00`) when
        // the rows are narrower (a small m) and there is room.
        let panelWidth = Swift.max(rowWidth, Swift.min(50, room))
        let parts = body.split(.horizontal, [.length(panelWidth + 2 * border), .fill(1)], spacing: 1)
        structure = parts[0]
        let inner = bordered ? structure.inset(by: 1) : structure.inset(top: 1)
        labelX = inner.x
        valuesX = labelX + labelWidth
        strengthX = valuesX + valueCells * valueCellWidth + 1
        readX = strengthX + strengthBarWidth + 1 + Self.strengthNumberWidth + 1
        header = inner.row(0)
        let rowsArea = inner.inset(top: 1)
        let readsTop = S.heads.indices.filter { S.heads[$0].popsAt == .top }
        let readsBottom = S.heads.indices.filter { S.heads[$0].popsAt == .bottom }
        let capacity = Swift.max(0, rowsArea.height - 2 - readsTop.count - readsBottom.count)
        lines = StructureWindow.lines(rows: snap.strengths.count, capacity: capacity, anchors: Self.anchors(scene, snap, t))
        for (i, k) in readsBottom.reversed().enumerated() { readLines.append((k, rowsArea.maxY - 1 - i)) }
        bottomEnd = rowsArea.row(rowsArea.height - 1 - readsBottom.count)
        linesY = bottomEnd.y - lines.count
        topEnd = Rect(x: rowsArea.x, y: linesY - 1, width: rowsArea.width, height: rowsArea.height >= 2 ? 1 : 0)
        for (i, k) in readsTop.enumerated() { readLines.append((k, topEnd.y - readsTop.count + i)) }
        readLines.removeAll { $0.y < rowsArea.y }

        // The right side: the step panel (when it is wide enough to say more than the end lines do), then
        // the strengths.
        let right = parts[1]
        let tokens = !history.outputWords.isEmpty
        func stepHeight(_ perHead: Int) -> Int { 2 * border + (bordered ? 0 : 1) + heads * perHead + (tokens ? 1 : 0) }
        let heatMinimum = bordered ? 12 : 7
        stepLinesPerHead = [2, 1].first { right.height - stepHeight($0) >= heatMinimum } ?? 0
        if right.width >= 40 && stepLinesPerHead > 0 {
            let split = right.split(.vertical, [.length(stepHeight(stepLinesPerHead)), .fill(1)])
            step = split[0]
            strengths = split[1]
        } else {
            stepLinesPerHead = 0
            step = Rect(x: right.x, y: right.y, width: right.width, height: 0)
            strengths = right
        }
        let heatInner = bordered ? strengths.inset(by: 1) : strengths.inset(top: 1)
        ruler = heatInner.row(0)
        let mapArea = heatInner.inset(top: 1, left: Self.slotLabelWidth)
        let textRows = Swift.max(1, mapArea.height)
        let slots = history.slotCount
        topSlot = slots - 1
        heatPool = Swift.max(1, (slots + 2 * textRows - 1) / (2 * textRows))
        heatPixels = slots <= textRows ? 2 : 1
        heatRows = (slots + heatPool - 1) / heatPool * heatPixels
        time = TimeAxis.fitting(x: mapArea.x, width: mapArea.width, steps: history.steps, current: t, maxStepWidth: 3)
        heatmap = Rect(x: time.x, y: mapArea.y, width: time.count * time.stepWidth,
                       height: Swift.min(mapArea.height, (heatRows + 1) / 2))
    }

    /// The rows to keep in view, most important first: the cursor's, each head's read region (the rows it
    /// reads most first), and the row each head pushed.
    static func anchors<S>(_ scene: NeuralStackScene<S>, _ snap: NeuralStackSnapshot, _ t: Int) -> [[Int]] {
        let n = snap.strengths.count
        var anchors: [[Int]] = []
        if let slot = scene.cursorSlot, let row = scene.history.row(ofSlot: slot, at: t) { anchors.append([row]) }
        for w in snap.readWeights {
            anchors.append(w.indices.filter { w[$0] >= 0.01 }.sorted { w[$0] > w[$1] })
        }
        for head in S.heads { anchors.append([head.pushesAt == .top ? n - 1 : 0]) }
        return anchors
    }

    /// The row of the structure and the column along it (nil on the label) at (x, y).
    package func structureHit(x: Int, y: Int) -> (row: Int, column: Int?)? {
        let i = y - linesY
        guard i >= 0, i < lines.count, x >= labelX, x < labelX + rowWidth, case let .row(row) = lines[i] else { return nil }
        if x < valuesX { return (row, nil) }
        if x < valuesX + valueCells * valueCellWidth {
            return (row, Swift.min(entries - 1, (x - valuesX) / valueCellWidth * valuePool))
        }
        if x < readX { return (row, entries) }
        let k = (x - readX) / (Self.readWidth(numbers: readNumbers) + 1)
        return (row, entries + 1 + k)
    }

    /// The slot and step of the strengths heatmap under (x, y).
    package func heatmapHit(x: Int, y: Int) -> (slot: Int, step: Int)? {
        guard heatmap.contains(x: x, y: y), let step = time.step(atX: x) else { return nil }
        guard let slots = slots(ofPixelRow: (y - heatmap.y) * 2) else { return nil }
        return (slots.upperBound, step)
    }

    /// The first pixel row of the heatmap that shows `slot`.
    package func pixelRow(ofSlot slot: Int) -> Int { (topSlot - slot) / heatPool * heatPixels }

    /// The slots a pixel row of the heatmap covers, top slot first.
    package func slots(ofPixelRow r: Int) -> ClosedRange<Int>? {
        let hi = topSlot - r / heatPixels * heatPool
        guard hi >= 0 else { return nil }
        return Swift.max(0, hi - heatPool + 1)...hi
    }
}
