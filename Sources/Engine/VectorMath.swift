#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// exp, sigmoid and tanh over SIMD8 lanes, within 2 ulp of libm for exp (Cephes' range reduction and
/// polynomial). A scalar `expf` costs 10–20 ns; an LSTM step needs 400 of these, so the vector forms are
/// what keep a batch-1 step in single-digit microseconds.
public enum VectorMath {
    @inline(__always) @usableFromInline
    static func exp8(_ x0: F8) -> F8 {
        // exp(x) = 2^n · exp(r), x = n ln2 + r, |r| ≤ ln2/2. Rounding to n uses the 1.5·2²³ trick: adding it
        // leaves n in the low mantissa bits, so no per-lane conversion call is needed.
        let x = pointwiseMax(pointwiseMin(x0, F8(repeating: 88.37626)), F8(repeating: -87.33654))
        let magic = F8(repeating: 12582912)
        let t = x * 1.442695041 + magic
        let n = t - magic
        var r = x - n * 0.693359375
        r = r - n * (-2.12194440e-4)
        var p = F8(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        // bits(t) − bits(magic) = n; (n + 127) << 23 is the exponent field of 2^n.
        let nBits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((nBits &+ 127) &<< 23, to: F8.self)
        // Below the clamp the true value is under Float's smallest normal: 0, as expf rounds it, so that an
        // additive mask of −10⁹ gives a softmax weight of exactly 0 (the clamp alone left 1.2e-38).
        return (p * scale).replacing(with: 0, where: x0 .< -87.33654)
    }

    @inline(__always) @usableFromInline
    static func sigmoid8(_ x: F8) -> F8 { 1 / (1 + exp8(-x)) }

    @inline(__always) @usableFromInline
    static func tanh8(_ x: F8) -> F8 {
        // tanh x = 1 − 2 / (e^{2x} + 1), evaluated at |x| with the sign put back, so that tanh(−x) is
        // exactly −tanh(x) (the form is not symmetric in rounding: at x = −9 it gave −1 where x = 9 gave
        // 1 − 2⁻²⁴). For small |x| an odd polynomial avoids the cancellation.
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let sign = bits & 0x8000_0000
        let ax = unsafeBitCast(bits & 0x7FFF_FFFF, to: F8.self)
        let bigAbs = 1 - 2 / (exp8(ax + ax) + 1)
        let big = unsafeBitCast(unsafeBitCast(bigAbs, to: SIMD8<UInt32>.self) | sign, to: F8.self)
        // Taylor series to x^11 for |x| < 0.4, where the form above loses relative accuracy. (Stopping at
        // x^9 left the x^11 term, 1382/155925 · 0.4^11 ≈ 3.7e-7, as error at the switch.)
        let x2 = x * x
        var p = F8(repeating: -1382.0 / 155925.0)
        p = p * x2 + 62.0 / 2835.0
        p = p * x2 - 17.0 / 315.0
        p = p * x2 + 2.0 / 15.0
        p = p * x2 - 1.0 / 3.0
        let small = x + x * (p * x2)
        return big.replacing(with: small, where: x2 .< 0.16)
    }

    @inline(__always) static func scalarExp(_ x: Float) -> Float { expf(x) }

    /// y[i] = f(x[i]) over n elements with a vector kernel and its scalar tail.
    @inline(__always) @usableFromInline
    static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (F8) -> F8) {
        var i = 0
        while i + 8 <= n { store8(f(load8(x + i)), y + i); i += 8 }
        if i < n {
            var tmp = F8()
            for j in 0..<(n - i) { tmp[j] = x[i + j] }
            let r = f(tmp)
            for j in 0..<(n - i) { y[i + j] = r[j] }
        }
    }

    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { map(x, y, n, exp8) }
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { map(x, y, n, sigmoid8) }
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { map(x, y, n, tanh8) }
}
