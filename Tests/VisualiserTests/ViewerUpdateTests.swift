import Testing
import Visualiser

/// Every key of the viewer as an event sequence, checked on the state `update` returns.
@Suite("Viewer update")
struct ViewerUpdateTests {
    let start = ViewerFixture.state()   // length 5: 11 steps, paused at step 0

    @Test func spaceTogglesPlayAndTicksAdvanceUntilTheEnd() {
        var (s, _) = ViewerFixture.run(start, [.key(.char(" "))])
        #expect(s.playing)
        s = ViewerFixture.run(s, [.tick, .tick]).0
        #expect(s.step == 2)
        s = ViewerFixture.run(s, Array(repeating: .tick, count: 20)).0
        #expect(s.step == s.lastStep && !s.playing)
        s = ViewerFixture.run(s, [.key(.char(" "))]).0   // at the end: replay from the start
        #expect(s.step == 0 && s.playing)
        s = ViewerFixture.run(s, [.key(.char(" ")), .tick]).0
        #expect(!s.playing && s.step == 0)
    }

    /// Issue 12 (13): the status bar offers what space does now (pause while playing), and speaks of
    /// "1 step/s", not "1 steps/s".
    @Test func statusBarOffersPauseWhilePlayingAndSingularSpeed() {
        func statusLine(_ s: ViewerState) -> String {
            Viewer.view(s, width: 120, height: 40, mode: .none).plainText().split(separator: "\n").last.map(String.init) ?? ""
        }
        var s = start
        s.width = 120
        s.height = 40
        #expect(statusLine(s).contains("space play"))
        let playing = ViewerFixture.run(s, [.key(.char(" "))]).0
        #expect(playing.playing)
        #expect(statusLine(playing).contains("space pause"))
        #expect(!statusLine(playing).contains("space play"))
        var slowest = s
        slowest.speedIndex = 0
        #expect(statusLine(slowest).contains(" 1 step/s"))
        #expect(!statusLine(slowest).contains("steps/s"))
        #expect(statusLine(s).contains("steps/s"))
    }

    /// Issue 12 (10): `render`/`record` refuse a size below the scene's minimum, which this names; at it
    /// the scene is drawn, one column or row less shows only "Terminal too small".
    @Test func minimumSizeIsTheSmallestScreenThatDrawsTheScene() {
        let (w, h) = Viewer.minimumSize(start)
        #expect(w >= 20 && h >= 10)
        #expect(!Viewer.view(start, width: w, height: h, mode: .none).plainText().contains("too small"))
        #expect(Viewer.view(start, width: w - 1, height: h, mode: .none).plainText().contains("too small"))
        #expect(Viewer.view(start, width: w, height: h - 1, mode: .none).plainText().contains("too small"))
    }

    @Test func arrowsAndHLStepAndClamp() {
        var s = ViewerFixture.run(start, [.key(.right), .key(.char("l")), .key(.char("l"))]).0
        #expect(s.step == 3)
        s = ViewerFixture.run(s, [.key(.left), .key(.char("h"))]).0
        #expect(s.step == 1)
        s = ViewerFixture.run(s, [.key(.char("h")), .key(.char("h")), .key(.left)]).0
        #expect(s.step == 0)
    }

    @Test func gGHomeEndJump() {
        var s = ViewerFixture.run(start, [.key(.char("G"))]).0
        #expect(s.step == 10)
        s = ViewerFixture.run(s, [.key(.char("g"))]).0
        #expect(s.step == 0)
        s = ViewerFixture.run(s, [.key(.end)]).0
        #expect(s.step == 10)
        s = ViewerFixture.run(s, [.key(.home)]).0
        #expect(s.step == 0)
    }

    @Test func plusMinusChangeSpeedWithinItsSteps() {
        var s = ViewerFixture.run(start, ViewerFixture.keys("+")).0
        #expect(s.speed > start.speed && s.tickMilliseconds < start.tickMilliseconds)
        s = ViewerFixture.run(s, ViewerFixture.keys("--")).0
        #expect(s.speed < start.speed)
        s = ViewerFixture.run(s, ViewerFixture.keys(String(repeating: "-", count: 20))).0
        #expect(s.speedIndex == 0)
        s = ViewerFixture.run(s, ViewerFixture.keys(String(repeating: "=", count: 20))).0
        #expect(s.speedIndex == ViewerState.speeds.count - 1)
    }

    @Test func tabWalksPanelsAndHeadsAndShiftTabGoesBack() {
        #expect(start.focus == .memory && start.selectedHead == 1)
        var s = ViewerFixture.run(start, [.key(.tab)]).0
        #expect(s.focus == .history && s.selectedHead == 0)
        s = ViewerFixture.run(s, [.key(.tab)]).0
        #expect(s.focus == .history && s.selectedHead == 1)
        s = ViewerFixture.run(s, [.key(.tab), .key(.tab)]).0
        #expect(s.focus == .pipeline && s.selectedHead == 1)
        s = ViewerFixture.run(s, [.key(.tab)]).0
        #expect(s.focus == .memory)
        s = ViewerFixture.run(s, [.key(.backTab)]).0
        #expect(s.focus == .pipeline && s.selectedHead == 1)
    }

