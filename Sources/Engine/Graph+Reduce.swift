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
        let n = xn.shape.count, xv = xn.value
        var s: Float = 0
        for i in 0..<n { s += xv[i] }
        yn.value[0] = s
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
        for o in 0..<outer {
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
                for o in 0..<outer {
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
