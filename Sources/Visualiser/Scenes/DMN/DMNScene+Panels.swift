import Episodes
import Foundation
import Models
import Tasks

extension DMNScene {
    func drawQuestion(_ context: SceneContext, _ layout: DMNLayout, _ screen: inout Screen) {
        let inner = ScenePanel.open("Question", layout.question, bordered: layout.bordered, &screen)
        let asked = question.isEmpty ? "(no question)" : question.prefix(1).uppercased() + question.dropFirst()
        // The long form where it fits, else a short one (a qa3 question is 43 columns).
        var long = asked, short = asked
        if let step = context.episode.frames.last?.data as? AnswerStep, context.step == context.lastStep {
            if case let .word(_, word)? = step.given { long += "   answered: \(word)"; short += "  → \(word)" }
            if case let .word(_, word)? = step.right {
                let wrong = step.wrong(output: []) > 0
                long += wrong ? "  ×  right: \(word)" : "  (right)"
                short += wrong ? "  × right \(word)" : "  (right)"
            }
        } else {
            long += "   pass \(context.step + 1) of \(snapshots.count): the answer comes after the last"
            short += "   pass \(context.step + 1) of \(snapshots.count)"
        }
        let text = long.unicodeScalars.count <= inner.width ? long : short
        screen.put(text.fitted(to: inner.width), in: inner.row(0), style: .bold)
    }

    /// One row per kept sentence: its number, its words, and one cell per pass up to the current one, the
    /// gate's colour with its value; the cursor's row in reverse.
    func drawStory(_ context: SceneContext, _ layout: DMNLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let kept = sentences.count
        let held = dropped > 0 ? "last \(kept) of \(dropped + kept) sentences kept" : "\(kept) sentence\(kept == 1 ? "" : "s")"
        let title = "Story · \(held) · gate g per pass"
        let inner = ScenePanel.open(title, layout.story, bordered: layout.bordered, focused: context.active && cursor != nil, &screen)
        let header = Rect(x: inner.x, y: layout.rowsArea.y - 1, width: inner.width, height: 1)
        screen.put("  #  sentence", in: header, style: .dim)
        for t in 0..<layout.passes {
            let label = (t == context.step ? "▼" : " ") + "pass\(t + 1)"
            screen.put(label, x: layout.passesX + t * layout.passWidth, y: header.y, style: t == context.step ? .bold : .dim, clip: header)
        }
        let pass = Swift.min(context.step, layout.passes - 1)
        if let cells = layout.states {
            // The longest of these that fits.
            let labels = ["AttnGRU state hᵢ after each sentence, pass \(pass + 1)", "hᵢ after each sentence, pass \(pass + 1)",
                          "AttnGRU hᵢ, pass \(pass + 1)", "hᵢ, pass \(pass + 1)"]
            let label = labels.first { $0.unicodeScalars.count <= inner.maxX - cells.x } ?? labels[labels.count - 1]
            screen.put(label.fitted(to: inner.maxX - cells.x), x: cells.x, y: header.y, style: .dim, clip: header)
        }
        for r in 0..<layout.rows {
            let i = layout.firstSentence + r
            let y = layout.rowsArea.y + r
            let number = String(dropped + i + 1)
            screen.put(number.padded(to: 3, alignment: .right), x: inner.x, y: y, style: .dim, clip: inner)
            screen.put(sentences[i].fitted(to: layout.textWidth), x: layout.textX, y: y, style: cursor == i ? Style([.reverse]) : .plain,
                       clip: inner)
            for t in 0...Swift.min(context.step, layout.passes - 1) {
                let g = snapshots[t].gates[i]
                let x = layout.passesX + t * layout.passWidth
                screen[x, y] = Self.gateScale.cell(at: g, mode: mode)
                screen[x + 1, y] = Self.gateScale.cell(at: g, mode: mode)
                screen.put(NumberFormat.fixed(g, decimals: 2), x: x + 2, y: y, style: t == context.step ? .bold : .dim, clip: inner)
            }
            if let cells = layout.states { drawCells(snapshots[pass].states[i], cells, Self.stateScale, Self.stateRange, y, mode, &screen) }
        }
        if layout.bordered {
            let legend = Rect(x: layout.story.x + 2, y: layout.story.maxY - 1, width: Swift.min(40, layout.story.width - 4), height: 1)
            legends(mode)[0].render(into: &screen, rect: legend)
        }
    }

    /// A vector as a row of cells at y (pooled by largest magnitude where it does not fit).
    func drawCells(_ values: [Float], _ cells: DMNLayout.Cells, _ scale: ColorScale, _ range: ValueRange, _ y: Int, _ mode: ColorMode,
                   _ screen: inout Screen) {
        for c in 0..<cells.columns {
            let cell = scale.cell(at: range.position(of: maxAbsPool(values, start: c * cells.pool, count: cells.pool)), mode: mode)
            for k in 0..<cells.cellWidth { screen[cells.x + c * cells.cellWidth + k, y] = cell }
        }
    }

