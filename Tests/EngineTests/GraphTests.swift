import Dispatch
import Engine
import Foundation
import TestSupport
import Testing

/// Forward values of `Graph` operations against hand-computed numbers, and the graph's bookkeeping: which
/// nodes carry gradients, memory reuse across `reset()`, accumulation, and private gradients for threads.
@Suite struct GraphTests {
    // MARK: Softmax family

    @Test func softmaxRowsSumToOneAndMatchADoubleReference() {
        let x = Tensor(shape: [3, 4], data: [1, 2, 3, 4, -1, 0, 1, 0.5, 1000, 999, 998, -1000])
        let g = Graph()
        let y = g.value(g.softmax(g.constant(x)))
        for r in 0..<3 {
            let row = (0..<4).map { Double(x[r, $0]) }
            let m = row.max()!
            let e = row.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            var total: Float = 0
            for j in 0..<4 {
                #expect(abs(Double(y[r, j]) - e[j] / s) <= 1e-7, "softmax[\(r), \(j)] = \(y[r, j]), expected \(e[j] / s)")
                total += y[r, j]
            }
            #expect(abs(total - 1) <= 2e-7, "row \(r) sums to \(total)")
        }
        // Hand-computed: softmax(1, 2, 3, 4) = e^{j} / Σ = (0.0320586, 0.0871443, 0.2368828, 0.6439142).
        #expect(abs(y[0, 0] - 0.0320586) < 1e-6 && abs(y[0, 3] - 0.6439142) < 1e-6)
    }

