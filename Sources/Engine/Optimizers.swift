import Foundation

/// An update rule over a fixed list of parameters, following PyTorch's `torch.optim` to the letter
/// (single-tensor code path; `foreach` and `fused` variants compute the same).
public protocol Optimizer: AnyObject {
    var parameters: [Parameter] { get }
    var learningRate: Float { get set }
    /// Applies one update from the accumulated gradients (it does not zero them).
    func step()
    /// The optimiser's state, named `<parameter name>.<slot>`, for checkpoints that can resume.
    func state() -> [String: Tensor]
    /// Restores state written by `state()`; throws when a slot or the step count is missing or has the
    /// wrong size.
    func load(state: [String: Tensor]) throws
}

extension Optimizer {
    public func zeroGrad() { parameters.zeroGrad() }
}

/// Per-parameter buffers (momentum, averages) of an optimiser, saved and restored by name. Each buffer is
/// storage of its own, so an update loop can hold several at once without exclusivity conflicts.
final class Slots {
    let names: [String]
    let counts: [Int]
    let buffers: [[UnsafeMutablePointer<Float>]]   // [slot][parameter]

    init(_ names: [String], _ parameters: [Parameter]) {
        self.names = names
        counts = parameters.map(\.count)
        buffers = names.map { _ in
            parameters.map { p in
                let b = UnsafeMutablePointer<Float>.allocate(capacity: max(p.count, 1))
                b.initialize(repeating: 0, count: max(p.count, 1))
                return b
            }
        }
    }

    deinit { for slot in buffers { for b in slot { b.deallocate() } } }

    func state(_ parameters: [Parameter], extra: [String: Tensor] = [:]) -> [String: Tensor] {
        var out = extra
        for (s, name) in names.enumerated() {
            for (i, p) in parameters.enumerated() {
                out["\(p.name).\(name)"] = Tensor(shape: p.shape.dims,
                                                 data: Array(UnsafeBufferPointer(start: buffers[s][i], count: p.count)))
            }
        }
        return out
    }

    func load(_ state: [String: Tensor], _ parameters: [Parameter]) throws {
        for (s, name) in names.enumerated() {
            for (i, p) in parameters.enumerated() {
                let key = "\(p.name).\(name)"
                guard let t = state[key] else { throw ArnnError("optimiser state: missing \"\(key)\"") }
                guard t.count == p.count else {
                    throw ArnnError("optimiser state: \"\(key)\" has \(t.count) elements, expected \(p.count)")
                }
                t.data.withUnsafeBufferPointer { buffers[s][i].update(from: $0.baseAddress!, count: p.count) }
            }
        }
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float, dampening: Float, nesterov: Bool, weightDecay: Float
    private let slots: Slots
    private var started = false

    public init(_ parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum; self.dampening = dampening; self.nesterov = nesterov; self.weightDecay = weightDecay
        slots = Slots(["momentum_buffer"], parameters)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            for i in 0..<p.count {
                var d = p.grad[i] + weightDecay * p.value[i]
                if momentum != 0 {
                    let b = started ? momentum * slots.buffers[0][k][i] + (1 - dampening) * d : d
                    slots.buffers[0][k][i] = b
                    d = nesterov ? d + momentum * b : b
                }
                p.value[i] -= learningRate * d
            }
        }
        started = true
    }

    public func state() -> [String: Tensor] {
        slots.state(parameters, extra: ["sgd.started": Tensor(scalar: started ? 1 : 0)])
    }

    public func load(state: [String: Tensor]) throws {
        try slots.load(state, parameters)
        started = try counter(state, "sgd.started") != 0
    }
}

