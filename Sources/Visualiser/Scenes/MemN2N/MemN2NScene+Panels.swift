import Episodes
import Models
import Tasks

/// Where the memory network's scene draws: the question row(s) on top, then the story (one row per kept
/// sentence: its number, its words and one cell per hop) beside the answers. `view` draws from it and
/// `click` hit-tests against it.
package struct MemN2NLayout {
    package var bordered: Bool
    package var question = Rect.zero
    package var story = Rect.zero
    /// The vectors of the current hop (u hop by hop, o, and the focused sentence's m and c); zero-sized
    /// when the screen has no room for them beside a useful story.
    package var vectors = Rect.zero
    package var answers = Rect.zero
    /// The story's rows in view: the first sentence shown and how many.
    package var firstSentence = 0
    package var rows = 0
    package var rowsArea = Rect.zero
    /// The row of the empty memories' share, under the header (nil for a model without them).
    package var emptyY: Int?
    /// The hop columns: where the first starts, and each one's width.
    package var hopsX = 0
    package var hopWidth = 6
    package var hops = 0

    package init(_ scene: MemN2NScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        let parts = context.rect.split(.vertical, [.length(bordered ? 4 : 2), .fill(1)])
        question = parts[0]
        let answerWidth = Swift.min(32, Swift.max(24, context.rect.width / 4))
        let lower = parts[1].split(.horizontal, [.fill(1), .length(answerWidth)], spacing: 1)
        story = lower[0]
        answers = lower[1]
        // The vectors below the story: u¹ … u^{K+1}, o, m, c and a legend, when at least 6 sentences (or
        // the whole story) still show above them.
        // The story takes the rows its sentences need; the vectors follow right under it.
        let vectorRows = scene.snapshots.count + 5 + (bordered ? 2 : 1)
        let hasEmpty = scene.snapshots.first?.emptyAttention != nil
        let storyChrome = (bordered ? 4 : 2) + (hasEmpty ? 1 : 0)
        if story.height - vectorRows - storyChrome >= Swift.min(6, scene.sentences.count) {
            let storyHeight = Swift.min(story.height - vectorRows, scene.sentences.count + storyChrome)
            let split = story.split(.vertical, [.length(storyHeight), .length(vectorRows), .fill(1)])
            story = split[0]
            vectors = split[1]
        }
        let inner = bordered ? story.inset(by: 1) : story.inset(top: 1)
        hops = scene.snapshots.count
        // Each hop's column: a colour block and the value; wider blocks where the sentences leave room.
        let longest = (scene.sentences.map(\.count).max() ?? 20) + 6
        hopWidth = hops > 0 ? Swift.min(14, Swift.max(6, (inner.width - longest) / hops)) : 6
        let legendRow = bordered ? 1 : 0
        rowsArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: Swift.max(0, inner.height - 1 - legendRow))
        if hasEmpty && rowsArea.height >= 2 {
            emptyY = rowsArea.y
            rowsArea = Rect(x: rowsArea.x, y: rowsArea.y + 1, width: rowsArea.width, height: rowsArea.height - 1)
        }
        hopsX = rowsArea.maxX - hops * hopWidth
        rows = Swift.min(scene.sentences.count, rowsArea.height)
        // Keep the cursor's sentence, else the most attended one of this hop, in view; the latest at the end.
        let focus = scene.cursor ?? (scene.snapshots.isEmpty ? 0 : scene.strongestSentence(context.step))
        firstSentence = Swift.max(0, Swift.min(scene.sentences.count - rows, focus - rows / 2))
    }

    /// The sentence drawn at row y (anywhere on its row), or nil.
    package func sentence(atY y: Int, x: Int) -> Int? {
        guard rowsArea.contains(x: x, y: y), y - rowsArea.y < rows else { return nil }
        return firstSentence + (y - rowsArea.y)
    }

    /// The hop whose column holds x (in the story's rows or its header), or nil.
    package func hop(atX x: Int, y: Int) -> Int? {
        guard x >= hopsX, x < hopsX + hops * hopWidth, y >= (emptyY ?? rowsArea.y) - 1, y < rowsArea.y + rows else { return nil }
        return (x - hopsX) / hopWidth
    }
}

