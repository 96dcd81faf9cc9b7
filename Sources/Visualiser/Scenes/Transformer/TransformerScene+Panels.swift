import Tasks

extension TransformerScene {
    /// Source, the tokens written up to this step (the current one in reverse, wrong ones underlined), and
    /// the target.
    func drawSentences(_ context: SceneContext, _ layout: TransformerLayout, _ screen: inout Screen) {
        let inner = layout.bordered ? layout.sentences.inset(by: 1) : layout.sentences
        if layout.bordered {
            Panel(title: "Transformer · step \(context.step + 1) of \(snapshots.count)").render(into: &screen, rect: layout.sentences)
        }
        TranslationLines(source: sourceWords, written: Array(decodedWords.prefix(context.step + 1)), reference: referenceWords,
                         labelWidth: 8, sourceHighlight: map == .encoder ? cursor?.row : nil)
            .draw(in: inner, current: context.step, &screen)
    }

    /// The head in focus, enlarged: one row per query (decoded token or source word), one column per key.
    func drawEnlarged(_ context: SceneContext, _ layout: TransformerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let title = "L\(focusLayer + 1) H\(focusHead + 1) \(map.title)" + (compares(map) ? " · \(comparison.title)" : "")
        if layout.bordered {
            Panel(title: title, focused: context.active && cursor != nil).render(into: &screen, rect: layout.mapPanel)
        } else {
            screen.put(title.fitted(to: layout.mapPanel.width), in: layout.mapPanel.row(0), style: .bold)
        }
        let (rowLabels, columnLabels) = labels(map)
        let w = layout.columnWidth, first = layout.firstRow, firstColumn = layout.firstColumn
        for c in 0..<layout.visibleColumns {
            let i = firstColumn + c, x = layout.header.x + c * w
            guard i < columnLabels.count else { break }
            let text = w == 1 ? String(columnLabels[i].prefix(1)) : String(columnLabels[i].prefix(w - 1))
            screen.put(text, x: x, y: layout.header.y, style: cursor?.column == i ? Style([.bold, .reverse]) : .bold, clip: layout.header)
        }
        let now = context.step, current = currentRow(context)
        func rowStyle(_ r: Int) -> Style {
            map == .encoder ? (r == cursor?.row ? Style([.bold, .reverse]) : .plain)
                : (r == current ? Style([.bold, .reverse]) : (r < current ? .plain : .dim))
        }
        func label(_ r: Int) -> String { map != .encoder && r > now ? "" : (r < rowLabels.count ? rowLabels[r] : "") }
        let lw = layout.labels.width - 1
        if layout.rowHeight > 0 {
            let h = layout.rowHeight
            for k in 0..<layout.visibleRows {
                let r = first + k
                screen.put(String(label(r).prefix(lw)), x: layout.labels.x, y: layout.labels.y + k * h + (h - 1) / 2,
                           style: rowStyle(r), clip: layout.labels)
            }
        } else {
            // Two queries a text row: "upper/lower".
            for k in stride(from: 0, to: layout.visibleRows, by: 2) {
                let r = first + k
                let lower = r + 1 < first + layout.visibleRows ? label(r + 1) : ""
                let pair = lower.isEmpty ? label(r) : "\(label(r))/\(lower)"
                let style = (r == current || r + 1 == current) ? Style([.bold, .reverse]) : (map != .encoder && r > now ? .dim : .plain)
                screen.put(String(pair.prefix(lw)), x: layout.labels.x, y: layout.labels.y + k / 2, style: style, clip: layout.labels)
            }
        }
        let perRow = layout.rowHeight == 0 ? 1 : 2 * layout.rowHeight
        let cursorCell = cursor.flatMap { c -> GridPosition? in
            let k = c.row - first, col = c.column - firstColumn
            guard k >= 0, k < layout.visibleRows, col >= 0, col < layout.visibleColumns else { return nil }
            return GridPosition(row: k * perRow + (perRow - 1) / 2 * (layout.rowHeight == 0 ? 0 : 1), column: col)
        }
        let scene = self, l = focusLayer, j = focusHead, kind = map
        Heatmap(rows: layout.visibleRows * perRow, columns: layout.visibleColumns, cellWidth: w, scale: scale,
                range: range, mode: mode, value: { r, c in
                    scene.weight(kind, layer: l, head: j, row: first + r / perRow, column: firstColumn + c, now: now)
                }, cursor: cursorCell)
            .render(into: &screen, rect: layout.map)
        if layout.bordered {
            let legend = Rect(x: layout.mapPanel.x + 2, y: layout.mapPanel.maxY - 1, width: Swift.min(36, layout.mapPanel.width - 4), height: 1)
            Legend(title: showsDifference ? "Â−A" : "α", scale: scale, range: range, mode: mode, decimals: showsDifference ? 1 : 0)
                .render(into: &screen, rect: legend)
        }
    }

