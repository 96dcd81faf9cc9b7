/// The viewer as an Elm-shaped program: `update` is the only place state changes, `view` the only place
/// anything is drawn. Both are pure; work that is not (running the model, quitting) comes back from
/// `update` as a `ViewerCommand` for the app loop to do.
public enum Viewer {
    /// The next state after `message`, and the command to run, if any.
    public static func update(_ state: ViewerState, _ message: ViewerMessage) -> (ViewerState, ViewerCommand?) {
        var s = state
        switch message {
        case let .episode(episode, length, seed, edited):
            s.replaceEpisode(episode)
            s.length = length
            if !edited { s.seed = seed }  // an edited input keeps the seed that `n`, `[` and `]` go on from
            s.edited = edited
            s.editor = nil
            s.go(to: 0)
            let score = episode.score
            s.message = "\(edited ? "edited input" : "seed \(seed)"), length \(length): "
                + "\(score.wrongBits) of \(score.scoredBits) bits wrong"
            return (s, nil)
        case let .failed(text):
            s.message = text
            return (s, nil)
        case let .event(event):
            return handle(event, &s)
        }
    }

    /// `update` for an input event alone (tests and the loop's common case).
    public static func update(_ state: ViewerState, _ event: Event) -> (ViewerState, ViewerCommand?) {
        update(state, .event(event))
    }

    /// The screen for `state` at `width × height` in `mode`.
    public static func view(_ state: ViewerState, width: Int, height: Int, mode: ColorMode) -> Screen {
        NTMScene.view(state, width: width, height: height, mode: mode)
    }

    static func handle(_ event: Event, _ s: inout ViewerState) -> (ViewerState, ViewerCommand?) {
        switch event {
        case let .resize(width, height):
            s.width = width
            s.height = height
            return (s, nil)
        case .tick:
            // Playing advances one step per tick and stops on the last step.
            if s.playing {
                s.go(to: s.step + 1)
                if s.step == s.lastStep { s.playing = false }
            }
            return (s, nil)
        case let .mouse(x, y, button):
            return (click(x: x, y: y, button: button, s), nil)
        case let .key(key):
            s.message = nil
            if s.helpOpen {
                // Any key closes help; the quit keys still quit.
                if ViewerKeys.main.action(for: key) == .quit { return (s, .quit) }
                s.helpOpen = false
                return (s, nil)
            }
            if s.editor != nil {
                guard let action = ViewerKeys.editor.action(for: key) else { return (s, nil) }
                return perform(action, &s)
            }
            guard let action = ViewerKeys.main.action(for: key) else { return (s, nil) }
            return perform(action, &s)
        }
    }

    /// One case per key-bound action: the key map's table and this switch are the whole keyboard.
    static func perform(_ action: ViewerAction, _ s: inout ViewerState) -> (ViewerState, ViewerCommand?) {
        switch action {
        case .togglePlay:
            if s.playing {
                s.playing = false
            } else {
                if s.step == s.lastStep { s.go(to: 0) }
                s.playing = true
            }
        case .stepForward:
            s.playing = false
            s.go(to: s.step + 1)
        case .stepBack:
            s.playing = false
            s.go(to: s.step - 1)
        case .right:
            if s.focus == .memory, s.cursorRow != nil {
                s.cursorColumn = Swift.min(s.memoryColumns - 1, s.cursorColumn + 1)
            } else {
                return perform(.stepForward, &s)
            }
        case .left:
            if s.focus == .memory, s.cursorRow != nil {
                s.cursorColumn = Swift.max(0, s.cursorColumn - 1)
            } else {
                return perform(.stepBack, &s)
            }
        case .cursorUp:
            s.cursorRow = Swift.max(0, (s.cursorRow ?? s.attendedRow + 1) - 1)
        case .cursorDown:
            s.cursorRow = Swift.min(s.memoryRows - 1, (s.cursorRow ?? s.attendedRow - 1) + 1)
        case .hideCursor:
            s.cursorRow = nil
        case .first:
            s.go(to: 0)
        case .last:
            s.playing = false
            s.go(to: s.lastStep)
        case .faster:
            s.speedIndex = Swift.min(ViewerState.speeds.count - 1, s.speedIndex + 1)
        case .slower:
            s.speedIndex = Swift.max(0, s.speedIndex - 1)
        case .nextFocus:
            s.moveFocus(by: 1)
        case .previousFocus:
            s.moveFocus(by: -1)
        case .toggleWriteDiff:
            s.writeDiff.toggle()
        case .newExample:
            return (s, .runExample(length: s.length, seed: s.seed &+ 1))
        case .shorter:
            guard s.length > 1 else {
                s.message = "length 1 is the shortest"
                return (s, nil)
            }
            return (s, .runExample(length: s.length - 1, seed: s.seed))
        case .longer:
            return (s, .runExample(length: s.length + 1, seed: s.seed))
        case .edit:
            guard let rows = s.inputBits else {
                s.message = "editing the input is only for the copy task (this is \(s.task.name))"
                return (s, nil)
            }
            s.playing = false
            s.editor = BitEditor(rows: rows)
        case .help:
            s.helpOpen = true
        case .quit:
            return (s, .quit)
        }
        return (s, nil)
    }

