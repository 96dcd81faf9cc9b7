import Engine
import Testing

/// `Kernels.gemm`, `dot` and `axpy` against naive Double references, at sizes that land on every block
/// boundary and every tail of the SIMD8 loops (1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 129).
@Suite struct KernelTests {
    static let edgeSizes = [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 129]

    /// Every edge size appears in each of m, n and k; the other two are drawn from the same list with a
    /// fixed seed, so the sweep covers mixed tails without running all 1331 combinations.
    static func sweep() -> [(m: Int, n: Int, k: Int)] {
        var rng = SeededRNG(seed: 7)
        func pick() -> Int { edgeSizes[rng.int(below: edgeSizes.count)] }
        var shapes: [(m: Int, n: Int, k: Int)] = []
        for s in edgeSizes {
            shapes.append((s, pick(), pick()))
            shapes.append((pick(), s, pick()))
            shapes.append((pick(), pick(), s))
        }
        return shapes
    }

    /// A, B and a starting C for an m × n × k product, uniform in [−1, 1], drawn in that order (A's m·k
    /// entries, B's k·n, C's m·n: the same counts whichever operands are stored transposed).
    static func operands(_ m: Int, _ n: Int, _ k: Int, rng: inout SeededRNG) -> (a: [Float], b: [Float], c0: [Float]) {
        let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
        let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
        return (a, b, (0..<(m * n)).map { _ in rng.uniform(-1, 1) })
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemmMatchesNaiveReferenceInEveryTransposition(transA: Bool, transB: Bool) {
        var rng = SeededRNG(seed: 11)
        for (m, n, k) in Self.sweep() {
            for accumulate in [false, true] {
                let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                checkGemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, c0, accumulate: accumulate)
            }
        }
    }

    /// Rows of C computed four at a time give, bit for bit, what each row gives computed alone (m = 1),
    /// for `A · B` and `Aᵀ · B` (against `A · B` on Aᵀ written out): retraining stays bit-identical.
    @Test func rowsComputedFourAtATimeAreBitIdenticalToRowsComputedAlone() {
        var rng = SeededRNG(seed: 13)
        for (m, n, k) in [(4, 8, 3), (7, 17, 33), (9, 40, 129), (12, 192, 64), (5, 9, 1), (8, 31, 16)] {
            for accumulate in [false, true] {
                let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                let aT = (0..<(k * m)).map { i in a[(i % m) * k + i / m] }            // [k, m]
                var blocked = c0, transposed = c0
                Kernels.gemm(transA: false, transB: false, m: m, n: n, k: k, a, b, &blocked, accumulate: accumulate)
                Kernels.gemm(transA: true, transB: false, m: m, n: n, k: k, aT, b, &transposed, accumulate: accumulate)
                for i in 0..<m {
                    var alone = Array(c0[(i * n)..<((i + 1) * n)])
                    Kernels.gemm(transA: false, transB: false, m: 1, n: n, k: k, Array(a[(i * k)..<((i + 1) * k)]), b, &alone,
                                 accumulate: accumulate)
                    #expect(Array(blocked[(i * n)..<((i + 1) * n)]) == alone, "A·B row \(i) of \(m)×\(n)×\(k)")
                    #expect(Array(transposed[(i * n)..<((i + 1) * n)]) == alone, "Aᵀ·B row \(i) of \(m)×\(n)×\(k)")
                }
            }
        }
    }

    /// One fused multiply-add (a separate multiply and add on a build without FMA), as the kernels do.
    static func fused(_ acc: Float, _ a: Float, _ b: Float) -> Float {
        #if ARNN_FMA
        acc.addingProduct(a, b)
        #else
        acc + a * b
        #endif
    }

