/// A trainable tensor with its gradient, both in storage of their own that lives as long as the parameter.
///
/// A `Graph` reads the value in place (no copy per step) and, when recording, accumulates into `grad`
/// during `backward()` (or into a graph-private buffer, see `Graph.init(recording:privateGradients:)`).
/// Gradients accumulate until `zeroGrad()`.
public final class Parameter: @unchecked Sendable {
    /// The name in checkpoints, following PyTorch's (e.g. `controller.weight_ih`).
    public let name: String
    public let shape: Shape
    public let count: Int
    public let value: UnsafeMutablePointer<Float>
    public let grad: UnsafeMutablePointer<Float>

    public init(_ name: String, _ tensor: Tensor) {
        self.name = name
        shape = Shape(tensor.shape)
        count = tensor.count
        value = .allocate(capacity: max(count, 1))
        grad = .allocate(capacity: max(count, 1))
        tensor.data.withUnsafeBufferPointer { value.initialize(from: $0.baseAddress!, count: count) }
        grad.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        value.deallocate()
        grad.deallocate()
    }

    /// A copy of the value; setting it copies in (the shape must match).
    public var tensor: Tensor {
        get { Tensor(shape: shape.dims, data: Array(UnsafeBufferPointer(start: value, count: count))) }
        set {
            precondition(newValue.shape == shape.dims, "parameter \(name) has shape \(shape), got \(newValue.shape)")
            newValue.data.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// A copy of the accumulated gradient.
    public var gradTensor: Tensor {
        Tensor(shape: shape.dims, data: Array(UnsafeBufferPointer(start: grad, count: count)))
    }

    public func zeroGrad() { grad.update(repeating: 0, count: count) }
}

extension Array where Element == Parameter {
    public func zeroGrad() { for p in self { p.zeroGrad() } }

    /// Global L2 norm of all gradients.
    public func gradNorm() -> Float {
        // Float SIMD sums per parameter (exact enough: ≤ 10⁵ terms), added up in Double.
        var s: Double = 0
        for p in self { s += Double(Kernels.dot(p.grad, p.grad, p.count)) }
        return Float(s.squareRoot())
    }

    /// Scales all gradients so that their global L2 norm is at most `maxNorm` (as PyTorch's
    /// `clip_grad_norm_`, which scales by `maxNorm / (norm + 1e-6)` when that is below 1); returns the norm
    /// before clipping.
    @discardableResult
    public func clipGradNorm(_ maxNorm: Float) -> Float {
        let norm = gradNorm()
        let scale = maxNorm / (norm + 1e-6)
        if scale < 1 { for p in self { for i in 0..<p.count { p.grad[i] *= scale } } }
        return norm
    }

    /// Clamps every gradient element to [-limit, limit] (PyTorch's `clip_grad_value_`).
    public func clipGradValue(_ limit: Float) {
        let lo = F8(repeating: -limit), hi = F8(repeating: limit)
        for p in self {
            var i = 0
            while i + 8 <= p.count {
                store8(pointwiseMin(pointwiseMax(load8(p.grad + i), lo), hi), p.grad + i)
                i += 8
            }
            while i < p.count { p.grad[i] = Swift.min(Swift.max(p.grad[i], -limit), limit); i += 1 }
        }
    }
}
