import Testing
import Visualiser

@Suite("Colour modes and scales")
struct ColorTests {
    @Test func truecolorKeepsRGBUnchanged() {
        #expect(Color.rgb(12, 34, 56).quantised(for: .truecolor) == .rgb(12, 34, 56))
        #expect(Color.ansi(200).quantised(for: .truecolor) == .ansi(200))
    }

    @Test func rgbQuantisesTo256ColourCubeOrGreyRamp() {
        #expect(Color.rgb(255, 0, 0).quantised(for: .c256) == .ansi(196))
        #expect(Color.rgb(95, 135, 175).quantised(for: .c256) == .ansi(67))  // exact cube colour 16+36+12+3
        #expect(Color.rgb(128, 128, 128).quantised(for: .c256) == .ansi(244))  // grey 8+10*12
        #expect(Color.rgb(0, 0, 0).quantised(for: .c256) == .ansi(16))
        #expect(Color.rgb(100, 102, 98).quantised(for: .c256) == .ansi(241))  // greys beat cube 59 (95,95,95)
        #expect(Color.ansi(42).quantised(for: .c256) == .ansi(42))
    }

    @Test func everyCubeAndGreyIndexQuantisesToItself() {
        for n in 16...255 {
            let (r, g, b) = Palette.rgb(ofIndex: UInt8(n))
            let q = Palette.nearest256(r, g, b)
            #expect(Palette.rgb(ofIndex: q) == Palette.rgb(ofIndex: UInt8(n)), "index \(n) became \(q)")
        }
    }

    @Test func rgbAndHighIndicesQuantiseToNearestOfEightANSIColours() {
        #expect(Color.rgb(250, 10, 10).quantised(for: .c8) == .red)
        #expect(Color.rgb(20, 20, 200).quantised(for: .c8) == .blue)
        #expect(Color.rgb(240, 240, 240).quantised(for: .c8) == .white)
        #expect(Color.rgb(30, 30, 30).quantised(for: .c8) == .black)
        #expect(Color.ansi(9).quantised(for: .c8) == .red)  // bright red → red
        #expect(Color.ansi(200).quantised(for: .c8) == .magenta)  // (255, 0, 215)
    }

    @Test func noColourModeDropsEveryColour() {
        for color in [Color.rgb(1, 2, 3), .ansi(3), .ansi(100), .default] {
            #expect(color.quantised(for: .none) == .default)
        }
    }

    @Test func sequentialScaleRunsFromFirstToLastStop() {
        #expect(ColorScale.viridis.color(at: 0, mode: .truecolor) == .rgb(0x44, 0x01, 0x54))
        #expect(ColorScale.viridis.color(at: 1, mode: .truecolor) == .rgb(0xFD, 0xE7, 0x25))
        #expect(ColorScale.viridis.color(at: -3, mode: .truecolor) == .rgb(0x44, 0x01, 0x54))
        // Halfway between stops 4 (0x26828E) and 5 (0x1F9E89).
        #expect(ColorScale.viridis.color(at: 0.5, mode: .truecolor) == .rgb(0x23, 0x90, 0x8C))
        #expect(ColorScale.magma.color(at: 0, mode: .c256) == .ansi(16))
    }

    @Test func divergingScaleIsWhiteAtZeroBlueBelowRedAbove() {
        let scale = ColorScale.blueWhiteRed
        let range = ValueRange.symmetric(3)
        #expect(scale.color(for: 0, in: range, mode: .truecolor) == .rgb(0xF7, 0xF7, 0xF7))
        #expect(scale.color(for: -3, in: range, mode: .truecolor) == .rgb(0x21, 0x66, 0xAC))
        #expect(scale.color(for: 7, in: range, mode: .truecolor) == .rgb(0xB2, 0x18, 0x2B))
        #expect(scale.color(for: -3, in: range, mode: .c8) == .blue)
        #expect(scale.color(for: 0, in: range, mode: .c8) == .white)
        #expect(scale.color(for: 3, in: range, mode: .c8) == .red)
        #expect(scale.color(for: 0, in: range, mode: .c256) == .ansi(231))  // F7F7F7: white cube beats grey 238
    }

    @Test func sequentialGlyphsCoverZeroToOneInFiveSteps() {
        for scale in [ColorScale.viridis, .magma] {
            #expect([0, 0.19, 0.2, 0.5, 0.79, 0.8, 1].map { scale.glyph(at: Float($0)) } == [" ", " ", "░", "▒", "▓", "█", "█"])
            #expect(scale.glyph(at: .nan) == "?")
        }
        #expect(ColorScale.viridis.color(at: .nan, mode: .truecolor) == .default)
    }

