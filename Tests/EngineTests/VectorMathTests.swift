import Engine
import Foundation
import Testing

/// `VectorMath.exp/sigmoid/tanh` against libm over a dense grid of [-90, 90], with the saturation, overflow
/// and symmetry properties the layers rely on.
@Suite struct VectorMathTests {
    /// [-90, 90] in steps of 1/1024 (exactly representable, so the grid is the same on every machine):
    /// 184 321 points, not a multiple of 8, so the last call also runs the masked tail.
    static let grid: [Float] = (-90 * 1024...90 * 1024).map { Float($0) / 1024 }

    /// Inputs at the edges of Float: where a naive exp overflows to inf and inf/inf or inf−inf gives NaN.
    static let extremes: [Float] = [
        .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e30, -1e30, 1e10, -1e10,
        1000, -1000, 88.8, -88.8, 89, -89, 100, -100, 88.37626, -87.33654, 88.72, -103.9,
    ]

    @Test func expIsWithinFourTenthsOfAMillionthOfExpfWhereTheResultIsNormal() {
        let y = apply(VectorMath.exp, Self.grid)
        var worst = (error: 0.0, at: Float(0))
        for (x, v) in zip(Self.grid, y) where x >= -87.3 && x <= 88.3 {
            let reference = Double(expf(x))
            let error = abs(Double(v) - reference) / reference
            if error.isNaN || error > worst.error { worst = (error.isNaN ? .infinity : error, x) }
        }
        #expect(worst.error <= 4e-7, "exp(\(worst.at)): relative error \(worst.error)")
    }

    @Test func expUnderflowsToAlmostZeroAndNeverOverflows() {
        let grid = apply(VectorMath.exp, Self.grid)
        for (x, v) in zip(Self.grid, grid) where x < -88 {
            #expect(v >= 0 && v <= 1.2e-38, "exp(\(x)) = \(v), expected ≈ 0")
        }
        for (x, v) in zip(Self.extremes, apply(VectorMath.exp, Self.extremes)) {
            #expect(v.isFinite && v >= 0, "exp(\(x)) = \(v)")
            if x > 88.3 { #expect(v > 2e38, "exp(\(x)) = \(v) should saturate near Float's largest values") }
            if x < -87.4 { #expect(v <= 1.2e-38, "exp(\(x)) = \(v), expected ≈ 0") }
        }
        // Far below, exactly 0 (a softmax's masked entries, −10⁹ added, get weight 0 and no gradient).
        #expect(apply(VectorMath.exp, [-100, -1e9, -.infinity]) == [0, 0, 0])
    }

    @Test func sigmoidIsWithinTwoTenthsOfAMillionthOfTheExactValue() {
        let y = apply(VectorMath.sigmoid, Self.grid)
        var worst = (error: 0.0, at: Float(0))
        for (x, v) in zip(Self.grid, y) {
            let reference = 1 / (1 + Foundation.exp(-Double(x)))
            let error = abs(Double(v) - reference)
            if error.isNaN || error > worst.error { worst = (error.isNaN ? .infinity : error, x) }
        }
        #expect(worst.error <= 2e-7, "sigmoid(\(worst.at)): absolute error \(worst.error)")
    }

    @Test func sigmoidSaturatesToOneAndToZeroFromAbove() {
        let all = Self.grid + Self.extremes
        for (x, v) in zip(all, apply(VectorMath.sigmoid, all)) {
            #expect(v >= 0 && v <= 1, "sigmoid(\(x)) = \(v) is outside [0, 1]")
            // Above 17, e^{-x} < 2^{-24}: the exact sigmoid rounds to 1 in Float.
            if x >= 17 { #expect(v == 1, "sigmoid(\(x)) = \(v), expected exactly 1") }
            // Below -17 the value is e^x to within rounding: tiny, and not negative.
            if x <= -17 { #expect(v <= Float(Foundation.exp(-17.0)), "sigmoid(\(x)) = \(v), expected ≈ 0") }
        }
        #expect(apply(VectorMath.sigmoid, [0]) == [0.5])
    }

    @Test func tanhIsWithinTwoTenthsOfAMillionthOfTanhf() {
        let y = apply(VectorMath.tanh, Self.grid)
        var worst = (error: 0.0, at: Float(0))
        for (x, v) in zip(Self.grid, y) {
            let error = abs(Double(v) - Double(tanhf(x)))
            if error.isNaN || error > worst.error { worst = (error.isNaN ? .infinity : error, x) }
        }
        #expect(worst.error <= 2e-7, "tanh(\(worst.at)): absolute error \(worst.error)")
    }

    @Test func tanhIsOddAndSaturatesAtPlusMinusOne() {
        let all = Self.grid + Self.extremes
        let y = apply(VectorMath.tanh, all), yNeg = apply(VectorMath.tanh, all.map { -$0 })
        for i in all.indices {
            #expect(yNeg[i] == -y[i], "tanh(\(-all[i])) = \(yNeg[i]) but tanh(\(all[i])) = \(y[i])")
            #expect(y[i] >= -1 && y[i] <= 1, "tanh(\(all[i])) = \(y[i]) is outside [-1, 1]")
            // Above 9.1, 1 − tanh x < 2^{-25}: the exact value rounds to 1 in Float.
            if all[i] >= 9.1 { #expect(y[i] == 1, "tanh(\(all[i])) = \(y[i]), expected exactly 1") }
        }
        #expect(apply(VectorMath.tanh, [0]) == [0])
    }

    @Test func expSigmoidAndTanhAreMonotonic() {
        for (name, f) in [("sigmoid", VectorMath.sigmoid), ("tanh", VectorMath.tanh), ("exp", VectorMath.exp)] {
            let y = apply(f, Self.grid)
            var firstDrop: Int? = nil
            for i in 1..<y.count where y[i] < y[i - 1] { firstDrop = i; break }
            #expect(firstDrop == nil,
                    "\(name) decreases from x = \(Self.grid[(firstDrop ?? 1) - 1]) to \(Self.grid[firstDrop ?? 1])")
        }
    }

    @Test(arguments: 0...17)
    func tailOfEveryLengthMatchesTheVectorPath(length: Int) {
        // The same 17 inputs at the start of a call (vector path up to 8, tail after) and as a call of
        // `length` elements (all tail when length < 8): every element must come out bit for bit the same.
        let x: [Float] = (0..<17).map { Float($0) * 0.77 - 6.1 }
        for f in [VectorMath.exp, VectorMath.sigmoid, VectorMath.tanh] {
            let whole = apply(f, x + [Float](repeating: 0, count: 7))
            let part = apply(f, Array(x.prefix(length)))
            #expect(part == Array(whole.prefix(length)), "length \(length)")
        }
    }
}

/// Calls a `VectorMath` function on a whole array.
private func apply(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ x: [Float]) -> [Float] {
    var y = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            if let a = px.baseAddress, let b = py.baseAddress { f(a, b, x.count) }
        }
    }
    return y
}
