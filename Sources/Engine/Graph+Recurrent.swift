// Fused operations for recurrent cells: a sum of affine maps in one node, and the LSTM's pointwise gate
// arithmetic in one node. Each replaces a dozen small nodes on the hottest path of every model.

extension Graph {
    /// Σᵢ xᵢ · Wᵢᵀ + Σ biases, in one node: for x [B, in_i] (or [in_i]), W [out, in_i], bias [out].
    public func affine(_ terms: [(x: Var, weight: Var)], biases: [Var]) -> Var {
        precondition(!terms.isEmpty, "affine of no terms")
        let first = node(terms[0].x)
        let outF = node(terms[0].weight).shape[0]
        let rows = first.shape.rank == 1 ? 1 : first.shape[0]
        var needs = false
        for t in terms {
            let xs = node(t.x).shape, ws = node(t.weight).shape
            precondition(ws.rank == 2 && ws[0] == outF && xs.last == ws[1] && (xs.rank == 1 ? 1 : xs[0]) == rows
                         && xs.rank == first.shape.rank,
                         "affine term x \(xs) with weight \(ws)")
            needs = needs || node(t.x).grad != nil || node(t.weight).grad != nil
        }
        for b in biases {
            precondition(node(b).shape == Shape(outF), "affine bias \(node(b).shape) for \(outF) outputs")
            needs = needs || node(b).grad != nil
        }
        let out = makeNode(first.shape.rank == 1 ? Shape(outF) : Shape(rows, outF), needsGrad: needs)
        let y = node(out)
        let xs = terms.map { node($0.x) }, ws = terms.map { node($0.weight) }, bs = biases.map { node($0) }
        for (i, (x, w)) in zip(xs, ws).enumerated() {
            Kernels.gemm(transA: false, transB: true, m: rows, n: outF, k: w.shape[1],
                         x.value, w.value, y.value, accumulate: i > 0)
        }
        for b in bs { for r in 0..<rows { Kernels.axpy(1, b.value, y.value + r * outF, outF) } }
        if let gy = y.grad {
            record {
                for (x, w) in zip(xs, ws) {
                    let k = w.shape[1]
                    if let gx = x.grad {
                        Kernels.gemm(transA: false, transB: false, m: rows, n: k, k: outF, gy, w.value, gx, accumulate: true)
                    }
                    if let gw = w.grad {
                        Kernels.gemm(transA: true, transB: false, m: outF, n: k, k: rows, gy, x.value, gw, accumulate: true)
                    }
                }
                for b in bs {
                    if let gb = b.grad { for r in 0..<rows { Kernels.axpy(1, gy + r * outF, gb, outF) } }
                }
            }
        }
        return out
    }

    /// The LSTM's gate arithmetic on pre-activations `gates` [B, 4H] (order i, f, g, o, as PyTorch) and the
    /// previous cell `c` [B, H]: c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Returns (h', c').
    public func lstmPointwise(gates: Var, cell c: Var) -> (h: Var, c: Var) {
        let gn = node(gates), cn = node(c)
        let hsz = cn.shape.last, rows = cn.shape.rows
        precondition(gn.shape.last == 4 * hsz && gn.shape.rows == rows, "lstmPointwise gates \(gn.shape) for cell \(cn.shape)")
        let needs = gn.grad != nil || cn.grad != nil
        let hOut = makeNode(cn.shape, needsGrad: needs)
        let cOut = makeNode(cn.shape, needsGrad: needs)
        // Activated gates and tanh(c'), kept for the backward rule: [B, 5H].
        let act = makeNode(Shape(rows, 5 * hsz), needsGrad: false)
        let a = node(act).value, gv = gn.value, cv = cn.value
        let hv = node(hOut).value, c2 = node(cOut).value
        for r in 0..<rows {
            let g = gv + r * 4 * hsz, s = a + r * 5 * hsz
            VectorMath.sigmoid(g, s, 2 * hsz)                       // i, f
            VectorMath.tanh(g + 2 * hsz, s + 2 * hsz, hsz)          // g
            VectorMath.sigmoid(g + 3 * hsz, s + 3 * hsz, hsz)       // o
            let cr = cv + r * hsz, c2r = c2 + r * hsz
            for j in 0..<hsz { c2r[j] = s[hsz + j] * cr[j] + s[j] * s[2 * hsz + j] }
            VectorMath.tanh(c2r, s + 4 * hsz, hsz)
            let hr = hv + r * hsz
            for j in 0..<hsz { hr[j] = s[3 * hsz + j] * s[4 * hsz + j] }
        }
        if needs {
            let gh = node(hOut).grad!, gc2 = node(cOut).grad!
            let gg = gn.grad, gc = cn.grad
            record {
                for r in 0..<rows {
                    let s = a + r * 5 * hsz
                    let ghr = gh + r * hsz, gc2r = gc2 + r * hsz, cr = cv + r * hsz
                    for j in 0..<hsz {
                        let i = s[j], f = s[hsz + j], gt = s[2 * hsz + j], o = s[3 * hsz + j], tc = s[4 * hsz + j]
                        // Total gradient reaching c' (from h' = o·tanh c' and from c' itself).
                        let dc = gc2r[j] + ghr[j] * o * (1 - tc * tc)
                        if let gg {
                            let d = gg + r * 4 * hsz
                            d[j] += dc * gt * i * (1 - i)
                            d[hsz + j] += dc * cr[j] * f * (1 - f)
                            d[2 * hsz + j] += dc * i * (1 - gt * gt)
                            d[3 * hsz + j] += ghr[j] * tc * o * (1 - o)
                        }
                        if let gc { gc[r * hsz + j] += dc * f }
                    }
                }
            }
        }
        return (hOut, cOut)
    }
}
