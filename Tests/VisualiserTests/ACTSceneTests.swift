import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Visualiser

/// The first ACT scene: goldens at 80×24 and 160×48 and the sub-step cursor.
@Suite("ACT scene")
struct ACTSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }

    @Test func at80x24And160x48() throws {
        let s = ACTFixture.state()
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "act-80x24")
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "act-160x48")
    }

    /// Issue 24 (4): where not every sub-step's grid fits (80×24), the grids shown without a cursor end at
    /// the sub-step of largest weight p, not at the first ones (act-parity's opening input: s⁴, p 0.54).
    @Test func withoutACursorTheHeaviestSubStepsGridIsShown() throws {
        guard NTMScreenTests.shippedDemos().contains("act-parity") else { return }
        let s = try NTMScreenTests.demo("act-parity", width: 80, height: 24)
        let text = Viewer.view(s, width: 80, height: 24, mode: .none).plainText()
        #expect(text.contains("s^4  p 0.54") && text.contains("s_t (mean)"))
        #expect(!text.contains("s^1  p"), "four grids do not fit: the lightest, s^1, gives way")
    }

    @Test func theCursorReadsASubStepsExactValues() {
        var s = ACTFixture.state()
        s = Viewer.update(s, .key(.up)).0
        let snapshot = s.episode[0].snapshot as! ACTSnapshot
        let scene = s.models[0].scene.base as! ACTScene
        #expect(scene.cursor == snapshot.steps - 1)
        let text = Viewer.view(s, width: 80, height: 24, mode: .none).plainText()
        let n = snapshot.steps - 1
        #expect(text.contains("sub-step \(n + 1) of \(snapshot.steps): h \(NumberFormat.fixed(snapshot.halting[n], decimals: 4))"))
        // The weights of the mean fill the budget exactly.
        #expect(abs(snapshot.weights.reduce(0, +) - 1) < 1e-5)
    }
}

/// Issue 10's scene: editing parity entries reruns at once, sub-steps step across inputs, and each
/// input's column stacks its weights p up to 1.
@Suite("ACT scene: editing, sub-steps, columns")
struct ACTSceneInteractionTests {
    /// The ACT model of `ACTFixture` on a copy task, for episodes of several input steps.
    static let copyTask = TaskConfig(CopyTask(bitWidth: 3, minLength: 1, maxLength: 4))
    static let copyLearner: RecurrentLearner<ACTModel> = {
        var rng = SeededRNG(seed: 11)
        let model = ACTModel(config: ACTConfig(inputSize: 4, outputSize: 3, hiddenSize: 6, maxSteps: 5), rng: &rng)
        return try! RecurrentLearner(model: model, task: copyTask)
    }()

    func scene(_ s: ViewerState) -> ACTScene { s.models[0].scene.base as! ACTScene }
    func snapshot(_ s: ViewerState, _ t: Int) -> ACTSnapshot { s.episode[t].snapshot as! ACTSnapshot }

    @Test func eFlipsAParityEntryAndTheModelAnswersAtOnce() {
        var s = ViewerFixture.run(ACTFixture.state(), ViewerFixture.keys("e"), effects: ACTFixture.effects).0
        let before = s.episode[0].data(as: BitStep.self)!.input
        #expect(s.editor?.rows == [Array(before)] && s.editor?.runsAtOnce == true && s.editor?.values == [0, 1, -1])
        // Entry 3: one space moves it to the next of 0 → +1 → −1 → 0, and the model reruns.
        let (after, commands) = ViewerFixture.run(s, [.key(.right), .key(.right), .key(.char(" "))], effects: ACTFixture.effects)
        let next: Float = before[2] == 0 ? 1 : (before[2] == 1 ? -1 : 0)
        #expect(commands.count == 1)
        #expect(after.episode[0].data(as: BitStep.self)!.input[2] == next && after.edited && after.editor?.rows[0][2] == next)
        var changed = Array(before)
        changed[2] = next
        #expect(Array(after.episode[0].data(as: BitStep.self)!.input) == changed)
        // The target follows the edited entries: the parity of its +1 entries.
        #expect(after.episode[0].data(as: BitStep.self)!.target[0] == Float(changed.filter { $0 > 0 }.count % 2))
        // Enter closes the editor without another run; the edited episode stays.
        let (closed, none) = ViewerFixture.run(after, [.key(.enter)], effects: ACTFixture.effects)
        #expect(none.isEmpty && closed.editor == nil && Array(closed.episode[0].data(as: BitStep.self)!.input) == changed)
        s = closed
        #expect(s.edited)
    }

