// The operations of a memory with dynamic allocation and temporal links (the Differentiable Neural
// Computer, docs/models/dnc.md): content weighting of several heads, usage, the sorted allocation, the
// gated write weighting, the link matrix, precedence, and the read-mode mixture. Each is one node with its
// backward rule under its forward, so a DNC step is a few dozen nodes whatever N is. Leading axis B is the
// batch throughout.

extension Graph {
    /// Content weighting of H heads at once: out[b, h, i] = softmax_i(β[b, h] · D(memory[b, i], keys[b, h]))
    /// for memory [B, N, W], keys [B, H, W] and strengths β [B, H], giving [B, H, N], with the cosine
    /// similarity D(m, k) = m·k / (‖m‖_ε ‖k‖_ε + ε), ‖x‖_ε = √(Σx² + ε) (DeepMind's `CosineWeights`).
    public func contentWeighting(_ memory: Var, keys: Var, strengths: Var, epsilon: Float = 1e-6) -> Var {
        let mn = node(memory), kn = node(keys), sn = node(strengths)
        let ms = mn.shape, ks = kn.shape
        precondition(ms.rank == 3 && ks.rank == 3 && ks[0] == ms[0] && ks[2] == ms[2] && sn.shape == Shape(ks[0], ks[1]),
                     "contentWeighting of memory \(ms), keys \(ks), strengths \(sn.shape): needs [B, N, W], [B, H, W], [B, H]")
        let b = ms[0], n = ms[1], w = ms[2], h = ks[1]
        let needs = mn.grad != nil || kn.grad != nil || sn.grad != nil
        let out = makeNode(Shape(b, h, n), needsGrad: needs)
        let yv = node(out).value, mv = mn.value, kv = kn.value, sv = sn.value
        // Per batch row: the memory norms [N], the key norms [H], the similarities D [H, N], and (when a
        // gradient will flow) room for the backward rule's coefficient matrix [H, N].
        let per = n + h + (node(out).grad != nil ? 2 : 1) * h * n
        let scratch = node(makeNode(Shape(b, per), needsGrad: false)).value
        for bt in 0..<b {
            let m = mv + bt * n * w, k = kv + bt * h * w, sc = scratch + bt * per
            let mNorm = sc, kNorm = sc + n, d = sc + n + h
            for i in 0..<n { mNorm[i] = (Kernels.dot(m + i * w, m + i * w, w) + epsilon).squareRoot() }
            for j in 0..<h { kNorm[j] = (Kernels.dot(k + j * w, k + j * w, w) + epsilon).squareRoot() }
            Kernels.gemm(transA: false, transB: true, m: h, n: n, k: w, k, m, d, accumulate: false)   // k·m
            for j in 0..<h {
                let dj = d + j * n, y = yv + (bt * h + j) * n, beta = sv[bt * h + j]
                for i in 0..<n {
                    dj[i] /= mNorm[i] * kNorm[j] + epsilon
                    y[i] = beta * dj[i]
                }
                let (_, s) = Graph.shiftedExp(y, into: y, base: 0, n: n, inner: 1)
                let r = 1 / s
                for i in 0..<n { y[i] *= r }
            }
        }
        if let gy = node(out).grad {
            let gm = mn.grad, gk = kn.grad, gs = sn.grad
            record {
                for bt in 0..<b {
                    let m = mv + bt * n * w, k = kv + bt * h * w, sc = scratch + bt * per
                    let mNorm = sc, kNorm = sc + n, d = sc + n + h, coef = sc + n + h + h * n
                    // Per row i of head j: gD = β · dsoftmax; D = dot/den, den = ‖m‖‖k‖ + ε, so
                    // ∂D/∂m = k/den − D‖k‖ m/(den ‖m‖), ∂D/∂k = m/den − D‖m‖ k/(den ‖k‖).
                    // coef holds gD/den; the cross terms are then two matrix products.
                    for j in 0..<h {
                        let y = yv + (bt * h + j) * n, g = gy + (bt * h + j) * n, dj = d + j * n, cj = coef + j * n
                        let beta = sv[bt * h + j]
                        var dotGY: Float = 0
                        for i in 0..<n { dotGY += g[i] * y[i] }
                        var dBeta: Float = 0
                        var keySelf: Float = 0
                        for i in 0..<n {
                            let ds = y[i] * (g[i] - dotGY)
                            dBeta += ds * dj[i]
                            let den = mNorm[i] * kNorm[j] + epsilon
                            let c = beta * ds / den
                            cj[i] = c
                            keySelf += c * dj[i] * mNorm[i]
                        }
                        gs?[bt * h + j] += dBeta
                        if let gk { Kernels.axpy(-keySelf / kNorm[j], k + j * w, gk + (bt * h + j) * w, w) }
                    }
                    if let gk {   // dK += coef · M
                        Kernels.gemm(transA: false, transB: false, m: h, n: w, k: n, coef, m, gk + bt * h * w, accumulate: true)
                    }
                    if let gm {   // dM += coefᵀ · K, and each row's own term
                        Kernels.gemm(transA: true, transB: false, m: n, n: w, k: h, coef, k, gm + bt * n * w, accumulate: true)
                        for i in 0..<n {
                            var s: Float = 0
                            for j in 0..<h { s += coef[j * n + i] * d[j * n + i] * kNorm[j] }
                            Kernels.axpy(-s / mNorm[i], m + i * w, gm + (bt * n + i) * w, w)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Memory usage after the previous step's write and this step's frees, for usage u [B, N], the previous
    /// write weighting w [B, N], the previous read weightings wʳ [B, R, N] and free gates f [B, R]:
    /// ψ = Π_r (1 − f_r wʳ_r), out = (u + w − u ⊙ w) ⊙ ψ.
    public func memoryUsage(_ usage: Var, writeWeighting w: Var, readWeightings wr: Var, freeGates f: Var) -> Var {
        let un = node(usage), wn = node(w), rn = node(wr), fn = node(f)
        let b = un.shape[0], n = un.shape.last, r = fn.shape.last
        precondition(un.shape == Shape(b, n) && wn.shape == Shape(b, n) && rn.shape == Shape(b, r, n) && fn.shape == Shape(b, r),
                     "memoryUsage of usage \(un.shape), write weighting \(wn.shape), read weightings \(rn.shape), free gates \(fn.shape)")
        let needs = un.grad != nil || wn.grad != nil || rn.grad != nil || fn.grad != nil
        let out = makeNode(un.shape, needsGrad: needs)
        let yv = node(out).value, uv = un.value, wv = wn.value, rv = rn.value, fv = fn.value
        // ψ [B, N], kept for the backward rule.
        let psi = node(makeNode(un.shape, needsGrad: false)).value
        for bt in 0..<b {
            let p = psi + bt * n
            p.update(repeating: 1, count: n)
            for h in 0..<r {
                let fh = fv[bt * r + h], wrh = rv + (bt * r + h) * n
                for i in 0..<n { p[i] *= 1 - fh * wrh[i] }
            }
            for i in 0..<n {
                let k = bt * n + i, u = uv[k], wi = wv[k]
                yv[k] = (u + wi - u * wi) * p[i]
            }
        }
        if let gy = node(out).grad {
            let gu = un.grad, gw = wn.grad, gr = rn.grad, gf = fn.grad
            record {
                for bt in 0..<b {
                    for i in 0..<n {
                        let k = bt * n + i, u = uv[k], wi = wv[k], g = gy[k], p = psi[k]
                        gu?[k] += g * p * (1 - wi)
                        gw?[k] += g * p * (1 - u)
                        guard gr != nil || gf != nil else { continue }
                        let dPsi = g * (u + wi - u * wi)
                        // ∂ψ/∂(f_h wʳ_h) = −Π over the other heads, taken without dividing (a factor may be 0).
                        for h in 0..<r {
                            var others: Float = 1
                            for o in 0..<r where o != h { others *= 1 - fv[bt * r + o] * rv[(bt * r + o) * n + i] }
                            let d = -dPsi * others
                            gr?[(bt * r + h) * n + i] += d * fv[bt * r + h]
                            gf?[bt * r + h] += d * rv[(bt * r + h) * n + i]
                        }
                    }
                }
            }
        }
        return out
    }

    /// The allocation weighting of usage u [B, N]: û = ε + (1 − ε) u, φ = the indices sorted by û ascending
    /// (equal values in index order), a[φ_j] = (1 − û[φ_j]) Π_{i<j} û[φ_i]. The permutation is a constant
    /// of the backward rule (no gradient through the order), as in DeepMind's implementation.
    public func allocationWeighting(_ usage: Var, epsilon: Float = 1e-6) -> Var {
        let un = node(usage)
        precondition(un.shape.rank == 2, "allocationWeighting of usage \(un.shape): needs [B, N]")
        let b = un.shape[0], n = un.shape[1]
        precondition(n < 1 << 24, "allocationWeighting keeps row indices as Float: N = \(n) is too large")
        let out = makeNode(un.shape, needsGrad: un.grad != nil)
        let yv = node(out).value, uv = un.value
        // Per batch row: the order φ (as Float indices) and the exclusive products Π_{i<j} û[φ_i].
        let scratch = node(makeNode(Shape(b, 2 * n), needsGrad: false)).value
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { buffer in
            var order = buffer
            for bt in 0..<b {
                let u = uv + bt * n, y = yv + bt * n, phi = scratch + bt * 2 * n, prod = phi + n
                for i in 0..<n { order[i] = Int32(i) }
                // By (û, index): equal usages stay in index order whatever algorithm `sort` uses.
                order.sort { a, c in
                    let ua = epsilon + (1 - epsilon) * u[Int(a)], uc = epsilon + (1 - epsilon) * u[Int(c)]
                    return ua < uc || (ua == uc && a < c)
                }
                var p: Float = 1
                for j in 0..<n {
                    let i = Int(order[j])
                    let s = epsilon + (1 - epsilon) * u[i]
                    y[i] = (1 - s) * p
                    phi[j] = Float(i)
                    prod[j] = p
                    p *= s
                }
            }
        }
        if let gu = un.grad, let gy = node(out).grad {
            record {
                // With s_j = û[φ_j] and P_j = Π_{i<j} s_i: ∂L/∂s_j = P_j (Q_j − g_j), where
                // Q_j = Σ_{k>j} g_k (1 − s_k) Π_{j<i<k} s_i is accumulated from the end, no division.
                for bt in 0..<b {
                    let u = uv + bt * n, phi = scratch + bt * 2 * n, prod = phi + n
                    var q: Float = 0
                    for j in stride(from: n - 1, through: 0, by: -1) {
                        let i = Int(phi[j])
                        let s = epsilon + (1 - epsilon) * u[i], g = gy[bt * n + i]
                        gu[bt * n + i] += (1 - epsilon) * prod[j] * (q - g)
                        q = g * (1 - s) + s * q
                    }
                }
            }
        }
        return out
    }

    /// The DNC's write weighting: out = g_w [g_a · allocation + (1 − g_a) · content] for allocation and
    /// content [B, N] and the allocation and write gates [B, 1].
    public func writeWeighting(allocation a: Var, content c: Var, allocationGate ga: Var, writeGate gw: Var) -> Var {
        let an = node(a), cn = node(c), gan = node(ga), gwn = node(gw)
        let b = an.shape[0], n = an.shape.last
        precondition(an.shape == Shape(b, n) && cn.shape == an.shape && gan.shape == Shape(b, 1) && gwn.shape == Shape(b, 1),
                     "writeWeighting of allocation \(an.shape), content \(cn.shape), gates \(gan.shape), \(gwn.shape)")
        let needs = an.grad != nil || cn.grad != nil || gan.grad != nil || gwn.grad != nil
        let out = makeNode(an.shape, needsGrad: needs)
        let yv = node(out).value, av = an.value, cv = cn.value, gav = gan.value, gwv = gwn.value
        for bt in 0..<b {
            let alloc = gav[bt], write = gwv[bt]
            for i in 0..<n { let k = bt * n + i; yv[k] = write * (alloc * av[k] + (1 - alloc) * cv[k]) }
        }
        if let gy = node(out).grad {
            let gA = an.grad, gC = cn.grad, gGa = gan.grad, gGw = gwn.grad
            record {
                for bt in 0..<b {
                    let alloc = gav[bt], write = gwv[bt]
                    var dAlloc: Float = 0, dWrite: Float = 0
                    for i in 0..<n {
                        let k = bt * n + i, g = gy[k]
                        gA?[k] += g * write * alloc
                        gC?[k] += g * write * (1 - alloc)
                        dAlloc += g * (av[k] - cv[k])
                        dWrite += g * (alloc * av[k] + (1 - alloc) * cv[k])
                    }
                    gGa?[bt] += dAlloc * write
                    gGw?[bt] += dWrite
                }
            }
        }
        return out
    }

    /// The temporal link matrix after a write: out[i, j] = (1 − w_i − w_j) L[i, j] + w_i p_j for i ≠ j and
    /// out[i, i] = 0, for L [B, N, N], the previous precedence p [B, N] and the write weighting w [B, N].
    public func temporalLinks(_ link: Var, precedence p: Var, writeWeighting w: Var) -> Var {
        let ln = node(link), pn = node(p), wn = node(w)
        let b = pn.shape[0], n = pn.shape.last
        precondition(ln.shape == Shape(b, n, n) && pn.shape == Shape(b, n) && wn.shape == Shape(b, n),
                     "temporalLinks of link \(ln.shape), precedence \(pn.shape), write weighting \(wn.shape)")
        let needs = ln.grad != nil || pn.grad != nil || wn.grad != nil
        let out = makeNode(ln.shape, needsGrad: needs)
        let yv = node(out).value, lv = ln.value, pv = pn.value, wv = wn.value
        for bt in 0..<b {
            let wb = wv + bt * n, pb = pv + bt * n
            for i in 0..<n {
                let row = (bt * n + i) * n, wi = wb[i]
                let keep = F8(repeating: 1 - wi), wi8 = F8(repeating: wi)
                var j = 0
                while j + 8 <= n {
                    store8((keep - load8(wb + j)) * load8(lv + row + j) + wi8 * load8(pb + j), yv + row + j)
                    j += 8
                }
                while j < n { yv[row + j] = (1 - wi - wb[j]) * lv[row + j] + wi * pb[j]; j += 1 }
                yv[row + i] = 0
            }
        }
        if let gy = node(out).grad {
            let gl = ln.grad, gp = pn.grad, gw = wn.grad
            record {
                for bt in 0..<b {
                    let wb = wv + bt * n, pb = pv + bt * n
                    for i in 0..<n {
                        let row = (bt * n + i) * n, wi = wb[i], g = gy + row, l = lv + row
                        // The diagonal is the constant 0: its gradient goes nowhere. Zeroing it here (this
                        // rule is the last reader of the output's gradient) keeps every loop below whole rows.
                        g[i] = 0
                        let keep = F8(repeating: 1 - wi), wi8 = F8(repeating: wi)
                        var dwi8 = F8(), dwi: Float = 0
                        var j = 0
                        while j + 8 <= n {
                            let gj = load8(g + j), lj = load8(l + j), wj = load8(wb + j)
                            if let gl { store8(load8(gl + row + j) + gj * (keep - wj), gl + row + j) }
                            if let gw { store8(load8(gw + bt * n + j) - gj * lj, gw + bt * n + j) }
                            if let gp { store8(load8(gp + bt * n + j) + wi8 * gj, gp + bt * n + j) }
                            dwi8 += gj * (load8(pb + j) - lj)
                            j += 8
                        }
                        while j < n {
                            gl?[row + j] += g[j] * (1 - wi - wb[j])
                            gw?[bt * n + j] -= g[j] * l[j]
                            gp?[bt * n + j] += wi * g[j]
                            dwi += g[j] * (pb[j] - l[j])
                            j += 1
                        }
                        gw?[bt * n + i] += dwi + dwi8.sum()
                    }
                }
            }
        }
        return out
    }

    /// The precedence weighting after a write: out = (1 − Σ_i w_i) p + w, for p and w [B, N].
    public func precedence(_ p: Var, writeWeighting w: Var) -> Var {
        let pn = node(p), wn = node(w)
        let b = pn.shape[0], n = pn.shape.last
        precondition(pn.shape == Shape(b, n) && wn.shape == pn.shape, "precedence of \(pn.shape) with write weighting \(wn.shape)")
        let out = makeNode(pn.shape, needsGrad: pn.grad != nil || wn.grad != nil)
        let yv = node(out).value, pv = pn.value, wv = wn.value
        for bt in 0..<b {
            var sum: Float = 0
            for i in 0..<n { sum += wv[bt * n + i] }
            for i in 0..<n { let k = bt * n + i; yv[k] = (1 - sum) * pv[k] + wv[k] }
        }
        if let gy = node(out).grad {
            let gp = pn.grad, gw = wn.grad
            record {
                for bt in 0..<b {
                    var sum: Float = 0, gDotP: Float = 0
                    for i in 0..<n { sum += wv[bt * n + i]; gDotP += gy[bt * n + i] * pv[bt * n + i] }
                    for i in 0..<n {
                        let k = bt * n + i
                        gp?[k] += (1 - sum) * gy[k]
                        gw?[k] += gy[k] - gDotP
                    }
                }
            }
        }
        return out
    }

    /// Read weightings mixed from three modes: out[b, r] = π[b, r, 0] backward[b, r] + π[b, r, 1] content[b, r]
    /// + π[b, r, 2] forward[b, r], for modes π [B, R, 3] and three weightings [B, R, N].
    public func readModeMix(modes: Var, backward bw: Var, content c: Var, forward fw: Var) -> Var {
        let mn = node(modes), bn = node(bw), cn = node(c), fn = node(fw)
        let s = cn.shape
        precondition(s.rank == 3 && bn.shape == s && fn.shape == s && mn.shape == Shape(s[0], s[1], 3),
                     "readModeMix of modes \(mn.shape) with weightings \(bn.shape), \(s), \(fn.shape)")
        let heads = s[0] * s[1], n = s[2]
        let needs = mn.grad != nil || bn.grad != nil || cn.grad != nil || fn.grad != nil
        let out = makeNode(s, needsGrad: needs)
        let yv = node(out).value, mv = mn.value, bv = bn.value, cv = cn.value, fv = fn.value
        for h in 0..<heads {
            let y = yv + h * n, o = h * n
            let pb = mv[3 * h], pc = mv[3 * h + 1], pf = mv[3 * h + 2]
            for i in 0..<n { y[i] = pb * bv[o + i] + pc * cv[o + i] + pf * fv[o + i] }
        }
        if let gy = node(out).grad {
            let gm = mn.grad, gb = bn.grad, gc = cn.grad, gf = fn.grad
            record {
                for h in 0..<heads {
                    let g = gy + h * n, o = h * n
                    if let gb { Kernels.axpy(mv[3 * h], g, gb + o, n) }
                    if let gc { Kernels.axpy(mv[3 * h + 1], g, gc + o, n) }
                    if let gf { Kernels.axpy(mv[3 * h + 2], g, gf + o, n) }
                    if let gm {
                        gm[3 * h] += Kernels.dot(g, bv + o, n)
                        gm[3 * h + 1] += Kernels.dot(g, cv + o, n)
                        gm[3 * h + 2] += Kernels.dot(g, fv + o, n)
                    }
                }
            }
        }
        return out
    }
}
