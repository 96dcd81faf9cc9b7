#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reductions and the softmax family. An axis splits a shape into (outer, n, inner); element (o, j, i)
// sits at (o·n + j)·inner + i, so one loop nest serves every axis.

extension Graph {
    /// Sum over one axis, which is removed (or kept with size 1 when `keepAxis`).
    public func sum(_ x: Var, axis: Int, keepAxis: Bool = false) -> Var {
        reduce(x, axis: axis, keepAxis: keepAxis, scale: 1)
    }

    /// Mean over one axis, which is removed (or kept with size 1 when `keepAxis`).
    public func mean(_ x: Var, axis: Int, keepAxis: Bool = false) -> Var {
        let n = shape(x)[normalised(axis, shape(x))]
        return reduce(x, axis: axis, keepAxis: keepAxis, scale: 1 / Float(max(n, 1)))
    }

    /// Sum of every element, as a one-element value of shape [].
    public func sum(_ x: Var) -> Var {
        let xn = node(x)
        let out = makeNode(Shape([]), needsGrad: xn.grad != nil)
        let yn = node(out)
        let n = xn.shape.count
        yn.value[0] = Kernels.sum(xn.value, n)
        if let gx = xn.grad, let gy = yn.grad {
            record { let g = gy[0]; for i in 0..<n { gx[i] += g } }
        }
        return out
    }

    /// Mean of every element, as a one-element value of shape [].
    public func mean(_ x: Var) -> Var { scale(sum(x), 1 / Float(max(shape(x).count, 1))) }

    func normalised(_ axis: Int, _ s: Shape) -> Int {
        let a = axis < 0 ? axis + s.rank : axis
        precondition(a >= 0 && a < s.rank, "axis \(axis) out of range for shape \(s)")
        return a
    }

    private func reduce(_ x: Var, axis: Int, keepAxis: Bool, scale c: Float) -> Var {
        let xn = node(x)
        let ax = normalised(axis, xn.shape)
        let (outer, n, inner) = xn.shape.split(at: ax)
        let out = makeNode(xn.shape.replacing(axis: ax, with: keepAxis ? 1 : nil), needsGrad: xn.grad != nil)
        let yn = node(out)
        let xv = xn.value, yv = yn.value
        for o in 0..<outer {
            for i in 0..<inner {
                var s: Float = 0
                for j in 0..<n { s += xv[(o * n + j) * inner + i] }
                yv[o * inner + i] = c * s
            }
        }
        if let gx = xn.grad, let gy = yn.grad {
            record {
                for o in 0..<outer {
                    for j in 0..<n {
                        for i in 0..<inner { gx[(o * n + j) * inner + i] += c * gy[o * inner + i] }
                    }
                }
            }
        }
        return out
    }

    /// One row of a softmax (n entries from `base`, `inner` apart): writes exp(x − m) into y and returns
    /// the maximum m and the sum of the exponentials. Contiguous rows use the vector exp (a scalar expf per
    /// weight was most of a 128-row softmax). With a `mask` (0/1 laid out as x), the maximum and the sum
    /// are over the kept entries only and a masked entry's y is exactly 0.
    static func shiftedExp(_ xv: UnsafeMutablePointer<Float>, into yv: UnsafeMutablePointer<Float>,
                           base: Int, n: Int, inner: Int, mask: UnsafePointer<Float>? = nil) -> (m: Float, s: Float) {
        var m = -Float.infinity
        if let mask {
            var kept = 0
            for j in 0..<n where mask[base + j * inner] != 0 { m = max(m, xv[base + j * inner]); kept += 1 }
            precondition(kept > 0, "maskedSoftmax of a row whose every entry is masked")
        } else {
            for j in 0..<n { m = max(m, xv[base + j * inner]) }
        }
        var s: Float = 0
        if inner == 1 {
            let x = xv + base, y = yv + base
            for j in 0..<n { y[j] = x[j] - m }
            VectorMath.exp(y, y, n)
            if let mask { let k = mask + base; for j in 0..<n where k[j] == 0 { y[j] = 0 } }
            for j in 0..<n { s += y[j] }
        } else {
            for j in 0..<n {
                let kept = mask == nil || mask![base + j * inner] != 0
                let e = kept ? expf(xv[base + j * inner] - m) : 0
                yv[base + j * inner] = e
                s += e
            }
        }
        return (m, s)
    }

    /// Softmax over one axis (the last by default), computed with the maximum subtracted.
    public func softmax(_ x: Var, axis: Int = -1) -> Var { softmax(x, axis: axis, mask: nil) }

    /// Softmax over the entries of each row (along `axis`) whose `mask` is true; masked entries are exactly
    /// 0 and get no gradient (attention over a padded sequence). `mask` is laid out as x (x.count entries).
    /// A row with every entry masked is a programmer error.
    public func maskedSoftmax(_ x: Var, mask: [Bool], axis: Int = -1) -> Var {
        precondition(mask.count == shape(x).count, "maskedSoftmax mask of \(mask.count) entries for \(shape(x))")
        // The mask as 0/1 in a scratch node: arena memory, no heap array per call.
        let m = makeNode(shape(x), needsGrad: false)
        let mv = node(m).value
        for i in 0..<mask.count { mv[i] = mask[i] ? 1 : 0 }
        return softmax(x, axis: axis, mask: UnsafePointer(mv))
    }

    /// `maskedSoftmax` with the mask as a 0/1 tensor of x's shape ([B, N] for x [B, N]): nonzero keeps.
    public func maskedSoftmax(_ x: Var, mask: Tensor, axis: Int = -1) -> Var {
        precondition(Shape(mask.shape) == shape(x), "maskedSoftmax mask \(mask.shape) for \(shape(x))")
        return softmax(x, axis: axis, mask: UnsafePointer(node(constant(mask)).value))
    }