    /// The order of every sum is part of what a checkpoint's retraining reproduces, so it is pinned here
    /// against references that spell it out. `A · B` and `Aᵀ · B` (n ≥ 8): each entry one chain of fused
    /// multiply-adds over p in order, also when a long k is summed in chunks that stay in cache.
    @Test func productsOverRowsSumEachEntryInOrderBitForBit() {
        var rng = SeededRNG(seed: 17)
        for (m, n, k) in [(5, 8, 300), (8, 37, 1000), (4, 64, 257), (7, 16, 40)] {
            for accumulate in [false, true] {
                let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                let aT = (0..<(k * m)).map { i in a[(i % m) * k + i / m] }            // [k, m]
                var plain = c0, transposed = c0
                Kernels.gemm(transA: false, transB: false, m: m, n: n, k: k, a, b, &plain, accumulate: accumulate)
                Kernels.gemm(transA: true, transB: false, m: m, n: n, k: k, aT, b, &transposed, accumulate: accumulate)
                var reference = c0
                for i in 0..<m {
                    for j in 0..<n {
                        var acc: Float = accumulate ? c0[i * n + j] : 0
                        for p in 0..<k { acc = Self.fused(acc, a[i * k + p], b[p * n + j]) }
                        reference[i * n + j] = acc
                    }
                }
                #expect(plain.map(\.bitPattern) == reference.map(\.bitPattern), "A·B \(m)×\(n)×\(k)")
                #expect(transposed.map(\.bitPattern) == reference.map(\.bitPattern), "Aᵀ·B \(m)×\(n)×\(k)")
            }
        }
    }

    /// `A · Bᵀ` (a linear layer's forward; n a multiple of 4, k ≥ 8): each entry eight lane chains of fused
    /// multiply-adds (lane l over p = l, l + 8, …; a last partial vector of the final k mod 8 entries,
    /// zeros before them), then the lanes added in order, as `SIMD8.sum()` adds them.
    @Test func rowTimesRowProductsSumLanesInOrderBitForBit() {
        var rng = SeededRNG(seed: 19)
        for (m, n, k) in [(2, 4, 8), (6, 8, 16), (5, 12, 64), (3, 4, 71), (8, 16, 129)] {
            for accumulate in [false, true] {
                let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                var product = c0
                Kernels.gemm(transA: false, transB: true, m: m, n: n, k: k, a, b, &product, accumulate: accumulate)
                var reference = c0
                let whole = k / 8 * 8, rest = k % 8
                for i in 0..<m {
                    for j in 0..<n {
                        var lanes = [Float](repeating: 0, count: 8)
                        for l in 0..<8 {
                            for p in stride(from: l, to: whole, by: 8) { lanes[l] = Self.fused(lanes[l], a[i * k + p], b[j * k + p]) }
                            if rest > 0 {
                                let p = k - 8 + l
                                lanes[l] = Self.fused(lanes[l], l >= 8 - rest ? a[i * k + p] : 0, b[j * k + p])
                            }
                        }
                        let sum = lanes.dropFirst().reduce(lanes[0], +)
                        reference[i * n + j] = accumulate ? c0[i * n + j] + sum : sum
                    }
                }
                #expect(product.map(\.bitPattern) == reference.map(\.bitPattern), "A·Bᵀ \(m)×\(n)×\(k)")
            }
        }
    }

    /// `Aᵀ · Bᵀ` (the Linformer's projections): each entry a product and a sum per p, not fused, in order,
    /// added to C at the end; eight entries at a time must give exactly that.
    @Test func transposedTimesTransposedSumsEachEntryInOrderBitForBit() {
        var rng = SeededRNG(seed: 23)
        for (m, n, k) in [(16, 16, 48), (8, 5, 64), (19, 7, 33), (3, 4, 9), (24, 17, 1)] {
            for accumulate in [false, true] {
                let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                var product = c0
                Kernels.gemm(transA: true, transB: true, m: m, n: n, k: k, a, b, &product, accumulate: accumulate)
                var reference = c0
                for i in 0..<m {
                    for j in 0..<n {
                        var s: Float = 0
                        for p in 0..<k { s = s + a[p * m + i] * b[j * k + p] }
                        reference[i * n + j] = accumulate ? c0[i * n + j] + s : s
                    }
                }
                #expect(product.map(\.bitPattern) == reference.map(\.bitPattern), "Aᵀ·Bᵀ \(m)×\(n)×\(k)")
            }
        }
    }

    /// The whole-tensor sum's kernel over every tail of its 32- and 8-wide loops: exact on small integers
    /// (every partial sum representable), within rounding of a Double sum on uniform values.
    @Test func sumOfAllElementsMatchesReferences() {
        var rng = SeededRNG(seed: 29)
        for n in [0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 1000, 61_440] {
            let ints = (0..<n).map { _ in Float(rng.int(below: 7)) - 3 }
            #expect(Kernels.sum(ints, n) == ints.reduce(0, +), "integers, n = \(n)")
            let xs = (0..<n).map { _ in rng.uniform(-1, 1) }
            let exact = xs.reduce(0.0) { $0 + Double($1) }
            #expect(abs(Double(Kernels.sum(xs, n)) - exact) <= 1e-6 * Double(max(n, 1)), "uniform, n = \(n)")
        }
    }