    /// The bit editor's keys.
    static func perform(_ action: EditAction, _ s: inout ViewerState) -> (ViewerState, ViewerCommand?) {
        guard var editor = s.editor else { return (s, nil) }
        switch action {
        case .up: editor.bit = Swift.max(0, editor.bit - 1)
        case .down: editor.bit = Swift.min(editor.width - 1, editor.bit + 1)
        case .left: editor.row = Swift.max(0, editor.row - 1)
        case .right: editor.row = Swift.min(editor.rows.count - 1, editor.row + 1)
        case .toggle: editor.rows[editor.row][editor.bit].toggle()
        case .run:
            s.editor = editor
            return (s, .runBits(editor.rows))
        case .cancel:
            s.editor = nil
            return (s, nil)
        case .help:
            s.helpOpen = true
        case .quit:
            return (s, .quit)
        }
        s.editor = editor
        return (s, nil)
    }

    /// A mouse press: the wheel steps; a left click picks what is under it.
    static func click(x: Int, y: Int, button: MouseButton, _ state: ViewerState) -> ViewerState {
        var s = state
        switch button {
        case .wheelUp: return perform(.stepBack, &s).0
        case .wheelDown: return perform(.stepForward, &s).0
        case .left: break
        default: return s
        }
        guard s.editor == nil, !s.helpOpen else { return s }
        let layout = NTMLayout(state: s, width: s.width, height: s.height)
        guard layout.kind != .tooSmall else { return s }
        if layout.memoryMap.contains(x: x, y: y), let row = layout.memoryRow(atY: y) {
            s.focus = .memory
            s.cursorRow = row
            s.cursorColumn = Swift.min(s.memoryColumns - 1, (x - layout.memoryMap.x) / layout.memoryCellWidth)
        } else if let hit = layout.historyMaps.first(where: { $0.rect.contains(x: x, y: y) }),
                  let step = layout.historyTime.step(atX: x) {
            s.focus = .history
            s.selectedHead = hit.head
            s.playing = false
            s.go(to: step)
            s.cursorRow = Swift.min(s.memoryRows - 1, (y - hit.rect.y) * 2 * layout.historyPool)
        } else if layout.pipelineWeights.contains(x: x, y: y) {
            s.focus = .pipeline
            let cell = (x - layout.pipelineWeights.x) / layout.pipelineCellWidth
            s.cursorRow = Swift.min(s.memoryRows - 1, cell * layout.pipelinePool)
        } else if layout.sequence.contains(x: x, y: y), let step = layout.sequenceTime.step(atX: x) {
            s.playing = false
            s.go(to: step)
        }
        return s
    }
}

extension ViewerState {
    /// Tab stops: memory, then the history of each head, then the pipeline of each head.
    var focusStops: [(ViewerFocus, Int?)] {
        [(.memory, nil)] + (0..<headCount).map { (.history, $0) } + (0..<headCount).map { (.pipeline, $0) }
    }

    mutating func moveFocus(by delta: Int) {
        let stops = focusStops
        let current = stops.firstIndex { $0.0 == focus && ($0.1 == nil || $0.1 == selectedHead) } ?? 0
        let next = stops[((current + delta) % stops.count + stops.count) % stops.count]
        focus = next.0
        if let head = next.1 { selectedHead = head }
    }

    /// The row the cursor starts from when it appears: where the selected head (memory: the write head)
    /// attends most at this step.
    var attendedRow: Int {
        let heads = frame.ntm.heads
        let head = focus == .memory ? heads.count - 1 : Swift.min(selectedHead, heads.count - 1)
        return heads[head].weighting.argmax
    }

    /// The copy task's input vectors as bits, for the editor; nil for other tasks.
    public var inputBits: [[Bool]]? {
        guard case .copy(let copy) = task, length >= 1, episode.count >= length else { return nil }
        return (0..<length).map { t in episode[t].input.prefix(copy.bitWidth).map { $0 >= 0.5 } }
    }
}
