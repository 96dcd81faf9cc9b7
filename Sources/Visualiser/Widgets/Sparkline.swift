/// A one-row chart of the most recent values as eighth-height blocks `▁▂▃▄▅▆▇█`, one value per column.
/// Values at the range's minimum show as `▁` so a flat line stays visible; NaN shows as a space.
public struct Sparkline: Widget, Sendable {
    public var values: [Float]
    /// nil: the range of the visible values.
    public var range: ValueRange?
    public var color: Color
    public var mode: ColorMode

    public init(values: [Float], range: ValueRange? = nil, color: Color = .green, mode: ColorMode) {
        self.values = values
        self.range = range
        self.color = color
        self.mode = mode
    }

    static let levels: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let visible = values.suffix(rect.width)
        let r = range ?? ValueRange.covering(visible)
        let fg = color.quantised(for: mode)
        for (i, v) in visible.enumerated() {
            let t = r.position(of: v)
            let ch: Unicode.Scalar = t.isNaN ? " " : Self.levels[Swift.min(7, Int(t * 8))]
            screen[rect.x + i, rect.maxY - 1] = Cell(ch, fg: fg)
        }
    }
}
