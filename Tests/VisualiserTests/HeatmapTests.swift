import Testing
import Visualiser

@Suite("Heatmap")
struct HeatmapTests {
    // 3 rows × 2 columns: rows 0 and 1 share the first text row, row 2 is alone on the second.
    let values: [Float] = [0.0, 1.0,
                           0.5, 0.25,
                           1.0, 0.0]
    let range = ValueRange(min: 0, max: 1)

    // Viridis in truecolor at its ends: dark purple (marked in white) and bright yellow (marked in black).
    let dark = Color.rgb(0x44, 0x01, 0x54)
    let bright = Color.rgb(0xFD, 0xE7, 0x25)
    let white = Color.rgb(255, 255, 255)
    let black = Color.rgb(0, 0, 0)

    /// A heatmap over a grid of optional values (nil: a blank pixel), given by rows.
    func heatmap(_ grid: [[Float?]], scale: ColorScale = .viridis, range: ValueRange? = nil, mode: ColorMode,
                 cellWidth: Int = 1, marked: [GridPosition] = [], cursor: GridPosition? = nil,
                 binaryGlyphs: Bool = false) -> Heatmap {
        let marks = Set(marked)
        var isMarked: (@Sendable (Int, Int) -> Bool)?
        if !marks.isEmpty { isMarked = { r, c in marks.contains(GridPosition(row: r, column: c)) } }
        return Heatmap(rows: grid.count, columns: grid.first?.count ?? 0, cellWidth: cellWidth, scale: scale,
                       range: range ?? self.range, mode: mode, value: { r, c in grid[r][c] },
                       marked: isMarked, cursor: cursor, binaryGlyphs: binaryGlyphs)
    }

    func rendered(_ map: Heatmap, width: Int, height: Int) -> Screen {
        var screen = Screen(width: width, height: height)
        map.render(into: &screen, rect: screen.bounds)
        return screen
    }

    // MARK: Values from an array

