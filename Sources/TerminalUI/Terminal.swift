import CNcurses
import Engine
import Visualiser

/// The interactive terminal: the one place arnn talks to curses. It opens the terminal, shows `Screen`s by
/// writing only the cells that changed since the last one, turns input into `Event`s, and restores the
/// terminal on every way out: `stop()`, deinit, exit (atexit), SIGINT/SIGTERM/SIGHUP/SIGQUIT and crashes
/// (handlers in the C shim that restore, then re-raise to the previous action).
///
/// Not thread-safe; use it from one thread (the main one).
public final class Terminal {
    public struct Options: Sendable {
        /// The colour mode asked for (`--color`); nil means auto: the terminal's best, or `.none` when
        /// `NO_COLOR` is set. The terminal's capability always caps it.
        public var colorMode: ColorMode?
        /// Deliver Ctrl-C (and Ctrl-Z, Ctrl-\) as key events instead of signals. With false (the default)
        /// Ctrl-C raises SIGINT, which restores the terminal and ends the process even if the loop is busy.
        public var interruptAsKey: Bool
        /// Who needs the terminal and what to do without one, for the one-line errors: by default the
        /// viewer, pointing at `arnn render`; `arnn train --watch` points at training without it.
        public var needer: String
        public var alternative: String

        public init(colorMode: ColorMode? = nil, interruptAsKey: Bool = false, needer: String = "the viewer",
                    alternative: String = "use `arnn render` to print a frame instead") {
            self.colorMode = colorMode
            self.interruptAsKey = interruptAsKey
            self.needer = needer
            self.alternative = alternative
        }
    }

    /// The colour mode screens are shown in.
    public let colorMode: ColorMode
    public private(set) var width: Int
    public private(set) var height: Int
    /// Cells sent to curses by the last `draw`, for measuring.
    public private(set) var lastCellsWritten = 0
    /// How often the colour pairs ran out and were reset (each costs one full repaint), for measuring.
    public private(set) var pairResets = 0

    private var previous: Screen?
    private var pairs: ColorPairs
    private var stopped = false

    /// Opens the terminal. Throws an `ArnnError` with a one-line message, leaving the terminal untouched,
    /// when stdin or stdout is not a TTY, `TERM` is unset or unknown, or the locale is not UTF-8.
    public init(options: Options = Options(), environment: [String: String]) throws(ArnnError) {
        if let refusal = Self.refusal(environment: environment, options: options) { throw refusal }
        let code = tui_init(options.interruptAsKey ? Int32(TUI_OPT_RAW) : 0)
        if code != Int32(TUI_OK) {
            throw Self.error(for: code, environment: environment, options: options)
        }
        let colors = Int(tui_colors())
        let direct = tui_direct_color() != 0
        // An explicit --color wins over NO_COLOR; otherwise NO_COLOR turns colour off (https://no-color.org).
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let requested = options.colorMode ?? (noColor ? .none : .truecolor)
        colorMode = ColorMode.forTerminal(colors: colors, directColor: direct, requested: requested)
        pairs = ColorPairs(mode: colorMode, directColor: direct, capacity: Int(tui_color_pairs()))
        var w: Int32 = 0, h: Int32 = 0
        tui_size(&w, &h)
        width = Int(w)
        height = Int(h)
    }

    deinit { stop() }

