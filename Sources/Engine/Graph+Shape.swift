// Operations that move elements without arithmetic: reshape, transpose, concat, slice, and the gather
// of table rows that an embedding is.

extension Graph {
    /// The same elements under another shape with the same count. A view: no copy, and gradients land
    /// directly in the source's storage.
    public func reshape(_ x: Var, _ dims: [Int]) -> Var {
        let s = Shape(dims)
        precondition(s.count == shape(x).count, "cannot reshape \(shape(x)) to \(s)")
        return makeView(of: x, shape: s)
    }

    /// Swaps the last two axes (a copy).
    public func transpose(_ x: Var) -> Var {
        let xn = node(x)
        precondition(xn.shape.rank >= 2, "transpose needs rank ≥ 2, got \(xn.shape)")
        let r = xn.shape.rank
        let rows = xn.shape[r - 2], cols = xn.shape[r - 1], batch = xn.shape.count / max(rows * cols, 1)
        var dims = xn.shape.dims
        dims.swapAt(r - 2, r - 1)
        let out = makeNode(Shape(dims), needsGrad: xn.grad != nil)
        let yn = node(out)
        let xv = xn.value, yv = yn.value
        for b in 0..<batch {
            let o = b * rows * cols
            for i in 0..<rows { for j in 0..<cols { yv[o + j * rows + i] = xv[o + i * cols + j] } }
        }
        if let gx = xn.grad, let gy = yn.grad {
            record {
                for b in 0..<batch {
                    let o = b * rows * cols
                    for i in 0..<rows { for j in 0..<cols { gx[o + i * cols + j] += gy[o + j * rows + i] } }
                }
            }
        }
        return out
    }

    /// Swaps two axes of any rank (a copy): [B, T, H, d] ↔ [B, H, T, d] moves attention heads next to the
    /// batch. When the last axis stays in place, whole rows are copied.
    public func swapAxes(_ x: Var, _ a: Int, _ b: Int) -> Var {
        let xn = node(x)
        let s = xn.shape
        let p = normalised(a, s), q = normalised(b, s)
        var dims = s.dims
        dims.swapAt(p, q)
        let out = makeNode(Shape(dims), needsGrad: xn.grad != nil)
        let yn = node(out)
        // Padded to rank 4: the output's sizes, and for each output axis the stride of the input axis it reads.
        let pad = 4 - s.rank
        var sizes = SIMD4<Int>(repeating: 1), inStrides = SIMD4<Int>(repeating: 0)
        var acc = 1
        var strides = SIMD4<Int>(repeating: 0)
        for i in stride(from: s.rank - 1, through: 0, by: -1) { strides[i + pad] = acc; acc *= s[i] }
        for i in 0..<4 {
            let source = i == p + pad ? q + pad : (i == q + pad ? p + pad : i)
            sizes[i] = i < pad ? 1 : dims[i - pad]
            inStrides[i] = strides[source]
        }
        let size = sizes, inStride = inStrides
        let n = size[3], step = inStride[3]
        @inline(__always) func rows(_ body: (Int, Int) -> Void) {
            var o = 0
            for i0 in 0..<size[0] {
                for i1 in 0..<size[1] {
                    for i2 in 0..<size[2] {
                        body(o, i0 * inStride[0] + i1 * inStride[1] + i2 * inStride[2])
                        o += n
                    }
                }
            }
        }
        let xv = xn.value, yv = yn.value
        rows { o, i in
            if step == 1 { (yv + o).update(from: xv + i, count: n) } else { for j in 0..<n { yv[o + j] = xv[i + j * step] } }
        }
        if let gx = xn.grad, let gy = yn.grad {
            record {
                rows { o, i in
                    if step == 1 { Kernels.axpy(1, gy + o, gx + i, n) } else { for j in 0..<n { gx[i + j * step] += gy[o + j] } }
                }
            }
        }
        return out
    }

    /// Joins values along an axis (the last by default); all other axes must agree.
    public func concat(_ xs: [Var], axis: Int = -1) -> Var {
        precondition(!xs.isEmpty, "concat of nothing")
        let first = shape(xs[0])
        let ax = normalised(axis, first)
        var total = 0
        for x in xs {
            let s = shape(x)
            precondition(s.rank == first.rank, "concat of shapes \(first) and \(s)")
            for i in 0..<s.rank where i != ax { precondition(s[i] == first[i], "concat of shapes \(first) and \(s) along axis \(ax)") }
            total += s[ax]
        }
        let outShape = first.replacing(axis: ax, with: total)
        let (outer, _, inner) = outShape.split(at: ax)
        let parts = xs.map { node($0) }
        let out = makeNode(outShape, needsGrad: parts.contains { $0.grad != nil })
        let yn = node(out)
        var offset = 0
        for p in parts {
            let w = p.shape[ax] * inner
            for o in 0..<outer {
                (yn.value + o * total * inner + offset).update(from: p.value + o * w, count: w)
            }
            offset += w
        }
        if let gy = yn.grad {
            record {
                var offset = 0
                for p in parts {
                    let w = p.shape[ax] * inner
                    if let gx = p.grad {
                        for o in 0..<outer { Kernels.axpy(1, gy + o * total * inner + offset, gx + o * w, w) }
                    }
                    offset += w
                }
            }
        }
        return out
    }