/// RMSprop as PyTorch defines it: v ← αv + (1−α)g²; with `centered`, ḡ ← αḡ + (1−α)g and the denominator
/// is √(v − ḡ²) + ε, else √v + ε; with momentum, b ← μb + g/denominator and p ← p − lr·b.
public final class RMSprop: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let alpha: Float, eps: Float, momentum: Float, centered: Bool, weightDecay: Float
    private let slots: Slots

    public init(_ parameters: [Parameter], learningRate: Float = 1e-2, alpha: Float = 0.99, eps: Float = 1e-8,
                momentum: Float = 0, centered: Bool = false, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha; self.eps = eps; self.momentum = momentum; self.centered = centered
        self.weightDecay = weightDecay
        slots = Slots(["square_avg", "grad_avg", "momentum_buffer"], parameters)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            let v = slots.buffers[0][k], gAvg = slots.buffers[1][k], buf = slots.buffers[2][k]
            var i = 0
            // The common case (not centered, with momentum, no weight decay) in SIMD: the same arithmetic,
            // eight parameters at a time. It is the whole cost of an optimiser step at batch 1.
            if !centered && momentum > 0 && weightDecay == 0 {
                let a = F8(repeating: alpha), oneMinusA = F8(repeating: 1 - alpha), e = F8(repeating: eps)
                let mu = F8(repeating: momentum), lr = F8(repeating: learningRate)
                while i + 8 <= p.count {
                    let g = load8(p.grad + i)
                    let sq = a * load8(v + i) + oneMinusA * g * g
                    store8(sq, v + i)
                    let b = mu * load8(buf + i) + g / (sq.squareRoot() + e)
                    store8(b, buf + i)
                    store8(load8(p.value + i) - lr * b, p.value + i)
                    i += 8
                }
            }
            while i < p.count {
                let g = p.grad[i] + weightDecay * p.value[i]
                v[i] = alpha * v[i] + (1 - alpha) * g * g
                var avg: Float
                if centered {
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g
                    avg = (v[i] - gAvg[i] * gAvg[i]).squareRoot() + eps
                } else {
                    avg = v[i].squareRoot() + eps
                }
                if momentum > 0 {
                    buf[i] = momentum * buf[i] + g / avg
                    p.value[i] -= learningRate * buf[i]
                } else {
                    p.value[i] -= learningRate * g / avg
                }
                i += 1
            }
        }
    }

    public func state() -> [String: Tensor] { slots.state(parameters) }
    public func load(state: [String: Tensor]) throws { try slots.load(state, parameters) }
}

/// Adam as PyTorch defines it (L2 weight decay added to the gradient, not AdamW):
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    public private(set) var stepCount = 0
    private let slots: Slots

    public init(_ parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        slots = Slots(["exp_avg", "exp_avg_sq"], parameters)
    }

    public func step() {
        stepCount += 1
        let bc1 = 1 - _pow(beta1, stepCount), bc2 = 1 - _pow(beta2, stepCount)
        let stepSize = learningRate / bc1, bc2Sqrt = bc2.squareRoot()
        for (k, p) in parameters.enumerated() {
            let m = slots.buffers[0][k], v = slots.buffers[1][k]
            for i in 0..<p.count {
                let g = p.grad[i] + weightDecay * p.value[i]
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                p.value[i] -= stepSize * m[i] / (v[i].squareRoot() / bc2Sqrt + eps)
            }
        }
    }

    public func state() -> [String: Tensor] {
        slots.state(parameters, extra: ["adam.step": Tensor(scalar: Float(stepCount))])
    }

    public func load(state: [String: Tensor]) throws {
        try slots.load(state, parameters)
        stepCount = Int(try counter(state, "adam.step"))
    }
}

/// The one-element entry `key` of an optimiser's state. Required, like the slots: reading a missing step
/// count as 0 would resume Adam with its bias correction restarted (a first step up to 1/(1−β₁) = 10×
/// too large) and SGD with its momentum thrown away, without a word.
private func counter(_ state: [String: Tensor], _ key: String) throws -> Float {
    guard let t = state[key] else { throw ArnnError("optimiser state: missing \"\(key)\"") }
    guard t.count == 1 else { throw ArnnError("optimiser state: \"\(key)\" has \(t.count) elements, expected 1") }
    return t.data[0]
}

/// bⁿ in Double, as PyTorch computes its bias corrections (Python floats), rounded to Float.
private func _pow(_ b: Float, _ n: Int) -> Float { Float(Foundation.pow(Double(b), Double(n))) }

extension Checkpoint {
    /// Tensors under this prefix are an optimiser's state (`optimizer.<parameter>.<slot>`), which models
    /// ignore when loading.
    public static let optimizerPrefix = "optimizer."
}
