/// A row of short labels (tokens, bits, time steps), each centred in a slot `slotWidth` wide, with one
/// highlighted. When there are more tokens than slots the strip scrolls to keep the highlighted one in view;
/// strips with the same `slotWidth`, count and highlight scroll identically, so they stay aligned.
public struct TokenStrip: Widget, Sendable {
    public var tokens: [String]
    public var highlighted: Int?
    public var slotWidth: Int
    /// Per-token styles (e.g. a wrong output bit in red); missing entries are plain.
    public var styles: [Style]
    public var highlightStyle: Style

    public init(tokens: [String], highlighted: Int? = nil, slotWidth: Int = 2, styles: [Style] = [],
                highlightStyle: Style = Style([.reverse, .bold])) {
        self.tokens = tokens
        self.highlighted = highlighted
        self.slotWidth = Swift.max(1, slotWidth)
        self.styles = styles
        self.highlightStyle = highlightStyle
    }

    /// The first visible index when `count` items share `visible` slots and `focus` must be visible: 0 while
    /// the focus is in the first half of the window, then keeping the focus centred, never past the end.
    public static func firstVisible(count: Int, visible: Int, focus: Int?) -> Int {
        guard visible > 0, count > visible, let focus else { return 0 }
        return Swift.max(0, Swift.min(focus - visible / 2, count - visible))
    }

    /// The token index under screen column x when drawn in `rect`, or nil.
    public func index(atX x: Int, in rect: Rect) -> Int? {
        guard x >= rect.x, x < rect.maxX else { return nil }
        let visible = rect.width / slotWidth
        let i = Self.firstVisible(count: tokens.count, visible: visible, focus: highlighted) + (x - rect.x) / slotWidth
        return i < tokens.count && (x - rect.x) / slotWidth < visible ? i : nil
    }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.height > 0 else { return }
        let visible = rect.width / slotWidth
        let first = Self.firstVisible(count: tokens.count, visible: visible, focus: highlighted)
        for slot in 0..<visible {
            let i = first + slot
            guard i < tokens.count else { break }
            var style = i < styles.count ? styles[i] : .plain
            if i == highlighted {
                style.attributes.formUnion(highlightStyle.attributes)
                if highlightStyle.fg != .default { style.fg = highlightStyle.fg }
                if highlightStyle.bg != .default { style.bg = highlightStyle.bg }
            }
            let text = tokens[i].fitted(to: slotWidth).padded(to: slotWidth, alignment: .centre)
            screen.put(text, x: rect.x + slot * slotWidth, y: rect.y, style: style, clip: rect)
        }
    }
}
