/// Number formatting without Foundation, for labels and readouts.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point (rounded half away from zero); `+` before
    /// non-negative values when `plusSign`. Non-finite values give `nan`, `inf`, `-inf`.
    public static func fixed(_ value: Float, decimals: Int, plusSign: Bool = false) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let d = Swift.max(0, Swift.min(9, decimals))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let magnitude = Swift.min((abs(Double(value)) * scale).rounded(), 9e17)
        let units = UInt64(magnitude)
        let whole = units / UInt64(scale)
        var text = String(whole)
        if d > 0 {
            let frac = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: d - frac.count) + frac
        }
        if value < 0 && units != 0 { return "-" + text }
        return plusSign ? "+" + text : text
    }

    /// `value` in at most `width` characters, with as many decimals (up to `maxDecimals`) as fit; falls back
    /// to the rounded integer, and to `#` marks when even that does not fit.
    public static func fitting(_ value: Float, width: Int, maxDecimals: Int = 3, plusSign: Bool = false) -> String {
        guard width > 0 else { return "" }
        for d in stride(from: maxDecimals, through: 0, by: -1) {
            let s = fixed(value, decimals: d, plusSign: plusSign)
            if s.count <= width { return s }
        }
        return String(repeating: "#", count: width)
    }
}
