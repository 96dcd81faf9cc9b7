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

    /// With room under the slots, every slot's usage over the steps so far: a row a slot, coloured up to the
    /// current step and blank after it; a click on it picks that slot and step. Without room, no map.
    @Test func usageOverTimeShowsEachSlotsUsageUpToTheStep() {
        var s = DNCFixture.state(width: 160, height: 48)
        s.go(to: 6)
        let layout = DNCLayout(scene(s), s.context(0))
        guard let map = layout.usageMap else { Issue.record("no usage map at 160x48 with 12 slots"); return }
        #expect(map.height == 12 && map.y > layout.slotRows.maxY)
        var screen = Screen(width: 160, height: 48)
        scene(s).view(s.context(0), into: &screen, mode: .c256)
        let usage = (s.episode[6].snapshot as! DNCSnapshot).usage
        let cw = layout.usageCellWidth
        for r in 0..<12 {
            // The column of step 7 (index 6) is coloured as the u column colours usage; the next is blank.
            let expected = ColorScale.viridis.color(at: ValueRange(min: 0, max: 1).position(of: usage[r]), mode: .c256)
            #expect(screen[map.x + 6 * cw, map.y + r].fg == expected, "slot \(r)")
            if map.width > 7 * cw { #expect(screen[map.x + 7 * cw, map.y + r].fg == .default, "slot \(r) after the step") }
        }
        var sc = scene(s)
        #expect(sc.click(x: map.x + 2 * cw, y: map.y + 5, s.context(0)) == .go(2))
        #expect(sc.cursor == 5)
        #expect(DNCLayout(scene(s), DNCFixture.state(width: 80, height: 24).context(0)).usageMap == nil)
    }
}
