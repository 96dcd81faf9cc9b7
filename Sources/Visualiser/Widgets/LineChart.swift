/// A line chart in braille: one or more series of values over their index, with the y range's max and min
/// written at the top and bottom of a left axis (`showLabels`). The x axis spreads each series' points
/// evenly across the plot width; series are drawn in order, later ones on top.
public struct LineChart: Widget, Sendable {
    public struct Series: Sendable {
        public var values: [Float]
        public var color: Color
        public init(_ values: [Float], color: Color = .default) {
            self.values = values
            self.color = color
        }
    }

    public var series: [Series]
    /// nil: the range of all finite values.
    public var range: ValueRange?
    public var mode: ColorMode
    public var showLabels: Bool
    public var decimals: Int

    public init(series: [Series], range: ValueRange? = nil, mode: ColorMode, showLabels: Bool = true, decimals: Int = 2) {
        self.series = series
        self.range = range
        self.mode = mode
        self.showLabels = showLabels
        self.decimals = decimals
    }

    /// The y range the chart uses.
    public var effectiveRange: ValueRange { range ?? ValueRange.covering(series.lazy.flatMap(\.values)) }

    public func render(into screen: inout Screen, rect: Rect) {
        guard !rect.isEmpty else { return }
        let r = effectiveRange
        var plot = rect
        if showLabels && rect.height >= 2 {
            let top = NumberFormat.fixed(r.max, decimals: decimals)
            let bottom = NumberFormat.fixed(r.min, decimals: decimals)
            let labelWidth = Swift.max(top.count, bottom.count)
            if labelWidth + 2 < rect.width {
                screen.put(top.padded(to: labelWidth, alignment: .right), x: rect.x, y: rect.y, style: .dim)
                screen.put(bottom.padded(to: labelWidth, alignment: .right), x: rect.x, y: rect.maxY - 1, style: .dim)
                for y in rect.y..<rect.maxY { screen[rect.x + labelWidth, y] = Cell("┤", fg: .default, [.dim]) }
                plot = rect.inset(left: labelWidth + 1)
            }
        }
        var canvas = BrailleCanvas(width: plot.width, height: plot.height)
        let maxDotY = canvas.dotHeight - 1
        for s in series where !s.values.isEmpty {
            let color = s.color.quantised(for: mode)
            let n = s.values.count
            func dot(_ i: Int) -> (Int, Int)? {
                let t = r.position(of: s.values[i])
                if t.isNaN { return nil }
                let x = n == 1 ? 0 : Int((Float(i) * Float(canvas.dotWidth - 1) / Float(n - 1)).rounded())
                return (x, maxDotY - Int((t * Float(maxDotY)).rounded()))
            }
            var previous: (Int, Int)? = nil
            for i in 0..<n {
                guard let p = dot(i) else { previous = nil; continue }
                if let q = previous { canvas.line(from: q.0, q.1, to: p.0, p.1, color: color) } else { canvas.set(p.0, p.1, color: color) }
                previous = p
            }
        }
        canvas.render(into: &screen, rect: plot)
    }
}
