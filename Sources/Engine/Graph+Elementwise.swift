#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Elementwise operations. Each forward is followed by its backward rule.

extension Graph {
    /// y = f(x) elementwise. `backward(x, y, gy, gx, n)` adds the input gradient into gx.
    @inline(__always)
    func unary(_ x: Var,
               _ forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
               _ backward: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                                      UnsafeMutablePointer<Float>, Int) -> Void) -> Var {
        let xn = node(x)
        let out = makeNode(xn.shape, needsGrad: xn.grad != nil)
        let yn = node(out)
        let n = xn.shape.count
        forward(xn.value, yn.value, n)
        if let gx = xn.grad, let gy = yn.grad {
            let xv = xn.value, yv = yn.value
            record { backward(xv, yv, gy, gx, n) }
        }
        return out
    }

    public func sigmoid(_ x: Var) -> Var {
        unary(x, { VectorMath.sigmoid($0, $1, $2) }) { _, y, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] * y[i] * (1 - y[i]) }
        }
    }

    public func tanh(_ x: Var) -> Var {
        unary(x, { VectorMath.tanh($0, $1, $2) }) { _, y, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] * (1 - y[i] * y[i]) }
        }
    }

    public func relu(_ x: Var) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = max(x[i], 0) } }) { x, _, gy, gx, n in
            for i in 0..<n where x[i] > 0 { gx[i] += gy[i] }
        }
    }

    /// log(1 + eˣ), as PyTorch's `softplus` with beta 1 and threshold 20 (linear above 20).
    public func softplus(_ x: Var) -> Var {
        unary(x, { x, y, n in
            for i in 0..<n { y[i] = x[i] > 20 ? x[i] : max(x[i], 0) + log1pf(expf(-abs(x[i]))) }
        }) { x, _, gy, gx, n in
            for i in 0..<n { gx[i] += x[i] > 20 ? gy[i] : gy[i] / (1 + expf(-x[i])) }
        }
    }

    public func exp(_ x: Var) -> Var {
        unary(x, { VectorMath.exp($0, $1, $2) }) { _, y, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] * y[i] }
        }
    }

    public func log(_ x: Var) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = logf(x[i]) } }) { x, _, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] / x[i] }
        }
    }

    public func sqrt(_ x: Var) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = x[i].squareRoot() } }) { _, y, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] * 0.5 / y[i] }
        }
    }

    /// xᵖ for a constant exponent.
    public func pow(_ x: Var, _ p: Float) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = powf(x[i], p) } }) { x, _, gy, gx, n in
            for i in 0..<n { gx[i] += gy[i] * p * powf(x[i], p - 1) }
        }
    }

    /// |x| elementwise; the gradient is sign(x), 0 at x = 0 (as PyTorch's). Named so that it does not hide
    /// the global `abs` inside `Graph`.
    public func absolute(_ x: Var) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = Swift.abs(x[i]) } }) { x, _, gy, gx, n in
            for i in 0..<n { gx[i] += x[i] > 0 ? gy[i] : (x[i] < 0 ? -gy[i] : 0) }
        }
    }

    /// x clamped to [lo, hi]; the gradient passes where lo ≤ x ≤ hi, as in PyTorch.
    public func clamp(_ x: Var, min lo: Float, max hi: Float) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = Swift.min(Swift.max(x[i], lo), hi) } }) { x, _, gy, gx, n in
            for i in 0..<n where x[i] >= lo && x[i] <= hi { gx[i] += gy[i] }
        }
    }

    /// c · x.
    public func scale(_ x: Var, _ c: Float) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = c * x[i] } }) { _, _, gy, gx, n in
            Kernels.axpy(c, gy, gx, n)
        }
    }

    /// x + c.
    public func addScalar(_ x: Var, _ c: Float) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = x[i] + c } }) { _, _, gy, gx, n in
            Kernels.axpy(1, gy, gx, n)
        }
    }

    /// 1 − x (gates that keep what the other half lets through).
    public func oneMinus(_ x: Var) -> Var {
        unary(x, { x, y, n in for i in 0..<n { y[i] = 1 - x[i] } }) { _, _, gy, gx, n in
            Kernels.axpy(-1, gy, gx, n)
        }
    }

    public func neg(_ x: Var) -> Var { scale(x, -1) }
}

