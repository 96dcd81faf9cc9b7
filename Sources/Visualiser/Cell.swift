/// Text attributes of a cell. The raw bits match CNcurses' TUI_ATTR_* values.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)
}

/// Foreground, background and attributes, applied together when drawing text.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()
    public static let bold = Style(.bold)
    public static let dim = Style(.dim)
    public static let reverse = Style(.reverse)
}

/// One character cell of a `Screen`: a single-width Unicode scalar with colours and attributes. A plain
/// 12-byte value with no references, so a screen is one contiguous allocation and compares quickly.
public struct Cell: Hashable, Sendable {
    public var char: Unicode.Scalar
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(_ char: Unicode.Scalar = " ", fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.char = char
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public init(_ char: Unicode.Scalar, style: Style) {
        self.init(char, fg: style.fg, bg: style.bg, style.attributes)
    }

    /// A space with default colours.
    public static let blank = Cell()

    public var style: Style {
        get { Style(fg: fg, bg: bg, attributes) }
        set { fg = newValue.fg; bg = newValue.bg; attributes = newValue.attributes }
    }
}
