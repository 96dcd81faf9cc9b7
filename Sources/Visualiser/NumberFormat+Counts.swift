extension NumberFormat {
    /// `count` in at most five characters for axis labels: `9500`, `12.3k`, `123k`, `1.2M`.
    public static func short(_ count: Int) -> String {
        let n = Double(count)
        func scaled(_ value: Double, _ unit: String) -> String {
            value < 100 ? fixed(Float(value), decimals: 1) + unit : String(Int(value.rounded(.down))) + unit
        }
        if abs(n) >= 1e6 { return scaled(n / 1e6, "M") }
        if abs(n) >= 1e4 { return scaled(n / 1e3, "k") }
        return String(count)
    }

    /// A duration as `m:ss` or `h:mm:ss` (negative or non-finite: `–`).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let s = Int(seconds.rounded(.down))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }

    /// A time still to go, as `duration` writes it, capped at "> 99 h" (a run of 10¹⁴ sequences would
    /// otherwise show a number of hours longer than the line, or overflow); "–" when unknown (nil, NaN)
    /// and never negative.
    public static func eta(_ seconds: Double?) -> String {
        guard let seconds, !seconds.isNaN else { return "–" }
        if seconds >= 100 * 3600 { return "> 99 h" }
        return duration(Swift.max(0, seconds))
    }
}
