import Engine
import TestSupport
import Testing

/// One finite-difference check per operation (and per broadcasting or transposition case).
@Suite struct OperationGradientTests {
    let x23 = randomTensor([2, 3], seed: 1)
    let y23 = randomTensor([2, 3], seed: 2)
    let positive23 = randomTensor([2, 3], 0.5, 2, seed: 3)

    @Test func sigmoid() { checkGradients([x23]) { g, v in g.sigmoid(v[0]) } }
    @Test func tanh() { checkGradients([randomTensor([3, 5], -2, 2, seed: 4)]) { g, v in g.tanh(v[0]) } }
    @Test func relu() {
        // Keep inputs away from the kink at 0, where finite differences straddle two slopes.
        let x = Tensor(shape: [2, 3], data: [-1.5, -0.5, 0.3, 0.7, -0.2, 1.2])
        checkGradients([x]) { g, v in g.relu(v[0]) }
    }
    @Test func absolute() {
        // Away from the kink at 0, as for relu.
        checkGradients([Tensor(shape: [2, 3], data: [-1.5, -0.5, 0.3, 0.7, -0.2, 1.2])]) { g, v in g.absolute(v[0]) }
    }
    @Test func softplus() {
        checkGradients([Tensor(shape: [4], data: [-3, 0.2, 2, 25])]) { g, v in g.softplus(v[0]) }
    }
    @Test func exp() { checkGradients([x23]) { g, v in g.exp(v[0]) } }
    @Test func log() { checkGradients([positive23]) { g, v in g.log(v[0]) } }
    @Test func sqrt() { checkGradients([positive23]) { g, v in g.sqrt(v[0]) } }
    @Test func powByConstant() { checkGradients([positive23]) { g, v in g.pow(v[0], 2.5) } }
    @Test func powByTensorBroadcastPerRow() {
        // The NTM's sharpening: weights [B, N] raised to a per-row exponent γ [B, 1].
        checkGradients([positive23, Tensor(shape: [2, 1], data: [1.5, 3])]) { g, v in g.pow(v[0], v[1]) }
    }
    @Test func clamp() {
        let x = Tensor(shape: [5], data: [-2, -0.4, 0.1, 0.6, 3])
        checkGradients([x]) { g, v in g.clamp(v[0], min: -1, max: 1) }
    }
    @Test func scaleAddScalarOneMinusNeg() {
        checkGradients([x23]) { g, v in g.neg(g.oneMinus(g.addScalar(g.scale(v[0], 3), 0.5))) }
    }
    @Test func addSameShape() { checkGradients([x23, y23]) { g, v in g.add(v[0], v[1]) } }
    @Test func subRowBroadcast() {
        checkGradients([x23, randomTensor([3], seed: 5)]) { g, v in g.sub(v[0], v[1]) }
    }
    @Test func mulColumnBroadcast() {
        checkGradients([x23, randomTensor([2, 1], seed: 6)]) { g, v in g.mul(v[0], v[1]) }
    }
    @Test func mulBroadcastOnTheLeft() {
        checkGradients([randomTensor([3], seed: 7), x23]) { g, v in g.mul(v[0], v[1]) }
    }
    @Test func divScalarBroadcast() {
        checkGradients([x23, Tensor(shape: [1], data: [1.7])]) { g, v in g.div(v[0], v[1]) }
    }
    @Test func divSameShape() { checkGradients([x23, positive23]) { g, v in g.div(v[0], v[1]) } }
    @Test func broadcastOfThreeAxes() {
        checkGradients([randomTensor([2, 1, 3], seed: 8), randomTensor([4, 1], seed: 9)]) { g, v in g.mul(v[0], v[1]) }
    }
    @Test func sumOverEachAxis() {
        let x = randomTensor([2, 3, 4], seed: 10)
        for axis in 0..<3 { checkGradients([x]) { g, v in g.sum(v[0], axis: axis) } }
        checkGradients([x]) { g, v in g.sum(v[0], axis: 1, keepAxis: true) }
    }
    @Test func meanOverAxisAndAll() {
        checkGradients([x23]) { g, v in g.mean(v[0], axis: 0) }
        checkGradients([x23]) { g, v in g.mean(v[0]) }
        checkGradients([x23]) { g, v in g.sum(v[0]) }
    }
    @Test func softmaxOverEachAxis() {
        let x = randomTensor([2, 3, 4], -2, 2, seed: 11)
        for axis in 0..<3 { checkGradients([x]) { g, v in g.softmax(v[0], axis: axis) } }
    }
    @Test func logSoftmaxOverEachAxis() {
        let x = randomTensor([3, 4], -2, 2, seed: 12)
        for axis in 0..<2 { checkGradients([x]) { g, v in g.logSoftmax(v[0], axis: axis) } }
    }
    @Test func matmulInEveryTransposition() {
        let a = randomTensor([3, 4], seed: 13), aT = randomTensor([4, 3], seed: 14)
        let b = randomTensor([4, 5], seed: 15), bT = randomTensor([5, 4], seed: 16)
        checkGradients([a, b]) { g, v in g.matmul(v[0], v[1]) }
        checkGradients([a, bT]) { g, v in g.matmul(v[0], v[1], transposeB: true) }
        checkGradients([aT, b]) { g, v in g.matmul(v[0], v[1], transposeA: true) }
        checkGradients([aT, bT]) { g, v in g.matmul(v[0], v[1], transposeA: true, transposeB: true) }
    }
    @Test func matmulWithLargeOperandsUsesEveryKernelPath() {
        // Sizes that exercise the 2×4 and 4-wide blocks, the 32-column blocks and every tail.
        let a = randomTensor([5, 37], seed: 17), b = randomTensor([37, 41], seed: 18), bT = randomTensor([41, 37], seed: 19)
        checkGradients([a, b], h: 1e-2, atol: 5e-3) { g, v in g.matmul(v[0], v[1]) }
        checkGradients([a, bT], h: 1e-2, atol: 5e-3) { g, v in g.matmul(v[0], v[1], transposeB: true) }
    }
    @Test func matmulWithVectorsAndBatches() {
        checkGradients([randomTensor([4], seed: 20), randomTensor([4, 3], seed: 21)]) { g, v in g.matmul(v[0], v[1]) }
        checkGradients([randomTensor([3, 4], seed: 22), randomTensor([4], seed: 23)]) { g, v in g.matmul(v[0], v[1]) }
        checkGradients([randomTensor([2, 1, 4], seed: 24), randomTensor([2, 4, 3], seed: 25)]) { g, v in g.matmul(v[0], v[1]) }
        checkGradients([randomTensor([2, 3, 4], seed: 26), randomTensor([5, 4], seed: 27)]) { g, v in
            g.matmul(v[0], v[1], transposeB: true)
        }
    }
    @Test func linearWithBias() {
        checkGradients([randomTensor([3, 4], seed: 28), randomTensor([5, 4], seed: 29), randomTensor([5], seed: 30)]) { g, v in
            g.linear(v[0], weight: v[1], bias: v[2])
        }
    }
    @Test func affineSumOfTwoMaps() {
        let inputs = [randomTensor([2, 3], seed: 31), randomTensor([4, 3], seed: 32), randomTensor([2, 5], seed: 33),
                      randomTensor([4, 5], seed: 34), randomTensor([4], seed: 35), randomTensor([4], seed: 36)]
        checkGradients(inputs) { g, v in g.affine([(v[0], v[1]), (v[2], v[3])], biases: [v[4], v[5]]) }
    }
    @Test func lstmPointwise() {
        checkGradients([randomTensor([2, 12], -1.5, 1.5, seed: 37), randomTensor([2, 3], seed: 38)]) { g, v in
            let (h, c) = g.lstmPointwise(gates: v[0], cell: v[1])
            return g.concat([h, c], axis: 1)
        }
    }
    @Test func reshapeTransposeConcatSlice() {
        let x = randomTensor([2, 3, 4], seed: 39)
        checkGradients([x]) { g, v in g.transpose(v[0]) }
        checkGradients([x]) { g, v in g.tanh(g.reshape(v[0], [6, 4])) }
        checkGradients([x23, randomTensor([2, 2], seed: 40)]) { g, v in g.concat([v[0], v[1]], axis: 1) }
        checkGradients([x23, randomTensor([1, 3], seed: 41)]) { g, v in g.concat([v[0], v[1]], axis: 0) }
        checkGradients([x]) { g, v in g.slice(v[0], axis: 2, start: 1, count: 2) }
        checkGradients([x]) { g, v in g.slice(v[0], axis: 0, start: 1, count: 1) }
        checkGradients([randomTensor([7], seed: 42)]) { g, v in
            let parts = g.split(v[0], sizes: [2, 4, 1])
            return g.concat([g.exp(parts[0]), g.tanh(parts[1]), g.scale(parts[2], 2)])
        }
    }
    @Test func swapAxesOfRank4AndRank3() {
        let x = randomTensor([2, 3, 4, 5], seed: 90)
        for (a, b) in [(1, 2), (0, 3), (2, 3)] { checkGradients([x]) { g, v in g.swapAxes(v[0], a, b) } }
        checkGradients([randomTensor([2, 3, 4], seed: 91)]) { g, v in g.swapAxes(v[0], 0, 2) }
    }
    @Test func layerNormOverTheLastAxisWithGainAndBias() {
        // Rows of 5 (a scalar tail only) and of 11 (one 8-lane block and a tail); gain and bias away from 1 and 0.
        for (shape, seed) in [([2, 3, 5], UInt64(92)), ([3, 11], UInt64(95))] {
            let n = shape.last!
            checkGradients([randomTensor(shape, -2, 2, seed: seed), randomTensor([n], 0.5, 1.5, seed: seed + 1),
                            randomTensor([n], seed: seed + 2)]) { g, v in
                g.layerNorm(v[0], gain: v[1], bias: v[2])
            }
        }
    }
    @Test func cosineSimilarityBatched() {
        checkGradients([randomTensor([2, 5, 4], seed: 43), randomTensor([2, 4], seed: 44)]) { g, v in
            g.cosineSimilarity(v[0], v[1])
        }
    }
    @Test func circularConvolutionBatched() {
        checkGradients([randomTensor([2, 6], 0, 1, seed: 45), randomTensor([2, 3], 0, 1, seed: 46)]) { g, v in
            g.circularConvolution(v[0], v[1])
        }
        checkGradients([randomTensor([5], 0, 1, seed: 47), randomTensor([5], 0, 1, seed: 48)]) { g, v in
            g.circularConvolution(v[0], v[1])
        }
    }
    @Test func sharpenBatched() {
        checkGradients([randomTensor([2, 5], 0.05, 1, seed: 65), Tensor(shape: [2, 1], data: [1.3, 4])]) { g, v in
            g.sharpen(v[0], gamma: v[1])
        }
    }
    @Test func memoryWriteBatched() {
        let inputs = [randomTensor([2, 4, 3], seed: 66), randomTensor([2, 4], 0, 1, seed: 67),
                      randomTensor([2, 3], 0, 1, seed: 68), randomTensor([2, 3], seed: 69)]
        checkGradients(inputs) { g, v in g.memoryWrite(v[0], weighting: v[1], erase: v[2], add: v[3]) }
        // And it equals the unfused equation.
        let g = Graph()
        let v = inputs.map { g.constant($0) }
        let fused = g.value(g.memoryWrite(v[0], weighting: v[1], erase: v[2], add: v[3]))
        let plain = g.value(g.add(g.mul(v[0], g.oneMinus(g.outer(v[1], v[2]))), g.outer(v[1], v[3])))
        #expect(fused.maxAbsDifference(plain) < 1e-6)
    }
    @Test func memoryWriteOfSeveralHeadsBatched() {
        // Three heads, M = 11 (a block of 8 columns and a short one of 3), one weight of 1 against an erase
        // of 1 so that one head's erase factor is exactly 0 (the backward rule must not divide by it).
        var w0 = randomTensor([2, 4], 0, 1, seed: 70), e0 = randomTensor([2, 11], 0, 1, seed: 71)
        w0[0, 2] = 1
        e0[0, 5] = 1
        let inputs = [randomTensor([2, 4, 11], seed: 72), w0, e0, randomTensor([2, 11], seed: 73),
                      randomTensor([2, 4], 0, 1, seed: 74), randomTensor([2, 11], 0, 1, seed: 75), randomTensor([2, 11], seed: 76),
                      randomTensor([2, 4], 0, 1, seed: 77), randomTensor([2, 11], 0, 1, seed: 78), randomTensor([2, 11], seed: 79)]
        func write(_ g: Graph, _ v: [Var]) -> Var {
            g.memoryWrite(v[0], weightings: [v[1], v[4], v[7]], erases: [v[2], v[5], v[8]], adds: [v[3], v[6], v[9]])
        }
        checkGradients(inputs) { g, v in write(g, v) }
        // It is the paper's rule: erases multiply, adds sum, all against the same memory...
        let g = Graph()
        let v = inputs.map { g.constant($0) }
        var kept = g.oneMinus(g.outer(v[1], v[2])), added = g.outer(v[1], v[3])
        for h in 1..<3 {
            kept = g.mul(kept, g.oneMinus(g.outer(v[1 + 3 * h], v[2 + 3 * h])))
            added = g.add(added, g.outer(v[1 + 3 * h], v[3 + 3 * h]))
        }
        let fused = g.value(write(g, v))
        #expect(fused.maxAbsDifference(g.value(g.add(g.mul(v[0], kept), added))) < 1e-5)
        // ... which is not writing head after head (a later erase would remove an earlier add).
        var sequential = v[0]
        for h in 0..<3 { sequential = g.memoryWrite(sequential, weighting: v[1 + 3 * h], erase: v[2 + 3 * h], add: v[3 + 3 * h]) }
        #expect(fused.maxAbsDifference(g.value(sequential)) > 1e-2)
        // With one head it is the single-head node.
        let one = g.value(g.memoryWrite(v[0], weightings: [v[1]], erases: [v[2]], adds: [v[3]]))
        #expect(one.maxAbsDifference(g.value(g.memoryWrite(v[0], weighting: v[1], erase: v[2], add: v[3]))) < 1e-6)
    }
    @Test func outerProductBatched() {
        checkGradients([randomTensor([2, 3], seed: 49), randomTensor([2, 4], seed: 50)]) { g, v in g.outer(v[0], v[1]) }
    }
    @Test func binaryCrossEntropyWithLogitsAndWeights() {
        let targets = Tensor(shape: [2, 3], data: [1, 0, 1, 0, 0, 1])
        let weights = Tensor(shape: [2, 3], data: [1, 1, 0, 1, 1, 1])
        checkGradients([randomTensor([2, 3], -3, 3, seed: 51)]) { g, v in
            g.bceWithLogits(v[0], targets: g.constant(targets), weights: g.constant(weights))
        }
    }
    @Test func crossEntropyMeanAndSum() {
        let x = randomTensor([3, 4], -2, 2, seed: 52)
        checkGradients([x]) { g, v in g.crossEntropy(v[0], targets: [2, 0, 3]) }
        checkGradients([x]) { g, v in g.crossEntropy(v[0], targets: [1, 1, 3], reduction: .sum) }
    }
    @Test func huberQuadraticNearTheTargetAndLinearFarFromIt() {
        // Rows on both sides of δ = 1 (none at the kink, where the derivative jumps).
        let x = Tensor(shape: [5], data: [0.3, -2.5, 4.0, -0.6, 1.7])
        checkGradients([x]) { g, v in g.sum(g.mul(g.huber(v[0], targets: [0, 0, 1, 0.2, -1], delta: 1), g.constant(Tensor(shape: [5], data: [1, 2, 3, 4, 5])))) }
        let g = Graph()
        let h = g.value(g.huber(g.constant(x), targets: [0, 0, 1, 0.2, -1], delta: 1)).data
        #expect(abs(h[0] - 0.045) < 1e-6 && abs(h[1] - 2.0) < 1e-6 && abs(h[2] - 2.5) < 1e-6, "\(h)")
    }
    @Test func crossEntropyIgnoringPaddingTargets() {
        let x = randomTensor([4, 3], -2, 2, seed: 70)
        checkGradients([x]) { g, v in g.crossEntropy(v[0], targets: [2, -100, 0, 1], ignoreIndex: -100) }
        checkGradients([x]) { g, v in g.crossEntropy(v[0], targets: [2, 0, 0, 1], ignoreIndex: 0, reduction: .sum) }
        checkGradients([x]) { g, v in g.crossEntropy(v[0], targets: [2, -1, 0, 1], ignoreIndex: -1, reduction: .none) }
    }
    @Test func maskedSoftmaxWithBoolAndTensorMasks() {
        let x = randomTensor([2, 5], -2, 2, seed: 71)
        let keep = [true, true, false, true, false, false, true, true, true, true]
        checkGradients([x]) { g, v in g.maskedSoftmax(v[0], mask: keep) }
        checkGradients([x]) { g, v in g.maskedSoftmax(v[0], mask: Tensor(shape: [2, 5], data: keep.map { $0 ? 1 : 0 })) }
        checkGradients([randomTensor([3, 2], -2, 2, seed: 72)]) { g, v in
            g.maskedSoftmax(v[0], mask: [true, false, false, true, true, true], axis: 0)
        }
    }
    @Test func embeddingWithARepeatedId() {
        checkGradients([randomTensor([5, 3], seed: 73)]) { g, v in g.embedding(v[0], ids: [2, 0, 2, 4]) }
    }
    @Test func weightedBagsOfRepeatedIds() {
        let weights = randomTensor([6, 3], seed: 81).data
        checkGradients([randomTensor([5, 3], seed: 82)]) { g, v in
            g.weightedBags(v[0], ids: [2, 0, 2, 4, 1, 2], weights: weights, ends: [3, 3, 5, 6])
        }
    }
    @Test func batchedDotAndWeightedSum() {
        // H = 11 and N = 5 take the SIMD paths' tails as well as their blocks.
        checkGradients([randomTensor([2, 11], seed: 74), randomTensor([2, 5, 11], seed: 75)]) { g, v in g.batchedDot(v[0], v[1]) }
        checkGradients([randomTensor([2, 5], seed: 76), randomTensor([2, 5, 11], seed: 77)]) { g, v in g.weightedSum(v[0], v[1]) }
    }
    @Test func additiveAttentionScoresThroughBroadcastAddAndMatrixVector() {
        // v · tanh(W_q q + W_k k_i): [B, 1, A] + [B, N, A] broadcast, then [B, N, A] · [A] → [B, N].
        let inputs = [randomTensor([2, 1, 4], seed: 78), randomTensor([2, 3, 4], seed: 79), randomTensor([4], seed: 80)]
        checkGradients(inputs) { g, v in g.matmul(g.tanh(g.add(v[0], v[1])), v[2]) }
        checkGradients([randomTensor([2, 3, 9], seed: 81), randomTensor([9], seed: 82)]) { g, v in g.matmul(v[0], v[1]) }
    }
    @Test func linearLayerThroughItsParameters() {
        var rng = SeededRNG(seed: 53)
        let layer = Linear("l", inFeatures: 3, outFeatures: 4, rng: &rng)
        let x = randomTensor([2, 3], seed: 54)
        checkParameterGradients(layer.parameters) { g in g.tanh(layer(g, g.constant(x))) }
    }
    @Test func lstmCellThroughItsParametersOverThreeSteps() {
        var rng = SeededRNG(seed: 55)
        let cell = LSTMCell("c", inputSize: 3, hiddenSize: 4, rng: &rng)
        let xs = (0..<3).map { randomTensor([2, 3], seed: 56 + UInt64($0)) }
        checkParameterGradients(cell.parameters) { g in
            var h = g.constant(Shape(2, 4), repeating: 0), c = g.constant(Shape(2, 4), repeating: 0)
            for x in xs { (h, c) = cell(g, g.constant(x), h: h, c: c) }
            return g.concat([h, c], axis: 1)
        }
    }
    @Test func embeddingLayerThroughItsTable() {
        var rng = SeededRNG(seed: 83)
        let embed = Embedding("e", count: 4, dimension: 3, rng: &rng)
        checkParameterGradients(embed.parameters) { g in g.tanh(embed(g, ids: [3, 1, 3])) }
    }
    @Test func gruCellThroughItsParametersOverThreeSteps() {
        var rng = SeededRNG(seed: 60)
        let cell = GRUCell("r", inputSize: 3, hiddenSize: 4, rng: &rng)
        let xs = (0..<3).map { randomTensor([2, 3], seed: 61 + UInt64($0)) }
        checkParameterGradients(cell.parameters) { g in
            var h = g.constant(randomTensor([2, 4], seed: 64))
            for x in xs { h = cell(g, g.constant(x), h: h) }
            return h
        }
    }

