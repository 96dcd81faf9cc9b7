/// The NTM scene: a pure function from viewer state and terminal size to a `Screen`. Panels: the sequence
/// (input, target, output over time), memory with the current weightings beside it, the weighting history
/// (time × N), and the selected head's addressing pipeline; a title, an info line and a status bar.
public enum NTMScene {
    /// Colour of bits and outputs (0…1), of attention weightings (0…1), and of signed memory values.
    static let bitScale = ColorScale.viridis
    static let weightScale = ColorScale.magma
    static let signedScale = ColorScale.blueWhiteRed
    static let unitRange = ValueRange(min: 0, max: 1)

    public static func view(_ state: ViewerState, width: Int, height: Int, mode: ColorMode) -> Screen {
        var screen = Screen(width: width, height: height)
        let layout = NTMLayout(state: state, width: width, height: height)
        if layout.kind == .tooSmall {
            TooSmallMessage(neededWidth: NTMLayout.minimumWidth, neededHeight: NTMLayout.minimumHeight)
                .render(into: &screen, rect: screen.bounds)
            return screen
        }
        drawTitle(state, layout, &screen)
        if let editor = state.editor {
            drawEditor(editor, state, layout, mode, &screen)
        } else {
            drawSequence(state, layout, mode, &screen)
        }
        drawMemory(state, layout, mode, &screen)
        drawHistory(state, layout, mode, &screen)
        drawPipeline(state, layout, mode, &screen)
        drawInfo(state, layout, mode, &screen)
        drawStatus(state, layout, &screen)
        if state.helpOpen {
            HelpOverlay(title: "arnn keys", entries: helpEntries(editing: state.editor != nil),
                        footer: "any key closes this · q quits")
                .render(into: &screen, rect: screen.bounds)
        }
        return screen
    }

    static func drawTitle(_ s: ViewerState, _ layout: NTMLayout, _ screen: inout Screen) {
        let score = s.episode.score
        let source = s.edited ? "edited input" : "seed \(s.seed)"
        let range = s.task.lengthRange
        let beyond = range.contains(s.length) ? "" : " (beyond training \(range.lowerBound)–\(range.upperBound))"
        let left = " arnn · \(s.title) · \(s.task.name) length \(s.length)\(beyond) · \(source)"
        let right = "\(score.wrongBits)/\(score.scoredBits) bits wrong "
        screen.put(right, in: layout.title, alignment: .right, style: Style(.bold))
        screen.put(left, in: layout.title.inset(right: right.count + 1), style: Style(.bold))
    }

    /// A panel frame in rich layouts, or a bold caption line in compact ones.
    static func frame(_ title: String, focused: Bool, rect: Rect, layout: NTMLayout, _ screen: inout Screen) {
        if layout.bordered {
            Panel(title: title, focused: focused).render(into: &screen, rect: rect)
        }
    }

    /// The help lines: every binding of the active key map (pairs of opposite keys on one line, so the
    /// whole list fits an 80×24 terminal), then the mouse.
    static func helpEntries(editing: Bool) -> [HelpEntry] {
        if editing { return ViewerKeys.editor.helpEntries + [HelpEntry(keys: "", description: "(editor keys)")] }
        return ViewerKeys.pairedHelp + ViewerKeys.mouseHelp
    }
}

extension ViewerKeys {
    /// Opposite actions shown as one help line: (first, second, description).
    static let helpPairs: [(ViewerAction, ViewerAction, String)] = [
        (.right, .left, "next / previous step (move the memory cursor when shown)"),
        (.stepForward, .stepBack, "next / previous step"),
        (.first, .last, "first / last step"),
        (.faster, .slower, "play faster / slower"),
        (.cursorUp, .cursorDown, "cursor up / down a memory row (exact value below)"),
        (.nextFocus, .previousFocus, "next / previous panel and head"),
        (.shorter, .longer, "shorter / longer sequence (beyond training too)"),
    ]

    /// `main`'s help with each pair of opposite actions on one line; every key still appears.
    static var pairedHelp: [HelpEntry] {
        var entries: [HelpEntry] = []
        var skip = Set<ViewerAction>()
        for binding in main.bindings where !skip.contains(binding.action) {
            if let pair = helpPairs.first(where: { $0.0 == binding.action || $0.1 == binding.action }),
               let a = main.bindings.first(where: { $0.action == pair.0 }),
               let b = main.bindings.first(where: { $0.action == pair.1 }) {
                entries.append(HelpEntry(keys: a.keysLabel + " " + b.keysLabel, description: pair.2))
                skip.insert(pair.0)
                skip.insert(pair.1)
            } else {
                entries.append(HelpEntry(keys: binding.keysLabel, description: binding.description))
            }
        }
        return entries
    }
}
