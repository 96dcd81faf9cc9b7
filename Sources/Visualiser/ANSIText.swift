/// Turns styles into SGR escape sequences, writing only what changed since the last style it wrote.
/// Used to print a `Screen` as ANSI text (`arnn render`, recordings) without a terminal library.
public struct SGRWriter: Sendable {
    public let mode: ColorMode
    private var current = Style.plain

    public init(mode: ColorMode) { self.mode = mode }

    /// Appends to `out` the shortest sequence (one `ESC[...m` at most) that changes the current style to
    /// `style` as `mode` shows it; nothing when they already agree.
    public mutating func transition(to style: Style, into out: inout String) {
        let target = Style(fg: style.fg.quantised(for: mode), bg: style.bg.quantised(for: mode), style.attributes)
        if target == current { return }
        // Parameters are appended straight into `out`, separated by ';', inside one CSI ... m.
        var first = true
        func add(_ code: String) {
            out += first ? "\u{1B}[" : ";"
            out += code
            first = false
        }
        var from = current
        if !from.attributes.subtracting(target.attributes).isEmpty {
            // An attribute is switched off: reset everything and build the target from scratch.
            add("0")
            from = .plain
        }
        let added = target.attributes.subtracting(from.attributes)
        if added.contains(.bold) { add("1") }
        if added.contains(.dim) { add("2") }
        if added.contains(.underline) { add("4") }
        if added.contains(.reverse) { add("7") }
        if target.fg != from.fg { add(Self.code(target.fg, background: false)) }
        if target.bg != from.bg { add(Self.code(target.bg, background: true)) }
        current = target
        if !first { out += "m" }
    }

    /// Appends a full reset if the current style is not plain.
    public mutating func reset(into out: inout String) {
        if current != .plain {
            out += "\u{1B}[0m"
            current = .plain
        }
    }

    /// The SGR parameter for one colour: 39/49 default, 30-37/40-47 and 90-97/100-107 for the sixteen
    /// ANSI colours, `38;5;n` for other indices and `38;2;r;g;b` for RGB.
    static func code(_ color: Color, background: Bool) -> String {
        switch color {
        case .default: return background ? "49" : "39"
        case let .ansi(n) where n < 8: return String((background ? 40 : 30) + Int(n))
        case let .ansi(n) where n < 16: return String((background ? 100 : 90) + Int(n) - 8)
        case let .ansi(n): return (background ? "48;5;" : "38;5;") + String(n)
        case let .rgb(r, g, b): return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
        }
    }
}

extension Screen {
    /// The screen as text with SGR colour escapes for `mode`: each row ends with a reset (when styled) and
    /// `lineSeparator`; trailing blank unstyled cells are left out; escape codes are emitted only where the
    /// style changes. In `.none` only attributes (bold, reverse, ...) are emitted.
    public func ansiText(mode: ColorMode, lineSeparator: String = "\n") -> String {
        var out = ""
        out.reserveCapacity(width * height * 2)
        var writer = SGRWriter(mode: mode)
        for y in 0..<height {
            let row = y * width
            var end = width
            while end > 0 {
                let c = cells[row + end - 1]
                let visibleBackground = c.bg.quantised(for: mode) != .default
                    || c.attributes.contains(.reverse) || c.attributes.contains(.underline)
                if c.char == " " && !visibleBackground { end -= 1 } else { break }
            }
            for x in 0..<end {
                let cell = cells[row + x]
                writer.transition(to: cell.style, into: &out)
                out.unicodeScalars.append(cell.char)
            }
            writer.reset(into: &out)
            if y < height - 1 { out += lineSeparator }
        }
        return out
    }
}
