import Testing
import Visualiser

@Suite("Braille and block charts")
struct ChartTests {
    @Test func eachDotSetsItsBrailleBit() {
        var canvas = BrailleCanvas(width: 2, height: 1)
        canvas.set(0, 0)
        #expect(canvas.character(0, 0) == "⠁")
        canvas.set(1, 3)
        #expect(canvas.character(0, 0) == "⢁")
        canvas.set(2, 3)
        #expect(canvas.character(1, 0) == "⡀")
        canvas.set(99, 0)  // outside: ignored
        #expect(canvas.character(1, 0) == "⡀")
    }

    @Test func fullCellIsTheLastBrailleCharacter() {
        var canvas = BrailleCanvas(width: 1, height: 1)
        for x in 0..<2 { for y in 0..<4 { canvas.set(x, y) } }
        #expect(canvas.character(0, 0) == "⣿")
    }

    @Test func risingLineChartDrawsADiagonal() {
        var screen = Screen(width: 2, height: 1)
        LineChart(series: [.init([0, 1], color: .green)], mode: .c8, showLabels: false)
            .render(into: &screen, rect: screen.bounds)
        // Dots (0,3) (1,2) | (2,1) (3,0)
        #expect(screen.plainText() == "⡠⠊")
        #expect(screen[0, 0].fg == .green)
    }

    @Test func lineChartLabelsItsRangeOnALeftAxis() {
        var screen = Screen(width: 10, height: 3)
        LineChart(series: [.init([2, 2, 2])], range: ValueRange(min: 0, max: 4), mode: .none, decimals: 1)
            .render(into: &screen, rect: screen.bounds)
        // A flat line at the middle: dot row 11 - round(0.5 * 11) = 5 → text row 1, dot row 1 in the cell (⠒).
        #expect(screen.plainText() == "4.0┤\n   ┤⠒⠒⠒⠒⠒⠒\n0.0┤")
    }

    @Test func gapsInTheDataBreakTheLine() {
        var screen = Screen(width: 3, height: 1)
        LineChart(series: [.init([1, .nan, 1])], range: ValueRange(min: 0, max: 1), mode: .c8, showLabels: false)
            .render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "⠁ ⠈")
    }

    @Test func sparklineShowsTheMostRecentValuesAsEighthBlocks() {
        var screen = Screen(width: 4, height: 1)
        Sparkline(values: [9, 0, 1, 2, 3], range: ValueRange(min: 0, max: 3), mode: .c8)
            .render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "▁▃▆█")
    }

    @Test func valueBarsUseEighthBlocks() {
        let bars = ValueBars(items: [], range: ValueRange(min: 0, max: 1), mode: .c8)
        #expect(String(String.UnicodeScalarView(bars.barText(0.5, width: 4))) == "██  ")
        #expect(String(String.UnicodeScalarView(bars.barText(17.0 / 32, width: 4))) == "██▏ ")
        #expect(String(String.UnicodeScalarView(bars.barText(1, width: 4))) == "████")
        #expect(String(String.UnicodeScalarView(bars.barText(0, width: 4))) == "    ")
    }

    @Test func signedBarsGrowBothWaysFromZero() {
        let bars = ValueBars(items: [], range: .symmetric(1), mode: .c8)
        #expect(String(String.UnicodeScalarView(bars.barText(0.5, width: 8))) == "    ██  ")
        #expect(String(String.UnicodeScalarView(bars.barText(-0.75, width: 8))) == " ███    ")
        #expect(String(String.UnicodeScalarView(bars.barText(-0.625, width: 8))) == " ▐██    ")
    }

    @Test func valueBarsRowHasLabelBarAndValue() {
        var screen = Screen(width: 16, height: 2)
        ValueBars(items: [.init("g", 0.5), .init("beta", 1)], range: ValueRange(min: 0, max: 1), color: .yellow, mode: .c256, decimals: 2)
            .render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == "   g ███    0.50\nbeta ██████ 1.00")
        #expect(screen[5, 0].fg == .yellow)
    }
}