extension MemN2NScene {
    func drawQuestion(_ context: SceneContext, _ layout: MemN2NLayout, _ screen: inout Screen) {
        let inner = ScenePanel.open("Question", layout.question, bordered: layout.bordered, &screen)
        var text = question.isEmpty ? "(no question)" : question.prefix(1).uppercased() + question.dropFirst()
        if let step = context.episode.frames.last?.data as? AnswerStep, context.step == context.lastStep {
            if case let .word(_, word)? = step.given { text += "   answered: \(word)" }
            if case let .word(_, word)? = step.right { text += step.wrong(output: []) > 0 ? "  ×  right: \(word)" : "  (right)" }
        } else {
            text += "   hop \(context.step + 1) of \(snapshots.count): the answer comes after the last"
        }
        screen.put(text.fitted(to: inner.width), in: inner.row(0), style: .bold)
    }

    /// One row per kept sentence: its number, its words, and one cell per hop up to the current one, the
    /// attention's colour with its value; the cursor's row in reverse.
    func drawStory(_ context: SceneContext, _ layout: MemN2NLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let kept = sentences.count
        let held = dropped > 0 ? "the last \(kept) of \(dropped + kept) sentences" : "\(kept) sentence\(kept == 1 ? "" : "s")"
        let title = "Story · \(held) in memory · attention p per hop"
        let inner = ScenePanel.open(title, layout.story, bordered: layout.bordered, focused: context.active && cursor != nil, &screen)
        let header = Rect(x: inner.x, y: (layout.emptyY ?? layout.rowsArea.y) - 1, width: inner.width, height: 1)
        screen.put("  #  sentence", in: header, style: .dim)
        for k in 0..<layout.hops {
            let label = k == context.step ? "▼hop\(k + 1)" : " hop\(k + 1)"
            screen.put(label, x: layout.hopsX + k * layout.hopWidth, y: header.y, style: k == context.step ? .bold : .dim, clip: header)
        }
        let textWidth = Swift.max(0, layout.hopsX - inner.x - 5)
        func hopCell(_ p: Float, _ k: Int, _ y: Int) {
            let x = layout.hopsX + k * layout.hopWidth
            for c in 0..<(layout.hopWidth - 4) { screen[x + c, y] = Self.scale.cell(at: p, mode: mode) }
            screen.put(NumberFormat.fixed(p, decimals: 2), x: x + layout.hopWidth - 4, y: y, style: k == context.step ? .bold : .dim, clip: inner)
        }
        // The empty memories: the share of each hop that reads nothing.
        if let y = layout.emptyY {
            screen.put("  ∅", x: inner.x, y: y, style: .dim, clip: inner)
            screen.put("empty memory (reads nothing)".fitted(to: textWidth), x: inner.x + 5, y: y, style: .dim, clip: inner)
            for k in 0...Swift.min(context.step, layout.hops - 1) { hopCell(snapshots[k].emptyAttention ?? 0, k, y) }
        }
        for r in 0..<layout.rows {
            let i = layout.firstSentence + r
            let y = layout.rowsArea.y + r
            let selected = cursor == i
            let number = String(dropped + i + 1)
            screen.put(String(repeating: " ", count: Swift.max(0, 3 - number.count)) + number, x: inner.x, y: y, style: .dim, clip: inner)
            screen.put(sentences[i].fitted(to: textWidth), x: inner.x + 5, y: y, style: selected ? Style([.reverse]) : .plain, clip: inner)
            for k in 0...Swift.min(context.step, layout.hops - 1) {
                hopCell(snapshots[k].attention[i], k, y)
            }
        }
        if layout.bordered {
            let legend = Rect(x: layout.story.x + 2, y: layout.story.maxY - 1, width: Swift.min(40, layout.story.width - 4), height: 1)
            Legend(title: "attention p", scale: Self.scale, range: Self.unitRange, mode: mode, decimals: 0).render(into: &screen, rect: legend)
        }
    }