    @Test func wTogglesWriteDiff() {
        let s = ViewerFixture.run(start, ViewerFixture.keys("w")).0
        #expect(s.writeDiff)
        #expect(!ViewerFixture.run(s, ViewerFixture.keys("w")).0.writeDiff)
    }

    @Test func nAsksForANewExampleWithTheNextSeed() {
        let (next, command) = Viewer.update(start, .key(.char("n")))
        #expect(command == .runExample(length: 5, seed: 2))
        #expect(next.seed == 1)   // unchanged until the episode arrives
        let (s, _) = ViewerFixture.run(start, ViewerFixture.keys("n"))
        #expect(s.seed == 2 && s.step == 0 && s.message?.contains("seed 2") == true)
        #expect(s.episode.example != start.episode.example)
    }

    @Test func bracketsChangeTheLengthBeyondTraining() {
        var (s, commands) = ViewerFixture.run(start, ViewerFixture.keys("["))
        #expect(commands == [.runExample(length: 4, seed: 1)] && s.episode.count == 9)
        s = ViewerFixture.run(s, ViewerFixture.keys(String(repeating: "]", count: 20))).0
        #expect(s.length == 24 && s.episode.count == 49)
        var one = ViewerFixture.state(length: 1)
        one = ViewerFixture.run(one, ViewerFixture.keys("[")).0
        #expect(one.length == 1 && one.message == "length 1 is the shortest")
    }

    @Test func eEditsBitsAndEnterRunsThem() {
        var s = ViewerFixture.run(start, ViewerFixture.keys("e")).0
        let before = s.inputEditor!.rows
        #expect(s.editor?.rows == before && before.count == s.length && s.editor?.runsAtOnce == false)
        s = ViewerFixture.run(s, [.key(.down), .key(.right), .key(.char(" "))]).0
        #expect(s.editor?.rows[1][1] == 1 - before[1][1])
        let (after, commands) = ViewerFixture.run(s, [.key(.enter)])
        #expect(commands.count == 1)
        #expect(after.editor == nil && after.edited && after.inputEditor?.rows[1][1] == 1 - before[1][1])
        let cancelled = ViewerFixture.run(ViewerFixture.run(start, ViewerFixture.keys("e")).0, [.key(.escape)]).0
        #expect(cancelled.editor == nil && !cancelled.edited)
    }

    @Test func cursorKeysShowTheExactValueAndEscHidesIt() {
        var s = ViewerFixture.run(start, [.key(.char("l")), .key(.char("l")), .key(.up)]).0
        #expect(s.cursorRow == s.ntmView.snap.writeHead.weighting.argmax)
        s = ViewerFixture.run(s, [.key(.down), .key(.right), .key(.right)]).0
        #expect(s.cursorColumn == 2 && s.step == 2)   // → moves the memory cursor while it is shown
        let readout = s.readout!
        // At 80 columns the readout says "col" where wider screens say "column".
        #expect(readout.contains("memory row \(s.cursorRow!), col 2,") || readout.contains("memory row \(s.cursorRow!), column 2,"))
        s = ViewerFixture.run(s, [.key(.escape)]).0
        #expect(s.cursorRow == nil)
        s = ViewerFixture.run(s, [.key(.right)]).0
        #expect(s.step == 3)
    }

    @Test func mouseClickPicksAMemoryCellAndWheelSteps() {
        let layout = start.ntmLayout
        let x = layout.memoryMap.x + 2, y = layout.memoryMap.y + 1
        var s = ViewerFixture.run(start, [.mouse(x: x, y: y, button: .left)]).0
        #expect(s.focus == .memory && s.cursorRow == layout.memoryWindow.row(2) && s.cursorColumn == 2)
        s = ViewerFixture.run(s, [.mouse(x: 0, y: 0, button: .wheelDown), .mouse(x: 0, y: 0, button: .wheelDown)]).0
        #expect(s.step == 2)
        // A click on the sequence strips jumps to that step.
        let seq = layout.sequenceTime
        s = ViewerFixture.run(s, [.mouse(x: seq.x + 5 * seq.stepWidth, y: layout.input.y, button: .left)]).0
        #expect(s.step == 5)
    }

    @Test func questionMarkOpensHelpAndAnyKeyClosesIt() {
        var s = ViewerFixture.run(start, ViewerFixture.keys("?")).0
        #expect(s.helpOpen)
        s = ViewerFixture.run(s, ViewerFixture.keys("l")).0
        #expect(!s.helpOpen && s.step == 0)
        s = ViewerFixture.run(s, [.key(.function(1))]).0
        #expect(s.helpOpen)
        #expect(Viewer.update(s, .key(.char("q"))).1 == .quit)
    }

