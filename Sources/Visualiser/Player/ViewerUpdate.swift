/// The viewer as an Elm-shaped program: `update` is the only place state changes, `view` the only place
/// anything is drawn. Both are pure; work that is not (running the models, quitting) comes back from
/// `update` as a `ViewerCommand` for the app loop to do. The player handles time, the example, help and
/// messages; each model's scene handles its own keys, clicks and panels (bubbletea's child models).
public enum Viewer {
    /// The next state after `message`, and the command to run, if any.
    public static func update(_ state: ViewerState, _ message: ViewerMessage) -> (ViewerState, ViewerCommand?) {
        var s = state
        switch message {
        case let .episodes(episodes, length, seed, edited):
            s.length = length
            if !edited { s.seed = seed }  // an edited input keeps the seed that `n`, `[` and `]` go on from
            s.edited = edited
            // An editor that runs at once stays open over the input it just ran.
            if !(edited && s.editor?.runsAtOnce == true) { s.editor = nil }
            let step = s.step
            s.replaceEpisodes(episodes)
            let scores = s.models.map { m in "\(m.episode.score.wrong) of \(m.episode.score.scored)" }
            if let change = s.settingChange {
                // The same input under another setting: stay on the step, to compare the maps there.
                s.settingChange = nil
                s.go(to: Swift.min(step, s.lastStep))
                s.message = "\(change.note): \(scores.joined(separator: " and ")) \(s.episode.unit) wrong"
                return (s, nil)
            }
            if edited && s.task.readsText {
                // Typed text: show the whole output, to scrub back through. A typed sentence has no
                // reference to score; typed brackets have their labels.
                s.go(to: s.lastStep)
                let outcome = s.episode.score.scored > 0 ? "\(scores.joined(separator: " and ")) \(s.episode.unit) wrong"
                    : "the output is complete"
                s.message = "your input (\(length) \(s.task.lengthName)): \(outcome); ← steps back through it"
                return (s, nil)
            }
            s.go(to: 0)
            s.message = "\(edited ? "edited input" : "seed \(seed)"), \(s.task.lengthName) \(length): "
                + "\(scores.joined(separator: " and ")) \(s.episode.unit) wrong"
            return (s, nil)
        case let .snapshotLoaded(model, position, episodes):
            s.moveInTime(model: model, to: position, episodes: episodes)
            let m = s.models[model]
            s.message = "\(m.name) \(m.timeline?.afterText ?? ""): \(m.episode.scoreText) on this example"
            return (s, nil)
        case let .failed(text):
            if let change = s.settingChange {
                s.settings = change.before
                s.settingChange = nil
            }
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
            return click(x: x, y: y, button: button, s)
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
            if s.prompt != nil { return type(key, &s) }
            // The active scene's keys first, then the player's (also for a key the scene hands back).
            let context = s.context(s.activeModel)
            var reply: SceneReply?
            s.withScene(s.activeModel) { reply = $0.handle(key, context) }
            if let reply, reply != .playerKey {
                let command = apply(reply, &s)
                return (s, command)
            }
            guard let action = ViewerKeys.main.action(for: key) else { return (s, nil) }
            return perform(action, &s)
        }
    }

    /// What a scene asked of the player, and the command that needs, if any.
    static func apply(_ reply: SceneReply, _ s: inout ViewerState) -> ViewerCommand? {
        switch reply {
        case .none: break
        case .stepForward: _ = perform(.stepForward, &s)
        case .stepBack: _ = perform(.stepBack, &s)
        case let .go(step):
            // The scene that replied is the active one; its steps start at its offset on the player's time.
            s.playing = false
            s.go(to: step + s.offset(s.activeModel))
        case let .message(text):
            s.message = text
        case let .adjustSetting(steps):
            return adjustSetting(steps: steps, &s)
        case .playerKey:
            break
        }
        return nil
    }