    /// The answer distribution (top 5) after this pass: the answer on the last, and on earlier ones the
    /// answer the model would give if it stopped there; below, where there is room, each pass's top answer.
    func drawAnswers(_ context: SceneContext, _ layout: DMNLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let last = context.step == snapshots.count - 1
        let title = last ? "Answer" : "If it stopped at pass \(context.step + 1)"
        let inner = ScenePanel.open(title, layout.answers, bordered: layout.bordered, &screen)
        let distribution = snapshots[context.step].output
        let shown = Swift.min(5, distribution.count, inner.height)
        let top = distribution.indices.sorted { distribution[$0] > distribution[$1] || (distribution[$0] == distribution[$1] && $0 < $1) }
            .prefix(shown)
        let items = top.map { ValueBars.Item(word($0), distribution[$0]) }
        ValueBars(items: items, range: Self.unitRange, mode: mode).render(into: &screen, rect: inner.inset(bottom: inner.height - shown))
        // Each pass's most likely answer, up to this one.
        var y = inner.y + shown + 1
        guard y + 1 + context.step < inner.maxY else { return }
        screen.put("top answer per pass", x: inner.x, y: y, style: .dim, clip: inner)
        y += 1
        for t in 0...context.step {
            let p = snapshots[t].output
            guard let best = p.indices.max(by: { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }) else { continue }
            let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            screen.put(NumberFormat.fixed(p[best], decimals: 2), in: row, alignment: .right, style: t == context.step ? .bold : .plain)
            screen.put("\(t + 1)  \(word(best))", in: row.inset(right: 5), style: t == context.step ? .bold : .plain)
            y += 1
        }
    }

    func word(_ answer: Int) -> String { answer < answerWords.count ? answerWords[answer] : "#\(answer)" }

    /// The question q = m⁰ and, pass by pass up to the current one, the episode cᵗ (where there is room)
    /// and the new memory mᵗ, each a row of cells on one diverging scale, with how far mᵗ moved from
    /// m^{t−1}.
    func drawMemory(_ context: SceneContext, _ layout: DMNLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let hasEpisodes = layout.memoryRows.contains { if case .episode = $0 { true } else { false } }
        var title = "Episodic memory · q = m⁰, " + (hasEpisodes ? "episode cᵗ and memory mᵗ" : "memory mᵗ") + " per pass"
        let units = " · \(snapshots.first?.memory.count ?? 0) units" + (layout.cells.pool > 1 ? ", \(layout.cells.pool) per cell (largest |v|)" : "")
        if (title + units).unicodeScalars.count <= layout.memory.width - (layout.bordered ? 4 : 0) { title += units }
        _ = ScenePanel.open(title, layout.memory, bordered: layout.bordered, &screen)
        let area = layout.memoryArea
        for (r, row) in layout.memoryRows.enumerated() {
            let y = area.y + r
            guard y < area.maxY else { break }
            let values: [Float]
            let label: String
            switch row {
            case .question: (values, label) = (snapshots[0].memoryBefore, "m⁰=q")
            case .episode(let t): (values, label) = (snapshots[t].episode, "c" + Self.superscript(t + 1))
            case .memory(let t): (values, label) = (snapshots[t].memory, "m" + Self.superscript(t + 1))
            }
            let reached = row.pass <= context.step
            let current = row.pass == context.step && row != .question
            screen.put((current ? "▶" : " ") + label, x: area.x, y: y, style: current ? .bold : (reached ? .plain : .dim), clip: area)
            guard reached else { continue }
            if case .memory = row {
                drawCells(values, layout.cells, Self.memoryScale, memoryRange, y, mode, &screen)
            } else {
                drawCells(values, layout.cells, Self.stateScale, Self.stateRange, y, mode, &screen)
            }
            if case .memory(let t) = row {
                let before = snapshots[t].memoryBefore
                let moved = zip(values, before).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                screen.put("Δ " + NumberFormat.fixed(moved, decimals: 2), x: layout.statX, y: y, style: current ? .bold : .dim, clip: area)
            }
        }
        if layout.bordered {
            let border = Rect(x: layout.memory.x + 2, y: layout.memory.maxY - 1, width: layout.memory.width - 4, height: 1)
            let parts = border.split(.horizontal, [.length(30), .length(34), .fill(1)], spacing: 2)
            legends(mode)[1].render(into: &screen, rect: parts[0])
            legends(mode)[2].render(into: &screen, rect: parts[1])
        }
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(n).map { digits[Int(String($0))!] })
    }
}