    @Test func softmaxOverTheFirstAxisNormalisesColumns() {
        let x = Tensor(shape: [2, 3], data: [0, 1, 2, 0, 3, 2])
        let g = Graph()
        let y = g.value(g.softmax(g.constant(x), axis: 0))
        // Column 0: (0, 0) → (½, ½); column 1: (1, 3) → (1/(1+e²), e²/(1+e²)); column 2: equal.
        let e2 = Float(Foundation.exp(2.0))
        let expected: [Float] = [0.5, 1 / (1 + e2), 0.5, 0.5, e2 / (1 + e2), 0.5]
        for i in 0..<6 { #expect(abs(y.data[i] - expected[i]) < 1e-7, "element \(i): \(y.data[i]) vs \(expected[i])") }
    }

    @Test func logSoftmaxIsTheLogOfSoftmaxAndStaysFiniteForLargeInputs() {
        let x = Tensor(shape: [2, 5], data: [0.3, -1.2, 2.5, 0, 1, 500, -500, 480, 499, 0])
        let g = Graph()
        let ls = g.value(g.logSoftmax(g.constant(x)))
        let logOfSoftmax = g.value(g.log(g.softmax(g.constant(x))))
        for r in 0..<2 {
            let row = (0..<5).map { Double(x[r, $0]) }
            let m = row.max()!
            let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            for j in 0..<5 {
                let reference = row[j] - lse
                #expect(ls[r, j].isFinite, "logSoftmax[\(r), \(j)] = \(ls[r, j])")
                #expect(abs(Double(ls[r, j]) - reference) <= 1e-6 * max(1, abs(reference)),
                        "logSoftmax[\(r), \(j)] = \(ls[r, j]), expected \(reference)")
            }
        }
        // Where softmax does not underflow, log(softmax) agrees.
        for j in 0..<5 { #expect(abs(ls[0, j] - logOfSoftmax[0, j]) < 1e-6) }
    }

    @Test func maskedSoftmaxIsSoftmaxOverTheKeptEntriesWithExactZerosElsewhere() {
        let x = Tensor(shape: [2, 4], data: [1, 2, 3, 4, 500, -1, 0, 499])
        let keep = [true, false, true, true, false, true, true, false]
        let g = Graph(recording: true)
        let xv = g.variable(x)
        let y = g.maskedSoftmax(xv, mask: keep)
        let yv = g.value(y)
        // Row 0 keeps (1, 3, 4); row 1 keeps (−1, 0): the large masked values must not shift anything.
        let kept0 = g.value(g.softmax(g.constant(Tensor(shape: [3], data: [1, 3, 4]))))
        let kept1 = g.value(g.softmax(g.constant(Tensor(shape: [2], data: [-1, 0]))))
        #expect(yv.data[1] == 0 && yv.data[4] == 0 && yv.data[7] == 0)
        for (j, k) in [0, 2, 3].enumerated() { #expect(abs(yv.data[k] - kept0.data[j]) < 1e-7) }
        for (j, k) in [5, 6].enumerated() { #expect(abs(yv.data[k] - kept1.data[j]) < 1e-7) }
        // And the same through a 0/1 tensor mask.
        let viaTensor = g.value(g.maskedSoftmax(g.constant(x), mask: Tensor(shape: [2, 4], data: keep.map { $0 ? 1 : 0 })))
        #expect(viaTensor == yv)
        g.backward(g.sum(g.mul(y, g.constant(Tensor(shape: [2, 4], data: [3, -2, 1, 5, 7, 2, -1, 4])))))
        let gx = g.grad(xv)
        #expect(gx.data[1] == 0 && gx.data[4] == 0 && gx.data[7] == 0, "masked entries get no gradient: \(gx.data)")
        #expect(gx.data[0] != 0 && gx.data[5] != 0)
    }

    @Test func crossEntropyIgnoresPaddingTargetsAndAveragesOverTheRest() {
        let logits = Tensor(shape: [3, 3], data: [1, 2, 0.5, 9, -4, 7, 0, 0.3, -1])
        let g = Graph()
        let x = g.constant(logits)
        let lsm = g.value(g.logSoftmax(x))
        let rows = [-lsm[0, 1], -lsm[2, 0]]
        let mean = g.scalar(g.crossEntropy(x, targets: [1, -100, 0], ignoreIndex: -100))
        #expect(abs(mean - (rows[0] + rows[1]) / 2) < 1e-6, "mean over the two scored rows: \(mean)")
        let sum = g.scalar(g.crossEntropy(x, targets: [1, -100, 0], ignoreIndex: -100, reduction: .sum))
        #expect(abs(sum - (rows[0] + rows[1])) < 1e-6)
        let perRow = g.value(g.crossEntropy(x, targets: [1, -100, 0], ignoreIndex: -100, reduction: .none))
        #expect(perRow.shape == [3] && perRow.data[1] == 0)
        #expect(abs(perRow.data[0] - rows[0]) < 1e-6 && abs(perRow.data[2] - rows[1]) < 1e-6)
        // An ignore index that is a real class only skips the rows that carry it; nil ignores nothing.
        let all = g.scalar(g.crossEntropy(x, targets: [1, 2, 0]))
        #expect(g.scalar(g.crossEntropy(x, targets: [1, 2, 0], ignoreIndex: nil)) == all)
        #expect(abs(g.scalar(g.crossEntropy(x, targets: [1, 2, 0], ignoreIndex: 2, reduction: .sum)) - (rows[0] + rows[1])) < 1e-6)
        #expect(g.scalar(g.crossEntropy(x, targets: [-1, -1, -1], ignoreIndex: -1)) == 0, "nothing scored: 0, not NaN")
    }

    // MARK: Embedding and attention

    @Test func embeddingGathersRowsAndAddsTheGradientOfARepeatedId() {
        let table = Tensor(shape: [3, 2], data: [1, 2, 3, 4, 5, 6])
        let g = Graph(recording: true)
        let t = g.variable(table)
        let y = g.embedding(t, ids: [2, 0, 2])
        #expect(g.value(y) == Tensor(shape: [3, 2], data: [5, 6, 1, 2, 5, 6]))
        g.backward(g.sum(g.mul(y, g.constant(Tensor(shape: [3, 2], data: [1, 10, 100, 1000, 2, 20])))))
        #expect(g.grad(t) == Tensor(shape: [3, 2], data: [100, 1000, 0, 0, 3, 30]))
        #expect(g.value(g.embedding(t, ids: [])).shape == [0, 2])
    }

    @Test func weightedBagsSumTheirWeightedRowsAndLeaveAnEmptyBagZero() {
        let table = Tensor(shape: [3, 2], data: [1, 2, 3, 4, 5, 6])
        let g = Graph(recording: true)
        let t = g.variable(table)
        // Bags: {row 2 × (1, 2), row 0 × (3, 4)}, {}, {row 2 × (−1, 0)}.
        let y = g.weightedBags(t, ids: [2, 0, 2], weights: [1, 2, 3, 4, -1, 0], ends: [2, 2, 3])
        #expect(g.value(y) == Tensor(shape: [3, 2], data: [5 + 3, 12 + 8, 0, 0, -5, 0]))
        g.backward(g.sum(g.mul(y, g.constant(Tensor(shape: [3, 2], data: [1, 10, 100, 1000, 2, 20])))))
        // Row 2 gets (1, 2) ⊙ (1, 10) + (−1, 0) ⊙ (2, 20); row 0 gets (3, 4) ⊙ (1, 10).
        #expect(g.grad(t) == Tensor(shape: [3, 2], data: [3, 40, 0, 0, -1, 20]))
    }

    @Test func batchedDotScoresEachKeyAgainstItsOwnBatchsQuery() {
        let g = Graph()
        let q = g.constant(Tensor(shape: [2, 2], data: [1, 2, -1, 0]))
        let keys = g.constant(Tensor(shape: [2, 3, 2], data: [1, 0, 0, 1, 3, 4, 1, 0, 0, 1, 3, 4]))
        #expect(g.value(g.batchedDot(q, keys)) == Tensor(shape: [2, 3], data: [1, 2, 11, -1, 0, -3]))
    }

    @Test func weightedSumAveragesEachBatchsValuesUnderItsOwnWeights() {
        let g = Graph()
        let w = g.constant(Tensor(shape: [2, 3], data: [0.5, 0.5, 0, 0, 0.25, 0.75]))
        let values = g.constant(Tensor(shape: [2, 3, 2], data: [2, 4, 6, 8, 100, 100, 100, 100, 4, 8, 8, 0]))
        #expect(g.value(g.weightedSum(w, values)) == Tensor(shape: [2, 2], data: [4, 6, 7, 2]))
    }

    @Test func matrixVectorProductOfABatchScoresEveryRow() {
        // The additive attention's last step: [B, N, A] · v [A] → [B, N].
        let g = Graph()
        let x = g.constant(Tensor(shape: [2, 2, 3], data: [1, 2, 3, 0, 0, 1, -1, 1, 0, 2, 2, 2]))
        let v = g.constant(Tensor(shape: [3], data: [1, 10, 100]))
        #expect(g.value(g.matmul(x, v)) == Tensor(shape: [2, 2], data: [321, 100, 9, 222]))
    }

    // MARK: Addressing

    @Test func cosineSimilarityOfARowWithItselfIsOneAndOfOrthogonalRowsZero() {
        let memory = Tensor(shape: [4, 3], data: [1, 2, 3, -2, 1, 0, -1, -2, -3, 0, 0, 0])
        let key = Tensor(shape: [3], data: [1, 2, 3])
        let g = Graph()
        let k = g.value(g.cosineSimilarity(g.constant(memory), g.constant(key)))
        #expect(k.shape == [4])
        #expect(abs(k.data[0] - 1) < 1e-6, "with itself: \(k.data[0])")
        #expect(abs(k.data[1]) < 1e-7, "orthogonal: \(k.data[1])")
        #expect(abs(k.data[2] + 1) < 1e-6, "opposite: \(k.data[2])")
        #expect(k.data[3] == 0, "a zero row: \(k.data[3])")
    }

    @Test func cosineSimilarityWithAZeroKeyIsZeroWithoutNaN() {
        let memory = Tensor(shape: [2, 3], data: [1, 2, 3, 0, 0, 0])
        let g = Graph(recording: true)
        let m = g.variable(memory), key = g.variable(Tensor(shape: [3]))
        let k = g.cosineSimilarity(m, key)
        #expect(g.value(k).data == [0, 0])
        g.backward(g.sum(k))
        // The safe denominator keeps the gradient finite too.
        #expect(g.grad(m).data.allSatisfy { $0.isFinite } && g.grad(key).data.allSatisfy { $0.isFinite })
    }

    @Test func cosineSimilarityOfABatchUsesEachBatchsOwnKey() {
        // [2, 2, 2] memory, [2, 2] keys: batch 1's key is batch 0's rotated by 90°.
        let memory = Tensor(shape: [2, 2, 2], data: [1, 0, 0, 1, 1, 0, 0, 1])
        let keys = Tensor(shape: [2, 2], data: [3, 0, 0, 5])
        let g = Graph()
        let k = g.value(g.cosineSimilarity(g.constant(memory), g.constant(keys)))
        #expect(k.shape == [2, 2])
        let expected: [Float] = [1, 0, 0, 1]
        for i in 0..<4 { #expect(abs(k.data[i] - expected[i]) < 1e-6, "element \(i): \(k.data[i])") }
    }

    @Test func circularConvolutionWithAOneHotKernelShiftsByOnePlaceWithWrapAround() {
        let n = 5
        func shifted(_ position: Int, kernel: [Float]) -> [Float] {
            var w = [Float](repeating: 0, count: n)
            w[position] = 1
            let g = Graph()
            return g.value(g.circularConvolution(g.constant(Tensor(shape: [n], data: w)),
                                                 g.constant(Tensor(shape: [3], data: kernel)))).data
        }
        func oneHot(_ i: Int) -> [Float] { (0..<n).map { $0 == i ? 1 : 0 } }
        for p in 0..<n {
            // s = (0, 0, 1): shift by +1 (one place up); s = (1, 0, 0): by −1; s = (0, 1, 0): identity.
            #expect(shifted(p, kernel: [0, 0, 1]) == oneHot((p + 1) % n), "+1 shift of position \(p)")
            #expect(shifted(p, kernel: [1, 0, 0]) == oneHot((p + n - 1) % n), "−1 shift of position \(p)")
            #expect(shifted(p, kernel: [0, 1, 0]) == oneHot(p), "identity shift of position \(p)")
        }
        // A mixed kernel spreads the weight: (0.25, 0.5, 0.25) around position 0 wraps onto n − 1 and 1.
        #expect(shifted(0, kernel: [0.25, 0.5, 0.25]) == [0.5, 0.25, 0, 0, 0.25])
    }

    @Test func circularConvolutionShiftsEveryBatchRowByItsOwnKernel() {
        let w = Tensor(shape: [2, 4], data: [1, 0, 0, 0, 0, 0, 0, 1])
        let s = Tensor(shape: [2, 3], data: [0, 0, 1, 0, 0, 1])
        let g = Graph()
        #expect(g.value(g.circularConvolution(g.constant(w), g.constant(s))).data == [0, 1, 0, 0, 1, 0, 0, 0])
    }

    @Test func outerProductOfTwoVectorsAndOfABatch() {
        let g = Graph()
        let a = g.constant(Tensor(shape: [2], data: [2, -1])), b = g.constant(Tensor(shape: [3], data: [1, 3, 0.5]))
        let y = g.value(g.outer(a, b))
        #expect(y.shape == [2, 3])
        #expect(y.data == [2, 6, 1, -1, -3, -0.5])
        let ab = g.constant(Tensor(shape: [2, 2], data: [1, 2, 3, 4])), bb = g.constant(Tensor(shape: [2, 1], data: [10, -1]))
        let yb = g.value(g.outer(ab, bb))
        #expect(yb.shape == [2, 2, 1])
        #expect(yb.data == [10, 20, -3, -4])
    }

    // MARK: Dynamic memory (DNC)

    @Test func temporalLinksRecordWhichRowWasWrittenAfterWhich() {
        // Write row 0 fully, then row 2: L[2, 0] = 1 (row 2 was written after row 0), everything else 0.
        let g = Graph()
        var link = g.constant(Shape(1, 3, 3), repeating: 0), p = g.constant(Shape(1, 3), repeating: 0)
        for row in [0, 2] {
            var w = Tensor(shape: [1, 3])
            w.data[row] = 1
            let wv = g.constant(w)
            link = g.temporalLinks(link, precedence: p, writeWeighting: wv)
            p = g.precedence(p, writeWeighting: wv)
            #expect(g.value(p).data == w.data, "a full write makes the precedence that row alone")
        }
        #expect(g.value(link).data == [0, 0, 0, 0, 0, 0, 1, 0, 0])
        // Forward from a read of row 0 (L w) reaches row 2; backward from a read of row 2 (Lᵀ w) reaches row 0.
        let readRow0 = g.constant(Tensor(shape: [1, 1, 3], data: [1, 0, 0]))
        let readRow2 = g.constant(Tensor(shape: [1, 1, 3], data: [0, 0, 1]))
        #expect(g.value(g.matmul(readRow0, link, transposeB: true)).data == [0, 0, 1])
        #expect(g.value(g.matmul(readRow2, link)).data == [1, 0, 0])
        // A half-strength write of row 1 next: the link 2 → 0 touches neither end of the write and stays
        // (1 − w_2 − w_0 = 1); row 1 links to the previous precedence, row 2, by w_1 = ½; p = ½ p + w.
        let half = g.constant(Tensor(shape: [1, 3], data: [0, 0.5, 0]))
        #expect(g.value(g.temporalLinks(link, precedence: p, writeWeighting: half)).data == [0, 0, 0, 0, 0, 0.5, 1, 0, 0])
        #expect(g.value(g.precedence(p, writeWeighting: half)).data == [0, 0.5, 0.5])
    }

    @Test func contentWeightingIsASoftmaxOfStrengthTimesCosine() {
        // Rows (3, 4), (0, 2), (−1, 0) against the key (3, 4) with β = 2: cosines 1, 0.8, −0.6 (up to ε).
        let g = Graph()
        let memory = g.constant(Tensor(shape: [1, 3, 2], data: [3, 4, 0, 2, -1, 0]))
        let key = g.constant(Tensor(shape: [1, 1, 2], data: [3, 4]))
        let y = g.value(g.contentWeighting(memory, keys: key, strengths: g.constant(Tensor(shape: [1, 1], data: [2]))))
        let e = [2.0, 1.6, -1.2].map { Foundation.exp($0) }
        for i in 0..<3 { #expect(abs(Double(y.data[i]) - e[i] / e.reduce(0, +)) < 1e-6, "row \(i): \(y.data[i])") }
        // A zero memory and a zero key give equal weights, not NaN.
        let zero = g.contentWeighting(g.constant(Shape(1, 4, 2), repeating: 0), keys: g.constant(Shape(1, 2, 2), repeating: 0),
                                      strengths: g.constant(Shape(1, 2), repeating: 5))
        #expect(g.value(zero).data == [Float](repeating: 0.25, count: 8))
    }

    // MARK: Shape operations

    @Test func concatJoinsAlongEitherAxis() {
        let g = Graph()
        let a = g.constant(Tensor(shape: [2, 2], data: [1, 2, 3, 4])), b = g.constant(Tensor(shape: [2, 1], data: [5, 6]))
        let c = g.value(g.concat([a, b]))
        #expect(c.shape == [2, 3])
        #expect(c.data == [1, 2, 5, 3, 4, 6])
        let d = g.value(g.concat([a, g.constant(Tensor(shape: [1, 2], data: [7, 8]))], axis: 0))
        #expect(d.shape == [3, 2])
        #expect(d.data == [1, 2, 3, 4, 7, 8])
    }

    @Test func sliceSplitReshapeAndTransposeMoveTheRightElements() {
        let g = Graph()
        let x = g.constant(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        #expect(g.value(g.slice(x, axis: 1, start: 1, count: 2)) == Tensor(shape: [2, 2], data: [2, 3, 5, 6]))
        #expect(g.value(g.slice(x, axis: 0, start: 1, count: 1)) == Tensor(shape: [1, 3], data: [4, 5, 6]))
        let parts = g.split(x, sizes: [1, 2]).map { g.value($0) }
        #expect(parts == [Tensor(shape: [2, 1], data: [1, 4]), Tensor(shape: [2, 2], data: [2, 3, 5, 6])])
        #expect(g.value(g.reshape(x, [3, 2])) == Tensor(shape: [3, 2], data: [1, 2, 3, 4, 5, 6]))
        #expect(g.value(g.transpose(x)) == Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
        // Transposing a batch swaps only the last two axes of each matrix.
        let batch = g.constant(Tensor(shape: [2, 1, 2], data: [1, 2, 3, 4]))
        #expect(g.value(g.transpose(batch)) == Tensor(shape: [2, 2, 1], data: [1, 2, 3, 4]))
    }

    @Test func swapAxesMovesEveryElementToItsSwappedIndex() {
        let g = Graph()
        let dims = [2, 3, 4, 5]
        let x = Tensor(shape: dims, data: (0..<120).map(Float.init))
        for (a, b) in [(1, 2), (0, 3), (2, 3), (0, 1), (1, 3)] {
            let y = g.value(g.swapAxes(g.constant(x), a, b))
            var swapped = dims
            swapped.swapAt(a, b)
            #expect(y.shape == swapped, "swapAxes(\(a), \(b)) shape")
            // Element (i0, i1, i2, i3) of the output is the input's with indices a and b exchanged.
            var ok = true
            for flat in 0..<120 {
                var index = [0, 0, 0, 0], rest = flat
                for k in stride(from: 3, through: 0, by: -1) { index[k] = rest % swapped[k]; rest /= swapped[k] }
                index.swapAt(a, b)
                if y.data[flat] != x[index[0], index[1], index[2], index[3]] { ok = false }
            }
            #expect(ok, "swapAxes(\(a), \(b)) values")
        }
        // Rank 2: the matrix transpose.
        let m = g.constant(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        #expect(g.value(g.swapAxes(m, 0, 1)) == Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
    }

    @Test func layerNormCentresAndScalesEachRowThenAppliesGainAndBias() {
        let g = Graph()
        let x = g.constant(Tensor(shape: [2, 4], data: [1, 2, 3, 4, 10, 10, 10, 14]))
        let gain = g.constant(Tensor(shape: [4], data: [1, 2, 1, 1]))
        let bias = g.constant(Tensor(shape: [4], data: [0, 0, 0.5, 0]))
        let y = g.value(g.layerNorm(x, gain: gain, bias: bias))
        // Row 0: mean 2.5, biased variance 1.25; row 1: mean 11, variance 3.
        let s0 = 1 / (1.25 + 1e-5).squareRoot(), s1 = 1 / (3.0 + 1e-5).squareRoot()
        let expected: [Double] = [-1.5 * s0, 2 * -0.5 * s0, 0.5 * s0 + 0.5, 1.5 * s0,
                                  -1 * s1, 2 * -1 * s1, -1 * s1 + 0.5, 3 * s1]
        for (got, want) in zip(y.data, expected) { #expect(abs(Double(got) - want) < 1e-6, "\(got) vs \(want)") }
    }

    // MARK: Arithmetic

    @Test func broadcastingARowAColumnAndAScalar() {
        let g = Graph()
        let x = g.constant(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        let row = g.constant(Tensor(shape: [3], data: [10, 20, 30]))
        let column = g.constant(Tensor(shape: [2, 1], data: [2, -1]))
        #expect(g.value(g.add(x, row)) == Tensor(shape: [2, 3], data: [11, 22, 33, 14, 25, 36]))
        #expect(g.value(g.add(row, x)) == Tensor(shape: [2, 3], data: [11, 22, 33, 14, 25, 36]))
        #expect(g.value(g.mul(x, column)) == Tensor(shape: [2, 3], data: [2, 4, 6, -4, -5, -6]))
        #expect(g.value(g.sub(x, g.constant(Tensor(scalar: 1)))) == Tensor(shape: [2, 3], data: [0, 1, 2, 3, 4, 5]))
        #expect(g.value(g.div(x, g.constant(Tensor(shape: [1], data: [2])))) == Tensor(shape: [2, 3], data: [0.5, 1, 1.5, 2, 2.5, 3]))
        // [2, 1] with [3] broadcasts both ways to [2, 3].
        #expect(g.value(g.add(column, row)) == Tensor(shape: [2, 3], data: [12, 22, 32, 9, 19, 29]))
    }

    /// An operand with one number per row ([B, T, m] − [B, T, 1]) takes a row loop of its own: values and
    /// the gradient of the full operand are bit for bit those of the same operation on b spread out to
    /// a's shape, and b's gradient is each row's sum, in order.
    @Test func anOperandOnePerRowGivesTheSameBitsAsItsSpreadOutCopy() {
        let a = randomTensor([2, 3, 11], seed: 21), b = randomTensor([2, 3, 1], seed: 22)
        let weights = randomTensor([2, 3, 11], seed: 23)
        let spread = Tensor(shape: [2, 3, 11], data: (0..<66).map { b.data[$0 / 11] })
        func run(_ other: Tensor) -> (y: Tensor, ga: Tensor, gb: Tensor) {
            let g = Graph(recording: true)
            let x = g.variable(a), z = g.variable(other)
            let y = g.pow(g.exp(g.sub(x, z)), g.constant(Tensor(scalar: 1)))
            g.backward(g.sum(g.mul(y, g.constant(weights))))
            return (g.value(y), g.grad(x), g.grad(z))
        }
        let rows = run(b), full = run(spread)
        #expect(rows.y == full.y && rows.ga == full.ga)
        for r in 0..<6 {
            var sum: Float = 0
            for t in 0..<11 { sum += full.gb.data[r * 11 + t] }
            #expect(rows.gb.data[r] == sum, "row \(r)")
        }
    }

    @Test func reductionsAndMatrixProductsOfSmallIntegers() {
        let g = Graph()
        let x = g.constant(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        #expect(g.value(g.sum(x, axis: 0)) == Tensor(shape: [3], data: [5, 7, 9]))
        #expect(g.value(g.sum(x, axis: 1, keepAxis: true)) == Tensor(shape: [2, 1], data: [6, 15]))
        #expect(g.value(g.mean(x, axis: -1)) == Tensor(shape: [2], data: [2, 5]))
        #expect(g.scalar(g.sum(x)) == 21)
        #expect(g.scalar(g.mean(x)) == 3.5)
        let w = g.constant(Tensor(shape: [3, 2], data: [1, 0, 0, 1, 1, 1]))
        #expect(g.value(g.matmul(x, w)) == Tensor(shape: [2, 2], data: [4, 5, 10, 11]))
        #expect(g.value(g.matmul(x, x, transposeB: true)) == Tensor(shape: [2, 2], data: [14, 32, 32, 77]))
        let v = g.constant(Tensor(shape: [3], data: [1, -1, 2]))
        #expect(g.value(g.matmul(x, v)) == Tensor(shape: [2], data: [5, 11]))
        #expect(g.value(g.matmul(v, w)) == Tensor(shape: [2], data: [3, 1]))
    }

    // MARK: Bookkeeping

    @Test func resetReusesTheSameMemoryAndGivesTheSameResults() {
        let g = Graph()
        var rng = SeededRNG(seed: 21)
        let input = rng.uniformTensor([3, 8], -1, 1)
        func run() -> (values: [Tensor], addresses: [UnsafePointer<Float>?], count: Int) {
            let x = g.constant(input)
            let outs = [g.softmax(x), g.tanh(g.matmul(x, x, transposeB: true)), g.sum(g.exp(x), axis: 0)]
            return (outs.map { g.value($0) }, outs.map { o in g.withValue(o) { $0.baseAddress } }, g.nodeCount)
        }
        let first = run()
        g.reset()
        #expect(g.nodeCount == 0)
        let second = run()
        #expect(second.count == first.count, "nodeCount restarts after reset")
        #expect(second.values == first.values)
        #expect(second.addresses == first.addresses, "the same shapes land in the same memory after reset")
    }

    @Test func aNonRecordingGraphCarriesNoGradients() {
        let g = Graph()
        let p = Parameter("p", Tensor(shape: [2], data: [1, 2]))
        let x = g.variable(Tensor(shape: [2], data: [3, 4])), w = g.param(p)
        let y = g.mul(x, w)
        for v in [x, w, y] { #expect(!g.needsGrad(v)) }
        #expect(g.grad(y) == Tensor(shape: [2]))
    }

    @Test func aRecordingGraphGivesGradientsOnlyWhereTheyFlow() {
        let g = Graph(recording: true)
        let p = Parameter("p", Tensor(shape: [2], data: [1, 2]))
        let c = g.constant(Tensor(shape: [2], data: [3, 4])), x = g.variable(Tensor(shape: [2], data: [5, 6]))
        let w = g.param(p)
        #expect(!g.needsGrad(c))
        #expect(g.needsGrad(x) && g.needsGrad(w))
        #expect(!g.needsGrad(g.exp(c)), "an operation on constants only needs no gradient")
        #expect(g.needsGrad(g.mul(c, x)) && g.needsGrad(g.add(w, c)))
        let loss = g.sum(g.mul(g.mul(c, x), w))
        g.backward(loss)
        #expect(g.grad(c) == Tensor(shape: [2]))
        #expect(g.grad(x) == Tensor(shape: [2], data: [3, 8]))
        #expect(p.gradTensor == Tensor(shape: [2], data: [15, 24]))
    }

    @Test func parameterGradientsAccumulateOverBackwardPasses() {
        var rng = SeededRNG(seed: 22)
        let layer = Linear("l", inFeatures: 5, outFeatures: 3, rng: &rng)
        let input = rng.uniformTensor([2, 5], -1, 1)
        let g = Graph(recording: true)
        layer.parameters.zeroGrad()
        g.backward(testLoss(g, layer, input))
        let once = layer.parameters.map(\.gradTensor)
        g.reset()
        g.backward(testLoss(g, layer, input))
        for (p, one) in zip(layer.parameters, once) {
            #expect(one.data.contains { $0 != 0 })
            for (twice, single) in zip(p.gradTensor.data, one.data) {
                #expect(abs(twice - 2 * single) <= 1e-6 * max(abs(single), 1e-3), "\(p.name): \(twice) vs 2 × \(single)")
            }
        }
    }

    @Test func privateGradientsReachParametersOnlyOnFlushAndMatchANormalGraph() {
        var rng = SeededRNG(seed: 23)
        let layer = Linear("l", inFeatures: 5, outFeatures: 3, rng: &rng)
        let input = rng.uniformTensor([2, 5], -1, 1)
        let params = layer.parameters

        params.zeroGrad()
        let normal = Graph(recording: true)
        normal.backward(testLoss(normal, layer, input))
        let expected = params.map(\.gradTensor)

        params.zeroGrad()
        let priv = Graph(recording: true, privateGradients: true)
        priv.backward(testLoss(priv, layer, input))
        for p in params { #expect(p.gradTensor.data.allSatisfy { $0 == 0 }, "\(p.name).grad changed before flush") }
        priv.flushGradients()
        #expect(params.map(\.gradTensor) == expected, "flush adds exactly what a normal graph accumulates")
        priv.flushGradients()
        #expect(params.map(\.gradTensor) == expected, "a second flush adds nothing: the private buffers were zeroed")

        // Flushing adds to what is already there.
        priv.reset()
        priv.backward(testLoss(priv, layer, input))
        priv.flushGradients()
        for (p, e) in zip(params, expected) { #expect(p.gradTensor.data == e.data.map { $0 + $0 }, "\(p.name)") }
    }

    @Test func privateGradientGraphsOnTwoThreadsFlushToTheSum() {
        var rng = SeededRNG(seed: 24)
        let layer = Linear("l", inFeatures: 6, outFeatures: 4, rng: &rng)
        let inputs = [rng.uniformTensor([3, 6], -1, 1), rng.uniformTensor([3, 6], -1, 1)]
        let params = layer.parameters
        let steps = 200

        // Each thread's gradient alone, computed serially.
        func alone(_ i: Int) -> [Tensor] {
            params.zeroGrad()
            let g = Graph(recording: true, privateGradients: true)
            for _ in 0..<steps { g.reset(); g.backward(testLoss(g, layer, inputs[i])) }
            g.flushGradients()
            return params.map(\.gradTensor)
        }
        let g0 = alone(0), g1 = alone(1)

        params.zeroGrad()
        let box = GraphPair(Graph(recording: true, privateGradients: true), Graph(recording: true, privateGradients: true))
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let g = i == 0 ? box.first : box.second
            for _ in 0..<steps { g.reset(); g.backward(testLoss(g, layer, inputs[i])) }
        }
        for p in params { #expect(p.gradTensor.data.allSatisfy { $0 == 0 }, "\(p.name).grad changed before flush") }
        box.first.flushGradients()
        box.second.flushGradients()
        for (k, p) in params.enumerated() {
            #expect(p.gradTensor.data == zip(g0[k].data, g1[k].data).map { $0 + $1 }, "\(p.name)")
        }
    }
}

/// Σ tanh(layer(x))², a loss that reaches every parameter with a distinct gradient.
private func testLoss(_ g: Graph, _ layer: Linear, _ x: Tensor) -> Var {
    let y = g.tanh(layer(g, g.constant(x)))
    return g.sum(g.mul(y, y))
}

/// Two graphs handed to two threads; each thread touches only its own graph.
private final class GraphPair: @unchecked Sendable {
    let first: Graph, second: Graph
    init(_ first: Graph, _ second: Graph) { self.first = first; self.second = second }
}