    @Test func divergingGlyphsShowTheSignAsTheGlyphFamilyAndTheMagnitudeAsInk() {
        let scale = ColorScale.blueWhiteRed, range = ValueRange.symmetric(2)
        func glyph(_ v: Float) -> Unicode.Scalar { scale.glyph(at: range.position(of: v)) }
        // Nine equal bins from −2 to +2: strokes below zero, blank around it, shades above it.
        #expect([-2, -1.4, -1, -0.4, 0, 0.4, 1, 1.4, 2].map(glyph) == ["≡", "=", "-", "·", " ", "░", "▒", "▓", "█"])
        #expect(glyph(-5) == "≡" && glyph(5) == "█")              // clamped at the ends
        #expect(glyph(.nan) == "?")
        // Outside the blank ninth around zero (|v| < 2/9), −v and +v never look alike, and each shows its sign.
        let negatives: Set<Unicode.Scalar> = ["·", "-", "=", "≡"], positives: Set<Unicode.Scalar> = ["░", "▒", "▓", "█"]
        for k in 23...200 {
            let v = Float(k) / 100
            #expect(glyph(-v) != glyph(v), "±\(v)")
            #expect(negatives.contains(glyph(-v)) && positives.contains(glyph(v)), "±\(v)")
        }
    }

    @Test func theDominantOfSeveralPositionsIsTheFarthestFromTheScalesNeutralPoint() {
        // Diverging: the neutral point is the middle, so a strong negative beats a weak positive (no cancelling).
        #expect(ColorScale.blueWhiteRed.dominant([0.6, 0.1]) == 0.1)
        #expect(ColorScale.blueWhiteRed.dominant([0.5, 0.55]) == 0.55)
        // Sequential: the neutral point is 0, so the larger value wins (a peak is not averaged away).
        #expect(ColorScale.viridis.dominant([0.1, 0.9]) == 0.9)
        #expect(ColorScale.viridis.dominant([0.2]) == 0.2)
        #expect(ColorScale.viridis.dominant([]) == nil)
        #expect(ColorScale.viridis.dominant([1, .nan])?.isNaN == true)
    }

    @Test func aScaleCellIsAColouredBlockOrTheGlyphWithoutColour() {
        let scale = ColorScale.blueWhiteRed
        #expect(scale.cell(at: 0, mode: .none) == Cell("≡"))
        #expect(scale.cell(at: 1, mode: .none) == Cell("█"))
        #expect(scale.cell(at: 0, mode: .truecolor) == Cell("█", fg: .rgb(0x21, 0x66, 0xAC)))
        #expect(scale.cell(at: 1, mode: .c8) == Cell("█", fg: .red))
    }

    @Test func valueRangeClampsAndKeepsNaN() {
        let r = ValueRange(min: 2, max: 6)
        #expect(r.position(of: 4) == 0.5)
        #expect(r.position(of: -10) == 0)
        #expect(r.position(of: 10) == 1)
        #expect(r.position(of: .nan).isNaN)
        #expect(ValueRange(min: 1, max: 1).position(of: 1) == 0)  // degenerate range does not divide by 0
        #expect(ValueRange.covering([-0.5, 2, .nan, -4], symmetric: true) == .symmetric(4))
        #expect(ValueRange.covering([Float]()) == ValueRange(min: 0, max: 1))
    }
}

@Suite("Colour detection")
struct ColorDetectionTests {
    @Test func noColorSetToAnythingTurnsColourOff() {
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": "1", "COLORTERM": "truecolor"]) == .none)
    }

    @Test func emptyNoColorIsIgnored() {
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""]) == .c256)
    }

    @Test func termAndColortermChooseTheMode() {
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "24bit"]) == .truecolor)
        #expect(ColorMode.detect(environment: ["TERM": "xterm-direct"]) == .truecolor)
        #expect(ColorMode.detect(environment: ["TERM": "tmux-256color"]) == .c256)
        #expect(ColorMode.detect(environment: ["TERM": "xterm"]) == .c8)
        #expect(ColorMode.detect(environment: ["TERM": "dumb", "COLORTERM": "truecolor"]) == .none)
        #expect(ColorMode.detect(environment: [:]) == .none)
    }

    @Test func terminalCapabilityCapsTheRequestedMode() {
        #expect(ColorMode.forTerminal(colors: 256, directColor: false) == .c256)
        #expect(ColorMode.forTerminal(colors: 0x1000000, directColor: true) == .truecolor)
        #expect(ColorMode.forTerminal(colors: 0x1000000, directColor: true, requested: .c8) == .c8)
        #expect(ColorMode.forTerminal(colors: 8, directColor: false, requested: .truecolor) == .c8)
        #expect(ColorMode.forTerminal(colors: 0, directColor: false) == .none)
    }

    @Test func colorArgumentParses() {
        #expect(ColorMode(argument: "256") == .c256)
        #expect(ColorMode(argument: "TrueColor") == .truecolor)
        #expect(ColorMode(argument: "none") == ColorMode.none)
        #expect(ColorMode(argument: "auto") == nil)
    }
}