    @Test func qAndCtrlCQuit() {
        #expect(Viewer.update(start, .key(.char("q"))).1 == .quit)
        #expect(Viewer.update(start, .key(.ctrl("c"))).1 == .quit)
    }

    @Test func resizeIsRememberedForHitTesting() {
        let s = ViewerFixture.run(start, [.resize(width: 160, height: 48)]).0
        #expect(s.width == 160 && s.height == 48)
    }

    @Test func jumpingToAnyStepIsConstantTime() {
        let long = ViewerFixture.state(length: 200)
        let s = ViewerFixture.run(long, [.key(.end)]).0
        #expect(s.step == 400)
    }
}

@Suite("Viewer typing")
struct ViewerTypingTests {
    @Test func tIsRefusedForTasksThatReadNoText() {
        let (s, command) = Viewer.update(ViewerFixture.state(), .key(.char("t")))
        #expect(command == nil && s.prompt == nil && s.message?.contains("tasks that read text") == true)
    }

    @Test func thePromptTakesCharactersBackspaceEnterAndEsc() {
        var s = Seq2SeqFixture.state()
        s.prompt = ""
        for c in "the cats" { s = Viewer.update(s, .key(.char(c))).0 }
        s = Viewer.update(s, .key(.backspace)).0
        #expect(s.prompt == "the cat")
        let (after, command) = Viewer.update(s, .key(.enter))
        #expect(command == .runText("the cat") && after.prompt == nil)
        let cancelled = Viewer.update(s, .key(.escape))
        #expect(cancelled.1 == nil && cancelled.0.prompt == nil)
        #expect(Viewer.view(s, width: 80, height: 24, mode: .none).plainText().contains("input: the cat█"))
    }

    /// Issue 24 (4): while typing, the status bar lists the prompt's keys (q and ? are text then), and a
    /// text longer than the line scrolls so that its end, where the cursor is, stays in view.
    @Test func typingShowsThePromptsKeysAndALongTextScrolls() {
        var s = Seq2SeqFixture.state()
        s.prompt = "the cat"
        let status = Viewer.view(s, width: 80, height: 24, mode: .none).plainText().split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("enter run") && status.contains("esc cancel") && status.contains("ctrl-c quit"))
        #expect(!status.contains("q quit") && !status.contains("space play") && !status.contains("n new"))
        s.prompt = (1...30).map { "w\($0)" }.joined(separator: " ")
        let text = Viewer.view(s, width: 80, height: 24, mode: .none).plainText()
        #expect(text.contains("input: …") && text.contains("w29 w30█"))
    }

    /// Issue 24 (4): esc leaves every editor with the input it opened on. One that ran each change at once
    /// (ACT's) runs that input again: the drawn example, or the edited input it was.
    @Test func escInAnEditorThatRanAtOnceRunsTheOriginalAgain() {
        var s = ViewerFixture.state()
        var editor = InputEditor(rows: [[0, 1], [1, 0]], runsAtOnce: true)
        s.editor = editor
        #expect(Viewer.update(s, .key(.escape)).1 == nil, "nothing changed: nothing to run")
        editor.toggle()
        s.editor = editor
        let (closed, command) = Viewer.update(s, .key(.escape))
        #expect(closed.editor == nil && command == .runExample(length: s.length, seed: s.seed))
        editor.originalWasEdited = true
        s.editor = editor
        #expect(Viewer.update(s, .key(.escape)).1 == .runInput([[0, 1], [1, 0]]))
        // An editor that runs only on enter changed nothing yet: esc just closes it.
        var plain = InputEditor(rows: [[0, 1]])
        plain.toggle()
        s.editor = plain
        #expect(Viewer.update(s, .key(.escape)).1 == nil)
    }

    /// Issue 24 (4): `b` on a typed sentence runs it again another way and keeps it a typed one (it was
    /// retitled "seed 3", scored "0 of 0 words wrong").
    @Test func beamOnATypedSentenceKeepsItTyped() {
        var s = Seq2SeqFixture.state()
        s.edited = true
        let (_, command) = Viewer.update(s, .key(.char("b")))
        guard case let .rerun(variant, _, edited)? = command else {
            Issue.record("b gave \(String(describing: command))")
            return
        }
        #expect(variant != nil && edited)
    }

    /// Issue 24 (4): tab over one LSTM layer says there is nothing to switch to, and the status bar does not
    /// offer it; with two layers it is offered.
    @Test func tabWithOneLayerSaysSoAndIsNotOffered() {
        var s = LSTMFixture.state(width: 120, height: 40)
        let status = Viewer.view(s, width: 120, height: 40, mode: .none).plainText().split(separator: "\n").last.map(String.init) ?? ""
        #expect(!status.contains("tab layer") && status.contains("c h/c"))
        s = Viewer.update(s, .key(.tab)).0
        #expect(s.message == "one layer: tab has no other layer to show")
    }
}