    // MARK: Dynamic memory (the DNC's bookkeeping, Graph+DynamicMemory.swift)

    @Test func contentWeightingOfSeveralHeads() {
        // W = 11 takes the kernels' SIMD blocks and tails; W = 3 only tails.
        for (w, seed) in [(11, UInt64(90)), (3, UInt64(93))] {
            let inputs = [randomTensor([2, 5, w], seed: seed), randomTensor([2, 3, w], seed: seed + 1),
                          randomTensor([2, 3], 0.5, 3, seed: seed + 2)]
            checkGradients(inputs) { g, v in g.contentWeighting(v[0], keys: v[1], strengths: v[2]) }
        }
    }
    @Test func neuralPopFromEitherEnd() {
        // Strengths and amounts at least 0.05 from every kink (more than the step h): rows wholly popped,
        // one partly, and the rest untouched, at both ends (docs/models/neural-stack.md, eqs. (2), (5)).
        let s = Tensor(shape: [2, 4], data: [0.3, 0.6, 0.2, 0.4, 0.9, 0.05, 0.5, 0.35])
        let u = Tensor(shape: [2, 1], data: [0.75, 0.2])
        for end in StackEnd.allCases { checkGradients([s, u]) { g, v in g.neuralPop(v[0], amount: v[1], from: end) } }
    }
    @Test func neuralReadWeightsFromEitherEnd() {
        let s = Tensor(shape: [2, 4], data: [0.3, 0.6, 0.2, 0.4, 0.9, 0.05, 0.5, 0.35])
        for end in StackEnd.allCases { checkGradients([s]) { g, v in g.neuralReadWeights(v[0], from: end) } }
    }
    @Test func memoryUsageAfterWriteAndFrees() {
        let inputs = [randomTensor([2, 5], 0, 1, seed: 96), randomTensor([2, 5], 0, 1, seed: 97),
                      randomTensor([2, 3, 5], 0, 1, seed: 98), randomTensor([2, 3], 0, 1, seed: 99)]
        checkGradients(inputs) { g, v in g.memoryUsage(v[0], writeWeighting: v[1], readWeightings: v[2], freeGates: v[3]) }
    }
    @Test func allocationWeightingThroughTheSortedUsage() {
        // Usages at least 0.05 apart, more than twice the finite-difference step: no step reorders them.
        let usage = Tensor(shape: [2, 5], data: [0.9, 0.1, 0.5, 0.3, 0.7, 0.25, 0.85, 0.45, 0.05, 0.65])
        checkGradients([usage]) { g, v in g.allocationWeighting(v[0]) }
        checkGradients([usage]) { g, v in g.allocationWeighting(v[0], epsilon: 0) }
    }
    @Test func writeWeightingGatedBetweenAllocationAndContent() {
        let inputs = [randomTensor([2, 5], 0, 1, seed: 100), randomTensor([2, 5], 0, 1, seed: 101),
                      randomTensor([2, 1], 0, 1, seed: 102), randomTensor([2, 1], 0, 1, seed: 103)]
        checkGradients(inputs) { g, v in g.writeWeighting(allocation: v[0], content: v[1], allocationGate: v[2], writeGate: v[3]) }
    }
    @Test func temporalLinksAndPrecedence() {
        // N = 9 takes the SIMD block and its tail.
        let inputs = [randomTensor([2, 9, 9], 0, 0.3, seed: 104), randomTensor([2, 9], 0, 0.3, seed: 105),
                      randomTensor([2, 9], 0, 0.3, seed: 106)]
        checkGradients(inputs) { g, v in g.temporalLinks(v[0], precedence: v[1], writeWeighting: v[2]) }
        checkGradients(Array(inputs[1...])) { g, v in g.precedence(v[0], writeWeighting: v[1]) }
    }
    @Test func readModeMixOfThreeWeightings() {
        let inputs = [randomTensor([2, 2, 3], 0, 1, seed: 107), randomTensor([2, 2, 5], 0, 1, seed: 108),
                      randomTensor([2, 2, 5], 0, 1, seed: 109), randomTensor([2, 2, 5], 0, 1, seed: 110)]
        checkGradients(inputs) { g, v in g.readModeMix(modes: v[0], backward: v[1], content: v[2], forward: v[3]) }
    }
}
