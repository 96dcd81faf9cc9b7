/// A handle to a value computed in a `Graph`. Only meaningful for the graph that made it.
public struct Var: Hashable, Sendable {
    public let id: Int
}

/// The reverse-mode autodiff tape, and the place every operation computes.
///
/// Each operation allocates its output in the graph's arena and, when the graph is recording and any input
/// needs a gradient, appends the closure that pushes the output's gradient back to its inputs (written next
/// to the forward, in the `Graph+*.swift` files). `backward(_:)` runs those closures in reverse order.
/// A non-recording graph (the viewer's) keeps no closures and no gradient storage.
///
/// One model implementation serves both: a step function takes a `Graph` and calls its operations.
/// `reset()` forgets every node but keeps the arena, so the next sequence reuses the same memory.
public final class Graph {
    public let recording: Bool

    struct Node {
        let value: UnsafeMutablePointer<Float>
        /// nil when no gradient flows to this node (constants, and everything in a non-recording graph).
        let grad: UnsafeMutablePointer<Float>?
        let shape: Shape
    }

    var nodes: [Node] = []
    private var backwards: [() -> Void] = []
    private let arena: Arena
    private let privateGradients: Bool
    private var privateGrads: [ObjectIdentifier: (param: Parameter, grad: UnsafeMutablePointer<Float>)] = [:]

    /// - Parameters:
    ///   - recording: keep a tape so that `backward(_:)` can run.
    ///   - privateGradients: accumulate parameter gradients in buffers of this graph instead of the
    ///     parameters' own, so several graphs can run backward on different threads; add them to the
    ///     parameters with `flushGradients()`.
    public init(recording: Bool = false, privateGradients: Bool = false) {
        self.recording = recording
        self.privateGradients = privateGradients
        arena = Arena(withGradients: recording)
        nodes.reserveCapacity(1024)
        if recording { backwards.reserveCapacity(1024) }
    }

    deinit {
        for (_, entry) in privateGrads { entry.grad.deallocate() }
    }

    /// Forgets every node and the tape; the arena's memory is kept for reuse.
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        backwards.removeAll(keepingCapacity: true)
        arena.reset()
    }

    /// Number of nodes made since the last reset.
    public var nodeCount: Int { nodes.count }

    // MARK: Leaves

    /// A value that receives no gradient (an input, a target, a fixed initial state).
    public func constant(_ t: Tensor) -> Var {
        let v = makeNode(Shape(t.shape), needsGrad: false)
        t.data.withUnsafeBufferPointer { nodes[v.id].value.update(from: $0.baseAddress!, count: t.count) }
        return v
    }

    /// A constant filled with one value.
    public func constant(_ shape: Shape, repeating x: Float) -> Var {
        let v = makeNode(shape, needsGrad: false)
        nodes[v.id].value.update(repeating: x, count: shape.count)
        return v
    }

    /// A leaf that receives a gradient (read it with `grad(_:)` after `backward`).
    public func variable(_ t: Tensor) -> Var {
        let v = makeNode(Shape(t.shape), needsGrad: true)
        t.data.withUnsafeBufferPointer { nodes[v.id].value.update(from: $0.baseAddress!, count: t.count) }
        return v
    }

    /// A parameter, read in place; its gradient accumulates into `p.grad` (or this graph's private buffer).
    public func param(_ p: Parameter) -> Var {
        var grad: UnsafeMutablePointer<Float>? = nil
        if recording {
            if privateGradients {
                let key = ObjectIdentifier(p)
                if let entry = privateGrads[key] {
                    grad = entry.grad
                } else {
                    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(p.count, 1))
                    buffer.initialize(repeating: 0, count: max(p.count, 1))
                    privateGrads[key] = (p, buffer)
                    grad = buffer
                }
            } else {
                grad = p.grad
            }
        }
        nodes.append(Node(value: p.value, grad: grad, shape: p.shape))
        return Var(id: nodes.count - 1)
    }

    /// Adds the private parameter gradients into the parameters' own and zeroes them.
    public func flushGradients() {
        for (_, entry) in privateGrads {
            let p = entry.param
            for i in 0..<p.count { p.grad[i] += entry.grad[i] }
            entry.grad.update(repeating: 0, count: p.count)
        }
    }

    // MARK: Reading

    public func shape(_ v: Var) -> Shape { nodes[v.id].shape }

    /// A copy of the value.
    public func value(_ v: Var) -> Tensor {
        let n = nodes[v.id]
        return Tensor(shape: n.shape.dims, data: Array(UnsafeBufferPointer(start: n.value, count: n.shape.count)))
    }

    /// The single element of a one-element value.
    public func scalar(_ v: Var) -> Float {
        precondition(nodes[v.id].shape.count == 1, "scalar(_:) of a value with shape \(nodes[v.id].shape)")
        return nodes[v.id].value[0]
    }

    /// A copy of the gradient (zeros when none flows to this node).
    public func grad(_ v: Var) -> Tensor {
        let n = nodes[v.id]
        guard let g = n.grad else { return Tensor(shape: n.shape.dims) }
        return Tensor(shape: n.shape.dims, data: Array(UnsafeBufferPointer(start: g, count: n.shape.count)))
    }

    /// Reads the value in place without copying.
    public func withValue<R>(_ v: Var, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let n = nodes[v.id]
        return try body(UnsafeBufferPointer(start: n.value, count: n.shape.count))
    }

    /// Whether a gradient flows to this node.
    public func needsGrad(_ v: Var) -> Bool { nodes[v.id].grad != nil }

    // MARK: Backward

    /// Back-propagates from a one-element value: its gradient is set to 1 and every recorded rule runs in
    /// reverse order. Parameter gradients accumulate across calls; node gradients start at zero.
    public func backward(_ loss: Var) {
        precondition(recording, "backward(_:) on a graph that does not record")
        let n = nodes[loss.id]
        precondition(n.shape.count == 1, "backward(_:) needs a one-element loss, got shape \(n.shape)")
        guard let g = n.grad else { return }
        g[0] += 1
        for rule in backwards.reversed() { rule() }
    }

    // MARK: Building blocks for operations

    /// A new node of the given shape; it gets gradient storage when recording and `needsGrad`.
    func makeNode(_ shape: Shape, needsGrad: Bool) -> Var {
        let wantGrad = recording && needsGrad
        if !recording {
            let (v, _) = arena.allocate(shape.count)
            nodes.append(Node(value: v, grad: nil, shape: shape))
        } else {
            // Only a gradient that will be used needs zeroing (it is most of the cost of an allocation).
            let (v, g) = arena.allocate(shape.count, zeroGradient: wantGrad)
            nodes.append(Node(value: v, grad: wantGrad ? g : nil, shape: shape))
        }
        return Var(id: nodes.count - 1)
    }

    /// A node that shares the storage (value and gradient) of another under a new shape.
    func makeView(of base: Var, shape: Shape, offset: Int = 0) -> Var {
        let b = nodes[base.id]
        nodes.append(Node(value: b.value + offset, grad: b.grad.map { $0 + offset }, shape: shape))
        return Var(id: nodes.count - 1)
    }

    /// Records a backward rule; call only when the output needs a gradient.
    @inline(__always)
    func record(_ rule: @escaping () -> Void) { backwards.append(rule) }

    @inline(__always) func node(_ v: Var) -> Node { nodes[v.id] }
}
