// Tight loops over contiguous Float memory: SIMD8 dot products, matrix products and vector maths.
// Everything here works on raw pointers; the Graph operations call these and own all shape checking.

public typealias F8 = SIMD8<Float>

/// acc += a * b, as one fused multiply-add when the build targets a CPU with FMA (see Package.swift);
/// otherwise a separate multiply and add, because `addProduct` without FMA hardware is a library call.
@inline(__always) @usableFromInline
func fma8(_ acc: inout F8, _ a: F8, _ b: F8) {
    #if ARNN_FMA
    acc.addProduct(a, b)
    #else
    acc += a * b
    #endif
}

@inline(__always) @usableFromInline
func load8(_ p: UnsafePointer<Float>) -> F8 { UnsafeRawPointer(p).loadUnaligned(as: F8.self) }

@inline(__always) @usableFromInline
func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self) }

/// Lanes ≥ 8 − rem: the last `rem` lanes of a vector loaded to end exactly at element n, i.e. the elements
/// a main loop over whole vectors left over. Lets a tail be one masked vector instead of a scalar loop.
@inline(__always) @usableFromInline
func tailMask(_ rem: Int) -> SIMDMask<SIMD8<Int32>> {
    SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8<Int32>(repeating: Int32(8 - rem))
}

public enum Kernels {
    /// Σ a[i] b[i] over n elements.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = F8(), acc1 = F8()
        var i = 0
        while i + 16 <= n {
            fma8(&acc0, load8(a + i), load8(b + i))
            fma8(&acc1, load8(a + i + 8), load8(b + i + 8))
            i += 16
        }
        if i + 8 <= n { fma8(&acc0, load8(a + i), load8(b + i)); i += 8 }
        var s = (acc0 + acc1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ x[i] over n elements, in four SIMD8 partial sums (a different order from a running sum, so not its
    /// last bits). The whole-tensor `Graph.sum` uses it: only at a loss's root, whose value no gradient
    /// reads, so training gives the same weights either way.
    public static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = F8(), a1 = F8(), a2 = F8(), a3 = F8()
        var i = 0
        while i + 32 <= n {
            a0 += load8(x + i); a1 += load8(x + i + 8); a2 += load8(x + i + 16); a3 += load8(x + i + 24)
            i += 32
        }
        while i + 8 <= n { a0 += load8(x + i); i += 8 }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { s += x[i]; i += 1 }
        return s
    }

    /// The dot products of one row `a` with four rows `b0...b3`.
    @inline(__always)
    static func dot4(_ a: UnsafePointer<Float>, _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>,
                     _ b2: UnsafePointer<Float>, _ b3: UnsafePointer<Float>, _ n: Int) -> SIMD4<Float> {
        var c0 = F8(), c1 = F8(), c2 = F8(), c3 = F8()
        var i = 0
        while i + 8 <= n {
            let x = load8(a + i)
            fma8(&c0, x, load8(b0 + i))
            fma8(&c1, x, load8(b1 + i))
            fma8(&c2, x, load8(b2 + i))
            fma8(&c3, x, load8(b3 + i))
            i += 8
        }
        if i < n && n >= 8 {
            let x = load8(a + n - 8).replacing(with: 0, where: .!tailMask(n - i))
            fma8(&c0, x, load8(b0 + n - 8))
            fma8(&c1, x, load8(b1 + n - 8))
            fma8(&c2, x, load8(b2 + n - 8))
            fma8(&c3, x, load8(b3 + n - 8))
            i = n
        }
        var r = SIMD4<Float>(c0.sum(), c1.sum(), c2.sum(), c3.sum())
        while i < n {
            let x = a[i]
            r += SIMD4(x * b0[i], x * b1[i], x * b2[i], x * b3[i])
            i += 1
        }
        return r
    }

    /// The dot products of two rows `a0, a1` with four rows `b0...b3`: 8 accumulators, 6 loads per 8 FMAs.
    @inline(__always)
    static func dot2x4(_ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>,
                       _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>,
                       _ b2: UnsafePointer<Float>, _ b3: UnsafePointer<Float>, _ n: Int)
        -> (SIMD4<Float>, SIMD4<Float>) {
        var c00 = F8(), c01 = F8(), c02 = F8(), c03 = F8()
        var c10 = F8(), c11 = F8(), c12 = F8(), c13 = F8()
        var i = 0
        while i + 8 <= n {
            let x0 = load8(a0 + i), x1 = load8(a1 + i)
            let y0 = load8(b0 + i), y1 = load8(b1 + i), y2 = load8(b2 + i), y3 = load8(b3 + i)
            fma8(&c00, x0, y0); fma8(&c01, x0, y1); fma8(&c02, x0, y2); fma8(&c03, x0, y3)
            fma8(&c10, x1, y0); fma8(&c11, x1, y1); fma8(&c12, x1, y2); fma8(&c13, x1, y3)
            i += 8
        }
        if i < n && n >= 8 {
            let keep = tailMask(n - i)
            let x0 = load8(a0 + n - 8).replacing(with: 0, where: .!keep)
            let x1 = load8(a1 + n - 8).replacing(with: 0, where: .!keep)
            let y0 = load8(b0 + n - 8), y1 = load8(b1 + n - 8), y2 = load8(b2 + n - 8), y3 = load8(b3 + n - 8)
            fma8(&c00, x0, y0); fma8(&c01, x0, y1); fma8(&c02, x0, y2); fma8(&c03, x0, y3)
            fma8(&c10, x1, y0); fma8(&c11, x1, y1); fma8(&c12, x1, y2); fma8(&c13, x1, y3)
            i = n
        }
        let r = laneSums(c00, c01, c02, c03, c10, c11, c12, c13)
        var r0 = r.lowHalf, r1 = r.highHalf
        while i < n {
            let y = SIMD4<Float>(b0[i], b1[i], b2[i], b3[i])
            r0 += a0[i] * y
            r1 += a1[i] * y
            i += 1
        }
        return (r0, r1)
    }

    /// Lane i is `vi.sum()`: each vector's lanes added in order, ((l0 + l1) + l2) + … + l7, the exact sums
    /// `SIMD8.sum()` gives, but for eight vectors at once. The vectors are transposed (lane l of every
    /// vector into one vector) and the eight results added lane-wise in the same order, so a dot product's
    /// last step costs a few shuffles and seven adds instead of a chain of seven scalar adds per vector.
    @inline(__always)
    static func laneSums(_ v0: F8, _ v1: F8, _ v2: F8, _ v3: F8, _ v4: F8, _ v5: F8, _ v6: F8, _ v7: F8) -> F8 {
        // x's even lanes then y's, and x's odd lanes then y's.
        @inline(__always) func split(_ x: F8, _ y: F8) -> (F8, F8) {
            (F8(lowHalf: x.evenHalf, highHalf: y.evenHalf), F8(lowHalf: x.oddHalf, highHalf: y.oddHalf))
        }
        let (a0, a1) = split(v0, v1), (a2, a3) = split(v2, v3), (a4, a5) = split(v4, v5), (a6, a7) = split(v6, v7)
        let (b0, b1) = split(a0, a2), (b2, b3) = split(a1, a3), (b4, b5) = split(a4, a6), (b6, b7) = split(a5, a7)
        // Lane l of every vector: d0 lane 0, d2 lane 1, d4 lane 2, d6 lane 3, d1 lane 4, d3 lane 5, d5 lane 6,
        // d7 lane 7.
        let (d0, d1) = split(b0, b4), (d2, d3) = split(b2, b6), (d4, d5) = split(b1, b5), (d6, d7) = split(b3, b7)
        return ((((((d0 + d2) + d4) + d6) + d1) + d3) + d5) + d7
    }

    /// y[0..<n] += alpha * x[0..<n].
    @inlinable
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = F8(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            var acc = load8(y + i)
            fma8(&acc, a, load8(x + i))
            store8(acc, y + i)
            i += 8
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }

    /// C[m, n] = op(A) · op(B) (or += when `accumulate`), all row-major and contiguous.
    /// op(A) is [m, k]: A is stored [m, k], or [k, m] when `transA`. op(B) is [k, n]: B is stored [k, n], or
    /// [n, k] when `transB`.
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            accumulate: Bool) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { c.update(repeating: 0, count: m * n) }
            return
        }
        // Vector shapes first: a column [k, 1] is the same memory as a row [1, k], so matrix-vector and
        // outer products go to the SIMD paths instead of a scalar column loop or length-1 dot products.
        switch (transA, transB) {
        case (false, false) where n == 1:
            // C = A · b: one dot product per row of A.
            gemmNT(m, 1, k, a, b, c, accumulate)
        case (true, false) where n == 1:
            // C = Aᵀ · b = (bᵀ · A)ᵀ: rows of A scaled by b and added, C as a row [1, m].
            gemmRowAxpy(1, m, k, b, aRowStride: k, aColStride: 1, a, c, accumulate)
        case (false, true) where k == 1:
            // C = a · bᵀ, an outer product: B [n, 1] is the row [1, n].
            gemmRowAxpy(m, n, 1, a, aRowStride: 1, aColStride: 1, b, c, accumulate)
        case (false, true): gemmNT(m, n, k, a, b, c, accumulate)
        case (false, false): gemmRowAxpy(m, n, k, a, aRowStride: k, aColStride: 1, b, c, accumulate)
        case (true, false): gemmRowAxpy(m, n, k, a, aRowStride: 1, aColStride: m, b, c, accumulate)
        case (true, true): gemmTT(m, n, k, a, b, c, accumulate)
        }
    }

    /// C[i, j] = Σ_p A[p, i] B[j, p] (the Linformer's projections of keys and values, and their backward):
    /// each entry a product and a sum per p, not fused, in order from 0, added to C at the end. Eight entries
    /// of a column of C at a time (A's row p holds them side by side), four columns sharing each load of A,
    /// into a buffer laid out by column that is then added to C: the same operations per entry as one at a
    /// time.
    private static func gemmTT(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                               _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let m8 = m & ~7
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(m8 * n, 1)) { buffer in
            let t = buffer.baseAddress!                                  // t[j · m8 + i] = Σ_p A[p, i] B[j, p]
            var j = 0
            while j < n {
                let cols = min(4, n - j)
                let b0 = b + j * k, b1 = b0 + (cols > 1 ? k : 0), b2 = b0 + (cols > 2 ? 2 * k : 0), b3 = b0 + (cols > 3 ? 3 * k : 0)
                var i = 0
                while i < m8 {
                    var s0 = F8(), s1 = F8(), s2 = F8(), s3 = F8()
                    var ap = a + i
                    for p in 0..<k {
                        let x = load8(ap)
                        s0 = s0 + x * F8(repeating: b0[p]); s1 = s1 + x * F8(repeating: b1[p])
                        s2 = s2 + x * F8(repeating: b2[p]); s3 = s3 + x * F8(repeating: b3[p])
                        ap += m
                    }
                    store8(s0, t + j * m8 + i)
                    if cols > 1 { store8(s1, t + (j + 1) * m8 + i) }
                    if cols > 2 { store8(s2, t + (j + 2) * m8 + i) }
                    if cols > 3 { store8(s3, t + (j + 3) * m8 + i) }
                    i += 8
                }
                j += cols
            }
            for i in 0..<m8 {
                for j in 0..<n {
                    let s = t[j * m8 + i]
                    c[i * n + j] = accumulate ? c[i * n + j] + s : s
                }
            }
        }
        for i in m8..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s += a[p * m + i] * b[j * k + p] }
                c[i * n + j] = accumulate ? c[i * n + j] + s : s
            }
        }
    }

    /// C[i, j] = dot(A row i, B row j): the shape of `x · Wᵀ`, a linear layer's forward.
    private static func gemmNT(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                               _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        @inline(__always) func put(_ i: Int, _ j: Int, _ v: Float) {
            c[i * n + j] = accumulate ? c[i * n + j] + v : v
        }
        let n4 = n & ~3
        var i = 0
        while i + 2 <= m {
            let a0 = a + i * k, a1 = a0 + k
            var j = 0
            while j < n4 {
                let b0 = b + j * k
                let (r0, r1) = dot2x4(a0, a1, b0, b0 + k, b0 + 2 * k, b0 + 3 * k, k)
                for q in 0..<4 { put(i, j + q, r0[q]); put(i + 1, j + q, r1[q]) }
                j += 4
            }
            while j < n {
                put(i, j, dot(a0, b + j * k, k))
                put(i + 1, j, dot(a1, b + j * k, k))
                j += 1
            }
            i += 2
        }
        if i < m {
            let a0 = a + i * k
            var j = 0
            while j < n4 {
                let b0 = b + j * k
                let r = dot4(a0, b0, b0 + k, b0 + 2 * k, b0 + 3 * k, k)
                for q in 0..<4 { put(i, j + q, r[q]) }
                j += 4
            }
            while j < n { put(i, j, dot(a0, b + j * k, k)); j += 1 }
        }
    }

    /// C row i = Σ_p A[i, p] · (B row p), A read through strides: the shape of `dy · W` and `Aᵀ · B`.
    /// Columns go in blocks of 32 held in registers across the whole sum.
    private static func gemmRowAxpy(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>,
                                    aRowStride: Int, aColStride: Int, _ b: UnsafePointer<Float>,
                                    _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        // A long sum (a weight's gradient over every row of a batch, k in the thousands) goes in chunks of
        // `chunk` rows of B, each chunk over all of C before the next: the chunk of B stays in cache while
        // every row of C uses it, instead of each group of four rows streaming all of B from memory. Each
        // entry of C is still one fused multiply-add per p in order (a chunk picks up where the last one
        // stored), so the result is bit-identical.
        let chunk = 128
        if k > 2 * chunk {
            var p0 = 0
            while p0 < k {
                let width = min(chunk, k - p0)
                gemmRowAxpyChunk(m, n, width, a + p0 * aColStride, aRowStride: aRowStride, aColStride: aColStride,
                                 b + p0 * n, c, accumulate || p0 > 0)
                p0 += width
            }
        } else {
            gemmRowAxpyChunk(m, n, k, a, aRowStride: aRowStride, aColStride: aColStride, b, c, accumulate)
        }
    }

    /// `gemmRowAxpy` over one chunk of the sum (B's rows are n apart whatever k is).
    private static func gemmRowAxpyChunk(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>,
                                         aRowStride: Int, aColStride: Int, _ b: UnsafePointer<Float>,
                                         _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        // Four rows of C at a time share each load of B's row p: a quarter of the memory traffic of a row
        // at a time, which is what bounds `Aᵀ · B` over many rows (a weight's gradient over a whole
        // sequence). Each entry is still one fused multiply-add per p, in order, so the result is
        // bit-identical to the one-row loop below.
        let blocked = n >= 8 ? m & ~3 : 0
        var i = 0
        while i < blocked {
            gemmRowAxpy4(n, k, a + i * aRowStride, aRowStride: aRowStride, aColStride: aColStride, b, c + i * n, accumulate)
            i += 4
        }
        for i in blocked..<m {
            let ai = a + i * aRowStride
            let ci = c + i * n
            var j = 0
            while j + 32 <= n {
                var c0 = accumulate ? load8(ci + j) : F8()
                var c1 = accumulate ? load8(ci + j + 8) : F8()
                var c2 = accumulate ? load8(ci + j + 16) : F8()
                var c3 = accumulate ? load8(ci + j + 24) : F8()
                for p in 0..<k {
                    let s = F8(repeating: ai[p * aColStride])
                    let bp = b + p * n + j
                    fma8(&c0, s, load8(bp)); fma8(&c1, s, load8(bp + 8))
                    fma8(&c2, s, load8(bp + 16)); fma8(&c3, s, load8(bp + 24))
                }
                store8(c0, ci + j); store8(c1, ci + j + 8); store8(c2, ci + j + 16); store8(c3, ci + j + 24)
                j += 32
            }
            while j + 8 <= n {
                var c0 = accumulate ? load8(ci + j) : F8()
                for p in 0..<k { fma8(&c0, F8(repeating: ai[p * aColStride]), load8(b + p * n + j)) }
                store8(c0, ci + j)
                j += 8
            }
            if j < n && n >= 8 {
                // The last n − j columns as one vector ending at column n: lanes before j already hold
                // their final values and are put back from `done` after the sum.
                let start = n - 8, keep = tailMask(n - j)
                let done = load8(ci + start)
                var c0 = accumulate ? done : F8()
                for p in 0..<k { fma8(&c0, F8(repeating: ai[p * aColStride]), load8(b + p * n + start)) }
                store8(done.replacing(with: c0, where: keep), ci + start)
                j = n
            }
            while j < n {
                var s: Float = accumulate ? ci[j] : 0
                for p in 0..<k { s += ai[p * aColStride] * b[p * n + j] }
                ci[j] = s
                j += 1
            }
        }
    }

    /// Rows i … i + 3 of `gemmRowAxpy` (n ≥ 8): `a` points at row i of A, `c` at row i of C.
    @inline(__always)
    private static func gemmRowAxpy4(_ n: Int, _ k: Int, _ a: UnsafePointer<Float>, aRowStride: Int, aColStride: Int,
                                     _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let a0 = a, a1 = a + aRowStride, a2 = a + 2 * aRowStride, a3 = a + 3 * aRowStride
        let c0 = c, c1 = c + n, c2 = c + 2 * n, c3 = c + 3 * n
        @inline(__always) func start(_ p: UnsafeMutablePointer<Float>) -> F8 { accumulate ? load8(p) : F8() }
        var j = 0
        while j + 16 <= n {
            var x00 = start(c0 + j), x01 = start(c0 + j + 8), x10 = start(c1 + j), x11 = start(c1 + j + 8)
            var x20 = start(c2 + j), x21 = start(c2 + j + 8), x30 = start(c3 + j), x31 = start(c3 + j + 8)
            var bp = b + j, o = 0
            for _ in 0..<k {
                let b0 = load8(bp), b1 = load8(bp + 8)
                let s0 = F8(repeating: a0[o]), s1 = F8(repeating: a1[o]), s2 = F8(repeating: a2[o]), s3 = F8(repeating: a3[o])
                fma8(&x00, s0, b0); fma8(&x01, s0, b1)
                fma8(&x10, s1, b0); fma8(&x11, s1, b1)
                fma8(&x20, s2, b0); fma8(&x21, s2, b1)
                fma8(&x30, s3, b0); fma8(&x31, s3, b1)
                bp += n
                o += aColStride
            }
            store8(x00, c0 + j); store8(x01, c0 + j + 8); store8(x10, c1 + j); store8(x11, c1 + j + 8)
            store8(x20, c2 + j); store8(x21, c2 + j + 8); store8(x30, c3 + j); store8(x31, c3 + j + 8)
            j += 16
        }
        if j + 8 <= n {
            var x0 = start(c0 + j), x1 = start(c1 + j), x2 = start(c2 + j), x3 = start(c3 + j)
            var bp = b + j, o = 0
            for _ in 0..<k {
                let b0 = load8(bp)
                fma8(&x0, F8(repeating: a0[o]), b0); fma8(&x1, F8(repeating: a1[o]), b0)
                fma8(&x2, F8(repeating: a2[o]), b0); fma8(&x3, F8(repeating: a3[o]), b0)
                bp += n
                o += aColStride
            }
            store8(x0, c0 + j); store8(x1, c1 + j); store8(x2, c2 + j); store8(x3, c3 + j)
            j += 8
        }
        if j < n {
            // The last n − j columns as one vector ending at column n, as in the one-row loop.
            let first = n - 8, keep = tailMask(n - j)
            let d0 = load8(c0 + first), d1 = load8(c1 + first), d2 = load8(c2 + first), d3 = load8(c3 + first)
            var x0 = accumulate ? d0 : F8(), x1 = accumulate ? d1 : F8(), x2 = accumulate ? d2 : F8(), x3 = accumulate ? d3 : F8()
            var bp = b + first, o = 0
            for _ in 0..<k {
                let b0 = load8(bp)
                fma8(&x0, F8(repeating: a0[o]), b0); fma8(&x1, F8(repeating: a1[o]), b0)
                fma8(&x2, F8(repeating: a2[o]), b0); fma8(&x3, F8(repeating: a3[o]), b0)
                bp += n
                o += aColStride
            }
            store8(d0.replacing(with: x0, where: keep), c0 + first); store8(d1.replacing(with: x1, where: keep), c1 + first)
            store8(d2.replacing(with: x2, where: keep), c2 + first); store8(d3.replacing(with: x3, where: keep), c3 + first)
        }
    }
}