    /// `count` entries of an axis starting at `start`. Along axis 0 this is a view (no copy).
    public func slice(_ x: Var, axis: Int, start: Int, count: Int) -> Var {
        let xn = node(x)
        let ax = normalised(axis, xn.shape)
        let (outer, n, inner) = xn.shape.split(at: ax)
        precondition(start >= 0 && count >= 0 && start + count <= n,
                     "slice \(start)..<\(start + count) of axis \(ax) with size \(n)")
        let outShape = xn.shape.replacing(axis: ax, with: count)
        if outer == 1 { return makeView(of: x, shape: outShape, offset: start * inner) }
        let out = makeNode(outShape, needsGrad: xn.grad != nil)
        let yn = node(out)
        let w = count * inner
        for o in 0..<outer { (yn.value + o * w).update(from: xn.value + (o * n + start) * inner, count: w) }
        if let gx = xn.grad, let gy = yn.grad {
            record { for o in 0..<outer { Kernels.axpy(1, gy + o * w, gx + (o * n + start) * inner, w) } }
        }
        return out
    }

    /// Splits the last axis into consecutive pieces of the given sizes (a head's key, β, g, s, γ, ...).
    public func split(_ x: Var, sizes: [Int]) -> [Var] {
        precondition(sizes.reduce(0, +) == shape(x).last, "split sizes \(sizes) of last axis \(shape(x).last)")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(x, axis: -1, start: start, count: n)
        }
    }

    /// The rows `ids` of `table` [V, D], as [ids.count, D]: PyTorch's `F.embedding`. The backward adds
    /// each output row's gradient into its table row, so an id that appears twice gets both.
    public func embedding(_ table: Var, ids: [Int]) -> Var {
        let tn = node(table)
        precondition(tn.shape.rank == 2, "embedding table must be [V, D], got \(tn.shape)")
        let v = tn.shape[0], d = tn.shape[1]
        for id in ids { precondition(id >= 0 && id < v, "embedding id \(id) outside 0..<\(v)") }
        let out = makeNode(Shape(ids.count, d), needsGrad: tn.grad != nil)
        let yn = node(out)
        let tv = tn.value, yv = yn.value
        for (r, id) in ids.enumerated() { (yv + r * d).update(from: tv + id * d, count: d) }
        if let gt = tn.grad, let gy = yn.grad {
            record { for (r, id) in ids.enumerated() { Kernels.axpy(1, gy + r * d, gt + id * d, d) } }
        }
        return out
    }

    /// Bags of weighted table rows: bag b is Σ_{r ∈ b} wᵣ ⊙ table[idsᵣ], where the rows of bag b are
    /// `ends[b − 1] ..< ends[b]` (from 0 for the first), and wᵣ is row r of `weights` ([ids.count, D], a
    /// constant). An empty bag is zero. One pass, where an embedding, a product and a pooling matmul would
    /// hold three [rows, D] values and a [bags, rows] matrix. → [ends.count, D].
    public func weightedBags(_ table: Var, ids: [Int], weights: [Float], ends: [Int]) -> Var {
        let tn = node(table)
        precondition(tn.shape.rank == 2, "weightedBags table must be [V, D], got \(tn.shape)")
        let v = tn.shape[0], d = tn.shape[1]
        precondition(weights.count == ids.count * d, "weightedBags needs \(ids.count * d) weights, got \(weights.count)")
        precondition(ends.last ?? 0 == ids.count && zip(ends, ends.dropFirst()).allSatisfy { $0 <= $1 },
                     "weightedBags ends must rise to the \(ids.count) ids")
        for id in ids { precondition(id >= 0 && id < v, "embedding id \(id) outside 0..<\(v)") }
        let out = makeNode(Shape(ends.count, d), needsGrad: tn.grad != nil)
        let yn = node(out)
        let tv = tn.value, yv = yn.value
        weights.withUnsafeBufferPointer { w in
            var start = 0
            for (b, end) in ends.enumerated() {
                let y = yv + b * d
                y.initialize(repeating: 0, count: d)
                for r in start..<end {
                    let row = tv + ids[r] * d, wr = w.baseAddress! + r * d
                    for k in 0..<d { y[k] += wr[k] * row[k] }
                }
                start = end
            }
        }
        if let gt = tn.grad, let gy = yn.grad {
            record {
                weights.withUnsafeBufferPointer { w in
                    var start = 0
                    for (b, end) in ends.enumerated() {
                        let dy = gy + b * d
                        for r in start..<end {
                            let row = gt + ids[r] * d, wr = w.baseAddress! + r * d
                            for k in 0..<d { row[k] += wr[k] * dy[k] }
                        }
                        start = end
                    }
                }
            }
        }
        return out
    }
}