    /// Restores the terminal. Safe to call more than once; the terminal cannot be used afterwards.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        tui_end()
    }

    /// True until the terminal is restored, by `stop()` or by a signal handler (Ctrl-C, SIGTERM). A program
    /// that keeps running after a signal (training saves its checkpoint first) must not draw any more:
    /// curses would take the terminal back.
    public var isActive: Bool { !stopped && tui_active() != 0 }

    /// Shows `screen`, sending only cells that differ from the previous screen (all of them after a resize
    /// or the first time). A screen larger than the terminal is clipped. Does nothing once the terminal has
    /// been restored.
    public func draw(_ screen: Screen) {
        guard isActive else { return }
        var full = previous == nil || previous?.width != screen.width || previous?.height != screen.height
        if full { tui_clear() }
        var written = 0
        var outOfPairs = false
        for attempt in 0..<2 {
            written = 0
            outOfPairs = false
            screen.forEachChange(since: full ? nil : previous) { x, y, cell in
                var pair: Int32 = 0
                if let p = pairs.pair(fg: cell.fg, bg: cell.bg) {
                    pair = p
                } else {
                    outOfPairs = true
                }
                tui_put_cell(Int32(y), Int32(x), cell.char.value, pair, UInt32(cell.attributes.rawValue))
                written += 1
            }
            // Pairs ran out: start a fresh table and repaint the whole screen with it. If one screen needs
            // more pairs than curses has, the second attempt leaves the excess cells in default colours.
            guard outOfPairs, attempt == 0 else { break }
            pairs.reset()
            pairResets += 1
            full = true
            tui_clear()
        }
        tui_refresh()
        lastCellsWritten = written
        previous = screen
    }

    /// Forces the next `draw` to repaint everything (e.g. after something else wrote to the terminal).
    public func invalidate() { previous = nil }

    /// Waits up to `timeoutMilliseconds` (nil: forever) for input and returns it as an `Event`; `.tick`
    /// when the time ran out. A `.resize` also updates `width` and `height` and makes the next draw full.
    public func nextEvent(timeoutMilliseconds: Int?) -> Event {
        guard !stopped else { return .tick }
        var raw = tui_event()
        let timeout = timeoutMilliseconds.map { Int32(clamping: Swift.max(0, $0)) } ?? -1
        switch tui_read_event(timeout, &raw) {
        case Int32(TUI_EV_CHAR):
            guard let scalar = Unicode.Scalar(raw.code) else { return .key(.unknown) }
            return .key(Key(scalar: scalar))
        case Int32(TUI_EV_KEY):
            return .key(Self.key(forCode: Int32(raw.code)))
        case Int32(TUI_EV_MOUSE):
            return .mouse(x: Int(raw.x), y: Int(raw.y), button: Self.button(raw.button))
        case Int32(TUI_EV_RESIZE):
            width = Int(raw.x)
            height = Int(raw.y)
            previous = nil
            return .resize(width: width, height: height)
        default:
            return .tick
        }
    }

    static func key(forCode code: Int32) -> Key {
        switch code {
        case Int32(TUI_KEY_UP): return .up
        case Int32(TUI_KEY_DOWN): return .down
        case Int32(TUI_KEY_LEFT): return .left
        case Int32(TUI_KEY_RIGHT): return .right
        case Int32(TUI_KEY_HOME): return .home
        case Int32(TUI_KEY_END): return .end
        case Int32(TUI_KEY_PAGE_UP): return .pageUp
        case Int32(TUI_KEY_PAGE_DOWN): return .pageDown
        case Int32(TUI_KEY_BACKSPACE): return .backspace
        case Int32(TUI_KEY_DELETE): return .delete
        case Int32(TUI_KEY_INSERT): return .insert
        case Int32(TUI_KEY_ENTER): return .enter
        case Int32(TUI_KEY_BACK_TAB): return .backTab
        case Int32(TUI_KEY_F0)...: return .function(Int(code - Int32(TUI_KEY_F0)))
        default: return .unknown
        }
    }

    static func button(_ code: Int32) -> MouseButton {
        switch code {
        case Int32(TUI_MOUSE_LEFT): return .left
        case Int32(TUI_MOUSE_MIDDLE): return .middle
        case Int32(TUI_MOUSE_RIGHT): return .right
        case Int32(TUI_MOUSE_WHEEL_UP): return .wheelUp
        case Int32(TUI_MOUSE_WHEEL_DOWN): return .wheelDown
        default: return .other
        }
    }

    /// The one-line message for a terminal that curses would open but that cannot show the screen:
    /// `TERM=dumb` has a terminfo entry but no cursor addressing, so every frame would come out blank.
    public static func refusal(environment: [String: String], options: Options = Options()) -> ArnnError? {
        guard environment["TERM"] == "dumb" else { return nil }
        return ArnnError("TERM=dumb cannot move the cursor, so \(options.needer) cannot draw; \(options.alternative)")
    }

    /// The one-line message for a failed `tui_init`.
    static func error(for code: Int32, environment: [String: String], options: Options = Options()) -> ArnnError {
        let term = environment["TERM"] ?? ""
        let who = options.needer, instead = options.alternative
        switch code {
        case Int32(TUI_ERR_NOT_A_TTY):
            return ArnnError("\(who) needs a terminal, but stdin or stdout is not a TTY; \(instead)")
        case Int32(TUI_ERR_NO_TERM):
            return ArnnError("TERM is not set, so the terminal type is unknown; set TERM (e.g. TERM=xterm-256color) or \(instead)")
        case Int32(TUI_ERR_UNKNOWN_TERM):
            return ArnnError("TERM=\(term) has no terminfo entry on this system; try TERM=xterm-256color, or \(instead)")
        case Int32(TUI_ERR_NOT_UTF8):
            return ArnnError("\(who) needs a UTF-8 locale, but the current one is not (set e.g. LANG=C.UTF-8)")
        case Int32(TUI_ERR_NO_DEV_TTY):
            return ArnnError("cannot open /dev/tty; \(who) needs a controlling terminal, or \(instead)")
        case Int32(TUI_ERR_ALREADY):
            return ArnnError("the terminal is already open")
        default:
            return ArnnError("cannot open the terminal (error \(code))")
        }
    }
}
