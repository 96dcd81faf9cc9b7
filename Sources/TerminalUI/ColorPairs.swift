import CNcurses
import Visualiser

/// Maps (foreground, background) colours to curses' extended colour pairs, defining pairs on demand and
/// remembering them. Curses has a fixed number of pairs; when they run out, `pair` returns nil and the
/// caller resets the table (`reset()`) and repaints.
struct ColorPairs {
    let mode: ColorMode
    let directColor: Bool
    let capacity: Int
    private var table: [UInt64: Int32] = [:]
    private var next: Int32 = 1
    // The last lookup, since neighbouring cells usually share colours.
    private var lastKey: UInt64 = .max
    private var lastPair: Int32 = 0

    init(mode: ColorMode, directColor: Bool, capacity: Int) {
        self.mode = mode
        self.directColor = directColor
        self.capacity = capacity
        table.reserveCapacity(Swift.min(capacity, 4096))
    }

    /// The curses colour number of `color` in this mode: -1 for the default, the palette index for 256 and
    /// 8 colours, 0xRRGGBB on direct-colour terminals.
    func number(_ color: Color) -> Int32 {
        switch color.quantised(for: mode) {
        case .default: return -1
        case let .ansi(n):
            guard directColor, n >= 8 else { return Int32(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n)
            return Self.direct(r, g, b)
        case let .rgb(r, g, b):
            return directColor ? Self.direct(r, g, b) : Int32(Palette.nearest256(r, g, b))
        }
    }

    /// Direct-colour terminfo (xterm-direct) treats numbers 0-7 as the ANSI colours, so the darkest blues
    /// are nudged to 8 (= 0x000008), which looks the same.
    static func direct(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
        Swift.max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
    }

    /// The pair for `fg` on `bg`, defining it if new; 0 for default on default and in `.none`; nil when all
    /// pairs are in use.
    mutating func pair(fg: Color, bg: Color) -> Int32? {
        if mode == .none { return 0 }
        let f = number(fg), b = number(bg)
        if f == -1 && b == -1 { return 0 }
        let key = UInt64(UInt32(bitPattern: f)) << 32 | UInt64(UInt32(bitPattern: b))
        if key == lastKey { return lastPair }
        if let p = table[key] {
            lastKey = key
            lastPair = p
            return p
        }
        guard Int(next) < capacity else { return nil }
        let p = next
        guard tui_init_pair(p, f, b) == 0 else { return 0 }
        next += 1
        table[key] = p
        lastKey = key
        lastPair = p
        return p
    }

    /// Forgets every pair (and tells curses to).
    mutating func reset() {
        tui_reset_pairs()
        table.removeAll(keepingCapacity: true)
        next = 1
        lastKey = .max
    }
}