// MARK: - Binary operations with broadcasting

/// A binary elementwise function and its partial derivatives (given the inputs and the output).
protocol BinaryFunction {
    static func f(_ a: Float, _ b: Float) -> Float
    static func da(_ a: Float, _ b: Float, _ y: Float) -> Float
    static func db(_ a: Float, _ b: Float, _ y: Float) -> Float
}

enum AddFn: BinaryFunction {
    @inline(__always) static func f(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func da(_ a: Float, _ b: Float, _ y: Float) -> Float { 1 }
    @inline(__always) static func db(_ a: Float, _ b: Float, _ y: Float) -> Float { 1 }
}
enum SubFn: BinaryFunction {
    @inline(__always) static func f(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) static func da(_ a: Float, _ b: Float, _ y: Float) -> Float { 1 }
    @inline(__always) static func db(_ a: Float, _ b: Float, _ y: Float) -> Float { -1 }
}
enum MulFn: BinaryFunction {
    @inline(__always) static func f(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) static func da(_ a: Float, _ b: Float, _ y: Float) -> Float { b }
    @inline(__always) static func db(_ a: Float, _ b: Float, _ y: Float) -> Float { a }
}
enum DivFn: BinaryFunction {
    @inline(__always) static func f(_ a: Float, _ b: Float) -> Float { a / b }
    @inline(__always) static func da(_ a: Float, _ b: Float, _ y: Float) -> Float { 1 / b }
    @inline(__always) static func db(_ a: Float, _ b: Float, _ y: Float) -> Float { -y / b }
}
enum PowFn: BinaryFunction {
    @inline(__always) static func f(_ a: Float, _ b: Float) -> Float { powf(a, b) }
    @inline(__always) static func da(_ a: Float, _ b: Float, _ y: Float) -> Float { b * powf(a, b - 1) }
    /// d(aᵇ)/db = aᵇ log a, taken as 0 where a = 0 (the limit from above when b > 0).
    @inline(__always) static func db(_ a: Float, _ b: Float, _ y: Float) -> Float { a > 0 ? y * logf(a) : 0 }
}

/// How two shapes broadcast (NumPy's rule: align from the right; sizes equal, or 1 on one side), padded
/// to rank 4 so that every loop is the same four nested loops.
struct Broadcast {
    // Padded to rank 4 in SIMD4s (no heap arrays: this is built for every broadcasting op).
    var out = SIMD4<Int>(repeating: 1)
    var aStride = SIMD4<Int>(repeating: 0)
    var bStride = SIMD4<Int>(repeating: 0)
    let shape: Shape

    init(_ a: Shape, _ b: Shape) {
        let r = max(a.rank, b.rank)
        var dims = SIMD4<Int>(repeating: 1)
        for i in 0..<r {
            let da = i < r - a.rank ? 1 : a[i - (r - a.rank)]
            let db = i < r - b.rank ? 1 : b[i - (r - b.rank)]
            precondition(da == db || da == 1 || db == 1, "shapes \(a) and \(b) do not broadcast")
            dims[i] = max(da, db)
        }
        shape = Shape((0..<r).map { dims[$0] })
        // Strides in the operands' own storage, 0 along broadcast axes.
        func strides(_ s: Shape) -> SIMD4<Int> {
            var st = SIMD4<Int>(repeating: 0)
            var acc = 1
            for i in stride(from: s.rank - 1, through: 0, by: -1) {
                let axis = i + (r - s.rank)
                st[axis] = s[i] == 1 && dims[axis] != 1 ? 0 : acc
                acc *= s[i]
            }
            return st
        }
        let sa = strides(a), sb = strides(b)
        for i in 0..<r {
            out[4 - r + i] = dims[i]
            aStride[4 - r + i] = sa[i]
            bStride[4 - r + i] = sb[i]
        }
    }

