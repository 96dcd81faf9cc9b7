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
    package var answers = Rect.zero
    /// The story's rows in view: the first sentence shown and how many.
    package var firstSentence = 0
    package var rows = 0
    package var rowsArea = Rect.zero
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
        let inner = bordered ? story.inset(by: 1) : story.inset(top: 1)
        hops = scene.snapshots.count
        hopWidth = 6
        let legendRow = bordered ? 1 : 0
        rowsArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: Swift.max(0, inner.height - 1 - legendRow))
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
        guard x >= hopsX, x < hopsX + hops * hopWidth, y >= rowsArea.y - 1, y < rowsArea.y + rows else { return nil }
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
        let header = Rect(x: inner.x, y: layout.rowsArea.y - 1, width: inner.width, height: 1)
        screen.put("  #  sentence", in: header, style: .dim)
        for k in 0..<layout.hops {
            let label = k == context.step ? "▼hop\(k + 1)" : " hop\(k + 1)"
            screen.put(label, x: layout.hopsX + k * layout.hopWidth, y: header.y, style: k == context.step ? .bold : .dim, clip: header)
        }
        let textWidth = Swift.max(0, layout.hopsX - inner.x - 5)
        for r in 0..<layout.rows {
            let i = layout.firstSentence + r
            let y = layout.rowsArea.y + r
            let selected = cursor == i
            let number = String(dropped + i + 1)
            screen.put(String(repeating: " ", count: Swift.max(0, 3 - number.count)) + number, x: inner.x, y: y, style: .dim, clip: inner)
            screen.put(sentences[i].fitted(to: textWidth), x: inner.x + 5, y: y, style: selected ? Style([.reverse]) : .plain, clip: inner)
            for k in 0...Swift.min(context.step, layout.hops - 1) {
                let p = snapshots[k].attention[i]
                let x = layout.hopsX + k * layout.hopWidth
                screen[x, y] = Self.scale.cell(at: p, mode: mode)
                screen[x + 1, y] = Self.scale.cell(at: p, mode: mode)
                screen.put(NumberFormat.fixed(p, decimals: 2), x: x + 2, y: y, style: k == context.step ? .bold : .dim, clip: inner)
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
