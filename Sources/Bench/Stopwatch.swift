import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in nanoseconds.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Times `body` in batches and reports the median time of one call, in microseconds.
///
/// A batch runs `body` enough times to last about `batchSeconds`; the median over `batches` batches
/// ignores the odd batch that another process slowed down (these machines are shared and noisy).
public func medianMicroseconds(batches: Int = 7, batchSeconds: Double = 0.05, _ body: () -> Void) -> Double {
    for _ in 0..<3 { body() }   // warm caches and the arena
    var calls = 1
    while true {
        let t0 = monotonicNanoseconds()
        for _ in 0..<calls { body() }
        let dt = Double(monotonicNanoseconds() - t0) * 1e-9
        if dt >= batchSeconds / 4 || calls >= 1 << 24 {
            calls = max(1, Int(Double(calls) * batchSeconds / max(dt, 1e-9)))
            break
        }
        calls *= 4
    }
    var times: [Double] = []
    for _ in 0..<batches {
        let t0 = monotonicNanoseconds()
        for _ in 0..<calls { body() }
        times.append(Double(monotonicNanoseconds() - t0) * 1e-3 / Double(calls))
    }
    times.sort()
    return times[times.count / 2]
}

/// One line of a benchmark report: a figure in its unit (`value` 12.3, `unit` "µs"; or seq/s, per s, B,
/// ms, MiB, s, tokens), and the target it is held to with whether it `met` it.
public struct BenchmarkRow: Codable, Sendable {
    public var name: String
    public var value: Double
    public var unit: String
    public var gflops: Double?
    public var target: String?
    /// Whether `value` (or `gflops`, for a GFLOP/s target) meets `target`; nil without a target or when the
    /// target is in another unit than the row.
    public var met: Bool?

    public init(name: String, value: Double, flops: Double? = nil, target: String? = nil, unit: String = "µs") {
        self.name = name
        self.value = value
        self.gflops = flops.map { $0 / (value * 1e3) }
        self.target = target
        self.unit = unit
        self.met = target.flatMap { Self.meets(value: value, unit: unit, gflops: gflops, target: $0) }
    }

    // JSON has no NaN or infinity: a figure that is not finite (e.g. no convergence) is written as null,
    // and read back as NaN.
    private enum CodingKeys: String, CodingKey { case name, value, unit, gflops, target, met }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decodeIfPresent(Double.self, forKey: .value) ?? .nan
        unit = try c.decode(String.self, forKey: .unit)
        gflops = try c.decodeIfPresent(Double.self, forKey: .gflops)
        target = try c.decodeIfPresent(String.self, forKey: .target)
        met = try c.decodeIfPresent(Bool.self, forKey: .met)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if value.isFinite { try c.encode(value, forKey: .value) } else { try c.encodeNil(forKey: .value) }
        try c.encode(unit, forKey: .unit)
        // Every row has every key (null where a row has no such figure: no flops counted, no target), so a
        // reader of `bench --json` finds one schema.
        try c.encode(gflops.flatMap { $0.isFinite ? $0 : nil }, forKey: .gflops)
        try c.encode(target, forKey: .target)
        try c.encode(met, forKey: .met)
    }

    /// Reads a target such as `≤ 2000 µs`, `≥ 1,000 seq/s at best`, `< 216 µs (PyTorch)` or `≥ 20 GFLOP/s`:
    /// a comparison, a number and its unit (the rest is commentary), and compares the row's figure in that
    /// unit with it.
    static func meets(value: Double, unit: String, gflops: Double?, target: String) -> Bool? {
        var rest = Substring(target.trimmingCharacters(in: .whitespaces))
        guard let op = ["≤", "≥", "<", ">"].first(where: { rest.hasPrefix($0) }) else { return nil }
        rest = rest.dropFirst(op.count).drop { $0 == " " }
        let number = rest.prefix { $0.isNumber || $0 == "," || $0 == "." }
        guard let goal = Double(number.replacingOccurrences(of: ",", with: "")) else { return nil }
        let goalUnit = rest.dropFirst(number.count).drop { $0 == " " }.prefix { $0 != " " }
        let figure: Double
        if goalUnit == unit { figure = value }
        else if goalUnit == "GFLOP/s", let gflops { figure = gflops }
        else { return nil }
        guard figure.isFinite else { return false }
        switch op {
        case "≤": return figure <= goal
        case "≥": return figure >= goal
        case "<": return figure < goal
        default: return figure > goal
        }
    }

    /// `name  12.3 µs  4.5 GFLOP/s  (target ...)`, aligned for a terminal; `MISSED` after a target not met.
    public var formatted: String {
        var s = name.padding(toLength: 46, withPad: " ", startingAt: 0)
        s += formatNumber(value).leftPadded(to: 10) + " " + unit
        if let gflops { s += (formatNumber(gflops) + " GFLOP/s").leftPadded(to: 16) }
        else { s += String(repeating: " ", count: 16) }
        if let target { s += "   target \(target)" }
        if met == false { s += "   MISSED" }
        return s
    }
}

func formatNumber(_ x: Double) -> String {
    if x >= 100 { return String(Int(x.rounded())) }
    let scaled = (x * 100).rounded() / 100
    return String(scaled)
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
