/// One row explaining a colour scale: `title min ██████████ max`. The swatch runs from the scale's start
/// (left) to its end (right) in `mode`'s colours, or for `.none` in the very glyphs the cells use
/// (`ColorScale.cell(at:mode:)`), e.g. `-1.00 ≡≡=--·· ░░▒▓▓█ +1.00` for a diverging scale.
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
        x = screen.put(minLabel + " ", x: x, y: rect.y, clip: rect)
        let swatchWidth = rect.maxX - x - maxLabel.count - 1
        guard swatchWidth >= 2 else { return }
        for i in 0..<swatchWidth {
            let t = Float(i) / Float(swatchWidth - 1)
            screen[x + i, rect.y] = scale.cell(at: t, mode: mode)
        }
        screen.put(" " + maxLabel, x: x + swatchWidth, y: rect.y, clip: rect)
    }
}