    @Test func upperHalfBlockCarriesUpperRowInForegroundAndLowerRowInBackground() {
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .truecolor)
            .render(into: &screen, rect: screen.bounds)
        let c = ColorScale.viridis
        #expect(screen[0, 0] == Cell("▀", fg: dark, bg: c.color(at: 0.5, mode: .truecolor)))
        #expect(screen[1, 0] == Cell("▀", fg: bright, bg: c.color(at: 0.25, mode: .truecolor)))
        // An odd last row has nothing below it: the lower half keeps the terminal's background.
        #expect(screen[0, 1] == Cell("▀", fg: bright, bg: .default))
        #expect(screen[1, 1] == Cell("▀", fg: dark, bg: .default))
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
        #expect(screen[1, 1] == Cell("▀", fg: ColorScale.magma.color(at: 0, mode: .c256),
                                     bg: ColorScale.magma.color(at: 0.5, mode: .c256)))
        // The second column would need x 3-4 but only x 3 is inside the rect: it is not drawn at all.
        #expect(screen[3, 1] == .blank)
    }

    @Test func withoutColourEachCellShowsTheLargerOfItsTwoRows() {
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .none)
            .render(into: &screen, rect: screen.bounds)
        // larger: max(0, .5) = .5 → ▒ ; max(1, .25) = 1 → █ ; lone row 2: 1 → █, 0 → space
        #expect(screen.rowText(0) == "▒█")
        #expect(screen.rowText(1) == "█ ")
        #expect(screen[0, 0].fg == .default && screen[0, 0].bg == .default)
    }

    @Test func hitTestingMapsAScreenCellToTheUpperDataRowItShows() {
        let map = Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .c8, cellWidth: 2)
        let rect = Rect(x: 10, y: 5, width: 4, height: 2)
        #expect(map.position(atX: 13, y: 6, in: rect) == GridPosition(row: 2, column: 1))
        #expect(map.position(atX: 10, y: 5, in: rect) == GridPosition(row: 0, column: 0))
        #expect(map.position(atX: 14, y: 5, in: rect) == nil)
    }

    // MARK: Values from a closure, with missing values

    @Test func missingValuesLeaveTheirHalfBlankInColour() {
        // Column 0 missing entirely, column 1 only its lower row, column 2 only its upper row; row 2 is alone.
        let screen = rendered(heatmap([[nil, nil, 0.5],
                                       [nil, 1.0, nil],
                                       [nil, 1.0, nil]], mode: .truecolor), width: 3, height: 2)
        #expect(screen[0, 0] == .blank)
        #expect(screen[1, 0] == Cell("▄", fg: bright, bg: .default))
        #expect(screen[2, 0] == Cell("▀", fg: ColorScale.viridis.color(at: 0.5, mode: .truecolor), bg: .default))
        #expect(screen[0, 1] == .blank)
        #expect(screen[1, 1] == Cell("▀", fg: bright, bg: .default))
        #expect(screen[2, 1] == .blank)
    }

    @Test func missingValuesAreLeftOutOfTheShadingWithoutColour() {
        let screen = rendered(heatmap([[nil, nil, 0.5],
                                       [nil, 1.0, nil],
                                       [nil, 1.0, nil]], mode: .none), width: 3, height: 2)
        // Only the present value counts: 1 → █, 0.5 → ▒; nothing present → a blank cell.
        #expect(screen.rowText(0) == " █▒")
        #expect(screen.rowText(1) == " █ ")
        #expect(screen.cells.allSatisfy { $0.fg == .default && $0.bg == .default && $0.attributes.isEmpty })
    }

    @Test func theClosureSourceDrawsLikeTheArraySource() {
        let grid: [[Float?]] = [[0.0, 1.0], [0.5, 0.25], [1.0, 0.0]]
        for mode in [ColorMode.truecolor, .c256, .c8, .none] {
            let fromArray = rendered(Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range,
                                             mode: mode), width: 2, height: 2)
            #expect(rendered(heatmap(grid, mode: mode), width: 2, height: 2) == fromArray, "\(mode)")
        }
    }

    @Test func anOddLastRowIsAnUpperHalfOverTheTerminalBackground() {
        let screen = rendered(heatmap([[0.0], [1.0], [1.0], [0.0], [1.0]], mode: .truecolor), width: 1, height: 4)
        #expect(screen[0, 0] == Cell("▀", fg: dark, bg: bright))
        #expect(screen[0, 1] == Cell("▀", fg: bright, bg: dark))
        #expect(screen[0, 2] == Cell("▀", fg: bright, bg: .default))
        // Five rows need three text rows; the fourth stays untouched.
        #expect(screen[0, 3] == .blank)
    }

    @Test func widerCellsRepeatEveryPartOfTheCell() {
        let screen = rendered(heatmap([[0.0, nil], [1.0, 1.0]], mode: .truecolor, cellWidth: 2,
                                      marked: [GridPosition(row: 1, column: 1)]), width: 5, height: 1)
        let expected = [Cell("▀", fg: dark, bg: bright), Cell("▀", fg: dark, bg: bright),
                        Cell("×", fg: black, bg: bright, [.bold]), Cell("×", fg: black, bg: bright, [.bold]), .blank]
        #expect(screen.cells == expected)
    }

    // MARK: Marked cells

    @Test func markedCellsAreABoldCrossInAColourThatStandsOutAgainstTheMarkedValue() {
        let grid: [[Float?]] = [[0.0, 0.0, nil],
                                [1.0, 1.0, 1.0],
                                [0.0, 1.0, 0.0]]
        let marks = [GridPosition(row: 0, column: 0), GridPosition(row: 1, column: 0),  // both: the upper decides
                     GridPosition(row: 1, column: 1),                                   // lower only
                     GridPosition(row: 0, column: 2),                                   // a missing value: no mark
                     GridPosition(row: 2, column: 1)]                                   // the lone last row
        let screen = rendered(heatmap(grid, mode: .truecolor, marked: marks), width: 3, height: 2)
        #expect(screen[0, 0] == Cell("×", fg: white, bg: dark, [.bold]))
        #expect(screen[1, 0] == Cell("×", fg: black, bg: bright, [.bold]))
        #expect(screen[2, 0] == Cell("▄", fg: bright, bg: .default))
        #expect(screen[0, 1] == Cell("▀", fg: dark, bg: .default))
        #expect(screen[1, 1] == Cell("×", fg: black, bg: bright, [.bold]))
        #expect(screen[2, 1] == Cell("▀", fg: dark, bg: .default))
    }

    @Test func markedCellsAreABoldCrossWithoutColour() {
        let grid: [[Float?]] = [[0.0, 1.0], [1.0, 1.0]]
        for binaryGlyphs in [false, true] {
            let screen = rendered(heatmap(grid, mode: .none, marked: [GridPosition(row: 1, column: 0)],
                                          binaryGlyphs: binaryGlyphs), width: 2, height: 1)
            #expect(screen.cells == [Cell("×", [.bold]), Cell("█")], "binary glyphs \(binaryGlyphs)")
        }
    }

    // MARK: The cursor

    // Row 0 dark, bright; row 1 bright, dark.
    let cursorGrid: [[Float?]] = [[0.0, 1.0], [1.0, 0.0]]

    @Test func cursorOnTheUpperRowRecoloursTheUpperHalfInAContrastingColour() {
        let onDark = rendered(heatmap(cursorGrid, mode: .truecolor, cursor: GridPosition(row: 0, column: 0)),
                              width: 2, height: 1)
        #expect(onDark.cells == [Cell("▀", fg: white, bg: bright), Cell("▀", fg: bright, bg: dark)])
        let onBright = rendered(heatmap(cursorGrid, mode: .c256, cursor: GridPosition(row: 0, column: 1)),
                                width: 2, height: 1)
        #expect(onBright[1, 0] == Cell("▀", fg: .ansi(16), bg: ColorScale.viridis.color(at: 0, mode: .c256)))
    }

    @Test func cursorOnTheLowerRowBecomesALowerHalfBlockInAContrastingColour() {
        let onBright = rendered(heatmap(cursorGrid, mode: .truecolor, cursor: GridPosition(row: 1, column: 0)),
                                width: 2, height: 1)
        // The upper value moves to the background so it stays visible above the marker.
        #expect(onBright.cells == [Cell("▄", fg: black, bg: dark), Cell("▀", fg: bright, bg: dark)])
        let onDark = rendered(heatmap(cursorGrid, mode: .truecolor, cursor: GridPosition(row: 1, column: 1)),
                              width: 2, height: 1)
        #expect(onDark[1, 0] == Cell("▄", fg: white, bg: bright))
        // The array source agrees: values (0.5, 0.25) under a cursor on row 1 of column 1.
        var screen = Screen(width: 2, height: 2)
        Heatmap(values: values, rows: 3, columns: 2, scale: .viridis, range: range, mode: .truecolor,
                cursor: GridPosition(row: 1, column: 1)).render(into: &screen, rect: screen.bounds)
        #expect(screen[1, 0] == Cell("▄", fg: white, bg: bright))
    }

    @Test func cursorOnALowerPixelUnderAMissingOneLeavesTheUpperHalfBlank() {
        let screen = rendered(heatmap([[nil], [0.0]], mode: .truecolor, cursor: GridPosition(row: 1, column: 0)),
                              width: 1, height: 1)
        #expect(screen[0, 0] == Cell("▄", fg: white, bg: .default))
    }

    @Test func cursorIsABoldPlusWithoutColourOnEitherRow() {
        for row in [0, 1] {
            let screen = rendered(heatmap(cursorGrid, mode: .none, cursor: GridPosition(row: row, column: 1)),
                                  width: 2, height: 1)
            // Column 0 holds 0 over 1: the larger, 1, is drawn.
            #expect(screen.cells == [Cell("█"), Cell("+", [.bold])], "cursor on row \(row)")
        }
        let binary = rendered(heatmap(cursorGrid, mode: .none, cursor: GridPosition(row: 1, column: 0),
                                      binaryGlyphs: true), width: 2, height: 1)
        #expect(binary.cells == [Cell("+", [.bold]), Cell("▀")])
    }

    // MARK: Without colour

    @Test func binaryGlyphsDrawEachPixelOnOrOffWithoutColour() {
        // Per column (upper, lower): off/off, off/on, on/off, on/on, then a missing pixel (off) over on.
        let grid: [[Float?]] = [[0.0, 0.0, 1.0, 1.0, nil],
                                [0.0, 1.0, 0.0, 1.0, 1.0],
                                [0.49, 0.5, 1.0, 0.0, nil]]
        let screen = rendered(heatmap(grid, mode: .none, binaryGlyphs: true), width: 5, height: 2)
        #expect(screen.rowText(0) == " ▄▀█▄")
        // The lone last row: on from position ½.
        #expect(screen.rowText(1) == " ▀▀  ")
        #expect(screen.cells.allSatisfy { $0.fg == .default && $0.bg == .default && $0.attributes.isEmpty })
        // Without the option each cell shows the larger of its two values.
        #expect(rendered(heatmap(grid, mode: .none), width: 5, height: 2).rowText(0) == " ████")
    }

    @Test func binaryGlyphsOnlyApplyWithoutColour() {
        let grid: [[Float?]] = [[0.0, 1.0], [1.0, 0.0]]
        let screen = rendered(heatmap(grid, mode: .truecolor, binaryGlyphs: true), width: 2, height: 1)
        #expect(screen.cells == [Cell("▀", fg: dark, bg: bright), Cell("▀", fg: bright, bg: dark)])
    }

    @Test func divergingScalesShowTheSignWithoutColour() {
        // Range -1…1, per column (upper, lower): −1 over +1 (the stronger ties: the upper wins, no
        // cancelling to blank), zeros, −.5 over +.5, −1 over 0, +1 alone. Then the same magnitudes mirrored.
        let grid: [[Float?]] = [[-1, 0, -0.5, -1, 1],
                                [1, 0, 0.5, 0, nil]]
        let screen = rendered(heatmap(grid, scale: .blueWhiteRed, range: .symmetric(1), mode: .none),
                              width: 5, height: 1)
        #expect(screen.rowText(0) == "≡ -≡█")
        let mirrored = grid.map { $0.map { $0.map { -$0 } } }
        let flipped = rendered(heatmap(mirrored, scale: .blueWhiteRed, range: .symmetric(1), mode: .none),
                               width: 5, height: 1)
        #expect(flipped.rowText(0) == "█ ▒█≡")
        // A weak value of one sign does not hide a strong one of the other, in either half.
        let mixed = rendered(heatmap([[0.3, -0.9], [-0.9, 0.3]], scale: .blueWhiteRed, range: .symmetric(1), mode: .none),
                             width: 2, height: 1)
        #expect(mixed.rowText(0) == "≡≡")
        // A sequential scale over the same range shades by position: -1 blank, +1 full.
        let sequential = rendered(heatmap(grid, scale: .viridis, range: .symmetric(1), mode: .none),
                                  width: 5, height: 1)
        #expect(sequential.rowText(0) == "█▒▓▒█")
    }

    @Test func withoutColourEveryDivergingCellReadsLikeTheLegendAtItsValue() {
        // A legend 53 wide: "-2.00 " + a 41-column swatch + " +2.00". Swatch column i is position i/40, which
        // never falls on a bin edge (k/9), so the value of each column has one unambiguous glyph.
        let range = ValueRange.symmetric(2), swatch = 41
        var legendScreen = Screen(width: 53, height: 1)
        Legend(scale: .blueWhiteRed, range: range, mode: .none).render(into: &legendScreen, rect: legendScreen.bounds)
        let legendRow = Array(legendScreen.rowText(0).unicodeScalars)
        #expect(String(String.UnicodeScalarView(legendRow[0..<6])) == "-2.00 ")
        #expect(String(String.UnicodeScalarView(legendRow[47...])) == " +2.00")
        let legendGlyphs = Array(legendRow[6..<(6 + swatch)])
        // The legend reads negatives (most strokes first) on the left, blank at zero, shades on the right.
        var runs: [Unicode.Scalar] = []
        for g in legendGlyphs where runs.last != g { runs.append(g) }
        #expect(runs == ColorScale.divergingGlyphs)
        // The value at each swatch column, drawn as a heatmap: alone (row 0), and in a half-block cell with a
        // weaker value of the opposite sign (rows 1, 2), must give the legend's glyph at that column.
        let values = (0..<swatch).map { range.min + Float($0) / Float(swatch - 1) * (range.max - range.min) }
        let grid: [[Float?]] = [values, values, values.map { -0.4 * $0 }]
        let map = rendered(heatmap([grid[0]], scale: .blueWhiteRed, range: range, mode: .none), width: swatch, height: 1)
        let paired = rendered(heatmap([grid[1], grid[2]], scale: .blueWhiteRed, range: range, mode: .none),
                              width: swatch, height: 1)
        for (i, v) in values.enumerated() {
            #expect(map[i, 0].char == legendGlyphs[i], "value \(v)")
            #expect(paired[i, 0].char == legendGlyphs[i], "value \(v) over \(-0.4 * v)")
        }
    }

    // MARK: Clipping

    @Test func drawsOnlyInsideARectSmallerThanTheData() {
        let grid: [[Float?]] = (0..<6).map { r in (0..<4).map { c in Float((r + c) % 2) } }
        let sentinel = Cell("·")
        for mode in [ColorMode.truecolor, .none] {
            var screen = Screen(width: 9, height: 5, fill: sentinel)
            let rect = Rect(x: 2, y: 1, width: 5, height: 2)
            heatmap(grid, mode: mode, cellWidth: 2, cursor: GridPosition(row: 5, column: 3))
                .render(into: &screen, rect: rect)
            for y in 0..<screen.height {
                for x in 0..<screen.width {
                    // Two whole data columns (4 text columns) and two text rows fit; x 6 would be half a cell.
                    let drawn = (2..<6).contains(x) && (1..<3).contains(y)
                    #expect((screen[x, y] != sentinel) == drawn, "\(mode) at (\(x), \(y))")
                }
            }
            // A checkerboard: in colour every cell is a half block, without colour each shows its larger value, 1.
            let inside = mode == .none ? "████" : "▀▀▀▀"
            #expect(screen.rowText(1) == "··" + inside + "···")
            #expect(screen.rowText(2) == "··" + inside + "···")
        }
    }
}