    /// `mask` (0/1 laid out as x) is read by the forward only: a masked entry's y is 0, so the backward's
    /// dx_j = y_j (dy_j − Σ_k dy_k y_k) is 0 there without looking at the mask.
    private func softmax(_ x: Var, axis: Int, mask: UnsafePointer<Float>?) -> Var {
        let xn = node(x)
        let ax = normalised(axis, xn.shape)
        let (outer, n, inner) = xn.shape.split(at: ax)
        let out = makeNode(xn.shape, needsGrad: xn.grad != nil)
        let yn = node(out)
        let xv = xn.value, yv = yn.value
        // Contiguous rows without a mask go four at a time (`softmaxRows4`), the same operations per row.
        let grouped = inner == 1 && mask == nil ? outer & ~3 : 0
        for o in stride(from: 0, to: grouped, by: 4) { Graph.softmaxRows4(xv + o * n, yv + o * n, n) }
        for o in grouped..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                let (_, s) = Graph.shiftedExp(xv, into: yv, base: base, n: n, inner: inner, mask: mask)
                let r = 1 / s
                for j in 0..<n { yv[base + j * inner] *= r }
            }
        }
        if let gx = xn.grad, let gy = yn.grad {
            // dx_j = y_j (dy_j − Σ_k dy_k y_k)
            record {
                for o in stride(from: 0, to: grouped, by: 4) { Graph.softmaxGradRows4(yv + o * n, gy + o * n, gx + o * n, n) }
                for o in grouped..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        var d: Float = 0
                        for j in 0..<n { d += gy[base + j * inner] * yv[base + j * inner] }
                        for j in 0..<n {
                            let k = base + j * inner
                            gx[k] += yv[k] * (gy[k] - d)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Softmax of four contiguous rows of n at x into y: for each row exactly the operations of
    /// `shiftedExp` and the scaling after it (the maximum, then x − m, the vector exp, the sum in order,
    /// the product by 1 / s), but the four rows' maxima and sums, each a chain of n dependent operations,
    /// run side by side.
    static func softmaxRows4(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let x1 = x + n, x2 = x + 2 * n, x3 = x + 3 * n
        let y1 = y + n, y2 = y + 2 * n, y3 = y + 3 * n
        var m0 = -Float.infinity, m1 = -Float.infinity, m2 = -Float.infinity, m3 = -Float.infinity
        for j in 0..<n { m0 = max(m0, x[j]); m1 = max(m1, x1[j]); m2 = max(m2, x2[j]); m3 = max(m3, x3[j]) }
        for j in 0..<n { y[j] = x[j] - m0 }
        for j in 0..<n { y1[j] = x1[j] - m1 }
        for j in 0..<n { y2[j] = x2[j] - m2 }
        for j in 0..<n { y3[j] = x3[j] - m3 }
        VectorMath.exp(y, y, 4 * n)
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        for j in 0..<n { s0 += y[j]; s1 += y1[j]; s2 += y2[j]; s3 += y3[j] }
        let r0 = 1 / s0, r1 = 1 / s1, r2 = 1 / s2, r3 = 1 / s3
        for j in 0..<n { y[j] *= r0 }
        for j in 0..<n { y1[j] *= r1 }
        for j in 0..<n { y2[j] *= r2 }
        for j in 0..<n { y3[j] *= r3 }
    }

    /// The softmax backward of four contiguous rows, dx_j += y_j (dy_j − Σ_k dy_k y_k), with the four rows'
    /// sums (each in order) side by side.
    static func softmaxGradRows4(_ y: UnsafePointer<Float>, _ gy: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>,
                                 _ n: Int) {
        var d0: Float = 0, d1: Float = 0, d2: Float = 0, d3: Float = 0
        for j in 0..<n {
            d0 += gy[j] * y[j]; d1 += gy[n + j] * y[n + j]
            d2 += gy[2 * n + j] * y[2 * n + j]; d3 += gy[3 * n + j] * y[3 * n + j]
        }
        @inline(__always) func row(_ o: Int, _ d: Float) { for j in o..<(o + n) { gx[j] += y[j] * (gy[j] - d) } }
        row(0, d0); row(n, d1); row(2 * n, d2); row(3 * n, d3)
    }

    /// log-softmax over one axis (the last by default).
    public func logSoftmax(_ x: Var, axis: Int = -1) -> Var {
        let xn = node(x)
        let ax = normalised(axis, xn.shape)
        let (outer, n, inner) = xn.shape.split(at: ax)
        let out = makeNode(xn.shape, needsGrad: xn.grad != nil)
        let yn = node(out)
        let xv = xn.value, yv = yn.value
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                // y holds exp(x − m) for a moment, then the log-probabilities.
                let (m, s) = Graph.shiftedExp(xv, into: yv, base: base, n: n, inner: inner)
                // (x − m) − log s, as PyTorch orders it: x − m is exact near the maximum, whereas
                // x − (m + log s) rounds m + log s to the ulp of m (3e-5 at m = 500) first.
                let logS = logf(s)
                for j in 0..<n { yv[base + j * inner] = (xv[base + j * inner] - m) - logS }
            }
        }
        if let gx = xn.grad, let gy = yn.grad {
            // dx_j = dy_j − softmax_j Σ_k dy_k
            record {
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        var d: Float = 0
                        for j in 0..<n { d += gy[base + j * inner] }
                        for j in 0..<n {
                            let k = base + j * inner
                            gx[k] += gy[k] - expf(yv[k]) * d
                        }
                    }
                }
            }
        }
        return out
    }
}
