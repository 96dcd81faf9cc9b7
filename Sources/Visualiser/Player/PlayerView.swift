extension Viewer {
    /// The screen for `state` at `width × height` in `mode`: the title, each model's scene, the info line
    /// and the status bar, and help over everything when it is open.
    public static func view(_ state: ViewerState, width: Int, height: Int, mode: ColorMode) -> Screen {
        var screen = Screen(width: width, height: height)
        let layout = PlayerLayout(state, width: width, height: height)
        if layout.tooSmall {
            TooSmallMessage(neededWidth: layout.neededWidth, neededHeight: layout.neededHeight)
                .render(into: &screen, rect: screen.bounds)
            return screen
        }
        drawTitle(state, layout, &screen)
        for i in state.models.indices {
            if let caption = layout.captionRects[i] { drawCaption(state, i, layout, caption, &screen) }
            guard layout.sceneRects[i] != nil else { continue }
            state.models[i].scene.view(state.context(i, layout), into: &screen, mode: mode)
        }
        if let strip = layout.timelineRect { drawTimeline(state, strip, mode, &screen) }
        drawInfo(state, layout, mode, &screen)
        drawStatus(state, layout, &screen)
        if state.helpOpen {
            HelpOverlay(title: "arnn keys", entries: helpEntries(state), footer: "any key closes this · q quits")
                .render(into: &screen, rect: screen.bounds)
        }
        return screen
    }

    static func drawTitle(_ s: ViewerState, _ layout: PlayerLayout, _ screen: inout Screen) {
        let source = s.edited ? "edited input" : "seed \(s.seed)"
        let range = s.task.lengthRange
        let beyond = range.contains(s.length) ? "" : " (beyond training \(range.lowerBound)–\(range.upperBound))"
        // Two moments of one run (`--compare-at`) are told apart by the moment, not by the same name twice.
        let moments = s.models.compactMap { $0.timeline.map { TrainingTimeline.grouped($0.current) } }
        let names = s.isComparing && Set(s.models.map(\.name)).count == 1 && moments.count == s.models.count
            ? "\(s.models[0].name) after \(moments.joined(separator: " vs ")) seq"
            : s.models.map(\.name).joined(separator: " vs ")
        let left = " arnn · \(names) · \(s.task.name) \(s.task.lengthName) \(s.length)\(beyond) · \(source)"
        let scores = s.models.map { "\($0.episode.score.wrong)" }.joined(separator: " vs ")
        let right = s.episode.score.scored == 0 ? "no reference to score " // a typed sentence
            : "\(scores)/\(s.episode.score.scored) \(s.episode.unit) wrong "
        screen.put(right, in: layout.frame.title, alignment: .right, style: Style(.bold))
        screen.put(left, in: layout.frame.title.inset(right: right.count + 1), style: Style(.bold))
    }

    /// The active model's run over training time (or, when it has none, the first model's that has), with
    /// the other models on the same run marked too.
    static func drawTimeline(_ s: ViewerState, _ rect: Rect, _ mode: ColorMode, _ screen: inout Screen) {
        guard let shown = s.models[s.activeModel].timeline ?? s.models.lazy.compactMap(\.timeline).first else { return }
        let others = s.models.compactMap(\.timeline).filter { $0.run == shown.run && $0.sequences == shown.sequences }
            .map(\.position)
        TimelineStrip(timeline: shown, others: others, mode: mode).render(into: &screen, rect: rect)
    }

    /// A compared model's caption: its name, kind and score; the active one (which gets the scene keys) is
    /// marked and in reverse.
    static func drawCaption(_ s: ViewerState, _ i: Int, _ layout: PlayerLayout, _ rect: Rect, _ screen: inout Screen) {
        let m = s.models[i]
        let active = i == s.activeModel
        let hidden = layout.showsEveryScene ? "" : " · o: show the other"
        let moment = m.timeline.map { " · " + $0.afterText } ?? ""
        let start = s.offset(i)
        let waiting = s.step < start ? " · starts at step \(start + 1)" : ""
        let text = "\(active ? "▸ " : "  ")\(m.name) (\(m.scene.kind))\(moment) · "
            + "\(m.episode.scoreText)\(waiting)\(hidden)"
        screen.put(text.fitted(to: rect.width), in: rect, style: active ? Style([.bold, .reverse]) : .bold)
    }

    /// The info line: a message if there is one, else the active scene's cursor readout, else (compact
    /// layouts, which have no panel borders to carry them) the scene's colour legends.
    static func drawInfo(_ s: ViewerState, _ layout: PlayerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let row = layout.frame.info
        let scene = s.models[s.activeModel].scene
        let context = s.context(s.activeModel, layout)
        if let text = s.prompt {
            // The typed words, unknown ones underlined, then the cursor and what the keys do.
            var x = screen.put(" input: ", x: row.x, y: row.y, style: Style(.bold), clip: row)
            let unknown = Set(s.promptUnknown)
            // A text longer than the line scrolls: its end, where the cursor is, stays in view after "…".
            let room = row.maxX - x - 1
            var shown = text
            if shown.count > room, room > 1 {
                shown = String(shown.suffix(room - 1))
                x = screen.put("…", x: x, y: row.y, style: Style(.bold), clip: row)
            }
            for (i, word) in shown.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                if i > 0 { x = screen.put(" ", x: x, y: row.y, clip: row) }
                let bare = word.lowercased().filter(\.isLetter)
                x = screen.put(String(word), x: x, y: row.y,
                               style: unknown.contains(bare) ? Style([.bold, .underline]) : Style(.bold), clip: row)
            }
            screen.put("█  (enter runs · esc cancels)", x: x, y: row.y, style: Style(.bold), clip: row)
        } else if let message = s.message {
            screen.put(" " + message, in: row, style: Style(.bold))
        } else if let readout = scene.readout(context) {
            screen.put(" " + readout, in: row, style: .bold)
        } else if layout.sceneKind != .rich {
            scene.drawLegends(context, into: &screen, rect: row, mode: mode)
        } else {
            screen.put(" arrows or a click pick a cell and show its exact value here · ? lists every key",
                       in: row, style: .dim)
        }
    }

    static func drawStatus(_ s: ViewerState, _ layout: PlayerLayout, _ screen: inout Screen) {
        if let problem = s.promptProblem, s.prompt != nil {
            StatusBar(left: "✎ " + problem, hints: [], right: "").render(into: &screen, rect: layout.frame.status)
            return
        }
        let play = s.editor != nil || s.prompt != nil ? "✎ editing" : (s.playing ? "▶ playing" : "❚❚ paused")
        let moment = s.models[s.activeModel].timeline.map { " · " + $0.afterText } ?? ""
        let active = s.models[s.activeModel].episode[s.step(of: s.activeModel)]
        // A compared model that starts later (it reads its input all at once) waits until then.
        let phase = s.step < s.offset(s.activeModel) ? "waiting" : active.phase.rawValue
        let left = "\(play) · step \(s.step + 1)/\(s.lastStep + 1) \(phase)\(moment)"
        let speed = NumberFormat.fixed(Float(s.speed), decimals: 0)
        let scene = s.models[s.activeModel].scene
        let note = scene.statusNote(s.context(s.activeModel, layout))
        let how = (s.variants.isEmpty ? "" : " · " + (s.variant ?? "greedy"))
            + s.liveSettings.map { " · \($0.symbol) \(s.settings[$0.field] ?? $0.trained)" }.joined()
        let right = "\(speed) step\(speed == "1" ? "" : "s")/s\(how)\(note.isEmpty ? "" : " · " + note) "
        // Where the bar is short, the speed goes first (the help lists + and −).
        let details = (how.isEmpty ? "" : String(how.dropFirst(3))) + (note.isEmpty ? "" : (how.isEmpty ? "" : " · ") + note)
        let hints: [HelpEntry]
        if s.prompt != nil {
            // Typing: every printable key is text (q and ? too), so only the prompt's own keys are hints.
            hints = ViewerKeys.promptHints
        } else if s.editor != nil {
            hints = ViewerKeys.editor.statusHints
        } else {
            // Time controls first, then the scene's keys, then the example, help and quit.
            let unavailable = s.unavailableActions
            // Space says what it does now: pause while playing.
            let time = ViewerKeys.main.statusHints { ViewerKeys.timeActions.contains($0) }
                .map { s.playing && $0.keys == "space" && $0.description == "play" ? HelpEntry(keys: $0.keys, description: "pause") : $0 }
            let rest = ViewerKeys.main.statusHints { !ViewerKeys.timeActions.contains($0) && !unavailable.contains($0) }
            hints = time + scene.statusHints + rest
        }
        // While typing, the bar is the prompt's: its keys, not the speed.
        StatusBar(left: left, hints: hints, right: s.prompt != nil ? "" : right,
                  compactRight: details.isEmpty || s.prompt != nil ? nil : details + " ")
            .render(into: &screen, rect: layout.frame.status)
    }

    /// The help lines: the player's keys (pairs of opposite keys on one line, so the whole list fits an
    /// 80×24 terminal), the active scene's keys, then the mouse; in the editor, the editor's keys.
    package static func helpEntries(_ s: ViewerState) -> [HelpEntry] {
        if s.editor != nil { return ViewerKeys.editor.helpEntries + [HelpEntry(keys: "", description: "(editor keys)")] }
        let scene = s.models[s.activeModel].scene
        return ViewerKeys.pairedHelp(unavailable: s.unavailableActions)
            + [HelpEntry(keys: "", description: "\(scene.kind) panels:")] + scene.helpEntries + ViewerKeys.mouseHelp
    }
}
