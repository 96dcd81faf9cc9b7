/// A colour as a widget asks for it: the terminal's default, one of the 256 indexed colours, or 24-bit RGB.
/// What reaches the terminal depends on the `ColorMode`; see `quantised(for:)`.
///
/// Four bytes, trivially copyable, so a `Cell` stays a small plain value.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// An indexed colour: 0-7 the ANSI colours, 8-15 their bright variants, 16-231 the 6×6×6 cube,
    /// 232-255 the grey ramp.
    case ansi(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// Builds an RGB colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self = .rgb(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// The eight ANSI colours by name.
    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)
    public static let brightWhite = Color.ansi(15)

    /// The RGB value this colour is usually displayed as (xterm's palette for indexed colours);
    /// nil for `.default`, whose appearance only the terminal knows.
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case let .rgb(r, g, b): return (r, g, b)
        case let .ansi(n): return Palette.rgb(ofIndex: n)
        }
    }

    /// This colour as the terminal in `mode` can show it. Promises:
    /// - `.truecolor`: unchanged.
    /// - `.c256`: RGB becomes the nearest entry of the 6×6×6 cube or the grey ramp (16-255); indices unchanged.
    /// - `.c8`: RGB and indices 8-255 become the nearest of the eight ANSI colours (0-7).
    /// - `.none`: always `.default`.
    @inlinable
    public func quantised(for mode: ColorMode) -> Color {
        switch (mode, self) {
        case (_, .default), (.truecolor, _): return self
        case (.none, _): return .default
        case (.c256, .ansi): return self
        case let (.c256, .rgb(r, g, b)): return .ansi(Palette.nearest256(r, g, b))
        case let (.c8, .ansi(n)):
            if n < 8 { return self }
            if n < 16 { return .ansi(n - 8) }
            let (r, g, b) = Palette.rgb(ofIndex: n)
            return .ansi(Palette.nearest8(r, g, b))
        case let (.c8, .rgb(r, g, b)): return .ansi(Palette.nearest8(r, g, b))
        }
    }
}
