import Engine
import Testing

// Shared by the test targets (EngineTests, ModelsTests): finite-difference gradient checks.

/// Checks the gradient of every input of `f` against central finite differences.
///
/// The scalar checked is L = Σ f(x) ⊙ r for a fixed random r, so every output element's gradient
/// matters with its own weight (a plain sum would hide errors that cancel). Each analytic derivative
/// must satisfy |a − n| ≤ atol + rtol · max(|a|, |n|); a wrong sign, a missing term or a factor of 2
/// fails this by a wide margin, while Float rounding with h = 1e-2 stays well inside it.
public func checkGradients(_ inputs: [Tensor], h: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 1e-2,
                    seed: UInt64 = 99, sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: (Graph, [Var]) -> Var) {
    var rng = SeededRNG(seed: seed)
    // Analytic gradients.
    let g = Graph(recording: true)
    let vars = inputs.map { g.variable($0) }
    let y = f(g, vars)
    let r = rng.uniformTensor(g.shape(y).dims, -1, 1)
    let loss = g.sum(g.mul(y, g.constant(r)))
    g.backward(loss)
    let analytic = vars.map { g.grad($0) }

    func lossValue(_ xs: [Tensor]) -> Float {
        let g = Graph()
        let y = f(g, xs.map { g.constant($0) })
        return g.scalar(g.sum(g.mul(y, g.constant(r))))
    }

    var worst: (Float, String) = (0, "")
    for (k, x) in inputs.enumerated() {
        for i in 0..<x.count {
            var plus = inputs, minus = inputs
            plus[k].data[i] += h
            minus[k].data[i] -= h
            let numeric = (lossValue(plus) - lossValue(minus)) / (2 * h)
            let a = analytic[k].data[i]
            let excess = abs(a - numeric) / (atol + rtol * max(abs(a), abs(numeric)))
            if excess > worst.0 { worst = (excess, "input \(k) element \(i): analytic \(a), numeric \(numeric)") }
        }
    }
    #expect(worst.0 <= 1, "gradient mismatch at \(worst.1) (error \(worst.0)× the tolerance)", sourceLocation: sourceLocation)
}

/// Uniform random tensor for tests.
public func randomTensor(_ shape: [Int], _ low: Float = -1, _ high: Float = 1, seed: UInt64) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return rng.uniformTensor(shape, low, high)
}

/// Checks the gradients that `f` accumulates into parameters against central finite differences of their
/// values (same loss and tolerance as `checkGradients`). Whole layers and whole model episodes use this.
public func checkParameterGradients(_ parameters: [Parameter], h: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 1e-2,
                             seed: UInt64 = 99, sourceLocation: SourceLocation = #_sourceLocation,
                             _ f: (Graph) -> Var) {
    var rng = SeededRNG(seed: seed)
    parameters.zeroGrad()
    let g = Graph(recording: true)
    let y = f(g)
    let r = rng.uniformTensor(g.shape(y).dims, -1, 1)
    g.backward(g.sum(g.mul(y, g.constant(r))))
    let analytic = parameters.map { $0.gradTensor }

    func lossValue() -> Float {
        let g = Graph()
        return g.scalar(g.sum(g.mul(f(g), g.constant(r))))
    }

    var worst: (Float, String) = (0, "")
    for (k, p) in parameters.enumerated() {
        for i in 0..<p.count {
            let saved = p.value[i]
            p.value[i] = saved + h
            let lp = lossValue()
            p.value[i] = saved - h
            let lm = lossValue()
            p.value[i] = saved
            let numeric = (lp - lm) / (2 * h)
            let a = analytic[k].data[i]
            let excess = abs(a - numeric) / (atol + rtol * max(abs(a), abs(numeric)))
            if excess > worst.0 { worst = (excess, "\(p.name)[\(i)]: analytic \(a), numeric \(numeric)") }
        }
    }
    parameters.zeroGrad()
    #expect(worst.0 <= 1, "gradient mismatch at \(worst.1) (error \(worst.0)× the tolerance)", sourceLocation: sourceLocation)
}
