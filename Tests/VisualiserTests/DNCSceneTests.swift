import Engine
import Episodes
import Foundation
import Models
import Testing
import Visualiser

/// Issue 11's scene: goldens at 80×24 and 160×48, the slot cursor's exact values, the link matrix's zoom.
@Suite("DNC scene")
struct DNCSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }
    func scene(_ s: ViewerState) -> DNCScene { s.models[0].scene.base as! DNCScene }

    @Test func at80x24And160x48() throws {
        var s = DNCFixture.state()
        s.go(to: 6)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "dnc-80x24")
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "dnc-160x48")
    }

    @Test func theCursorReadsASlotsExactValues() {
        var s = DNCFixture.state(width: 160, height: 48)
        s.go(to: 6)
        s = ViewerFixture.run(s, [.key(.down)]).0
        let snapshot = s.episode[6].snapshot as! DNCSnapshot
        guard let slot = scene(s).cursor else { Issue.record("no cursor"); return }
        // The cursor starts next to the slot written most at this step.
        let strongest = snapshot.writeWeighting.indices.max { snapshot.writeWeighting[$0] < snapshot.writeWeighting[$1] }!
        #expect(slot == Swift.min(11, strongest + 1) || slot == strongest)
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("slot \(slot), step 7: usage \(NumberFormat.fixed(snapshot.usage[slot], decimals: 3))"))
        #expect(text.contains("r2 \(NumberFormat.fixed(snapshot.readHeads[1].weighting[slot], decimals: 3))"))
    }

    @Test func zoomShowsOneCellPerSlotAroundTheCursor() throws {
        var s = DNCFixture.state(width: 80, height: 24)
        let fitted = DNCLayout(scene(s), s.context(0))
        s = ViewerFixture.run(s, ViewerFixture.keys("z")).0
        #expect(scene(s).zoomed)
        let zoomed = DNCLayout(scene(s), s.context(0))
        #expect(zoomed.linkPool == 1 && zoomed.linkRows <= 12 && zoomed.linkColumns <= 12)
        #expect(fitted.linkPool >= 1)
        let text = Viewer.view(s, width: 80, height: 24, mode: .none).plainText()
        #expect(text.contains("links 1:1"))
    }
}