    /// Moves the first model's live setting `steps` rungs and runs the same input again; the episodes that
    /// come back keep the step (`ViewerState.settingChange`).
    static func adjustSetting(steps: Int, _ s: inout ViewerState) -> ViewerCommand? {
        guard let setting = s.liveSettings.first else {
            s.message = "this model has nothing to change without retraining"
            return nil
        }
        let now = s.settings[setting.field] ?? setting.trained
        let next = setting.value(from: now, steps: steps)
        guard next != now else {
            s.message = "\(setting.symbol) = \(now) is the \(steps < 0 ? "smallest" : "largest") offered"
            return nil
        }
        s.settingChange = .init(before: s.settings, note: setting.describe(next))
        s.settings[setting.field] = next == setting.trained ? nil : next
        s.playing = false
        return .rerun(variant: s.variant, seed: s.seed, edited: s.edited)
    }

    /// One case per key-bound action: the key map's table and this switch are the player's keyboard.
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
        case .first:
            s.go(to: 0)
        case .last:
            s.playing = false
            s.go(to: s.lastStep)
        case .faster:
            s.speedIndex = Swift.min(ViewerState.speeds.count - 1, s.speedIndex + 1)
        case .slower:
            s.speedIndex = Swift.max(0, s.speedIndex - 1)
        case .newExample:
            return (s, .runExample(length: s.length, seed: s.seed &+ 1))
        case .shorter:
            // The next length down the task has (babi's lengths are its task numbers 1, 2, 3, 6, 15).
            guard let shorter = stride(from: s.length - 1, through: 1, by: -1).first(where: { (try? s.task.validate(length: $0)) != nil }) else {
                s.message = "\(s.task.lengthName) \(s.length) is the shortest"
                return (s, nil)
            }
            return (s, .runExample(length: shorter, seed: s.seed))
        case .longer:
            let longer = (s.length + 1...s.length + 64).first { (try? s.task.validate(length: $0)) != nil } ?? s.length + 1
            return (s, .runExample(length: longer, seed: s.seed))
        case .edit:
            guard var editor = s.inputEditor else {
                s.message = "editing the input is only for tasks whose input can be edited (this is \(s.task.name))"
                return (s, nil)
            }
            editor.originalWasEdited = s.edited
            s.playing = false
            s.editor = editor
        case .typeText:
            guard s.task.readsText else {
                s.message = "typing your own input is for tasks that read text (this is \(s.task.name))"
                return (s, nil)
            }
            s.playing = false
            s.prompt = ""
        case .nextVariant:
            guard !s.variants.isEmpty else {
                s.message = "this model runs one way only"
                return (s, nil)
            }
            let i = s.variant.flatMap { s.variants.firstIndex(of: $0) }
            s.variant = i.map { $0 + 1 < s.variants.count ? s.variants[$0 + 1] : nil } ?? s.variants[0]
            s.playing = false
            return (s, .rerun(variant: s.variant, seed: s.seed, edited: s.edited))
        case .earlierSnapshot, .laterSnapshot:
            let i = s.activeModel
            guard let timeline = s.models[i].timeline else {
                s.message = s.hasTimeline ? "\(s.models[i].name) has no snapshots; o switches to the model that has"
                    : "no snapshots to move through: train with --keep-every K to keep them"
                return (s, nil)
            }
            let target = timeline.position + (action == .laterSnapshot ? 1 : -1)
            guard timeline.sequences.indices.contains(target) else {
                s.message = "\(target < 0 ? "the first" : "the last") snapshot of the run: \(timeline.afterText)"
                return (s, nil)
            }
            return (s, .loadSnapshot(model: i, position: target, from: timeline.position))
        case .otherModel:
            guard s.isComparing else {
                s.message = "o switches between compared models; this view shows one (see --compare)"
                return (s, nil)
            }
            s.activeModel = (s.activeModel + 1) % s.models.count
        case .help:
            s.helpOpen = true
        case .quit:
            return (s, .quit)
        }
        return (s, nil)
    }

    /// A key while typing a sentence: characters append, backspace deletes, enter runs, esc cancels.
    static func type(_ key: Key, _ s: inout ViewerState) -> (ViewerState, ViewerCommand?) {
        guard var text = s.prompt else { return (s, nil) }
        switch key {
        case .enter:
            // Checked before any model runs: an unknown word keeps the prompt open, marked, with the
            // closest known word in the status bar.
            if let problem = s.task.checkText(text) {
                s.promptProblem = problem.message
                s.promptUnknown = problem.unknown
                return (s, nil)
            }
            s.prompt = nil
            s.promptProblem = nil
            s.promptUnknown = []
            return (s, .runText(text))
        case .escape:
            s.prompt = nil
            s.promptProblem = nil
            s.promptUnknown = []
            return (s, nil)
        case .ctrl("c"):
            return (s, .quit)
        case .backspace, .char("\u{7f}"), .char("\u{8}"):
            if !text.isEmpty { text.removeLast() }
            s.promptProblem = nil
        case let .char(c) where !c.isNewline && text.count < 200:
            text.append(c)
            s.promptProblem = nil
        default:
            break
        }
        s.prompt = text
        return (s, nil)
    }

    /// The input editor's keys. ↑/↓ move over a vector's entries, ←/→ over the vectors (over the entries
    /// when there is one vector). An editor that runs at once runs the model after every toggle.
    static func perform(_ action: EditAction, _ s: inout ViewerState) -> (ViewerState, ViewerCommand?) {
        guard var editor = s.editor else { return (s, nil) }
        let single = editor.rows.count == 1
        switch action {
        case .up: editor.entry = Swift.max(0, editor.entry - 1)
        case .down: editor.entry = Swift.min(editor.width - 1, editor.entry + 1)
        case .left where single: editor.entry = Swift.max(0, editor.entry - 1)
        case .right where single: editor.entry = Swift.min(editor.width - 1, editor.entry + 1)
        case .left: editor.row = Swift.max(0, editor.row - 1)
        case .right: editor.row = Swift.min(editor.rows.count - 1, editor.row + 1)
        case .toggle:
            editor.toggle()
            if editor.runsAtOnce {
                s.editor = editor
                return (s, .runInput(editor.rows))
            }
        case .run:
            s.editor = editor
            if editor.runsAtOnce {
                s.editor = nil      // already run: enter just closes the editor
                return (s, nil)
            }
            return (s, .runInput(editor.rows))
        case .cancel:
            // One rule for every editor: esc leaves the input as it was when the editor opened. An editor
            // that ran each change at once has changed the episode, so the original runs again.
            s.editor = nil
            guard editor.runsAtOnce, editor.rows != editor.original else { return (s, nil) }
            return (s, editor.originalWasEdited ? .runInput(editor.original) : .runExample(length: s.length, seed: s.seed))
        case .help:
            s.helpOpen = true
        case .quit:
            return (s, .quit)
        }
        s.editor = editor
        return (s, nil)
    }

    /// A mouse press: the wheel steps; a left click on the training-time strip moves the run shown there to
    /// the moment under it, and one on a scene goes to that scene (which becomes active).
    static func click(x: Int, y: Int, button: MouseButton, _ state: ViewerState) -> (ViewerState, ViewerCommand?) {
        var s = state
        switch button {
        case .wheelUp: return (perform(.stepBack, &s).0, nil)
        case .wheelDown: return (perform(.stepForward, &s).0, nil)
        case .left: break
        default: return (s, nil)
        }
        guard s.editor == nil, !s.helpOpen else { return (s, nil) }
        let layout = PlayerLayout(s, width: s.width, height: s.height)
        guard !layout.tooSmall else { return (s, nil) }
        if let strip = layout.timelineRect, strip.contains(x: x, y: y) {
            // The strip shows the active model's run, or the first model's that has one (PlayerView).
            guard let i = s.models[s.activeModel].timeline != nil ? s.activeModel : s.models.firstIndex(where: { $0.timeline != nil }),
                  let timeline = s.models[i].timeline,
                  let target = TimelineStrip(timeline: timeline, mode: .none).position(atColumn: x, in: strip),
                  target != timeline.position
            else { return (s, nil) }
            s.activeModel = i
            return (s, .loadSnapshot(model: i, position: target, from: timeline.position))
        }
        guard let i = layout.sceneRects.indices.first(where: { layout.sceneRects[$0]?.contains(x: x, y: y) == true })
        else { return (s, nil) }
        s.activeModel = i
        let context = s.context(i, layout)
        var reply = SceneReply.none
        s.withScene(i) { reply = $0.click(x: x, y: y, context) }
        let command = apply(reply, &s)
        return (s, command)
    }
}
