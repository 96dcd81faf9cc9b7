import Testing
import Visualiser

@Suite("Widgets")
struct WidgetTests {
    @Test func legendShowsMinSwatchAndMax() {
        var screen = Screen(width: 20, height: 1)
        let legend = Legend(title: "w", scale: .magma, range: ValueRange(min: 0, max: 1), mode: .truecolor)
        legend.render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "w 0.00 ████████ 1.00")
        #expect(screen[7, 0].fg == .rgb(0x00, 0x00, 0x04))  // first swatch cell: the scale's start
        #expect(screen[14, 0].fg == .rgb(0xFC, 0xFD, 0xBF))  // last swatch cell: the scale's end
    }

    @Test func divergingLegendSignsItsLabelsAndShowsBothSignsGlyphsWithoutColour() {
        // Nine swatch cells, one per bin: strokes for negatives, blank at zero, shades for positives.
        var screen = Screen(width: 19, height: 1)
        Legend(scale: .blueWhiteRed, range: .symmetric(2), mode: .none, decimals: 1).render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "-2.0 ≡=-· ░▒▓█ +2.0")
        // Too narrow for −2.0 … +2.0 around all nine glyphs: a symmetric range is labelled once, ±2.0.
        var narrow = Screen(width: 16, height: 1)
        Legend(title: "m", scale: .blueWhiteRed, range: .symmetric(2), mode: .none, decimals: 1)
            .render(into: &narrow, rect: narrow.bounds)
        #expect(narrow.plainText() == "m ≡=-· ░▒▓█ ±2.0")
        // In colour the swatch may be as short as two cells, labelled at both ends.
        var coloured = Screen(width: 16, height: 1)
        Legend(title: "m", scale: .blueWhiteRed, range: .symmetric(2), mode: .c8, decimals: 1)
            .render(into: &coloured, rect: coloured.bounds)
        #expect(coloured.plainText() == "m -2.0 ████ +2.0")
        // A sequential legend keeps blank → █.
        var sequential = Screen(width: 14, height: 1)
        Legend(scale: .viridis, range: ValueRange(min: 0, max: 1), mode: .none, decimals: 0)
            .render(into: &sequential, rect: sequential.bounds)
        #expect(sequential.plainText() == "0   ░░▒▒▓▓██ 1")
    }

    @Test func tooSmallMessageSaysWhatSizeIsNeeded() {
        var screen = Screen(width: 40, height: 10)
        screen.put("garbage", x: 0, y: 0)
        let message = TooSmallMessage(neededWidth: 80, neededHeight: 24)
        #expect(message.applies(width: 40, height: 10))
        #expect(!message.applies(width: 80, height: 24))
        message.render(into: &screen, rect: screen.bounds)
        let expected = ["", "", "",
                        "           Terminal too small",
                        "         needs 80×24, now 40×10",
                        "           resize or press q",
                        "", "", "", ""]
        #expect(screen.plainText() == expected.joined(separator: "\n"))
    }

    @Test func tinyTerminalStillShowsTheNeededSize() {
        var screen = Screen(width: 12, height: 1)
        TooSmallMessage(neededWidth: 80, neededHeight: 24).render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "needs 80×24")
    }

    @Test func panelDrawsABorderWithItsTitle() {
        var screen = Screen(width: 12, height: 3)
        Panel(title: "Memory").render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "┌─ Memory ─┐\n│          │\n└──────────┘")
        #expect(Panel.inner(screen.bounds) == Rect(x: 1, y: 1, width: 10, height: 1))
    }

    @Test func focusedPanelIsVisibleWithoutColour() {
        var screen = Screen(width: 12, height: 3)
        Panel(title: "Memory", focused: true).render(into: &screen, rect: screen.bounds)
        #expect(screen[3, 0].attributes.contains(.reverse))
        #expect(screen[0, 0].attributes.contains(.bold))
    }

    @Test func tokenStripHighlightsAndScrollsToKeepTheHighlightInView() {
        var screen = Screen(width: 6, height: 1)
        let tokens = (0..<10).map(String.init)
        TokenStrip(tokens: tokens, highlighted: 7, slotWidth: 2).render(into: &screen, rect: screen.bounds)
        // 3 slots: the window starts at 7 - 1 = 6.
        #expect(screen.plainText() == "6 7 8")
        #expect(screen[2, 0].attributes == [.reverse, .bold])
        #expect(screen[0, 0].attributes == [])
        #expect(TokenStrip.firstVisible(count: 10, visible: 3, focus: 9) == 7)
        #expect(TokenStrip.firstVisible(count: 10, visible: 3, focus: 0) == 0)
        #expect(TokenStrip(tokens: tokens, highlighted: 7, slotWidth: 2).index(atX: 3, in: screen.bounds) == 7)
    }

    @Test func labelledMatrixPrintsLabelsAndValuesOnTheirColours() {
        var screen = Screen(width: 14, height: 3)
        let matrix = LabelledMatrix(values: [0, 1, 0.5, -1], rows: 2, columns: 2, rowLabels: ["r0", "r1"],
                                    columnLabels: ["a", "b"], scale: .blueWhiteRed, range: .symmetric(1), mode: .c8)
        matrix.render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "       a    b\nr0  0.00 1.00\nr1  0.50 -1.0")
        #expect(screen[4, 1].bg == .white)  // 0 is the middle of the diverging scale
        #expect(screen[9, 1].bg == .red)
        #expect(matrix.position(atX: 10, y: 2, in: screen.bounds) == GridPosition(row: 1, column: 1))
    }

    @Test func statusBarShowsLeftHintsAndRightTextInReverse() {
        var screen = Screen(width: 40, height: 1)
        StatusBar(left: "step 3/20", hints: [HelpEntry(keys: "q", description: "quit"), HelpEntry(keys: "?", description: "help")],
                  right: "1.0×").render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == " step 3/20  q quit  ? help          1.0×")
        #expect((0..<40).allSatisfy { screen[$0, 0].attributes.contains(.reverse) })
    }

    @Test func statusBarDropsHintsThatDoNotFitButNeverHelpOrQuit() {
        let hints = [HelpEntry(keys: "space", description: "play"), HelpEntry(keys: "?", description: "help"),
                     HelpEntry(keys: "q", description: "quit")]
        func bar(_ width: Int, right: String = "5 steps/s · memory", compact: String? = "memory") -> String {
            var screen = Screen(width: width, height: 1)
            StatusBar(left: "step 3", hints: hints, right: right, compactRight: compact).render(into: &screen, rect: screen.bounds)
            return screen.plainText()
        }
        #expect(bar(30, right: "5×", compact: nil) == " step 3  ? help  q quit     5×")
        // The right text gives way to them: first its compact form, then cut with an ellipsis (or left out
        // where under four columns are left).
        #expect(bar(30) == " step 3  ? help  q quit memory")
        #expect(bar(28) == " step 3  ? help  q quit mem…")
        #expect(bar(26) == " step 3  ? help  q quit")
        // Wide enough, every hint in its order.
        #expect(bar(44, right: "5×", compact: nil) == " step 3  space play  ? help  q quit       5×")
    }

    /// Issue 24 (4): a description wider than the screen allows wraps onto its own rows instead of being
    /// cut with an ellipsis (translate's help at 80 columns); where even that cannot fit, it is cut.
    @Test func helpOverlayWrapsALongDescription() {
        let entries = [HelpEntry(keys: "t", description: "type your own input, then run it"), HelpEntry(keys: "q", description: "quit")]
        var screen = Screen(width: 24, height: 6)
        HelpOverlay(entries: entries, footer: "").render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == """
            ┌─ Keys ───────────────┐
            │ t  type your own     │
            │    input, then run   │
            │    it                │
            │ q  quit              │
            └──────────────────────┘
            """)
        screen = Screen(width: 24, height: 4)
        HelpOverlay(entries: entries, footer: "").render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText().contains("│ t  type your own in… │"))
    }

    @Test func helpOverlayListsKeysInACentredBox() {
        var screen = Screen(width: 30, height: 8)
        screen.fill(screen.bounds, with: Cell("."))
        HelpOverlay(entries: [HelpEntry(keys: "q", description: "quit"), HelpEntry(keys: "←/h", description: "step back")],
                    footer: "any key").render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == """
            ..............................
            ......┌─ Keys ─────────┐......
            ......│   q  quit      │......
            ......│ ←/h  step back │......
            ......│                │......
            ......│    any key     │......
            ......└────────────────┘......
            ..............................
            """)
    }

    /// One of every widget, each with more to show than the rectangles below have room for.
    static func everyWidget() -> [any Widget] {
        let unit = ValueRange(min: 0, max: 1)
        let keys = (0..<12).map { HelpEntry(keys: "k\($0)", description: "does thing number \($0)") }
        var canvas = BrailleCanvas(width: 30, height: 12)
        canvas.line(from: 0, 0, to: 59, 47)
        let ramp = (0..<40).map { Float($0) / 39 }
        return [
            canvas,
            Heatmap(values: ramp, rows: 8, columns: 5, scale: .viridis, range: unit, mode: .truecolor, cellWidth: 3,
                    cursor: GridPosition(row: 7, column: 4)),
            HelpOverlay(entries: keys, footer: "press any key to close this overlay"),
            LabelledMatrix(values: ramp, rows: 8, columns: 5, rowLabels: (0..<8).map { "row \($0)" },
                           columnLabels: (0..<5).map { "col \($0)" }, scale: .magma, range: unit, mode: .c256),
            Legend(title: "a long legend title", scale: .blueWhiteRed, range: .symmetric(1), mode: .c8),
            LineChart(series: [LineChart.Series(ramp), LineChart.Series(ramp.reversed())], mode: .truecolor),
            LogChart(values: [100, 10, 1, 0.1, 0.01], mode: .none),
            Panel(title: "a title longer than the panel", focused: true),
            Sparkline(values: ramp, mode: .c256),
            StatusBar(left: "step 3/20", hints: keys, right: "1.0×"),
            TokenStrip(tokens: (0..<30).map(String.init), highlighted: 20, slotWidth: 3),
            TooSmallMessage(neededWidth: 80, neededHeight: 24),
            ValueBars(items: (0..<10).map { ValueBars.Item("item \($0)", Float($0) / 9) }, range: unit, mode: .c8),
        ]
    }

    @Test(arguments: [Rect(x: 3, y: 2, width: 10, height: 4), Rect(x: 1, y: 1, width: 1, height: 1),
                      Rect(x: 5, y: 5, width: 0, height: 3)])
    func everyWidgetDrawsOnlyInsideItsRect(rect: Rect) {
        let sentinel = Cell("·", fg: .magenta)
        for widget in Self.everyWidget() {
            var screen = Screen(width: 20, height: 10, fill: sentinel)
            widget.render(into: &screen, rect: rect)
            let outside = (0..<screen.height).flatMap { y in (0..<screen.width).map { x in (x, y) } }
                .filter { !rect.contains(x: $0.0, y: $0.1) && screen[$0.0, $0.1] != sentinel }
            #expect(outside.isEmpty, "\(type(of: widget)) drew outside \(rect) at \(outside.prefix(3))")
        }
    }
}
