/// arnn's own seeded random generator: xoshiro256** seeded through SplitMix64.
///
/// Every draw is defined here bit for bit (no standard-library sampling, whose algorithms may change
/// between Swift versions), so the same seed gives the same numbers on every machine and Swift version.
/// Normal samples use the Marsaglia polar method in Double, which needs only `log` and `sqrt`.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Float in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        let x = low + (high - low) * uniform()
        // The sum can round up to `high` (always for u = 1 − 2⁻²⁴ in [1, 2), and half the time when the
        // range is narrow next to `low`); keep the promise of an open upper end. Values below `high` are
        // returned unchanged, so every stream that never hit this case is the same as before.
        return x < high ? x : Swift.max(low, high.nextDown)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func uniformDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in `0..<bound` (bound > 0), without modulo bias (rejection sampling).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "int(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Float = 0, std: Float = 1) -> Float {
        if let z = spareNormal {
            spareNormal = nil
            return mean + std * Float(z)
        }
        while true {
            let u = 2 * uniformDouble() - 1, v = 2 * uniformDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * _log(s) / s).squareRoot()
                spareNormal = v * f
                return mean + std * Float(u * f)
            }
        }
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Float) -> Bool { uniform() < p }

    /// Shuffles in place with Fisher-Yates.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// A tensor of uniform samples in [low, high).
    public mutating func uniformTensor(_ shape: [Int], _ low: Float, _ high: Float) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = uniform(low, high) }
        return t
    }

    /// A tensor of normal samples.
    public mutating func normalTensor(_ shape: [Int], mean: Float = 0, std: Float = 1) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = normal(mean: mean, std: std) }
        return t
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
#endif