    /// Calls body(outIndex, aIndex, bIndex) for the first element of every row of the last axis (out[3]
    /// elements, `aStride[3]` and `bStride[3]` apart in the operands), in order.
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int) -> Void) {
        var o = 0
        for i0 in 0..<out[0] {
            for i1 in 0..<out[1] {
                for i2 in 0..<out[2] {
                    body(o, i0 * aStride[0] + i1 * aStride[1] + i2 * aStride[2],
                         i0 * bStride[0] + i1 * bStride[1] + i2 * bStride[2])
                    o += out[3]
                }
            }
        }
    }

    /// Calls body(outIndex, aIndex, bIndex) for every output element in order.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        var o = 0
        for i0 in 0..<out[0] {
            for i1 in 0..<out[1] {
                for i2 in 0..<out[2] {
                    let ab = i0 * aStride[0] + i1 * aStride[1] + i2 * aStride[2]
                    let bb = i0 * bStride[0] + i1 * bStride[1] + i2 * bStride[2]
                    let as3 = aStride[3], bs3 = bStride[3]
                    for i3 in 0..<out[3] {
                        body(o, ab + i3 * as3, bb + i3 * bs3)
                        o += 1
                    }
                }
            }
        }
    }
}

extension Graph {
    func binary<F: BinaryFunction>(_ a: Var, _ b: Var, _: F.Type) -> Var {
        let an = node(a), bn = node(b)
        let av = an.value, bv = bn.value
        if an.shape == bn.shape {
            // The common case: no broadcasting, one flat loop.
            let out = makeNode(an.shape, needsGrad: an.grad != nil || bn.grad != nil)
            let yn = node(out)
            let y = yn.value, n = an.shape.count
            for i in 0..<n { y[i] = F.f(av[i], bv[i]) }
            if let gy = yn.grad {
                let ga = an.grad, gb = bn.grad
                record {
                    if let ga { for i in 0..<n { ga[i] += gy[i] * F.da(av[i], bv[i], y[i]) } }
                    if let gb { for i in 0..<n { gb[i] += gy[i] * F.db(av[i], bv[i], y[i]) } }
                }
            }
            return out
        }
        let plan = Broadcast(an.shape, bn.shape)
        let out = makeNode(plan.shape, needsGrad: an.grad != nil || bn.grad != nil)
        let yn = node(out)
        let y = yn.value
        // Row by row along the last axis: when both operands run along it (attention's [B, 1, A] + [B, N, A]
        // adds whole rows) the inner loops are contiguous and vectorise. Per element, with the optional
        // gradients inside the loop, [32, 1, 128] + [32, 15, 128] took 40 µs forward; by rows, 11.
        let len = plan.out[3], sa = plan.aStride[3], sb = plan.bStride[3]
        // b one number per row ([B, T, m] − [B, T, 1]: the Performer's feature exponents): a row against it.
        let bPerRow = sa == 1 && sb == 0
        if sa == 1 && sb == 1 {
            plan.forEachRow { o, i, j in Graph.rowMap(F.self, av + i, bv + j, y + o, len) }
        } else if bPerRow {
            plan.forEachRow { o, i, j in Graph.rowMap(F.self, av + i, bv[j], y + o, len) }
        } else {
            plan.forEach { o, i, j in y[o] = F.f(av[i], bv[j]) }
        }
        if let gy = yn.grad {
            let ga = an.grad, gb = bn.grad
            record {
                if let ga {
                    if sa == 1 && sb == 1 {
                        plan.forEachRow { o, i, j in
                            Graph.rowGrad(F.self, ofA: true, av + i, bv + j, y + o, gy + o, into: ga + i, len)
                        }
                    } else if bPerRow {
                        // The same products and sums as element by element, in the same order.
                        plan.forEachRow { o, i, j in Graph.rowGradOfA(F.self, av + i, bv[j], y + o, gy + o, into: ga + i, len) }
                    } else {
                        plan.forEach { o, i, j in ga[i] += gy[o] * F.da(av[i], bv[j], y[o]) }
                    }
                }
                if let gb {
                    if sa == 1 && sb == 1 {
                        plan.forEachRow { o, i, j in
                            Graph.rowGrad(F.self, ofA: false, av + i, bv + j, y + o, gy + o, into: gb + j, len)
                        }
                    } else if bPerRow {
                        plan.forEachRow { o, i, j in
                            let bj = bv[j]
                            var sum = gb[j]
                            for t in 0..<len { sum += gy[o + t] * F.db(av[i + t], bj, y[o + t]) }
                            gb[j] = sum
                        }
                    } else {
                        plan.forEach { o, i, j in gb[j] += gy[o] * F.db(av[i], bv[j], y[o]) }
                    }
                }
            }
        }
        return out
    }

