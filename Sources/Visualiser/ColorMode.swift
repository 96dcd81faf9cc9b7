/// How many colours the output can show. Widgets pick colours for a mode; in `.none` they carry meaning with
/// characters (shading ` ░▒▓█`) and attributes instead.
public enum ColorMode: String, CaseIterable, Sendable, Comparable {
    case none
    case c8
    case c256
    case truecolor

    private var rank: Int {
        switch self {
        case .none: 0
        case .c8: 1
        case .c256: 2
        case .truecolor: 3
        }
    }

    public static func < (a: ColorMode, b: ColorMode) -> Bool { a.rank < b.rank }

    /// Parses a `--color` value: `truecolor` (or `24bit`), `256`, `8`, `none`. `auto` and anything else give nil.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "truecolor", "24bit", "24-bit": self = .truecolor
        case "256": self = .c256
        case "8": self = .c8
        case "none", "off", "no": self = .none
        default: return nil
        }
    }

    /// The mode an environment asks for, without looking at terminfo. Promises, in order:
    /// `NO_COLOR` set to a non-empty value (https://no-color.org) → `.none`; `TERM` unset, empty or `dumb` →
    /// `.none`; `COLORTERM` `truecolor`/`24bit` or `TERM` ending in `-direct` → `.truecolor`; `TERM` containing
    /// `256color` → `.c256`; any other `TERM` → `.c8`.
    public static func detect(environment: [String: String]) -> ColorMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || term.hasSuffix("-direct") { return .truecolor }
        if term.contains("256color") { return .c256 }
        return .c8
    }

    /// The richest mode a terminal with `colors` colours can show (`directColor`: it numbers colours as
    /// 0xRRGGBB), never richer than `requested`. Used with the capabilities curses reports.
    public static func forTerminal(colors: Int, directColor: Bool, requested: ColorMode = .truecolor) -> ColorMode {
        let capable: ColorMode
        if directColor && colors >= 0x1000000 { capable = .truecolor }
        else if colors >= 256 { capable = .c256 }
        else if colors >= 8 { capable = .c8 }
        else { capable = .none }
        return min(capable, requested)
    }
}