    @Test func gemmOfVectorShapesMatchesNaiveReference() {
        // n = 1 (matrix · vector) and k = 1 (outer product) are relabelled onto the SIMD paths.
        var rng = SeededRNG(seed: 12)
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            for (m, n, k) in [(15, 1, 128), (33, 1, 9), (1, 1, 17), (15, 128, 1), (9, 33, 1), (1, 7, 1)] {
                for accumulate in [false, true] {
                    let (a, b, c0) = Self.operands(m, n, k, rng: &rng)
                    checkGemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, c0, accumulate: accumulate)
                }
            }
        }
    }

    @Test func topKAgreesWithAStableSortLargestFirst() {
        var rng = SeededRNG(seed: 13)
        for count in [1, 5, 40, 300] {
            // Few distinct values, so ties are common and must come in index order.
            let values = (0..<count).map { _ in Float(rng.int(below: 7)) - 3 }
            let sorted = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            for k in Set([0, 1, 3, min(count, 64), min(count, 65), count]) where k <= count {
                let top = Kernels.topK(values, k: k)
                #expect(top.map(\.index) == Array(sorted.prefix(k)), "count \(count), k \(k)")
                #expect(top.map(\.value) == sorted.prefix(k).map { values[$0] })
            }
        }
    }

    @Test func topKRanksNaNBelowEveryNumber() {
        let values: [Float] = [.nan, -.infinity, 2, .nan, 2, 5]
        #expect(Kernels.topK(values, k: 4).map(\.index) == [5, 2, 4, 1])
        #expect(Kernels.topK(values, k: 6).map(\.index) == [5, 2, 4, 1, 0, 3])
    }

    @Test func gemmWithEmptyInnerDimensionZeroesOrKeepsTheOutput() {
        let a: [Float] = [1], b: [Float] = [1]
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            var c: [Float] = [3, -4, 5, 6, 7, 8]
            gemm(transA: transA, transB: transB, m: 2, n: 3, k: 0, a, b, &c, accumulate: true)
            #expect(c == [3, -4, 5, 6, 7, 8], "k = 0 with accumulate must leave C as it was")
            gemm(transA: transA, transB: transB, m: 2, n: 3, k: 0, a, b, &c, accumulate: false)
            #expect(c == [0, 0, 0, 0, 0, 0], "k = 0 without accumulate must give the zero matrix")
        }
    }

    @Test func gemmWithNoRowsOrColumnsWritesNothing() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            for accumulate in [false, true] {
                var c: [Float] = [.nan, 42]
                gemm(transA: transA, transB: transB, m: 0, n: 2, k: 2, a, b, &c, accumulate: accumulate)
                gemm(transA: transA, transB: transB, m: 2, n: 0, k: 2, a, b, &c, accumulate: accumulate)
                #expect(c[0].isNaN && c[1] == 42, "an empty product must not touch C")
            }
        }
    }

    @Test func gemmOfTwoByTwoMatchesHandComputedProducts() {
        // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]].
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: .nan, count: 4)
        gemm(transA: false, transB: false, m: 2, n: 2, k: 2, a, b, &c, accumulate: false)
        #expect(c == [19, 22, 43, 50])     // A·B
        gemm(transA: false, transB: true, m: 2, n: 2, k: 2, a, b, &c, accumulate: false)
        #expect(c == [17, 23, 39, 53])     // A·Bᵀ
        gemm(transA: true, transB: false, m: 2, n: 2, k: 2, a, b, &c, accumulate: false)
        #expect(c == [26, 30, 38, 44])     // Aᵀ·B
        gemm(transA: true, transB: true, m: 2, n: 2, k: 2, a, b, &c, accumulate: false)
        #expect(c == [23, 31, 34, 46])     // Aᵀ·Bᵀ
        gemm(transA: true, transB: true, m: 2, n: 2, k: 2, a, b, &c, accumulate: true)
        #expect(c == [46, 62, 68, 92])     // += Aᵀ·Bᵀ
    }

    @Test func dotMatchesReferenceForEveryTailLength() {
        var rng = SeededRNG(seed: 3)
        for n in 0...70 {
            // One extra leading element makes the loads unaligned; a poisoned element after the end
            // would turn the result into NaN if the kernel read past n.
            let a = [0] + (0..<n).map { _ in rng.uniform(-1, 1) } + [.nan]
            let b = [0] + (0..<n).map { _ in rng.uniform(-1, 1) } + [.nan]
            var reference = 0.0, magnitude = 0.0
            for i in 1..<(n + 1) {
                reference += Double(a[i]) * Double(b[i])
                magnitude += abs(Double(a[i]) * Double(b[i]))
            }
            let got = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in Kernels.dot(pa.baseAddress! + 1, pb.baseAddress! + 1, n) }
            }
            #expect(abs(Double(got) - reference) <= 1e-6 * max(magnitude, 1e-30), "dot of length \(n): \(got) vs \(reference)")
        }
    }

    @Test func axpyUpdatesExactlyTheFirstNElements() {
        var rng = SeededRNG(seed: 5)
        for n in 0...70 {
            let alpha = rng.uniform(-2, 2)
            let x = (0..<(n + 1)).map { _ in rng.uniform(-1, 1) }
            let y0 = (0..<(n + 3)).map { _ in rng.uniform(-1, 1) }
            var y = y0
            // Update y[1..<n+1] from x[1..<n+1]: unaligned, with an untouched element on either side.
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in Kernels.axpy(alpha, px.baseAddress! + 1, py.baseAddress! + 1, n) }
            }
            #expect(y[0] == y0[0] && y[n + 1] == y0[n + 1] && y[n + 2] == y0[n + 2], "axpy of length \(n) wrote outside y[1...\(n)]")
            for i in 0..<n {
                let reference = Double(y0[i + 1]) + Double(alpha) * Double(x[i + 1])
                #expect(abs(Double(y[i + 1]) - reference) <= 1e-6 * max(abs(reference), 1),
                        "axpy of length \(n), element \(i): \(y[i + 1]) vs \(reference)")
            }
        }
    }
}

