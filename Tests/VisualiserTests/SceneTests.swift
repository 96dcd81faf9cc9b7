import Engine
import Episodes
import Foundation
import Models
import Registry
import Viewing
import Testing
import Visualiser

/// The LSTM scene and two scenes compared: golden screens at 80×24 and 160×48, and their keys.
@Suite("LSTM scene and comparison")
struct SceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }

    /// Applies events like the app loop, running commands with `effects`.
    func run(_ state: ViewerState, _ events: [Event], effects: ViewerEffects) -> ViewerState {
        var s = state
        for event in events {
            var (next, command) = Viewer.update(s, event)
            while let c = command, let result = effects.perform(c, for: next) {
                (next, command) = Viewer.update(next, result)
            }
            s = next
        }
        return s
    }

    var lstmScene: (ViewerState) -> LSTMScene { { $0.models[0].scene.base as! LSTMScene } }

    @Test func lstmAt80x24MidAnswer() throws {
        var s = LSTMFixture.state()
        s.go(to: 8)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "lstm-80x24-step9")
    }

    @Test func lstmAt160x48WithTheCursorOnAUnit() throws {
        var s = LSTMFixture.state(width: 160, height: 48)
        s.go(to: 8)
        s = run(s, [.key(.down), .key(.down), .key(.char("c"))], effects: LSTMFixture.effects)
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        try check(screen, "lstm-160x48-step9-cursor-cell")
        let scene = lstmScene(s)
        #expect(scene.showCell && scene.cursorUnit != nil)
        // The readout names the unit and its exact values from the snapshot.
        let unit = scene.cursorUnit!
        let layer = (s.frame.snapshot as! LSTMSnapshot).layers[0]
        let text = screen.plainText()
        #expect(text.contains("unit \(unit), step 9: h \(NumberFormat.fixed(layer.hidden[unit], decimals: 3, plusSign: true))"))
        #expect(text.contains("cell state c over time"))
    }

    @Test func lstmKeysMoveTheCursorAndTogglesAndArrowsStillStep() {
        let s0 = LSTMFixture.state()
        var s = run(s0, [.key(.up)], effects: LSTMFixture.effects)
        let first = lstmScene(s).cursorUnit
        #expect(first != nil)
        s = run(s, [.key(.down), .key(.down)], effects: LSTMFixture.effects)
        #expect(lstmScene(s).cursorUnit == min(23, first! + 2))
        s = run(s, [.key(.escape), .key(.right), .key(.right)], effects: LSTMFixture.effects)
        #expect(lstmScene(s).cursorUnit == nil && s.step == 2)   // the LSTM scene leaves → to the player
        s = run(s, [.key(.tab)], effects: LSTMFixture.effects)
        #expect(lstmScene(s).layer == 0)                          // one layer: tab stays on it
    }

    @Test func clickingTheHistoryPicksAStepAndAUnit() {
        let s0 = LSTMFixture.state(width: 160, height: 48)
        let layout = LSTMLayout(lstmScene(s0), s0.context(0))
        let x = layout.historyTime.x + 2 * layout.historyTime.stepWidth
        let s = run(s0, [.mouse(x: x, y: layout.historyMap.y + 1, button: .left)], effects: LSTMFixture.effects)
        #expect(s.step == 2)
        #expect(lstmScene(s).cursorUnit == 2 * layout.historyPool)
    }

    @Test func compareAt160x48ShowsBothScenesSideBySide() throws {
        var s = LSTMFixture.compare()
        s.go(to: 8)
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        try check(screen, "compare-160x48-step9")
        let text = screen.plainText()
        #expect(text.contains("test-ntm vs test-lstm"))
        #expect(text.contains("▸ test-ntm (ntm)") && text.contains("test-lstm (lstm)"))
        #expect(PlayerLayout(s, width: 160, height: 48).showsEveryScene)
    }

    @Test func compareAt80x24ShowsOneAtATimeAndOSwitches() throws {
        var s = LSTMFixture.compare(width: 80, height: 24)
        s.go(to: 8)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "compare-80x24-step9")
        #expect(!PlayerLayout(s, width: 80, height: 24).showsEveryScene)
        s = run(s, [.key(.char("o"))], effects: LSTMFixture.compareEffects)
        #expect(s.activeModel == 1)
        let text = Viewer.view(s, width: 80, height: 24, mode: .none).plainText()
        #expect(text.contains("▸ test-lstm (lstm)") && text.contains("hidden state h"))
    }

    @Test func comparedModelsStepTogetherAndRunTheSameNewExample() {
        var s = run(LSTMFixture.compare(), [.key(.char("l")), .key(.char("l"))], effects: LSTMFixture.compareEffects)
        #expect(s.step == 2)
        s = run(s, [.key(.char("n"))], effects: LSTMFixture.compareEffects)
        #expect(s.seed == 2)
        #expect(s.models[0].episode.example == s.models[1].episode.example)
        #expect(s.models.map(\.episode.kind) == ["ntm", "lstm"])
        // Scene keys go to the active model only: w toggles the NTM's write-diff, not the LSTM's state.
        s = run(s, [.key(.char("w"))], effects: LSTMFixture.compareEffects)
        #expect((s.models[0].scene.base as! NTMScene).writeDiff)
    }

    @Test func aClickOnTheOtherSceneMakesItActive() {
        let s0 = LSTMFixture.compare()
        let layout = PlayerLayout(s0, width: 160, height: 48)
        let right = layout.sceneRects[1]!
        let s = run(s0, [.mouse(x: right.x + 3, y: right.maxY - 3, button: .left)], effects: LSTMFixture.compareEffects)
        #expect(s.activeModel == 1)
    }
}