    /// Every layer's and head's map of the same attention, pooled to fit (each pixel the largest weight
    /// it covers, so a sharp peak survives); the one in focus has its label reversed.
    func drawSmallMultiples(_ context: SceneContext, _ layout: TransformerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let title = "All heads · \(map.shortName)"
        if layout.bordered {
            Panel(title: title).render(into: &screen, rect: layout.multiplesPanel)
        } else {
            screen.put(title.fitted(to: layout.multiplesPanel.width), in: layout.multiplesPanel.row(0), style: .bold)
        }
        let (rows, columns) = size(map)
        guard rows > 0, columns > 0 else { return }
        let now = context.step, scene = self, kind = map
        for (index, rect) in layout.multiples.enumerated() where index < layers * heads {
            let l = index / heads, j = index % heads
            let focused = index == focus
            screen.put("L\(l + 1)·H\(j + 1)".fitted(to: layout.multipleLabels[index].width), in: layout.multipleLabels[index],
                       style: focused ? Style([.bold, .reverse]) : .dim)
            let dataRows = Swift.min(rows, 2 * rect.height), dataColumns = Swift.min(columns, rect.width)
            let pr = (rows + dataRows - 1) / dataRows, pc = (columns + dataColumns - 1) / dataColumns
            Heatmap(rows: (rows + pr - 1) / pr, columns: (columns + pc - 1) / pc, scale: scale, range: range,
                    mode: mode, value: { r, c in
                        var best: Float?
                        for row in (r * pr)..<Swift.min(rows, (r + 1) * pr) {
                            for column in (c * pc)..<Swift.min(columns, (c + 1) * pc) {
                                if let v = scene.weight(kind, layer: l, head: j, row: row, column: column, now: now),
                                   abs(v) >= abs(best ?? 0) {
                                    best = v
                                }
                            }
                        }
                        return best
                    })
                .render(into: &screen, rect: rect)
        }
    }

    /// This step: the focused head's weights for this step's query as bars, and the most likely next tokens.
    func drawStep(_ context: SceneContext, _ layout: TransformerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard context.step < snapshots.count, layout.stepPanel.height >= 3 else { return }
        let s = snapshots[context.step]
        let title = "Step \(context.step + 1): wrote \"\(decodedWords[context.step])\""
        let inner: Rect
        if layout.bordered {
            Panel(title: title).render(into: &screen, rect: layout.stepPanel)
            inner = layout.stepPanel.inset(top: 1, left: 2, bottom: 1, right: 1)
        } else {
            screen.put(title.fitted(to: layout.stepPanel.width), in: layout.stepPanel.row(0), style: .bold)
            inner = layout.stepPanel.inset(top: 1)
        }
        let vocabulary = context.episode.task.outputNames ?? []
        let next = s.top(Swift.min(5, Swift.max(1, inner.height / 2 - 1)))
        var y = inner.y
        screen.put("next token p(y)", x: inner.x, y: y, style: .dim, clip: inner)
        y += 1
        let items = next.map { ValueBars.Item($0.token < vocabulary.count ? vocabulary[$0.token] : "#\($0.token)", $0.probability) }
        ValueBars(items: items, range: Self.unitRange, color: .cyan, mode: mode)
            .render(into: &screen, rect: Rect(x: inner.x, y: y, width: inner.width, height: Swift.min(items.count, inner.maxY - y)))
        y += items.count + 1
        // This step's query in the focused head: its largest weights over the keys.
        let row = map == .encoder ? (cursor?.row ?? 0) : context.step
        let (_, columnLabels) = labels(map)
        let (_, columns) = size(map)
        let weights = (0..<columns).compactMap { c in
            weight(map, layer: focusLayer, head: focusHead, row: row, column: c, now: context.step).map { (c, $0) }
        }
        let room = inner.maxY - y - 1
        guard room >= 1, !weights.isEmpty else { return }
        let shown = weights.sorted { $0.1 > $1.1 }.prefix(room).sorted { $0.0 < $1.0 }
        let what = map == .encoder ? "source \(row + 1) \"\(row < sourceWords.count ? sourceWords[row] : "")\"" : "this step"
        screen.put("L\(focusLayer + 1) H\(focusHead + 1) \(showsDifference ? "Â−A (largest)" : comparison == .exact && compares(map) ? "exact α" : "α") of \(what)\(shown.count < weights.count ? ", top \(shown.count)" : "")",
                   x: inner.x, y: y, style: .dim, clip: inner)
        y += 1
        // Word and position ("b 7"): a sorted sequence has many of each letter.
        let bars = shown.map { ValueBars.Item("\($0.0 < columnLabels.count ? columnLabels[$0.0] : "") \($0.0 + 1)", $0.1) }
        ValueBars(items: bars, range: Self.unitRange, color: .yellow, mode: mode)
            .render(into: &screen, rect: Rect(x: inner.x, y: y, width: inner.width, height: bars.count))
    }
}
