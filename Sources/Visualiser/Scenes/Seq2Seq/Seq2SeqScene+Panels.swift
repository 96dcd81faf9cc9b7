import Tasks

extension Seq2SeqScene {
    /// Source, the words written up to this step (the current one in reverse), and the reference.
    func drawSentences(_ context: SceneContext, _ layout: Seq2SeqLayout, _ screen: inout Screen) {
        let inner = layout.bordered ? layout.sentences.inset(by: 1) : layout.sentences
        if layout.bordered { Panel(title: "Translation · step \(context.step + 1) of \(snapshots.count)").render(into: &screen, rect: layout.sentences) }
        TranslationLines(source: sourceWords, written: Array(decodedWords.prefix(context.step + 1)), reference: referenceWords,
                         labelWidth: Seq2SeqLayout.labelWidth, referenceLabel: referenceWords.isEmpty ? "reference" : "target")
            .draw(in: inner, current: context.step, &screen)
    }

    /// Decoded words × source words: row t is α_t, eq. (7), filled in up to this step.
    func drawMatrix(_ context: SceneContext, _ layout: Seq2SeqLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let title = "Attention · decoded word × source word"
        if layout.bordered {
            Panel(title: title, focused: context.active && cursor != nil).render(into: &screen, rect: layout.matrixPanel)
        } else {
            screen.put(title.fitted(to: layout.matrixPanel.width), in: layout.matrixPanel.row(0), style: .bold)
        }
        let w = layout.columnWidth
        for (i, word) in sourceWords.enumerated() {
            let x = layout.header.x + i * w
            guard x < layout.header.maxX else { break }
            screen.put(String(word.prefix(w - 1)), x: x, y: layout.header.y, style: .bold, clip: layout.header)
        }
        let snaps = snapshots, first = layout.firstRow, now = context.step, columns = sourceWords.count
        let h = layout.rowHeight, words = layout.matrix.height / h
        for r in 0..<words where first + r < snaps.count {
            let t = first + r
            let style: Style = t == now ? Style([.bold, .reverse]) : (t < now ? .plain : .dim)
            let label = t <= now ? decodedWords[t] : ""
            screen.put(String(label.prefix(Seq2SeqLayout.labelWidth - 1)), x: layout.labels.x, y: layout.labels.y + r * h + (h - 1) / 2,
                       style: style, clip: layout.labels)
        }
        let cursorCell = cursor.flatMap { c -> GridPosition? in
            c.row >= first && c.row < first + words ? GridPosition(row: 2 * h * (c.row - first) + (h - 1), column: c.column) : nil
        }
        // Each decoded word takes h text rows: 2h data rows of the same weights.
        Heatmap(rows: 2 * layout.matrix.height, columns: columns, cellWidth: w, scale: Self.weightScale, range: Self.unitRange,
                mode: mode, value: { r, c in
                    let t = first + r / (2 * h)
                    guard t <= now, t < snaps.count, c < snaps[t].weights.count else { return nil }
                    return snaps[t].weights[c]
                }, cursor: cursorCell)
            .render(into: &screen, rect: layout.matrix)
        if layout.bordered {
            let legend = Rect(x: layout.matrixPanel.x + 2, y: layout.matrixPanel.maxY - 1,
                              width: Swift.min(36, layout.matrixPanel.width - 4), height: 1)
            Legend(title: "α", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0).render(into: &screen, rect: legend)
        }
    }

    /// This step: the weights over the source as bars with exact numbers, the five most likely next words,
    /// and the encoder's annotations (source word × unit, pooled).
    func drawStep(_ context: SceneContext, _ layout: Seq2SeqLayout, _ mode: ColorMode, _ screen: inout Screen) {
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
        let next = s.top(5)
        let vocabulary = decodedWordsVocabulary(context)
        let weightRows = Swift.min(sourceWords.count, Swift.max(1, inner.height - next.count - 2 - (layout.bordered ? 4 : 0)))
        // The source words this step attends to most, when they do not all fit.
        let shown = sourceWords.indices.sorted { s.weights[$0] > s.weights[$1] }.prefix(weightRows).sorted()
        let bars = shown.map { ValueBars.Item(sourceWords[$0], s.weights[$0]) }
        var y = inner.y
        screen.put(shown.count == sourceWords.count ? "attention α" : "attention α (top \(shown.count))", x: inner.x, y: y, style: .dim, clip: inner)
        y += 1
        ValueBars(items: bars, range: Self.unitRange, color: .yellow, mode: mode)
            .render(into: &screen, rect: Rect(x: inner.x, y: y, width: inner.width, height: bars.count))
        y += bars.count
        if !s.beams.isEmpty {
            // Beam search: the hypotheses kept after this step, best first, with their log-probabilities.
            screen.put("beams after this step (log p)", x: inner.x, y: y, style: .dim, clip: inner)
            y += 1
            for (i, beam) in s.beams.enumerated() where y < inner.maxY {
                let words = FrenchText.join(beam.tokens.map { $0 < vocabulary.count ? vocabulary[$0] : "#\($0)" })
                let score = NumberFormat.fixed(beam.logProbability, decimals: 2, plusSign: true)
                let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
                screen.put(score, in: row, alignment: .right, style: i == 0 ? .bold : .plain)
                screen.put("\(i + 1) \(words)\(beam.finished ? " ■" : "")", in: row.inset(right: score.count + 1),
                           style: i == 0 ? .bold : .plain)
                y += 1
            }
            y += 1
        } else {
            screen.put("next word p(y)", x: inner.x, y: y, style: .dim, clip: inner)
            y += 1
            let items = next.map { ValueBars.Item($0.token < vocabulary.count ? vocabulary[$0.token] : "#\($0.token)", $0.probability) }
            ValueBars(items: items, range: Self.unitRange, color: .cyan, mode: mode)
                .render(into: &screen, rect: Rect(x: inner.x, y: y, width: inner.width, height: Swift.min(items.count, inner.maxY - y)))
            y += items.count + 1
        }
        // The encoder: one row per source word, units pooled across.
        let rows = s.annotations.count
        guard rows > 0, layout.bordered, y + (rows + 1) / 2 < inner.maxY else { return }
        screen.put("encoder a (word × unit)", x: inner.x, y: y, style: .dim, clip: inner)
        y += 1
        let units = s.annotations[0].count, width = Swift.max(1, inner.width)
        let pool = (units + width - 1) / width
        let annotations = s.annotations
        Heatmap(rows: rows, columns: (units + pool - 1) / pool, scale: Self.signedScale, range: annotationRange, mode: mode,
                value: { r, c in maxAbsPool(annotations[r], start: c * pool, count: pool) })
            .render(into: &screen, rect: Rect(x: inner.x, y: y, width: inner.width, height: (rows + 1) / 2))
    }

    /// The target words by id, for naming the next-word candidates.
    func decodedWordsVocabulary(_ context: SceneContext) -> [String] {
        context.episode.task.outputNames ?? []
    }
}
