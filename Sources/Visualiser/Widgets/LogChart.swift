#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A braille line chart of positive values on a log₁₀ axis, labelled at whole decades (`100`, `10`, `1`,
/// `0.1`) down the left. Training losses fall over orders of magnitude, so on a linear axis the interesting
/// part (the last factor of 100) would be a flat line at the bottom. Values at or below `floor` (zero
/// included) are drawn at `floor`, which the axis always reaches when they occur.
public struct LogChart: Widget, Sendable {
    public var values: [Double]
    public var floor: Double
    public var color: Color
    public var mode: ColorMode

    public init(values: [Double], floor: Double = 0.01, color: Color = .default, mode: ColorMode) {
        precondition(floor > 0, "a log axis needs a positive floor")
        self.values = values
        self.floor = floor
        self.color = color
        self.mode = mode
    }

    /// The decades the y axis spans: from the one at or below the smallest value (not below `floor`) to
    /// the one at or above the largest, at least one decade.
    public var decades: ClosedRange<Int> {
        let finite = values.filter(\.isFinite)
        let lo = Swift.max(floor, finite.min() ?? 1), hi = Swift.max(lo, finite.max() ?? 10)
        // The nudge keeps exact powers of ten (0.01, whose log10 may round either side of −2) on their decade.
        let low = Int((log10(lo) + 1e-9).rounded(.down))
        let high = Swift.max(low + 1, Int((log10(hi) - 1e-9).rounded(.up)))
        return low...high
    }

    /// How an axis writes 10^d: `1k`, `100`, `1`, `0.01`, `1e-5`.
    public static func decadeLabel(_ d: Int) -> String {
        switch d {
        case 6...: return "1e\(d)"
        case 3...5: return "1" + String(repeating: "0", count: d - 3) + "k"
        case 0...2: return "1" + String(repeating: "0", count: d)
        case -4 ... -1: return "0." + String(repeating: "0", count: -d - 1) + "1"
        default: return "1e\(d)"
        }
    }

    /// The width of the decade labels left of the axis.
    var labelWidth: Int { decades.map { Self.decadeLabel($0).count }.max() ?? 1 }

    /// Where the lines go when the chart is drawn in `rect`: right of the labels and the axis.
    public func plotArea(in rect: Rect) -> Rect { rect.inset(left: labelWidth + 1) }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.width >= 4, rect.height >= 1 else { return }
        let span = decades
        let labels = span.map(Self.decadeLabel)
        let labelWidth = self.labelWidth
        let plot = plotArea(in: rect)
        // Axis: a rule with a tick (and label) at each decade that gets a row of its own.
        for y in rect.y..<rect.maxY { screen[rect.x + labelWidth, y] = Cell("│", fg: .default, [.dim]) }
        var lastRow = Int.min
        for (i, d) in span.enumerated().reversed() {
            let t = Double(d - span.lowerBound) / Double(span.upperBound - span.lowerBound)
            let row = rect.y + Int(((1 - t) * Double(rect.height - 1)).rounded())
            guard row != lastRow else { continue }
            lastRow = row
            screen.put(labels[i].padded(to: labelWidth, alignment: .right), x: rect.x, y: row, style: .dim)
            screen[rect.x + labelWidth, row] = Cell("┤", fg: .default, [.dim])
        }
        let logs = values.map { Float(log10(Swift.max(floor, $0))) }
        LineChart(series: [.init(logs, color: color)],
                  range: ValueRange(min: Float(span.lowerBound), max: Float(span.upperBound)),
                  mode: mode, showLabels: false)
            .render(into: &screen, rect: plot)
    }
}
