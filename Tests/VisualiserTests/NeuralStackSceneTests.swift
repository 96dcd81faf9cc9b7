import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Visualiser

/// Issue 20's scene for the continuous stack, queue and deque: the structure's rows (grey at strength 0,
/// labelled with the step that pushed them), its ends, the window over too many rows, the strengths over
/// time, the cursor's exact values, typed input, the four sizes and the comparison with the LSTM.
@Suite("Neural stack scene")
struct NeuralStackSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }
    static let sizes = [(80, 24), (120, 40), (160, 48), (200, 60)]

    func stackScene(_ s: ViewerState) -> NeuralStackScene<ContinuousStack> { s.models[0].scene.base as! NeuralStackScene<ContinuousStack> }
    func dequeScene(_ s: ViewerState) -> NeuralStackScene<ContinuousDeque> { s.models[0].scene.base as! NeuralStackScene<ContinuousDeque> }
    func snapshot(_ s: ViewerState, _ step: Int? = nil) -> NeuralStackSnapshot {
        s.episode[step ?? s.step].snapshot as! NeuralStackSnapshot
    }
    func layout(_ s: ViewerState) -> NeuralStackLayout { NeuralStackLayout(stackScene(s), s.context(0)) }
    func text(_ s: ViewerState, mode: ColorMode = .none) -> String { Viewer.view(s, width: s.width, height: s.height, mode: mode).plainText() }
    func lines(_ s: ViewerState) -> [String] { text(s).components(separatedBy: "\n") }

    @Test func goldenScreens() throws {
        var s = NeuralStackFixture.state(length: 6)
        s.go(to: 9)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "stack-80x24-step10")
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "stack-160x48-step10")
        var d = NeuralStackFixture.state(NeuralStackFixture.deque, length: 6, width: 120, height: 40)
        d.go(to: 9)
        try check(Viewer.view(d, width: 120, height: 40, mode: .none), "deque-120x40-step10")
    }

    /// Every row the structure holds after the step is drawn (it fits here), top row first, each labelled
    /// with the step that pushed it (1-based, as the player counts) and the symbol read at that step.
    @Test func rowsAreLabelledWithTheStepThatPushedThemAndTheWordRead() {
        var s = NeuralStackFixture.state(length: 5, width: 160, height: 48)
        s.go(to: 7)
        let l = layout(s)
        let snap = snapshot(s)
        #expect(l.lines == (0..<snap.strengths.count).reversed().map { StructureLine.row($0) })
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        for (i, line) in l.lines.enumerated() {
            guard case let .row(r) = line else { continue }
            let step = snap.rowSteps[r]
            let word = (s.episode[step].data as! TokenStep).input.word
            let label = screen.rowText(l.linesY + i).dropFirst(l.labelX).prefix(l.labelWidth)
            #expect(label.hasPrefix(String(step + 1).padded(to: l.stepDigits, alignment: .right) + " " + word),
                    "row \(r): label \(label)")
        }
        // The stack's ends: the top pushes, pops and reads; the bottom is the first push.
        let text = screen.plainText()
        #expect(text.contains("▲ top: push d \(NumberFormat.fixed(snap.push[0], decimals: 2)) · pop u \(NumberFormat.fixed(snap.pop[0], decimals: 2))"))
        #expect(text.contains("▼ bottom: the first push"))
    }

    /// A row whose strength has been popped to 0 stays in the structure and is drawn grey: its label dim and
    /// its value cells in greys; a kept row's are coloured.
    @Test func zeroStrengthRowsAreDrawnGreyNotRemoved() throws {
        var s = NeuralStackFixture.state(length: 6, width: 160, height: 48)
        s.go(to: 10)
        let snap = snapshot(s)
        let l = layout(s)
        let zero = try #require(snap.strengths.indices.first { snap.strengths[$0] == 0 }, "no row at strength 0: \(snap.strengths)")
        let kept = try #require(snap.strengths.indices.first { snap.strengths[$0] > 0.05 }, "no kept row: \(snap.strengths)")
        #expect(l.lines.contains(.row(zero)))
        let screen = Viewer.view(s, width: 160, height: 48, mode: .truecolor)
        func y(_ r: Int) -> Int { l.linesY + l.lines.firstIndex(of: .row(r))! }
        func isGrey(_ c: Color) -> Bool { if case let .rgb(r, g, b) = c { r == g && g == b } else { false } }
        for c in 0..<l.valueCells {
            #expect(isGrey(screen[l.valuesX + c * l.valueCellWidth, y(zero)].bg))
            #expect(!isGrey(screen[l.valuesX + c * l.valueCellWidth, y(kept)].bg))
        }
        #expect(screen[l.labelX, y(zero)].attributes.contains(.dim))
        #expect(!screen[l.labelX, y(kept)].attributes.contains(.dim))
        #expect(screen.rowText(y(zero)).contains(" 0.00 "))
        // Without colour the grey row keeps its glyphs, dim.
        let mono = Viewer.view(s, width: 160, height: 48, mode: .none)
        #expect(mono[l.valuesX, y(zero)].attributes.contains(.dim))
    }

    /// The cursor's readout is the snapshot's exact value: a value entry, then (→ along the row) the
    /// strength and the read weight; ↑ moves towards the top.
    @Test func theCursorReadsTheSnapshotsExactValues() throws {
        var s = NeuralStackFixture.state(length: 5, width: 160, height: 48)
        s.go(to: 6)
        s = ViewerFixture.run(s, [.key(.up)], effects: NeuralStackFixture.effects()).0
        let scene = stackScene(s)
        let slot = try #require(scene.cursorSlot)
        let snap = snapshot(s)
        let row = slot - scene.history.offsets[6]
        // The cursor appears on the row the head reads most.
        #expect(row == snap.readWeights[0].indices.max { snap.readWeights[0][$0] < snap.readWeights[0][$1] })
        s = ViewerFixture.run(s, [.key(.right), .key(.right)], effects: NeuralStackFixture.effects()).0
        #expect(s.step == 6, "→ moves the cursor, not the step, while the cursor is on the structure")
        let value = NumberFormat.fixed(snap.values[row][2], decimals: 3, plusSign: true)
        let readout = try #require(s.models[0].scene.readout(s.context(0)))
        #expect(readout.contains("row \(row) of 0–\(snap.strengths.count - 1)"))
        #expect(readout.contains("pushed at step \(snap.rowSteps[row] + 1) reading"))
        #expect(readout.contains("v[2] \(value)"), "\(readout)")
        #expect(text(s).contains("v[2] \(value)"))
        // Past the value entries: the strength, then the read weight.
        s = ViewerFixture.run(s, Array(repeating: .key(.right), count: 4), effects: NeuralStackFixture.effects()).0
        #expect(s.models[0].scene.readout(s.context(0))!.contains("strength s \(NumberFormat.fixed(snap.strengths[row], decimals: 3))"))
        s = ViewerFixture.run(s, [.key(.right)], effects: NeuralStackFixture.effects()).0
        #expect(s.models[0].scene.readout(s.context(0))!.contains("read weight of top \(NumberFormat.fixed(snap.readWeights[0][row], decimals: 3))"))
        // Up a row, then esc hides the cursor and → steps again.
        if row + 1 < snap.strengths.count {
            s = ViewerFixture.run(s, [.key(.up)], effects: NeuralStackFixture.effects()).0
            #expect(stackScene(s).cursorSlot == slot + 1)
        }
        s = ViewerFixture.run(s, [.key(.escape), .key(.right)], effects: NeuralStackFixture.effects()).0
        #expect(stackScene(s).cursorSlot == nil && s.step == 7)
    }

    /// The strengths over time: one column per step (all of them fit at 160 columns), one pixel row per
    /// slot; a slot is blank before the step that pushed it and after the current step.
    @Test func theStrengthsHeatmapHasOneColumnPerStep() {
        var s = NeuralStackFixture.state(length: 5, width: 160, height: 48)
        s.go(to: 6)
        let l = layout(s)
        #expect(l.time.first == 0 && l.time.count == s.episode.count)
        #expect(l.heatmap.width == s.episode.count * l.time.stepWidth)
        #expect(l.heatPool == 1 && l.heatPixels == 2 && l.heatRows == 2 * s.episode.count)
        let screen = Viewer.view(s, width: 160, height: 48, mode: .truecolor)
        let bottom = l.heatmap.y + l.pixelRow(ofSlot: 0) / 2, top = l.heatmap.y + l.pixelRow(ofSlot: 6) / 2
        for t in 0..<s.episode.count {
            let x = l.heatmap.x + t * l.time.stepWidth
            #expect((screen[x, bottom].char != " ") == (t <= 6), "slot 0 at step \(t + 1)")
            #expect((screen[x, top].char != " ") == (t == 6), "slot 6 (pushed at step 7) at step \(t + 1)")
        }
        // The cursor on the heatmap (tab) reads the slot's strength at this step.
        let s2 = ViewerFixture.run(s, [.key(.tab), .key(.up)], effects: NeuralStackFixture.effects()).0
        let scene = stackScene(s2)
        #expect(scene.focus == .history)
        let slot = scene.cursorSlot!
        let strength = scene.history.snapshots[6].strengths[slot - scene.history.offsets[6]]
        #expect(s2.models[0].scene.readout(s2.context(0))!.contains("strength s \(NumberFormat.fixed(strength, decimals: 3))"))
    }

    /// More rows than lines: the rows around the head's end (the top for a stack) are shown, and one line
    /// says how many are not, at most as many lines as there is room for.
    @Test func tooManyRowsShowAWindowAroundTheActiveEnd() {
        var s = NeuralStackFixture.state(length: 12, width: 80, height: 24)
        s.go(to: s.lastStep)
        let l = layout(s)
        let n = snapshot(s).strengths.count
        #expect(n > l.lines.count)
        #expect(l.lines.first == .row(n - 1), "the top row (this step's push) is shown")
        let hidden = l.lines.compactMap { line -> Int? in if case let .hidden(r) = line { r.count } else { nil } }.reduce(0, +)
        let shown = l.lines.filter { if case .row = $0 { true } else { false } }.count
        #expect(hidden + shown == n)
        #expect(l.linesY + l.lines.count == l.bottomEnd.y && l.topEnd.y == l.linesY - 1)
        #expect(text(s).contains("rows not shown ("))
        // The deque keeps both ends in view.
        var d = NeuralStackFixture.state(NeuralStackFixture.deque, length: 12, width: 80, height: 24)
        d.go(to: d.lastStep)
        let dl = NeuralStackLayout(dequeScene(d), d.context(0))
        let dn = snapshot(d).strengths.count
        #expect(dl.lines.first == .row(dn - 1) && dl.lines.last == .row(0))
    }

    @Test func theWindowKeepsAnchorsAndFitsItsLines() {
        #expect(StructureWindow.lines(rows: 3, capacity: 5, anchors: []) == [.row(2), .row(1), .row(0)])
        let top = StructureWindow.lines(rows: 20, capacity: 6, anchors: [[19]])
        #expect(top == [.row(19), .row(18), .row(17), .row(16), .row(15), .hidden(0...14)])
        // Two ends and a cursor in the middle: every anchor shown, runs between them one line each.
        let both = StructureWindow.lines(rows: 40, capacity: 11, anchors: [[20], [39], [0]])
        #expect(both.count == 11)
        for r in [0, 20, 39] { #expect(both.contains(.row(r))) }
        #expect(both.filter { if case .hidden = $0 { true } else { false } }.count == 2)
        // A long anchor is taken from its first rows as far as it fits.
        let long = StructureWindow.lines(rows: 30, capacity: 4, anchors: [Array((10...29).reversed())])
        #expect(long == [.row(29), .row(28), .row(27), .hidden(0...26)])
    }

    /// The queue pushes on top and pops and reads its front at the bottom; the deque does both at both
    /// ends and labels each row with the end it was pushed at. Each head's read is drawn at its end.
    @Test func theEndsSayWhatEachHeadDoesThere() throws {
        var q = NeuralStackFixture.state(NeuralStackFixture.queue, length: 5, width: 160, height: 48)
        q.go(to: 7)
        let qs = snapshot(q)
        let queue = text(q)
        #expect(queue.contains("▲ top: push d \(NumberFormat.fixed(qs.push[0], decimals: 2)) (front)"))
        #expect(queue.contains("▼ bottom: pop u \(NumberFormat.fixed(qs.pop[0], decimals: 2)) (front) · read Σw"))
        #expect(queue.contains("Queue after step 8"))
        var d = NeuralStackFixture.state(NeuralStackFixture.deque, length: 5, width: 160, height: 48)
        d.go(to: 7)
        let ds = snapshot(d)
        let deque = text(d)
        #expect(deque.contains("▲ top: push d \(NumberFormat.fixed(ds.push[0], decimals: 2)) · pop u"))
        #expect(deque.contains("▼ bottom: push d \(NumberFormat.fixed(ds.push[1], decimals: 2)) · pop u"))
        #expect(deque.contains("r top ") && deque.contains("r bottom "))
        let l = NeuralStackLayout(dequeScene(d), d.context(0))
        let screen = Viewer.view(d, width: 160, height: 48, mode: .none)
        for (i, line) in l.lines.enumerated() {
            guard case let .row(r) = line else { continue }
            let label = String(screen.rowText(l.linesY + i).dropFirst(l.labelX).prefix(l.labelWidth))
            #expect(label.hasSuffix(ds.rowHeads[r] == 0 ? "top " : "bot "), "row \(r): \(label)")
        }
        // Rows pushed at the bottom arrive under row 0: the cursor stays on its row while stepping.
        let effects = NeuralStackFixture.effects(NeuralStackFixture.deque)
        d = ViewerFixture.run(d, [.key(.up)], effects: effects).0
        let slot = try #require(dequeScene(d).cursorSlot)
        let origin = dequeScene(d).history.originText(slot, end: nil)
        let rowBefore = try #require(dequeScene(d).history.row(ofSlot: slot, at: 7))
        d = ViewerFixture.run(d, [.key(.char("l"))], effects: effects).0
        #expect(d.step == 8 && dequeScene(d).cursorSlot == slot)
        #expect(dequeScene(d).history.row(ofSlot: slot, at: 8) == rowBefore + 1, "the bottom push renumbered the row")
        #expect(d.models[0].scene.readout(d.context(0))!.contains(origin))
    }

    /// At every size the scene draws its panels; below the smallest it says how big the terminal must be.
    @Test(arguments: sizes)
    func laysOutAtEverySize(_ size: (Int, Int)) {
        for learner in [NeuralStackFixture.stack, NeuralStackFixture.queue, NeuralStackFixture.deque] {
            var s = NeuralStackFixture.state(learner, length: 8, width: size.0, height: size.1)
            s.go(to: 12)
            let text = self.text(s)
            #expect(!text.contains("too small"))
            #expect(text.contains("after step 13"), "\(learner.kind) at \(size)")
            #expect(text.contains("Strengths s"), "\(learner.kind) at \(size)")
            #expect(text.contains("▲ top") && text.contains("▼ bottom"), "\(learner.kind) at \(size)")
            #expect(text.contains("read"), "\(learner.kind) at \(size)")
        }
        let small = NeuralStackFixture.state(width: 70, height: 20)
        #expect(text(small).contains("needs 80×24, now 70×20"))
    }

    @Test func typedSymbolsRunThroughTheStack() {
        var s = NeuralStackFixture.state()
        s = ViewerFixture.run(s, [.key(.char("t"))] + "a b c d".map { .key(.char($0)) } + [.key(.enter)],
                              effects: NeuralStackFixture.effects()).0
        #expect(s.prompt == nil && s.edited)
        let pair = s.episode.sample as! SymbolPair
        #expect(pair.sourceWords == ["a", "b", "c", "d"] && pair.targetWords == ["d", "c", "b", "a"])
        #expect(s.step == s.lastStep)
        let text = self.text(s)
        #expect(text.contains("read  a b c d <bos>"))
        #expect(text.contains("Stack after step \(s.lastStep + 1)"))
        // A symbol outside the alphabet keeps the prompt open.
        s = ViewerFixture.run(s, [.key(.char("t"))] + "a z".map { .key(.char($0)) } + [.key(.enter)],
                              effects: NeuralStackFixture.effects()).0
        #expect(s.prompt == "a z" && s.promptProblem?.contains("unknown symbol \"z\"") == true)
    }

    /// A click on a value cell puts the cursor there; a click on the heatmap goes to its step.
    @Test func clicksPickACellOrAStep() throws {
        var s = NeuralStackFixture.state(length: 5, width: 160, height: 48)
        s.go(to: 6)
        let l = layout(s)
        let i = try #require(l.lines.firstIndex(of: .row(2)))
        s = ViewerFixture.run(s, [.mouse(x: l.valuesX + 3 * l.valueCellWidth, y: l.linesY + i, button: .left)],
                              effects: NeuralStackFixture.effects()).0
        #expect(stackScene(s).cursorColumn == 3 && stackScene(s).cursorSlot == stackScene(s).history.offsets[6] + 2)
        let value = NumberFormat.fixed(snapshot(s).values[2][3], decimals: 3, plusSign: true)
        #expect(s.models[0].scene.readout(s.context(0))!.contains("v[3] \(value)"))
        s = ViewerFixture.run(s, [.mouse(x: l.heatmap.x + 2 * l.time.stepWidth, y: l.heatmap.y, button: .left)],
                              effects: NeuralStackFixture.effects()).0
        #expect(s.step == 2 && stackScene(s).focus == .history)
    }

    /// `--compare stack lstm`: both scenes side by side on the same reversal, stepping together.
    @Test func besideTheLSTMOnTheSameInput() throws {
        var rng = SeededRNG(seed: 5)
        let (x, y) = RecurrentTokenLearner<LSTMModel, NeuralStackFixture.Task>.widths(NeuralStackFixture.task)
        let lstm = try RecurrentTokenLearner(model: LSTMModel(config: LSTMConfig(inputSize: x, outputSize: y, hiddenSize: 12), rng: &rng),
                                             task: NeuralStackFixture.task)
        var s = try Registry.viewer([("test-stack", NeuralStackFixture.stack), ("test-lstm", lstm)], task: NeuralStackFixture.taskConfig,
                                    length: 5, seed: 1).0
        s.width = 160
        s.height = 48
        s.go(to: 4)
        #expect(s.step(of: 0) == 4 && s.step(of: 1) == 4)
        let text = self.text(s)
        #expect(text.contains("test-stack (stack)") && text.contains("test-lstm (lstm)"))
        #expect(text.contains("Stack after step 5") && text.contains("hidden state h"))
        #expect(!text.contains("too small"))
    }

    /// The shipped demos, once they are in `demos/` (their screens at the four sizes are goldens of
    /// `ViewerGoldenTests.everyShippedDemoAtEverySize`): each draws its structure at every size, and
    /// `stack-reverse --compare lstm-reverse` puts the two side by side on the same input.
    @Test func shippedDemosIfPresent() throws {
        let shipped = Set(NTMScreenTests.shippedDemos())
        for (name, kind) in [("stack-reverse", "Stack"), ("queue-copy", "Queue"), ("deque-reverse", "Deque"), ("deque-copy", "Deque"),
                             ("queue-svo", "Queue"), ("stack-dyck", "Stack")]
        where shipped.contains(name) {
            for (width, height) in Self.sizes {
                let s = try NTMScreenTests.demo(name, width: width, height: height)
                let text = self.text(s)
                #expect(text.contains("\(kind) after step \(s.step + 1)"), "\(name) at \(width)×\(height)")
                #expect(text.contains("Strengths s") && text.contains("▲ top") && text.contains("▼ bottom"), "\(name) at \(width)×\(height)")
            }
        }
        guard shipped.contains("stack-reverse"), shipped.contains("lstm-reverse") else { return }
        let stack = try TokenSequenceTests.load("stack-reverse"), lstm = try TokenSequenceTests.load("lstm-reverse")
        var s = try Registry.viewer([stack, lstm]).0
        #expect(s.offset(0) == 0 && s.offset(1) == 0, "both read the source one symbol a step from step 1")
        s.width = 160
        s.height = 48
        s.go(to: s.lastStep)
        let text = self.text(s)
        #expect(text.contains("stack-reverse vs lstm-reverse"))
        #expect(text.contains("Stack after step \(s.step(of: 0) + 1)") && text.contains("hidden state h"))
    }
}