    /// The answer distribution (top 5) after the last hop; before it, what each hop has read so far.
    func drawAnswers(_ context: SceneContext, _ layout: MemN2NLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let inner = ScenePanel.open("Answer", layout.answers, bordered: layout.bordered, &screen)
        let distribution = snapshots[context.step].answer
        guard !distribution.isEmpty else {
            screen.put("after hop \(snapshots.count)".fitted(to: inner.width), in: inner.row(0), style: .dim)
            return
        }
        let top = distribution.indices.sorted { distribution[$0] > distribution[$1] }.prefix(Swift.min(5, inner.height))
        let items = top.map { ValueBars.Item($0 < answerWords.count ? answerWords[$0] : "#\($0)", distribution[$0]) }
        ValueBars(items: items, range: Self.unitRange, mode: mode).render(into: &screen, rect: inner)
    }
}

extension MemN2NScene {
    /// The sentence whose m and c the vectors panel shows: the cursor's, else the one this hop attends to
    /// most.
    func focusedSentence(_ hop: Int) -> Int { cursor ?? strongestSentence(hop) }

    /// u¹ … u^K (the query before each hop, eq. 10) up to the current hop, and u^{K+1} = u^K + o^K once the
    /// last is reached; the hop's read o; and m_i and c_i of the focused sentence: one row of coloured
    /// cells each, one cell per dimension, on one symmetric range.
    func drawVectors(_ context: SceneContext, _ layout: MemN2NLayout, _ mode: ColorMode, _ screen: inout Screen) {
        guard layout.vectors.height > 0, !snapshots.isEmpty else { return }
        let k = context.step, i = focusedSentence(k)
        let title = "Vectors · hop \(k + 1) · sentence \(dropped + i + 1)"
        let inner = ScenePanel.open(title, layout.vectors, bordered: layout.bordered, &screen)
        let s = snapshots[k]
        var rows: [(String, [Float])] = snapshots.prefix(k + 1).enumerated().map { h, hop in ("u\(h + 1)", hop.query) }
        if k == snapshots.count - 1 { rows.append(("u\(k + 2)", zip(s.query, s.read).map { $0 + $1 })) }
        rows.append(("o\(k + 1)", s.read))
        if i < s.memories.count {
            rows.append(("m · \(dropped + i + 1)", s.memories[i]))
            rows.append(("c · \(dropped + i + 1)", s.outputs[i]))
        }
        let labelWidth = 8
        let d = s.query.count
        let cellWidth = inner.width - labelWidth >= 2 * d ? 2 : 1
        let shown = Swift.max(0, Swift.min(d, (inner.width - labelWidth) / cellWidth))
        for (r, (label, values)) in rows.enumerated() where r < inner.height - 1 {
            let y = inner.y + r
            screen.put(label.fitted(to: labelWidth - 1), x: inner.x, y: y, style: .dim, clip: inner)
            for j in 0..<Swift.min(shown, values.count) {
                let cell = Self.signedScale.cell(at: vectorRange.position(of: values[j]), mode: mode)
                for c in 0..<cellWidth { screen[inner.x + labelWidth + j * cellWidth + c, y] = cell }
            }
        }
        let note = shown < d ? "  (first \(shown) of d = \(d))" : "  (d = \(d))"
        let legendRow = Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1)
        Legend(title: "value", scale: Self.signedScale, range: vectorRange, mode: mode, decimals: 1)
            .render(into: &screen, rect: Rect(x: legendRow.x, y: legendRow.y, width: Swift.min(40, legendRow.width), height: 1))
        if legendRow.width > 42 { screen.put(note.fitted(to: legendRow.width - 40), x: legendRow.x + 40, y: legendRow.y, style: .dim, clip: legendRow) }
    }
}
