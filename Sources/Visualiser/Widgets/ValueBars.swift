/// Labelled horizontal bars, one per row, with eighth-block resolution: `label ███▌   +0.437`.
/// When the range spans zero, bars grow right from the zero column for positive values and left for negative
/// ones (at half-cell resolution, `▐`, since there are no right-aligned eighth blocks).
public struct ValueBars: Widget, Sendable {
    public struct Item: Sendable {
        public var label: String
        public var value: Float
        /// The bar's colour; nil uses the widget's `color`.
        public var color: Color?
        public init(_ label: String, _ value: Float, color: Color? = nil) {
            self.label = label
            self.value = value
            self.color = color
        }
    }

    public var items: [Item]
    public var range: ValueRange
    public var color: Color
    public var mode: ColorMode
    /// Decimals of the value printed after each bar; nil prints no value.
    public var decimals: Int?

    public init(items: [Item], range: ValueRange, color: Color = .cyan, mode: ColorMode, decimals: Int? = 3) {
        self.items = items
        self.range = range
        self.color = color
        self.mode = mode
        self.decimals = decimals
    }

    /// Left-aligned partial blocks for 1 to 7 eighths.
    static let eighths: [Unicode.Scalar] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The bar of `value` in `width` cells as characters (spaces where empty), for a range starting at zero
    /// or spanning it.
    public func barText(_ value: Float, width: Int) -> [Unicode.Scalar] {
        var bar = [Unicode.Scalar](repeating: " ", count: width)
        guard width > 0, value.isFinite else { return bar }
        if range.min >= 0 {
            let units = Int((range.position(of: value) * Float(width * 8)).rounded())
            for i in 0..<(units / 8) { bar[i] = "█" }
            if units % 8 > 0, units / 8 < width { bar[units / 8] = Self.eighths[units % 8 - 1] }
            return bar
        }
        // Zero sits at a fractional column; positive bars start there, negative ones end there.
        let zero = range.position(of: 0) * Float(width)
        let end = range.position(of: value) * Float(width)
        if value >= 0 {
            let start = Int(zero.rounded())
            let units = Int(((end - Float(start)) * 8).rounded())
            guard units > 0 else { return bar }
            for i in 0..<(units / 8) where start + i < width { bar[start + i] = "█" }
            if units % 8 > 0, start + units / 8 < width { bar[start + units / 8] = Self.eighths[units % 8 - 1] }
        } else {
            let stop = Int(zero.rounded())
            let halves = Int(((Float(stop) - end) * 2).rounded())
            for i in 0..<(halves / 2) where stop - 1 - i >= 0 { bar[stop - 1 - i] = "█" }
            if halves % 2 == 1, stop - 1 - halves / 2 >= 0 { bar[stop - 1 - halves / 2] = "▐" }
        }
        return bar
    }

    public func render(into screen: inout Screen, rect: Rect) {
        let labelWidth = (items.map { $0.label.unicodeScalars.count }.max() ?? 0)
        let valueWidth = decimals.map { d in
            items.map { NumberFormat.fixed($0.value, decimals: d, plusSign: range.min < 0).count }.max() ?? 0
        } ?? 0
        let barWidth = rect.width - (labelWidth > 0 ? labelWidth + 1 : 0) - (valueWidth > 0 ? valueWidth + 1 : 0)
        for (i, item) in items.enumerated() where i < rect.height {
            let y = rect.y + i
            var x = rect.x
            if labelWidth > 0 {
                screen.put(item.label.padded(to: labelWidth, alignment: .right), x: x, y: y, style: .dim, clip: rect)
                x += labelWidth + 1
            }
            if barWidth > 0 {
                let fg = mode == .none ? Color.default : (item.color ?? color).quantised(for: mode)
                for (k, ch) in barText(item.value, width: barWidth).enumerated() {
                    screen[x + k, y] = Cell(ch, fg: ch == " " ? .default : fg)
                }
                x += barWidth + 1
            }
            if let d = decimals, valueWidth > 0 {
                let text = NumberFormat.fixed(item.value, decimals: d, plusSign: range.min < 0)
                screen.put(text.padded(to: valueWidth, alignment: .right), x: x, y: y, clip: rect)
            }
        }
    }
}
