#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The operations memory-augmented networks are made of: content similarity, circular shifts of a
// weighting, sharpening, and outer products (writes). Leading axes are batch axes throughout.

extension Graph {
    /// δ in ‖x‖_δ = √(Σx² + δ): keeps the cosine finite, and its gradient defined, for all-zero rows or keys.
    public static let cosineDelta: Float = 1e-16

    /// Cosine similarity of every row of `memory` [..., N, M] with `key` [..., M], giving [..., N]:
    /// K_i = (m_i · k) / (‖m_i‖_δ ‖k‖_δ) with ‖x‖_δ = √(Σx² + δ).
    public func cosineSimilarity(_ memory: Var, _ key: Var) -> Var {
        let mn = node(memory), kn = node(key)
        let ms = mn.shape, ks = kn.shape
        precondition(ms.rank >= 2 && ks.rank == ms.rank - 1, "cosineSimilarity of memory \(ms) and key \(ks)")
        for i in 0..<(ks.rank - 1) { precondition(ms[i] == ks[i], "cosineSimilarity batch axes \(ms) vs \(ks)") }
        let rowsN = ms[ms.rank - 2], m = ms.last
        precondition(ks.last == m, "key width \(ks.last) for memory rows of width \(m)")
        let batch = ks.count / max(m, 1)
        let out = makeNode(ms.replacing(axis: ms.rank - 1, with: nil), needsGrad: mn.grad != nil || kn.grad != nil)
        let yn = node(out)
        let mv = mn.value, kv = kn.value, yv = yn.value
        let delta = Graph.cosineDelta
        // Squared norms (δ included), kept for the backward rule: per batch, the key's then each row's.
        let norms = makeNode(Shape(batch, rowsN + 1), needsGrad: false)
        let nv = node(norms).value
        for b in 0..<batch {
            let k = kv + b * m, nb = nv + b * (rowsN + 1)
            nb[0] = Kernels.dot(k, k, m) + delta
            let kNorm = nb[0].squareRoot()
            for i in 0..<rowsN {
                let row = mv + (b * rowsN + i) * m
                nb[1 + i] = Kernels.dot(row, row, m) + delta
                yv[b * rowsN + i] = Kernels.dot(row, k, m) / (nb[1 + i].squareRoot() * kNorm)
            }
        }
        if let gy = yn.grad {
            let gm = mn.grad, gk = kn.grad
            record {
                // ∂K/∂m = k/(‖m‖‖k‖) − K m/‖m‖²,  ∂K/∂k = m/(‖m‖‖k‖) − K k/‖k‖²
                for b in 0..<batch {
                    let k = kv + b * m, nb = nv + b * (rowsN + 1)
                    let kNorm2 = nb[0]
                    let kNorm = kNorm2.squareRoot()
                    for i in 0..<rowsN {
                        let g = gy[b * rowsN + i]
                        if g == 0 { continue }
                        let row = mv + (b * rowsN + i) * m
                        let rNorm2 = nb[1 + i]
                        let inv = 1 / (rNorm2.squareRoot() * kNorm)
                        let K = yv[b * rowsN + i]
                        if let gm {
                            let gr = gm + (b * rowsN + i) * m
                            Kernels.axpy(g * inv, k, gr, m)
                            Kernels.axpy(-g * K / rNorm2, row, gr, m)
                        }
                        if let gk {
                            let gkb = gk + b * m
                            Kernels.axpy(g * inv, row, gkb, m)
                            Kernels.axpy(-g * K / kNorm2, k, gkb, m)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Circular convolution of a weighting `w` [..., N] with a shift distribution `s` [..., K], K odd:
    /// out_i = Σ_j s_j · w_{(i − (j − h)) mod N}, h = (K − 1)/2, so s_j is the weight of a shift by j − h
    /// (s_0 moves every weight one place down for K = 3, s_2 one place up). NTM paper, eq. (8).
    public func circularConvolution(_ w: Var, _ s: Var) -> Var {
        let wn = node(w), sn = node(s)
        let n = wn.shape.last, k = sn.shape.last
        precondition(k % 2 == 1, "shift kernel width \(k) must be odd")
        precondition(wn.shape.rows == sn.shape.rows, "circularConvolution batch of \(wn.shape) and \(sn.shape)")
        let batch = wn.shape.rows, h = (k - 1) / 2
        let out = makeNode(wn.shape, needsGrad: wn.grad != nil || sn.grad != nil)
        let yn = node(out)
        let wv = wn.value, sv = sn.value, yv = yn.value
        // For tap j (a shift by d = j − h), out_i takes w at (i − d) mod N = (i + r) mod N with
        // r = (−d) mod N: two contiguous runs, i < N − r and i ≥ N − r, so no modulo per element.
        @inline(__always) func runs(_ j: Int, _ body: (_ out: Int, _ src: Int, _ count: Int) -> Void) {
            let r = ((h - j) % n + n) % n
            body(0, r, n - r)
            if r > 0 { body(n - r, 0, r) }
        }
        for b in 0..<batch {
            let y = yv + b * n, x = wv + b * n
            y.update(repeating: 0, count: n)
            for j in 0..<k {
                let sj = sv[b * k + j]
                runs(j) { o, src, count in Kernels.axpy(sj, x + src, y + o, count) }
            }
        }
        if let gy = yn.grad {
            let gw = wn.grad, gs = sn.grad
            record {
                for b in 0..<batch {
                    let g = gy + b * n, x = wv + b * n
                    for j in 0..<k {
                        let sj = sv[b * k + j]
                        runs(j) { o, src, count in
                            if let gw { Kernels.axpy(sj, g + o, gw + b * n + src, count) }
                            if let gs { gs[b * k + j] += Kernels.dot(g + o, x + src, count) }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Outer product of `a` [..., N] and `b` [..., M], giving [..., N, M] (a write weighting times a vector).
    public func outer(_ a: Var, _ b: Var) -> Var {
        let an = node(a), bn = node(b)
        precondition(an.shape.rows == bn.shape.rows && an.shape.rank == bn.shape.rank,
                     "outer of \(an.shape) and \(bn.shape)")
        let n = an.shape.last, m = bn.shape.last, batch = an.shape.rows
        var dims = an.shape.dims
        dims.append(m)
        let out = makeNode(Shape(dims), needsGrad: an.grad != nil || bn.grad != nil)
        let yn = node(out)
        let av = an.value, bv = bn.value, yv = yn.value
        for bt in 0..<batch {
            for i in 0..<n {
                let row = yv + (bt * n + i) * m, x = av[bt * n + i]
                for j in 0..<m { row[j] = x * bv[bt * m + j] }
            }
        }
        if let gy = yn.grad {
            let ga = an.grad, gb = bn.grad
            record {
                for bt in 0..<batch {
                    for i in 0..<n {
                        let grow = gy + (bt * n + i) * m
                        if let ga { ga[bt * n + i] += Kernels.dot(grow, bv + bt * m, m) }
                        if let gb { Kernels.axpy(av[bt * n + i], grow, gb + bt * m, m) }
                    }
                }
            }
        }
        return out
    }
}

extension Graph {
    /// Sharpening, y_i = w_i^γ / (Σ_j w_j^γ + ε) for w [..., N] ≥ 0 and γ [..., 1], computed as
    /// u = w / max(w), y_i = u_i^γ / (Σ_j u_j^γ + ε): the same ratio, but the largest term is 1, so a large γ
    /// on a diffuse weighting cannot underflow every term to 0 (with N = 128, (1/128)^20 is below Float's
    /// range) or let ε dominate the sum. The gradient treats max(w) as a constant, which is exact: the
    /// ratio does not depend on it (up to ε). Rows whose weights are all 0 give 0.
    public func sharpen(_ w: Var, gamma: Var, epsilon: Float = 1e-16) -> Var {
        let wn = node(w), gn = node(gamma)
        let n = wn.shape.last, rows = wn.shape.rows
        precondition(gn.shape.count == rows, "sharpen of \(wn.shape) with γ \(gn.shape): one γ per row")
        let out = makeNode(wn.shape, needsGrad: wn.grad != nil || gn.grad != nil)
        let yn = node(out)
        let wv = wn.value, gv = gn.value, yv = yn.value
        // u_i^γ kept in y until normalised; per-row max and sum kept for the backward rule.
        let stats = makeNode(Shape(rows, 2), needsGrad: false)
        let sv = node(stats).value
        for r in 0..<rows {
            let x = wv + r * n, y = yv + r * n, gamma = gv[r]
            var m: Float = 0
            for i in 0..<n { m = max(m, x[i]) }
            var s: Float = 0
            if m > 0 {
                let inv = 1 / m
                for i in 0..<n { y[i] = powf(x[i] * inv, gamma); s += y[i] }
            } else {
                for i in 0..<n { y[i] = 0 }
            }
            let total = s + epsilon
            for i in 0..<n { y[i] /= total }
            sv[2 * r] = m
            sv[2 * r + 1] = total
        }
        if let gy = yn.grad {
            let gw = wn.grad, gg = gn.grad
            record {
                for r in 0..<rows {
                    let m = sv[2 * r], total = sv[2 * r + 1]
                    if m <= 0 { continue }
                    let x = wv + r * n, y = yv + r * n, dy = gy + r * n, gamma = gv[r]
                    // ∂L/∂p_k = (dy_k − Σ_i dy_i y_i) / S for p = u^γ, S = Σp + ε.
                    var dot: Float = 0
                    for i in 0..<n { dot += dy[i] * y[i] }
                    var dGamma: Float = 0
                    for k in 0..<n {
                        let dp = (dy[k] - dot) / total
                        let u = x[k] / m
                        if let gw { gw[r * n + k] += dp * gamma * powf(u, gamma - 1) / m }
                        if u > 0 { dGamma += dp * (y[k] * total) * logf(u) }
                    }
                    gg?[r] += dGamma
                }
            }
        }
        return out
    }
}

extension Graph {
    /// The NTM's write in one node: M' = M ⊙ (1 − w eᵀ) + w aᵀ for memory [B, N, M], weighting w [B, N],
    /// erase e [B, M] and add a [B, M]. One pass over the memory instead of five ops each making an N × M
    /// temporary (two outer products, 1 − x, a product and a sum).
    public func memoryWrite(_ memory: Var, weighting w: Var, erase e: Var, add a: Var) -> Var {
        let mn = node(memory), wn = node(w), en = node(e), an = node(a)
        let ms = mn.shape
        precondition(ms.rank == 3, "memoryWrite of memory \(ms): expected [B, N, M]")
        let b = ms[0], n = ms[1], m = ms[2]
        precondition(wn.shape == Shape(b, n) && en.shape == Shape(b, m) && an.shape == Shape(b, m),
                     "memoryWrite of memory \(ms) with weighting \(wn.shape), erase \(en.shape), add \(an.shape)")
        let out = makeNode(ms, needsGrad: mn.grad != nil || wn.grad != nil || en.grad != nil || an.grad != nil)
        let yn = node(out)
        let mv = mn.value, wv = wn.value, ev = en.value, av = an.value, yv = yn.value
        for bt in 0..<b {
            let eb = ev + bt * m, ab = av + bt * m
            for i in 0..<n {
                let wi = wv[bt * n + i], row = (bt * n + i) * m
                let w8 = F8(repeating: wi)
                var j = 0
                while j + 8 <= m {
                    let e = load8(eb + j), a = load8(ab + j)
                    store8(load8(mv + row + j) * (1 - w8 * e) + w8 * a, yv + row + j)
                    j += 8
                }
                while j < m { yv[row + j] = mv[row + j] * (1 - wi * eb[j]) + wi * ab[j]; j += 1 }
            }
        }
        if let gy = yn.grad {
            let gm = mn.grad, gw = wn.grad, ge = en.grad, ga = an.grad
            record {
                // ∂/∂M_ij = 1 − w_i e_j; ∂/∂w_i = Σ_j (a_j − M_ij e_j); ∂/∂e_j = −Σ_i w_i M_ij; ∂/∂a_j = Σ_i w_i.
                for bt in 0..<b {
                    let eb = ev + bt * m, ab = av + bt * m
                    for i in 0..<n {
                        let wi = wv[bt * n + i], row = (bt * n + i) * m
                        let g = gy + row, mr = mv + row
                        let w8 = F8(repeating: wi)
                        var s8 = F8(), s: Float = 0
                        var j = 0
                        while j + 8 <= m {
                            let gj = load8(g + j), e = load8(eb + j), mj = load8(mr + j)
                            if let gm { store8(load8(gm + row + j) + gj * (1 - w8 * e), gm + row + j) }
                            s8 += gj * (load8(ab + j) - mj * e)
                            if let ge { store8(load8(ge + bt * m + j) - gj * w8 * mj, ge + bt * m + j) }
                            if let ga { store8(load8(ga + bt * m + j) + gj * w8, ga + bt * m + j) }
                            j += 8
                        }
                        while j < m {
                            gm?[row + j] += g[j] * (1 - wi * eb[j])
                            s += g[j] * (ab[j] - mr[j] * eb[j])
                            ge?[bt * m + j] -= g[j] * wi * mr[j]
                            ga?[bt * m + j] += g[j] * wi
                            j += 1
                        }
                        gw?[bt * n + i] += s + s8.sum()
                    }
                }
            }
        }
        return out
    }
}

extension Graph {
    /// Several write heads in one node, the NTM paper's rule (Graves et al. 2014, section 3.2): every head
    /// erases and adds against the same memory M, the erases multiply and the adds sum,
    /// M' = M ⊙ Π_h (1 − w^h e^hᵀ) + Σ_h w^h a^hᵀ, for memory [B, N, M] and per head h a weighting w^h [B, N],
    /// an erase e^h [B, M] and an add a^h [B, M]. Writing head after head with `memoryWrite` is not the same:
    /// a later head's erase would also erase an earlier head's add. With one head this equals
    /// `memoryWrite`, which is the faster of the two for it.
    public func memoryWrite(_ memory: Var, weightings: [Var], erases: [Var], adds: [Var]) -> Var {
        let heads = weightings.count
        precondition(heads >= 1 && erases.count == heads && adds.count == heads,
                     "memoryWrite of \(heads) weightings, \(erases.count) erases, \(adds.count) adds")
        let mn = node(memory)
        let ms = mn.shape
        precondition(ms.rank == 3, "memoryWrite of memory \(ms): expected [B, N, M]")
        let b = ms[0], n = ms[1], m = ms[2]
        let wn = weightings.map { node($0) }, en = erases.map { node($0) }, an = adds.map { node($0) }
        for h in 0..<heads {
            precondition(wn[h].shape == Shape(b, n) && en[h].shape == Shape(b, m) && an[h].shape == Shape(b, m),
                         "memoryWrite of memory \(ms) with head \(h)'s weighting \(wn[h].shape), erase \(en[h].shape), add \(an[h].shape)")
        }
        let needsGrad = mn.grad != nil || (wn + en + an).contains { $0.grad != nil }
        let out = makeNode(ms, needsGrad: needsGrad)
        let yn = node(out)
        let mv = mn.value, yv = yn.value
        let wv = wn.map(\.value), ev = en.map(\.value), av = an.map(\.value)
        // Columns in blocks of 8; the last block of a row may be shorter (M = 20 gives 8, 8, 4).
        for bt in 0..<b {
            for i in 0..<n {
                let row = (bt * n + i) * m
                var j = 0
                while j < m {
                    let lanes = Swift.min(8, m - j)
                    var kept = F8(repeating: 1), added = F8()
                    for h in 0..<heads {
                        let w8 = F8(repeating: wv[h][bt * n + i])
                        kept *= 1 - w8 * loadLanes(ev[h] + bt * m + j, lanes)
                        added += w8 * loadLanes(av[h] + bt * m + j, lanes)
                    }
                    storeLanes(loadLanes(mv + row + j, lanes) * kept + added, yv + row + j, lanes)
                    j += 8
                }
            }
        }
        if let gy = yn.grad {
            let gm = mn.grad, gw = wn.map(\.grad), ge = en.map(\.grad), ga = an.map(\.grad)
            record {
                // With f^h = 1 − w^h_i e^h_j and O^h = Π_{h' ≠ h} f^{h'} (the other heads' erases):
                // ∂/∂M_ij = Π_h f^h; ∂/∂w^h_i = Σ_j (a^h_j − M_ij e^h_j O^h); ∂/∂e^h_j = −Σ_i w^h_i M_ij O^h;
                // ∂/∂a^h_j = Σ_i w^h_i. O^h comes from prefix and suffix products, never by dividing by
                // f^h, which is 0 where a head erases a row completely.
                let prefix = UnsafeMutablePointer<F8>.allocate(capacity: heads + 1)
                let wSums = UnsafeMutablePointer<F8>.allocate(capacity: heads)
                defer { prefix.deallocate(); wSums.deallocate() }
                for bt in 0..<b {
                    for i in 0..<n {
                        let row = (bt * n + i) * m
                        for h in 0..<heads { wSums[h] = F8() }
                        var j = 0
                        while j < m {
                            let lanes = Swift.min(8, m - j)
                            let g8 = loadLanes(gy + row + j, lanes), m8 = loadLanes(mv + row + j, lanes)
                            prefix[0] = F8(repeating: 1)
                            for h in 0..<heads {
                                prefix[h + 1] = prefix[h] * (1 - F8(repeating: wv[h][bt * n + i]) * loadLanes(ev[h] + bt * m + j, lanes))
                            }
                            if let gm { storeLanes(loadLanes(gm + row + j, lanes) + g8 * prefix[heads], gm + row + j, lanes) }
                            var suffix = F8(repeating: 1)
                            for h in stride(from: heads - 1, through: 0, by: -1) {
                                let w8 = F8(repeating: wv[h][bt * n + i])
                                let e8 = loadLanes(ev[h] + bt * m + j, lanes), a8 = loadLanes(av[h] + bt * m + j, lanes)
                                let gmo = g8 * m8 * prefix[h] * suffix
                                wSums[h] += g8 * a8 - gmo * e8
                                if let ge = ge[h] { storeLanes(loadLanes(ge + bt * m + j, lanes) - gmo * w8, ge + bt * m + j, lanes) }
                                if let ga = ga[h] { storeLanes(loadLanes(ga + bt * m + j, lanes) + g8 * w8, ga + bt * m + j, lanes) }
                                suffix *= 1 - w8 * e8
                            }
                            j += 8
                        }
                        for h in 0..<heads { gw[h]?[bt * n + i] += wSums[h].sum() }
                    }
                }
            }
        }
        return out
    }
}

/// The first `lanes` (1...8) floats at `p`, the rest 0.
@inline(__always) private func loadLanes(_ p: UnsafePointer<Float>, _ lanes: Int) -> F8 {
    if lanes == 8 { return load8(p) }
    var v = F8()
    for l in 0..<lanes { v[l] = p[l] }
    return v
}

/// Stores the first `lanes` (1...8) lanes of `v` at `p`.
@inline(__always) private func storeLanes(_ v: F8, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
    if lanes == 8 { store8(v, p); return }
    for l in 0..<lanes { p[l] = v[l] }
}
