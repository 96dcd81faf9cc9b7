import Engine
import Testing

/// `state()` / `load(state:)` of every optimiser: a run interrupted after one step and resumed in a new
/// optimiser from the saved state ends bit for bit where the uninterrupted run does, and incomplete state
/// is refused with an `ArnnError` that names the missing or malformed entry.
@Suite struct OptimizerStateTests {
    /// Optimisers configured so that every slot they have is in use.
    enum Kind: String, CaseIterable, CustomStringConvertible, Sendable {
        case sgdMomentum, sgdNesterov, rmsprop, rmspropCenteredMomentum, adam, adamWeightDecay

        var description: String { rawValue }

        func make(_ p: [Parameter]) -> any Optimizer {
            switch self {
            case .sgdMomentum: SGD(p, learningRate: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01)
            case .sgdNesterov: SGD(p, learningRate: 0.1, momentum: 0.8, nesterov: true)
            case .rmsprop: RMSprop(p, learningRate: 0.01)
            case .rmspropCenteredMomentum: RMSprop(p, learningRate: 0.01, alpha: 0.9, momentum: 0.5, centered: true)
            case .adam: Adam(p, learningRate: 0.05)
            case .adamWeightDecay: Adam(p, learningRate: 0.05, beta1: 0.8, beta2: 0.95, weightDecay: 0.1)
            }
        }

        /// The per-parameter slots `state()` must contain, as PyTorch names them.
        var slots: [String] {
            switch self {
            case .sgdMomentum, .sgdNesterov: ["momentum_buffer"]
            case .rmsprop, .rmspropCenteredMomentum: ["square_avg", "grad_avg", "momentum_buffer"]
            case .adam, .adamWeightDecay: ["exp_avg", "exp_avg_sq"]
            }
        }

        /// The optimiser-wide entry that says how far the run has got.
        var counter: String? {
            switch self {
            case .sgdMomentum, .sgdNesterov: "sgd.started"
            case .rmsprop, .rmspropCenteredMomentum: nil
            case .adam, .adamWeightDecay: "adam.step"
            }
        }
    }

    @Test(arguments: Kind.allCases)
    func savedStateResumesBitForBit(kind: Kind) throws {
        let straight = makeParameters()
        let opt = kind.make(straight)
        for _ in 0..<3 { step(opt) }

        let resumed = makeParameters()
        let before = kind.make(resumed)
        step(before)
        let state = before.state()
        let after = kind.make(resumed)
        try after.load(state: state)
        for _ in 0..<2 { step(after) }

        for (a, b) in zip(straight, resumed) {
            #expect(a.tensor.data.map(\.bitPattern) == b.tensor.data.map(\.bitPattern), "\(kind): \(a.name) differs after resuming")
        }

        // Without the state the same two steps end elsewhere, so the comparison above means something.
        let fresh = makeParameters()
        let first = kind.make(fresh)
        step(first)
        let restarted = kind.make(fresh)
        for _ in 0..<2 { step(restarted) }
        #expect(zip(straight, fresh).contains { $0.tensor != $1.tensor }, "\(kind): state made no difference")
    }

    @Test(arguments: Kind.allCases)
    func stateHoldsEverySlotUnderPyTorchsNames(kind: Kind) {
        let p = makeParameters()
        let opt = kind.make(p)
        step(opt)
        let state = opt.state()
        for param in p {
            for slot in kind.slots {
                let t = state["\(param.name).\(slot)"]
                #expect(t?.shape == param.shape.dims, "\(kind): \(param.name).\(slot) has shape \(String(describing: t?.shape))")
            }
        }
        if let counter = kind.counter { #expect(state[counter] == Tensor(scalar: 1), "\(kind): \(counter)") }
        #expect(state.count == p.count * kind.slots.count + (kind.counter == nil ? 0 : 1))
    }

    @Test(arguments: Kind.allCases)
    func loadingStateWithAMissingEntryThrowsNamingIt(kind: Kind) {
        let p = makeParameters()
        let opt = kind.make(p)
        step(opt)
        let state = opt.state()
        for key in state.keys.sorted() {
            var damaged = state
            damaged[key] = nil
            let error = #expect(throws: ArnnError.self, "\(kind) without \(key)") {
                try kind.make(makeParameters()).load(state: damaged)
            }
            #expect(error?.message.contains("\"\(key)\"") == true, "\(kind): message \"\(error?.message ?? "")\" should name \(key)")
        }
    }

    @Test(arguments: Kind.allCases)
    func loadingStateWithAWrongSizeThrowsNamingTheEntry(kind: Kind) {
        let p = makeParameters()
        let opt = kind.make(p)
        step(opt)
        let state = opt.state()
        for key in state.keys.sorted() {
            var damaged = state
            let t = state[key]!
            damaged[key] = Tensor(shape: [t.count + 1], repeating: 0.5)
            let error = #expect(throws: ArnnError.self, "\(kind) with \(key) of \(t.count + 1) elements") {
                try kind.make(makeParameters()).load(state: damaged)
            }
            #expect(error?.message.contains("\"\(key)\"") == true, "\(kind): message \"\(error?.message ?? "")\" should name \(key)")
        }
    }
}

/// Two parameters with fixed, distinct values (a matrix and a vector, as a layer has).
private func makeParameters() -> [Parameter] {
    var rng = SeededRNG(seed: 31)
    return [Parameter("l.weight", rng.uniformTensor([3, 4], -1, 1)), Parameter("l.bias", rng.uniformTensor([4], -1, 1))]
}

/// One optimiser step on the gradient of a quadratic, g = 0.6·p − t with t fixed per element, so every
/// gradient depends on where the earlier steps took the parameters.
private func step(_ opt: any Optimizer) {
    for p in opt.parameters {
        for i in 0..<p.count { p.grad[i] = 0.6 * p.value[i] - 0.05 * Float(i % 5) + 0.1 }
    }
    opt.step()
    opt.zeroGrad()
}
