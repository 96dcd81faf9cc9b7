/// Something that happened to the viewer: the only input `update(state, event)` receives. The terminal
/// backend turns raw input into these; tests build them by hand.
public enum Event: Hashable, Sendable {
    case key(Key)
    /// A mouse press at cell (x, y) of the screen.
    case mouse(x: Int, y: Int, button: MouseButton)
    /// The terminal is now `width × height` cells.
    case resize(width: Int, height: Int)
    /// Time passed without input (the wait for input timed out), e.g. to advance playback.
    case tick
}

public enum MouseButton: Hashable, Sendable {
    case left, middle, right, wheelUp, wheelDown, other
}

/// A key press, decoded. Printable keys (including space) are `.char`; Ctrl with a letter is `.ctrl`
/// with the lower-case letter (Ctrl-C is `.ctrl("c")`).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete, insert
    case function(Int)
    case unknown

    /// The key for a Unicode scalar read from the terminal: tab, enter, escape, backspace, Ctrl-letters and
    /// printable characters.
    public init(scalar: Unicode.Scalar) {
        switch scalar.value {
        case 9: self = .tab
        case 10, 13: self = .enter
        case 27: self = .escape
        case 8, 127: self = .backspace
        case 1...26: self = .ctrl(Character(Unicode.Scalar(scalar.value + 96)!))
        case 0..<32: self = .unknown
        default: self = .char(Character(scalar))
        }
    }

    /// How help and the status bar write the key: `q`, `space`, `←`, `Home`, `Ctrl-C`, `F1`.
    public var description: String {
        switch self {
        case .char(" "): return "space"
        case let .char(c): return String(c)
        case let .ctrl(c): return "Ctrl-\(c.uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .enter: return "enter"
        case .escape: return "esc"
        case .backspace: return "backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case let .function(n): return "F\(n)"
        case .unknown: return "?"
        }
    }
}
