import Testing
import Visualiser

@Suite("Screen output")
struct ScreenOutputTests {
    let esc = "\u{1B}["

    @Test func plainTextTrimsTrailingSpacesButKeepsEmptyRows() {
        var screen = Screen(width: 6, height: 3)
        screen.put("ab", x: 1, y: 0)
        screen.put("toolong", x: 3, y: 2)
        #expect(screen.plainText() == " ab\n\n   too")
        #expect(screen.plainText(trimTrailingSpaces: false) == " ab   \n      \n   too")
    }

    @Test func screenFromLinesRoundTrips() {
        let lines = ["┌─┐", "│x│", "└─┘"]
        #expect(Screen(lines: lines).plainText() == lines.joined(separator: "\n"))
    }

    @Test func ansiEmitsEscapesOnlyWhereTheStyleChanges() {
        var screen = Screen(width: 5, height: 1)
        screen.put("aa", x: 0, y: 0, style: Style(fg: .red))
        screen.put("b", x: 2, y: 0, style: Style(fg: .red, [.bold]))
        #expect(screen.ansiText(mode: .c256) == "\(esc)31maa\(esc)1mb\(esc)0m")
    }

    @Test func ansiResetsWhenAnAttributeIsSwitchedOffAndEndsEachStyledRow() {
        var screen = Screen(width: 2, height: 2)
        screen[0, 0] = Cell("x", fg: .default, bg: .blue, [.bold])
        screen[1, 0] = Cell("y", fg: .default, bg: .blue)
        screen[0, 1] = Cell("z")
        #expect(screen.ansiText(mode: .c8) == "\(esc)1;44mx\(esc)0;44my\(esc)0m\nz")
    }

    @Test func ansiWritesColoursForEachMode() {
        var screen = Screen(width: 1, height: 1)
        screen[0, 0] = Cell("▀", fg: .rgb(255, 0, 0), bg: .rgb(0, 0, 0))
        #expect(screen.ansiText(mode: .truecolor) == "\(esc)38;2;255;0;0;48;2;0;0;0m▀\(esc)0m")
        #expect(screen.ansiText(mode: .c256) == "\(esc)38;5;196;48;5;16m▀\(esc)0m")
        #expect(screen.ansiText(mode: .c8) == "\(esc)31;40m▀\(esc)0m")
        #expect(screen.ansiText(mode: .none) == "▀")
        screen[0, 0] = Cell("!", fg: .ansi(9), bg: .default, [.reverse])
        #expect(screen.ansiText(mode: .c256) == "\(esc)7;91m!\(esc)0m")
        #expect(screen.ansiText(mode: .none) == "\(esc)7m!\(esc)0m")
    }

    @Test func ansiKeepsTrailingCellsThatShowABackground() {
        var screen = Screen(width: 3, height: 1)
        screen[2, 0] = Cell(" ", bg: .green)
        #expect(screen.ansiText(mode: .c8) == "  \(esc)42m \(esc)0m")
        #expect(screen.ansiText(mode: .none) == "")
    }

    @Test func diffVisitsOnlyChangedCellsOrEverythingAfterAResize() {
        let before = Screen(lines: ["abc", "def"])
        var after = before
        after[1, 1] = Cell("E", fg: .red)
        after[2, 0] = Cell("c", fg: .red)
        var changes: [String] = []
        after.forEachChange(since: before) { x, y, cell in changes.append("\(x),\(y),\(cell.char)") }
        #expect(changes == ["2,0,c", "1,1,E"])
        var count = 0
        after.forEachChange(since: Screen(width: 3, height: 3)) { _, _, _ in count += 1 }
        #expect(count == 6)
        after.forEachChange(since: after) { _, _, _ in Issue.record("identical screens have no changes") }
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var screen = Screen(width: 2, height: 1)
        screen[5, 0] = Cell("x")
        screen[-1, 0] = Cell("x")
        screen.put("hello", x: -2, y: 0)
        #expect(screen.plainText() == "ll")
        #expect(screen[9, 9] == .blank)
    }

    @Test func textIsFittedWithAnEllipsis() {
        #expect("abcdef".fitted(to: 4) == "abc…")
        #expect("abc".fitted(to: 3) == "abc")
        #expect("ab".padded(to: 5, alignment: .centre) == " ab  ")
    }

    @Test func numbersFormatWithoutFoundation() {
        #expect(NumberFormat.fixed(1.2345, decimals: 2) == "1.23")
        #expect(NumberFormat.fixed(-0.5, decimals: 1, plusSign: true) == "-0.5")
        #expect(NumberFormat.fixed(0.5, decimals: 3, plusSign: true) == "+0.500")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(12, decimals: 0) == "12")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "nan")
        #expect(NumberFormat.fitting(-12.345, width: 5) == "-12.3")
        #expect(NumberFormat.fitting(123456, width: 4) == "####")
    }
}
