import Testing
import Visualiser

@Suite("Layout")
struct LayoutTests {
    let area = Rect(x: 2, y: 1, width: 30, height: 20)

    @Test func fixedLengthsAroundAFillTileTheRect() {
        let parts = area.split(.vertical, [.length(3), .fill(1), .length(2)])
        #expect(parts == [Rect(x: 2, y: 1, width: 30, height: 3),
                          Rect(x: 2, y: 4, width: 30, height: 15),
                          Rect(x: 2, y: 19, width: 30, height: 2)])
    }

    @Test func fillsShareByWeightWithLeftoversToTheFirst() {
        let parts = Rect(x: 0, y: 0, width: 10, height: 1).split(.horizontal, [.fill(1), .fill(2)])
        #expect(parts.map(\.width) == [4, 6])  // 10*1/3 = 3 (+1 leftover), 10*2/3 = 6
        #expect(parts[1].x == 4)
    }

    @Test func percentagesRoundDownAndMinimumsGrowLikeFills() {
        let parts = area.split(.horizontal, [.percentage(50), .min(4), .fill(1)])
        // 15 for the percentage, 4 for the minimum, 11 left shared 6 / 5 between min and fill.
        #expect(parts.map(\.width) == [15, 10, 5])
        #expect(parts.map(\.x) == [2, 17, 27])
    }

    @Test func spacingLeavesGapsBetweenPieces() {
        let parts = Rect(x: 0, y: 0, width: 11, height: 4).split(.horizontal, [.fill(1), .fill(1)], spacing: 1)
        #expect(parts == [Rect(x: 0, y: 0, width: 5, height: 4), Rect(x: 6, y: 0, width: 5, height: 4)])
    }

    @Test func overflowShortensFromTheLastPiece() {
        let parts = Rect(x: 0, y: 0, width: 8, height: 1).split(.horizontal, [.length(5), .length(5), .length(5)])
        #expect(parts.map(\.width) == [5, 3, 0])
        #expect(parts.map(\.maxX).allSatisfy { $0 <= 8 })
    }

    @Test func rectArithmetic() {
        #expect(area.inset(by: 1) == Rect(x: 3, y: 2, width: 28, height: 18))
        #expect(area.centred(width: 10, height: 4) == Rect(x: 12, y: 9, width: 10, height: 4))
        #expect(area.intersection(Rect(x: 30, y: 0, width: 10, height: 5)) == Rect(x: 30, y: 1, width: 2, height: 4))
        #expect(area.intersection(Rect(x: 100, y: 0, width: 1, height: 1)).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 2, height: 2).inset(by: 5).isEmpty)
        let (rest, bottom) = area.splitBottom(1)
        #expect(rest.height == 19 && bottom == Rect(x: 2, y: 20, width: 30, height: 1))
    }
}
