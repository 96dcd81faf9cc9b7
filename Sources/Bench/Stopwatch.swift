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

/// One line of a benchmark report.
public struct BenchmarkRow: Codable, Sendable {
    public var name: String
    public var microseconds: Double
    public var gflops: Double?
    public var target: String?
    public var unit: String

    public init(name: String, microseconds: Double, flops: Double? = nil, target: String? = nil, unit: String = "µs") {
        self.name = name
        self.microseconds = microseconds
        self.gflops = flops.map { $0 / (microseconds * 1e3) }
        self.target = target
        self.unit = unit
    }

    /// `name  12.3 µs  4.5 GFLOP/s  (target ...)`, aligned for a terminal.
    public var formatted: String {
        var s = name.padding(toLength: 46, withPad: " ", startingAt: 0)
        s += formatNumber(microseconds).leftPadded(to: 10) + " " + unit
        if let gflops { s += (formatNumber(gflops) + " GFLOP/s").leftPadded(to: 16) }
        else { s += String(repeating: " ", count: 16) }
        if let target { s += "   target \(target)" }
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
