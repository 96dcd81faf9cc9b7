// Normalisation over the last axis (a transformer's layer norm). The forward keeps each row's normalised
// values x̂ and 1/σ in scratch nodes, so the backward recomputes nothing.

extension Graph {
    /// Layer normalisation over the last axis, as PyTorch's `nn.LayerNorm(n, eps)`: for each row of n
    /// entries, y = (x − μ) / √(σ² + ε) ⊙ γ + β, with μ the row's mean and σ² its biased variance (divided
    /// by n). `gain` γ and `bias` β are [n].
    public func layerNorm(_ x: Var, gain: Var, bias: Var, epsilon: Float = 1e-5) -> Var {
        let xn = node(x), gn = node(gain), bn = node(bias)
        let n = xn.shape.last, rows = xn.shape.rows
        precondition(xn.shape.rank >= 1 && n > 0, "layerNorm of shape \(xn.shape)")
        precondition(gn.shape == Shape(n) && bn.shape == Shape(n),
                     "layerNorm gain \(gn.shape) and bias \(bn.shape) for rows of \(n)")
        let out = makeNode(xn.shape, needsGrad: xn.grad != nil || gn.grad != nil || bn.grad != nil)
        let yn = node(out)
        // Scratch: x̂ laid out as x, and 1/√(σ² + ε) per row.
        let xhat = node(makeNode(xn.shape, needsGrad: false)).value
        let rstd = node(makeNode(Shape(rows), needsGrad: false)).value
        let xv = xn.value, yv = yn.value, gv = gn.value, bv = bn.value
        let inverseN = 1 / Float(n)
        for r in 0..<rows {
            let row = xv + r * n, h = xhat + r * n, y = yv + r * n
            let mean = Graph.rowSum(row, n) * inverseN
            for j in 0..<n { h[j] = row[j] - mean }
            let variance = Kernels.dot(h, h, n) * inverseN
            let s = 1 / (variance + epsilon).squareRoot()
            rstd[r] = s
            for j in 0..<n {
                h[j] *= s
                y[j] = h[j] * gv[j] + bv[j]
            }
        }
        if let gy = yn.grad {
            let gx = xn.grad, gg = gn.grad, gb = bn.grad
            record {
                for r in 0..<rows {
                    let dy = gy + r * n, h = xhat + r * n
                    if let gg { for j in 0..<n { gg[j] += dy[j] * h[j] } }
                    if let gb { Kernels.axpy(1, dy, gb, n) }
                    guard let gx else { continue }
                    // With d = dy ⊙ γ: dx = (1/σ)(d − mean(d) − x̂ · mean(d ⊙ x̂)).
                    var sumD: Float = 0, sumDH: Float = 0
                    for j in 0..<n {
                        let d = dy[j] * gv[j]
                        sumD += d
                        sumDH += d * h[j]
                    }
                    let m1 = sumD * inverseN, m2 = sumDH * inverseN, s = rstd[r]
                    let dx = gx + r * n
                    for j in 0..<n { dx[j] += s * (dy[j] * gv[j] - m1 - h[j] * m2) }
                }
            }
        }
        return out
    }

    /// Σ x[j] over n contiguous entries, 8 lanes at a time.
    @inline(__always)
    static func rowSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = F8()
        var j = 0
        while j + 8 <= n { acc += load8(x + j); j += 8 }
        var s = acc.sum()
        while j < n { s += x[j]; j += 1 }
        return s
    }
}
