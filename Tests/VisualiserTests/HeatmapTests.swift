import Testing
@testable import Visualiser

@Suite("Heatmap")
struct HeatmapTests {
    // 3 rows × 2 columns: rows 0 and 1 share the first text row, row 2 is alone on the second.
    let values: [Float] = [0.0, 1.0,
                           0.5, 0.25,
                           1.0, 0.0]
    let range = ValueRange(min: 0, max: 1)

    @Test func upperHalfBlockCarriesUpperRowInForegroundAndLowerRowInBackground() {
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .truecolor)
            .render(into: &screen, rect: screen.bounds)
        let c = ColorScale.viridis
        #expect(screen[0, 0] == Cell("▀", fg: .rgb(0x44, 0x01, 0x54), bg: c.color(at: 0.5, mode: .truecolor)))
        #expect(screen[1, 0] == Cell("▀", fg: .rgb(0xFD, 0xE7, 0x25), bg: c.color(at: 0.25, mode: .truecolor)))
        // An odd last row has nothing below it: the lower half keeps the terminal's background.
        #expect(screen[0, 1] == Cell("▀", fg: .rgb(0xFD, 0xE7, 0x25), bg: .default))
        #expect(screen[1, 1] == Cell("▀", fg: .rgb(0x44, 0x01, 0x54), bg: .default))
    }

    @Test func needsHalfAsManyTextRowsAsDataRowsRoundedUp() {
        #expect(Heatmap.size(rows: 3, columns: 2) == (2, 2))
        #expect(Heatmap.size(rows: 128, columns: 20, cellWidth: 2) == (40, 64))
    }

    @Test func cellWidthRepeatsEachColumnAndClipsToTheRect() {
        var screen = Screen(width: 5, height: 3)
        Heatmap(values: values, rows: 3, columns: 2, scale: .magma, range: range, mode: .c256, cellWidth: 2)
            .render(into: &screen, rect: Rect(x: 1, y: 1, width: 3, height: 1))
        #expect(screen.plainText() == "\n ▀▀\n")
        #expect(screen[1, 1] == screen[2, 1])
        #expect(screen[1, 1].fg == ColorScale.magma.color(at: 0, mode: .c256))
        // The second column would need x 3-4 but only x 3 is inside the rect: it is not drawn at all.
        #expect(screen[3, 1] == .blank)
    }

    @Test func withoutColourEachCellShadesTheMeanOfItsTwoRows() {
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .none)
            .render(into: &screen, rect: screen.bounds)
        // means: (0 + .5)/2 = .25 → ░ ; (1 + .25)/2 = .625 → ▓ ; lone row 2: 1 → █, 0 → space
        #expect(screen.rowText(0) == "░▓")
        #expect(screen.rowText(1) == "█ ")
        #expect(screen[0, 0].fg == .default && screen[0, 0].bg == .default)
    }

    @Test func cursorOnTheLowerRowBecomesALowerHalfBlockInAContrastingColour() {
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .truecolor,
                cursor: GridPosition(row: 1, column: 1)).render(into: &screen, rect: screen.bounds)
        let upper = ColorScale.viridis.color(at: 1, mode: .truecolor)
        // Upper row is bright yellow (1.0) and stays the background; the marker over dark 0.25 is white.
        #expect(screen[1, 0] == Cell("▄", fg: .rgb(255, 255, 255), bg: upper))
    }

    @Test func hitTestingMapsAScreenCellToTheUpperDataRowItShows() {
        let map = Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .c8, cellWidth: 2)
        let rect = Rect(x: 10, y: 5, width: 4, height: 2)
        #expect(map.position(atX: 13, y: 6, in: rect) == GridPosition(row: 2, column: 1))
        #expect(map.position(atX: 10, y: 5, in: rect) == GridPosition(row: 0, column: 0))
        #expect(map.position(atX: 14, y: 5, in: rect) == nil)
    }
}
