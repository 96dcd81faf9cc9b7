/// One row explaining a colour scale: `title min ██████████ max`. The swatch runs from the scale's start
/// (left) to its end (right) in `mode`'s colours, or for `.none` in the very glyphs the cells use
/// (`ColorScale.cell(at:mode:)`), e.g. `-1.00 ≡≡==-·· ░░▒▓▓██ +1.00` for a diverging scale.
public struct Legend: Widget, Sendable {
    public var title: String
    public var scale: ColorScale
    public var range: ValueRange
    public var mode: ColorMode
    public var decimals: Int

    public init(title: String = "", scale: ColorScale, range: ValueRange, mode: ColorMode, decimals: Int = 2) {
        self.title = title
        self.scale = scale
        self.range = range
        self.mode = mode
        self.decimals = decimals
    }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let plus = scale.kind == .diverging
        let minLabel = NumberFormat.fixed(range.min, decimals: decimals, plusSign: plus)
        let maxLabel = NumberFormat.fixed(range.max, decimals: decimals, plusSign: plus)
        var x = rect.x
        if !title.isEmpty { x = screen.put(title + " ", x: x, y: rect.y, style: .bold, clip: rect) }
        // Without colour the glyphs are the key, so each must show at least once. When `min … max` leaves too
        // few cells for that, a symmetric range is labelled once, after the swatch: `≡=-· ░▒▓█ ±0.93`.
        let glyphs = scale.glyphs.count
        let room = rect.maxX - x
        if mode == .none, room - minLabel.count - maxLabel.count - 2 < glyphs, range.min == -range.max {
            let label = "±" + NumberFormat.fixed(range.max, decimals: decimals)
            let swatchWidth = room - label.count - 1
            if swatchWidth >= glyphs {
                drawSwatch(into: &screen, x: x, y: rect.y, width: swatchWidth)
                screen.put(" " + label, x: x + swatchWidth, y: rect.y, clip: rect)
                return
            }
        }
        x = screen.put(minLabel + " ", x: x, y: rect.y, clip: rect)
        let swatchWidth = rect.maxX - x - maxLabel.count - 1
        guard swatchWidth >= 2 else { return }
        drawSwatch(into: &screen, x: x, y: rect.y, width: swatchWidth)
        screen.put(" " + maxLabel, x: x + swatchWidth, y: rect.y, clip: rect)
    }

    /// The scale from position 0 (left) to 1 (right) in `width` cells, each drawn as the scale draws a value.
    func drawSwatch(into screen: inout Screen, x: Int, y: Int, width: Int) {
        for i in 0..<width {
            screen[x + i, y] = scale.cell(at: Float(i) / Float(width - 1), mode: mode)
        }
    }
}
