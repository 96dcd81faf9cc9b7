/// A ramp of colours that turns a position in [0, 1] into a `Color` for each `ColorMode`, and into a glyph
/// for `.none` (`glyph(at:)`, the one monochrome rule). Sequential scales (viridis, magma) suit values in a
/// range such as attention or usage; the diverging scale (blue–white–red) suits signed values with a
/// `ValueRange.symmetric` range.
public struct ColorScale: Sendable {
    public enum Kind: Sendable { case sequential, diverging }

    public let name: String
    public let kind: Kind
    /// Evenly spaced RGB stops from position 0 to 1, interpolated linearly.
    public let stops: [(UInt8, UInt8, UInt8)]
    /// Evenly spaced ANSI colours (0-7) used in `.c8`, where interpolation would collapse to a few colours
    /// anyway and a hand-picked order keeps the ramp monotone to the eye.
    public let palette8: [UInt8]

    public init(name: String, kind: Kind, stops: [UInt32], palette8: [UInt8]) {
        precondition(stops.count >= 2 && !palette8.isEmpty, "a scale needs two stops and an 8-colour palette")
        self.name = name
        self.kind = kind
        self.stops = stops.map { (UInt8(($0 >> 16) & 0xFF), UInt8(($0 >> 8) & 0xFF), UInt8($0 & 0xFF)) }
        self.palette8 = palette8
    }

    /// Perceptually uniform dark-blue → green → yellow (matplotlib's viridis, sampled at ten points).
    public static let viridis = ColorScale(
        name: "viridis", kind: .sequential,
        stops: [0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725],
        palette8: [4, 6, 2, 3])
    /// Black → purple → orange → pale yellow (matplotlib's magma, sampled at ten points).
    public static let magma = ColorScale(
        name: "magma", kind: .sequential,
        stops: [0x000004, 0x180F3E, 0x451077, 0x721F81, 0x9F2F7F, 0xCD4071, 0xF1605D, 0xFD9567, 0xFEC98D, 0xFCFDBF],
        palette8: [0, 4, 5, 1, 3, 7])
    /// Blue (negative) → white (zero) → red (positive), ColorBrewer RdBu reversed.
    public static let blueWhiteRed = ColorScale(
        name: "blue-white-red", kind: .diverging,
        stops: [0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B],
        palette8: [4, 6, 7, 3, 1])

    /// The glyphs of a sequential scale in `.none`, one per equal fifth of the scale: blank, then more ink for
    /// larger values.
    public static let sequentialGlyphs: [Unicode.Scalar] = [" ", "░", "▒", "▓", "█"]
    /// The glyphs of a diverging scale in `.none`, one per equal ninth of the scale from its negative end to its
    /// positive end: the sign is the glyph family (strokes `·-=≡` below zero, shades `░▒▓█` above it), the
    /// magnitude is how much ink, and the ninth around zero is blank. Read left to right, this is the legend.
    public static let divergingGlyphs: [Unicode.Scalar] = ["≡", "=", "-", "·", " ", "░", "▒", "▓", "█"]

    /// The glyphs `.none` draws for this scale, from position 0 to 1 in equal-width bins.
    public var glyphs: [Unicode.Scalar] {
        switch kind {
        case .sequential: Self.sequentialGlyphs
        case .diverging: Self.divergingGlyphs
        }
    }

    /// The interpolated RGB at position `t` (clamped to [0, 1]).
    @inlinable
    public func rgb(at t: Float) -> (UInt8, UInt8, UInt8) {
        let clamped = t.isNaN ? 0 : (t < 0 ? 0 : (t > 1 ? 1 : t))
        let scaled = clamped * Float(stops.count - 1)
        let i = Swift.min(Int(scaled), stops.count - 2)
        let f = scaled - Float(i)
        let a = stops[i], b = stops[i + 1]
        @inline(__always) func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Float(x) + (Float(y) - Float(x)) * f).rounded())
        }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// The colour at position `t` for `mode`. Promises: `.truecolor` gives the interpolated RGB; `.c256` its
    /// nearest cube/grey index; `.c8` the entry of `palette8` whose equal-width bin holds `t`; `.none` gives
    /// `.default` (use `glyph(at:)`). NaN gives `.default`.
    @inlinable
    public func color(at t: Float, mode: ColorMode) -> Color {
        if t.isNaN { return .default }
        switch mode {
        case .none: return .default
        case .truecolor:
            let (r, g, b) = rgb(at: t)
            return .rgb(r, g, b)
        case .c256:
            let (r, g, b) = rgb(at: t)
            return .ansi(Palette.nearest256(r, g, b))
        case .c8:
            return .ansi(palette8[Self.bin(t, count: palette8.count)])
        }
    }

    /// The colour of `value` within `range` for `mode`.
    @inlinable
    public func color(for value: Float, in range: ValueRange, mode: ColorMode) -> Color {
        color(at: range.position(of: value), mode: mode)
    }

    /// The one monochrome rule: the glyph `.none` draws for position `t`, the entry of `glyphs` whose
    /// equal-width bin of [0, 1] holds `t` (as `.c8` bins `palette8`); `?` for NaN. Heatmaps, weight rows,
    /// vectors and legends all draw through this, so a cell always reads like the legend at its value.
    @inlinable
    public func glyph(at t: Float) -> Unicode.Scalar {
        if t.isNaN { return "?" }
        let glyphs = self.glyphs
        return glyphs[Self.bin(t, count: glyphs.count)]
    }

    /// Where this scale shows nothing: position 0 for a sequential scale, the middle (zero of a symmetric
    /// range) for a diverging one.
    public var neutral: Float { kind == .diverging ? 0.5 : 0 }

    /// Of positions that must share one glyph (the two data rows of a half-block cell in `.none`), the one
    /// farthest from `neutral`, ties to the first: a peak is never averaged away and opposite signs never
    /// cancel to a blank. NaN wins, so missing data shows as `?`; nil when there are no positions.
    public func dominant(_ positions: [Float]) -> Float? {
        var best: Float?
        for t in positions {
            if t.isNaN { return t }
            if best == nil || abs(t - neutral) > abs(best! - neutral) { best = t }
        }
        return best
    }

    /// A solid cell for position `t`: `█` in the scale's colour for `mode`, or in `.none` the scale's glyph.
    /// For rows of single cells (weightings, key/add/read vectors, legend swatches).
    @inlinable
    public func cell(at t: Float, mode: ColorMode) -> Cell {
        mode == .none ? Cell(glyph(at: t)) : Cell("█", fg: color(at: t, mode: mode))
    }

    /// Index of the equal-width bin of [0, 1] holding `t`, 0 ..< count.
    @inlinable
    static func bin(_ t: Float, count: Int) -> Int {
        let clamped = t < 0 ? 0 : (t > 1 ? 1 : t)
        return Swift.min(Int(clamped * Float(count)), count - 1)
    }
}