    @Test func anAllZeroParityInputIsRefusedWithAMessage() {
        var s = ViewerFixture.run(ACTFixture.state(), ViewerFixture.keys("e"), effects: ACTFixture.effects).0
        let before = Array(s.episode[0].data(as: BitStep.self)!.input)
        // Flip every non-zero entry to 0: the last flip would leave none, and is refused.
        for (i, v) in before.enumerated() where v != 0 {
            s.editor?.entry = i
            let presses = v == 1 ? 2 : 1                     // +1 → −1 → 0, −1 → 0
            s = ViewerFixture.run(s, Array(repeating: .key(.char(" ")), count: presses), effects: ACTFixture.effects).0
        }
        #expect(s.message?.contains("at least one non-zero entry") == true, "\(s.message ?? "nil")")
        #expect(s.episode[0].data(as: BitStep.self)!.input.contains { $0 != 0 })
    }

    @Test func periodAndCommaStepThroughSubStepsAcrossInputs() throws {
        let (start, effects) = try Registry.viewer([("act-copy", Self.copyLearner)], task: Self.copyTask, length: 3, seed: 2)
        var s = start
        let n0 = snapshot(s, 0).steps, n1 = snapshot(s, 1).steps
        #expect(s.step == 0)
        s = ViewerFixture.run(s, ViewerFixture.keys(String(repeating: ".", count: n0)), effects: effects).0
        #expect(s.step == 0 && scene(s).subStep(s.context(0)) == n0 - 1)
        s = ViewerFixture.run(s, ViewerFixture.keys("."), effects: effects).0
        #expect(s.step == 1 && scene(s).subStep(s.context(0)) == 0)
        s = ViewerFixture.run(s, ViewerFixture.keys(","), effects: effects).0
        #expect(s.step == 0 && scene(s).subStep(s.context(0)) == n0 - 1)
        // The status bar says where the cursor is.
        let text = Viewer.view(s, width: 120, height: 40, mode: .none).plainText()
        #expect(text.contains("sub-step \(n0)/\(n0)"))
        _ = n1
    }

    @Test func eachInputsColumnStacksItsWeightsToTheTop() throws {
        var s = try Registry.viewer([("act-copy", Self.copyLearner)], task: Self.copyTask, length: 3, seed: 2).0
        s.width = 120
        s.height = 40
        // At step 0 the later inputs are outlines (not reached yet); at the last step all are filled.
        let early = Viewer.view(s, width: 120, height: 40, mode: .none)
        let earlyLayout = ACTLayout(scene(s), s.context(0))
        if let x = earlyLayout.columnX(1) { #expect(early[x, earlyLayout.bars.maxY - 1].char == "┊") }
        s.go(to: s.lastStep)
        let context = s.context(0)
        let layout = ACTLayout(scene(s), context)
        let screen = Viewer.view(s, width: 120, height: 40, mode: .none)
        for t in 0..<s.episode.count {
            guard let x = layout.columnX(t) else { continue }
            let snap = snapshot(s, t)
            // Every row of the bar is filled (the weights sum to 1), and the remainder is on top.
            let column = (layout.bars.y..<layout.bars.maxY).map { screen[x + 1, $0].char }
            #expect(column.allSatisfy { $0 != " " }, "input \(t + 1): \(column)")
            let top = snap.weights.last! * Float(layout.bars.height) >= 0.5
            if top { #expect(screen[x, layout.bars.y].char == "R") }
            // N is written under the column.
            #expect(screen[x, layout.labels.y + 1].char == Unicode.Scalar(UInt8(48 + snap.steps % 10)))
        }
    }
}