    /// y[t] = f(a[t], b[t]) over one contiguous row, 8 lanes at a time.
    @inline(__always)
    static func rowMap<F: BinaryFunction>(_: F.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                          _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var t = 0
        while t + 8 <= n {
            let x = load8(a + t), z = load8(b + t)
            var r = F8()
            for l in 0..<8 { r[l] = F.f(x[l], z[l]) }
            store8(r, y + t)
            t += 8
        }
        while t < n { y[t] = F.f(a[t], b[t]); t += 1 }
    }

    /// y[t] = f(a[t], b) over one contiguous row against one number, 8 lanes at a time.
    @inline(__always)
    static func rowMap<F: BinaryFunction>(_: F.Type, _ a: UnsafePointer<Float>, _ b: Float, _ y: UnsafeMutablePointer<Float>,
                                          _ n: Int) {
        var t = 0
        while t + 8 <= n {
            let x = load8(a + t)
            var r = F8()
            for l in 0..<8 { r[l] = F.f(x[l], b) }
            store8(r, y + t)
            t += 8
        }
        while t < n { y[t] = F.f(a[t], b); t += 1 }
    }

    /// g[t] += gy[t] · ∂f/∂a at (a[t], b, y[t]) over one contiguous row against one number, 8 lanes at a
    /// time: a product and a sum, not fused, so each entry is what the same loop element by element gives.
    @inline(__always)
    static func rowGradOfA<F: BinaryFunction>(_: F.Type, _ a: UnsafePointer<Float>, _ b: Float, _ y: UnsafePointer<Float>,
                                              _ gy: UnsafePointer<Float>, into g: UnsafeMutablePointer<Float>, _ n: Int) {
        var t = 0
        while t + 8 <= n {
            let x = load8(a + t), w = load8(y + t)
            var r = F8()
            for l in 0..<8 { r[l] = F.da(x[l], b, w[l]) }
            store8(load8(g + t) + load8(gy + t) * r, g + t)
            t += 8
        }
        while t < n { g[t] += gy[t] * F.da(a[t], b, y[t]); t += 1 }
    }

    /// g[t] += gy[t] · ∂f/∂a (or ∂f/∂b) at (a[t], b[t], y[t]) over one contiguous row, 8 lanes at a time.
    @inline(__always)
    static func rowGrad<F: BinaryFunction>(_: F.Type, ofA: Bool, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                           _ y: UnsafePointer<Float>, _ gy: UnsafePointer<Float>,
                                           into g: UnsafeMutablePointer<Float>, _ n: Int) {
        @inline(__always) func d(_ a: Float, _ b: Float, _ y: Float) -> Float { ofA ? F.da(a, b, y) : F.db(a, b, y) }
        var t = 0
        while t + 8 <= n {
            let x = load8(a + t), z = load8(b + t), w = load8(y + t)
            var r = F8()
            for l in 0..<8 { r[l] = d(x[l], z[l], w[l]) }
            var acc = load8(g + t)
            fma8(&acc, load8(gy + t), r)
            store8(acc, g + t)
            t += 8
        }
        while t < n { g[t] += gy[t] * d(a[t], b[t], y[t]); t += 1 }
    }

    /// a + b with broadcasting.
    public func add(_ a: Var, _ b: Var) -> Var { binary(a, b, AddFn.self) }
    /// a − b with broadcasting.
    public func sub(_ a: Var, _ b: Var) -> Var { binary(a, b, SubFn.self) }
    /// a · b elementwise with broadcasting.
    public func mul(_ a: Var, _ b: Var) -> Var { binary(a, b, MulFn.self) }
    /// a / b elementwise with broadcasting.
    public func div(_ a: Var, _ b: Var) -> Var { binary(a, b, DivFn.self) }
    /// aᵇ elementwise with broadcasting, for a ≥ 0 (the NTM's sharpening w^γ).
    public func pow(_ a: Var, _ b: Var) -> Var { binary(a, b, PowFn.self) }
}
