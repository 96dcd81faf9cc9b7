/// One figure an objective reports: its name (the key in `eval --json`, training results and benches),
/// how people read it, and which way is better.
public struct MetricSpec: Sendable, Hashable {
    /// The key, e.g. `meanWrongBits`.
    public var name: String
    /// A short label for tables and charts, e.g. `wrong bits/seq`.
    public var label: String
    /// One word for progress lines and stats (`wrong`), and the unit after the value (`bits/seq`).
    public var short: String
    public var unit: String
    public var decimals: Int
    /// A share in [0, 1], shown as a percentage.
    public var isShare: Bool
    public var lowerIsBetter: Bool

    public init(_ name: String, label: String, short: String, unit: String = "", decimals: Int = 3,
                isShare: Bool = false, lowerIsBetter: Bool = true) {
        self.name = name
        self.label = label
        self.short = short
        self.unit = unit
        self.decimals = decimals
        self.isShare = isShare
        self.lowerIsBetter = lowerIsBetter
    }

    /// `value` as tables show it: a percentage for shares, else fixed decimals.
    public func format(_ value: Double) -> String {
        isShare ? String(format: "%.1f%%", 100 * value) : String(format: "%.\(decimals)f", value)
    }
}

/// Named metric values of one sample, or their means over many.
public struct MetricValues: Sendable, Equatable {
    public var values: [String: Double]

    public init(_ values: [String: Double] = [:]) { self.values = values }

    public subscript(name: String) -> Double? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The mean of every metric over `samples` (0 for none).
    public static func mean(_ samples: [MetricValues]) -> MetricValues {
        var sums: [String: Double] = [:]
        for s in samples { for (k, v) in s.values { sums[k, default: 0] += v } }
        let n = Double(Swift.max(1, samples.count))
        return MetricValues(sums.mapValues { $0 / n })
    }
}