/// `Kernels.gemm` on arrays (storage sizes are those of A and B as stored; C is [m, n]).
private func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float], _ c: inout [Float],
                  accumulate: Bool) {
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                Kernels.gemm(transA: transA, transB: transB, m: m, n: n, k: k,
                             pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, accumulate: accumulate)
            }
        }
    }
}

/// Runs gemm into a C with NaN guards on both sides (prefilled with NaN when not accumulating, so that a
/// kernel that reads C instead of overwriting it is caught) and compares every element with a Double
/// reference, relative to Σ|a·b| (+|c₀|), the scale that Float rounding error is proportional to.
private func checkGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float], _ c0: [Float],
                       accumulate: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
    let guardCount = 8
    var c = [Float](repeating: .nan, count: guardCount) + (accumulate ? c0 : [Float](repeating: .nan, count: m * n))
        + [Float](repeating: .nan, count: guardCount)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                Kernels.gemm(transA: transA, transB: transB, m: m, n: n, k: k,
                             pa.baseAddress!, pb.baseAddress!, pc.baseAddress! + guardCount, accumulate: accumulate)
            }
        }
    }
    let guardsIntact = (c.prefix(guardCount) + c.suffix(guardCount)).allSatisfy { $0.isNaN }
    #expect(guardsIntact, "gemm \(m)×\(n)×\(k) wrote outside C", sourceLocation: sourceLocation)
    var worst = (error: 0.0, at: "")
    for i in 0..<m {
        for j in 0..<n {
            var s = accumulate ? Double(c0[i * n + j]) : 0
            var scale = abs(s)
            for p in 0..<k {
                let x = Double(transA ? a[p * m + i] : a[i * k + p])
                let y = Double(transB ? b[j * k + p] : b[p * n + j])
                s += x * y
                scale += abs(x * y)
            }
            let got = Double(c[guardCount + i * n + j])
            let error = got.isNaN ? .infinity : abs(got - s) / max(scale, 1e-30)
            if error > worst.error { worst = (error, "C[\(i), \(j)] = \(got), expected \(s)") }
        }
    }
    #expect(worst.error <= 1e-5,
            "gemm transA \(transA) transB \(transB) accumulate \(accumulate) m \(m) n \(n) k \(k): \(worst.at), relative error \(worst.error)",
            sourceLocation: sourceLocation)
}
