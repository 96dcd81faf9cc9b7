import Engine
import Episodes
import Foundation
import Models
import Testing
@testable import Visualiser

/// The first ACT scene: goldens at 80×24 and 160×48 and the sub-step cursor.
@Suite("ACT scene")
struct ACTSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }

    @Test func at80x24And160x48() throws {
        let s = ACTFixture.state()
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "act-80x24")
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "act-160x48")
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
