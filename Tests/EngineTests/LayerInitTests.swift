import Engine
import Testing

/// Layers are created with PyTorch's parameter names, shapes and default initialisation (so checkpoints
/// map one to one onto `state_dict()` keys), and the same seed always gives the same weights.
@Suite struct LayerInitTests {
    @Test func linearHasPyTorchsNamesAndShapes() {
        var rng = SeededRNG(seed: 1)
        let x = Linear("x", inFeatures: 7, outFeatures: 3, rng: &rng)
        #expect(x.parameters.map(\.name) == ["x.weight", "x.bias"])
        #expect(x.weight.shape == Shape(3, 7))
        #expect(x.bias?.shape == Shape(3))
        #expect(x.inFeatures == 7 && x.outFeatures == 3)
        let noBias = Linear("head.out", inFeatures: 4, outFeatures: 2, bias: false, rng: &rng)
        #expect(noBias.parameters.map(\.name) == ["head.out.weight"])
        #expect(noBias.bias == nil)
    }

    @Test func lstmCellHasPyTorchsNamesAndShapes() {
        var rng = SeededRNG(seed: 2)
        let c = LSTMCell("c", inputSize: 5, hiddenSize: 6, rng: &rng)
        #expect(c.parameters.map(\.name) == ["c.weight_ih", "c.weight_hh", "c.bias_ih", "c.bias_hh"])
        #expect(c.parameters.map(\.shape) == [Shape(24, 5), Shape(24, 6), Shape(24), Shape(24)])
        #expect(c.inputSize == 5 && c.hiddenSize == 6)
    }

    @Test func gruCellHasPyTorchsNamesAndShapes() {
        var rng = SeededRNG(seed: 3)
        let c = GRUCell("g", inputSize: 5, hiddenSize: 6, rng: &rng)
        #expect(c.parameters.map(\.name) == ["g.weight_ih", "g.weight_hh", "g.bias_ih", "g.bias_hh"])
        #expect(c.parameters.map(\.shape) == [Shape(18, 5), Shape(18, 6), Shape(18), Shape(18)])
        #expect(c.inputSize == 5 && c.hiddenSize == 6)
    }

    @Test func embeddingHasPyTorchsNameAndShapeAndIsStandardNormal() {
        var rng = SeededRNG(seed: 6)
        let e = Embedding("decoder.embedding", count: 50, dimension: 40, rng: &rng)
        #expect(e.parameters.map(\.name) == ["decoder.embedding.weight"])
        #expect(e.weight.shape == Shape(50, 40))
        #expect(e.count == 50 && e.dimension == 40)
        // N(0, 1) as nn.Embedding, not a uniform bound: 2000 draws, mean and variance within 5 standard errors.
        let x = e.weight.tensor.data.map(Double.init)
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        #expect(abs(mean) < 5 / n.squareRoot(), "mean \(mean)")
        #expect(abs(variance - 1) < 5 * (2 / n).squareRoot(), "variance \(variance)")
        #expect(x.contains { abs($0) > 2.5 }, "a standard normal reaches past ±2.5 in 2000 draws")
    }

    @Test func gruCellTakesANameSuffixAsNNGRUNamesItsLayers() {
        var rng = SeededRNG(seed: 7)
        let c = GRUCell("encoder", suffix: "_l0_reverse", inputSize: 3, hiddenSize: 2, rng: &rng)
        #expect(c.parameters.map(\.name) == ["encoder.weight_ih_l0_reverse", "encoder.weight_hh_l0_reverse",
                                              "encoder.bias_ih_l0_reverse", "encoder.bias_hh_l0_reverse"])
    }

    @Test func linearIsUniformWithinOneOverRootOfItsInputs() {
        // in ≠ out, so a bound taken from the wrong side (1/√30 ≈ 0.18 instead of 1/√100 = 0.1) fails.
        var rng = SeededRNG(seed: 4)
        let x = Linear("x", inFeatures: 100, outFeatures: 30, rng: &rng)
        for p in x.parameters { checkUniform(p, bound: 0.1) }
    }

    @Test func recurrentCellsAreUniformWithinOneOverRootOfTheHiddenSize() {
        // PyTorch uses 1/√H for every tensor of a cell, inputs included: with in = 100 and H = 16 the
        // bound is 0.25, not 0.1.
        var rng = SeededRNG(seed: 5)
        let lstm = LSTMCell("c", inputSize: 100, hiddenSize: 16, rng: &rng)
        for p in lstm.parameters { checkUniform(p, bound: 0.25) }
        let gru = GRUCell("g", inputSize: 100, hiddenSize: 16, rng: &rng)
        for p in gru.parameters { checkUniform(p, bound: 0.25) }
    }

    @Test func sameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        func make(_ seed: UInt64) -> [Tensor] {
            var rng = SeededRNG(seed: seed)
            let l = Linear("l", inFeatures: 9, outFeatures: 4, rng: &rng)
            let c = LSTMCell("c", inputSize: 4, hiddenSize: 8, rng: &rng)
            let g = GRUCell("g", inputSize: 8, hiddenSize: 3, rng: &rng)
            return (l.parameters + c.parameters + g.parameters).map(\.tensor)
        }
        let a = make(77), b = make(77), c = make(78)
        #expect(a == b)
        for (x, y) in zip(a, c) { #expect(x != y, "seed 78 must not reproduce seed 77's \(x.shape) tensor") }
        // Consecutive layers from one generator are different draws, not copies.
        var rng = SeededRNG(seed: 79)
        let first = Linear("a", inFeatures: 5, outFeatures: 5, rng: &rng)
        let second = Linear("b", inFeatures: 5, outFeatures: 5, rng: &rng)
        #expect(first.weight.tensor != second.weight.tensor)
    }
}

/// Every element lies in [−bound, bound], the values reach close to both ends, and the spread is that of a
/// uniform distribution (variance bound²/3), which a normal or a narrower uniform init would miss.
private func checkUniform(_ p: Parameter, bound: Float, sourceLocation: SourceLocation = #_sourceLocation) {
    let x = p.tensor.data
    let inside = x.allSatisfy { abs($0) <= bound }
    #expect(inside, "\(p.name) has values outside ±\(bound): \(x.map { abs($0) }.max() ?? 0)", sourceLocation: sourceLocation)
    // An init narrower than ±0.6·bound always fails this; a correct one with n ≥ 30 draws fails with
    // probability below 0.8^30 ≈ 1e-3 per end, and the seeds here are fixed (and pass).
    let lo = x.min() ?? 0, hi = x.max() ?? 0
    #expect(hi > 0.6 * bound && lo < -0.6 * bound, "\(p.name) spans only [\(lo), \(hi)] of ±\(bound)",
            sourceLocation: sourceLocation)
    if x.count >= 1000 {
        let n = Double(x.count)
        let mean = x.reduce(0.0) { $0 + Double($1) } / n
        let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        let b2 = Double(bound) * Double(bound)
        // Standard error of the variance of U(−b, b): b²·√(4/45/n).
        let se = b2 * (4.0 / 45 / n).squareRoot()
        #expect(abs(variance - b2 / 3) < 5 * se, "\(p.name): variance \(variance), expected \(b2 / 3)",
                sourceLocation: sourceLocation)
        #expect(abs(mean) < 5 * (b2 / 3 / n).squareRoot(), "\(p.name): mean \(mean)", sourceLocation: sourceLocation)
    }
}
