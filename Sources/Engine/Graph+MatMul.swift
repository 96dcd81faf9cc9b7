// Matrix products. The backward rules are the two products every textbook gives (dA = dC·op(B)ᵀ,
// dB = op(A)ᵀ·dC), expressed through the same gemm kernel with the transpose flags swapped.

extension Graph {
    /// op(a) · op(b), where op transposes the last two axes when asked.
    ///
    /// - a is [m, k] ([k, m] if `transposeA`), or [k] as a single row (the result then drops that axis).
    /// - b is [k, n] ([n, k] if `transposeB`), or [k] as a single column (the result drops that axis).
    /// - Rank-3 operands are batches with equal leading size: [B, m, k] · [B, k, n] → [B, m, n]; a rank-3
    ///   `a` with a rank-2 `b` multiplies every batch by the same matrix.
    public func matmul(_ a: Var, _ b: Var, transposeA: Bool = false, transposeB: Bool = false) -> Var {
        matmul(a, b, transposeA: transposeA, transposeB: transposeB, outputNeedsGrad: false)
    }

    /// `outputNeedsGrad` forces gradient storage on the output (for a fused bias that needs it).
    private func matmul(_ a: Var, _ b: Var, transposeA: Bool, transposeB: Bool, outputNeedsGrad: Bool) -> Var {
        let sa = shape(a), sb = shape(b)
        precondition(sa.rank >= 1 && sa.rank <= 3 && sb.rank >= 1 && sb.rank <= 3,
                     "matmul of shapes \(sa) and \(sb): ranks 1 to 3 are supported")
        // View every operand as a batch of stored matrices [batch, rows, cols].
        let aBatch = sa.rank == 3 ? sa[0] : 1
        let bBatch = sb.rank == 3 ? sb[0] : 1
        precondition(aBatch == bBatch || bBatch == 1, "matmul batch sizes \(sa) and \(sb) differ")
        let (aRows, aCols) = sa.rank == 1 ? (1, sa[0]) : (sa[sa.rank - 2], sa[sa.rank - 1])
        let (bRows, bCols) = sb.rank == 1 ? (sb[0], 1) : (sb[sb.rank - 2], sb[sb.rank - 1])
        let (m, k) = transposeA ? (aCols, aRows) : (aRows, aCols)
        let (k2, n) = transposeB ? (bCols, bRows) : (bRows, bCols)
        precondition(sa.rank > 1 || !transposeA, "a vector operand cannot be transposed")
        precondition(sb.rank > 1 || !transposeB, "a vector operand cannot be transposed")
        precondition(k == k2, "matmul inner sizes differ: \(sa)\(transposeA ? "ᵀ" : "") · \(sb)\(transposeB ? "ᵀ" : "")")

        var dims: [Int] = []
        if sa.rank == 3 { dims.append(aBatch) }
        if sa.rank > 1 { dims.append(m) }
        if sb.rank > 1 { dims.append(n) }
        let an = node(a), bn = node(b)
        let out = makeNode(Shape(dims), needsGrad: outputNeedsGrad || an.grad != nil || bn.grad != nil)
        let cn = node(out)
        let aStep = m * k, bStep = bBatch == 1 ? 0 : k * n, cStep = m * n
        let av = an.value, bv = bn.value, cv = cn.value
        for i in 0..<aBatch {
            Kernels.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                         av + i * aStep, bv + i * bStep, cv + i * cStep, accumulate: false)
        }
        if let gc = cn.grad {
            let ga = an.grad, gb = bn.grad
            let tA = transposeA, tB = transposeB
            record {
                for i in 0..<aBatch {
                    let dC = UnsafePointer(gc + i * cStep)
                    let A = av + i * aStep, B = bv + i * bStep
                    if let ga {
                        // dop(A) = dC · op(B)ᵀ; stored dA is that, or its transpose when A was transposed.
                        if !tA {
                            Kernels.gemm(transA: false, transB: !tB, m: m, n: k, k: n, dC, B, ga + i * aStep, accumulate: true)
                        } else {
                            Kernels.gemm(transA: tB, transB: true, m: k, n: m, k: n, B, dC, ga + i * aStep, accumulate: true)
                        }
                    }
                    if let gb {
                        // dop(B) = op(A)ᵀ · dC; stored dB is that, or its transpose when B was transposed.
                        if !tB {
                            Kernels.gemm(transA: !tA, transB: false, m: k, n: n, k: m, A, dC, gb + i * bStep, accumulate: true)
                        } else {
                            Kernels.gemm(transA: true, transB: tA, m: n, n: k, k: m, dC, A, gb + i * bStep, accumulate: true)
                        }
                    }
                }
            }
        }
        return out
    }

    /// x · Wᵀ + b for x [batch, in] (or [in]), W [out, in], b [out]: PyTorch's `nn.Linear`, in one node.
    public func linear(_ x: Var, weight w: Var, bias b: Var?) -> Var {
        guard let b else { return matmul(x, w, transposeB: true) }
        let bn = node(b)
        let y = matmul(x, w, transposeA: false, transposeB: true, outputNeedsGrad: bn.grad != nil)
        let yn = node(y)
        precondition(bn.shape.rank == 1 && bn.shape[0] == yn.shape.last, "bias \(bn.shape) for output \(yn.shape)")
        // Add the bias in place: y is fresh and used by no one else yet, so one node does both.
        let n = bn.shape[0], rows = yn.shape.count / max(n, 1)
        for r in 0..<rows { Kernels.axpy(1, bn.value, yn.value + r * n, n) }
        if let gb = bn.grad, let gy = yn.grad {
            record { for r in 0..<rows { Kernels.axpy(1, gy + r * n, gb, n) } }
        }
        return y
    }

    // MARK: Attention over a batch of sequences

    /// The score of each key against its batch's query: s[b, i] = keys[b, i] · query[b], for query
    /// [B, H] and keys [B, N, H] → [B, N] (Luong's dot attention). A batched product [B, 1, H]·[B, N, H]ᵀ.
    public func batchedDot(_ query: Var, _ keys: Var) -> Var {
        let qs = shape(query), ks = shape(keys)
        precondition(qs.rank == 2 && ks.rank == 3 && ks[0] == qs[0] && ks[2] == qs[1],
                     "batchedDot of query \(qs) with keys \(ks): needs [B, H] and [B, N, H]")
        let scores = matmul(reshape(query, [qs[0], 1, qs[1]]), keys, transposeB: true)
        return reshape(scores, [ks[0], ks[1]])
    }

    /// Each batch's values averaged under its weights: c[b] = Σ_i weights[b, i] · values[b, i], for
    /// weights [B, N] and values [B, N, H] → [B, H] (attention's context vector). [B, 1, N]·[B, N, H].
    public func weightedSum(_ weights: Var, _ values: Var) -> Var {
        let ws = shape(weights), vs = shape(values)
        precondition(ws.rank == 2 && vs.rank == 3 && vs[0] == ws[0] && vs[1] == ws[1],
                     "weightedSum of weights \(ws) with values \(vs): needs [B, N] and [B, N, H]")
        let context = matmul(reshape(weights, [ws[0], 1, ws[1]]), values)
        return reshape(context, [vs[0], vs[2]])
    }
}
