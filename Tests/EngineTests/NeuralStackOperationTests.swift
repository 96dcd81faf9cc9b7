import Engine
import Testing

/// The continuous stack's strength arithmetic by hand (docs/models/neural-stack.md): Grefenstette et al.'s
/// worked example, queues popping from the bottom, and the footnote's rule at max and min ties.
@Suite struct NeuralStackOperationTests {
    func values(_ g: Graph, _ v: Var) -> [Float] { g.value(v).data }

    /// One step on strengths s (oldest first): pop u from `end`, push d on top; returns the strengths and
    /// the read weights from `end`.
    func step(_ s: [Float], pop u: Float, push d: Float, end: StackEnd) -> (strengths: [Float], weights: [Float]) {
        let g = Graph(recording: false)
        let popped = g.neuralPop(g.constant(Tensor(shape: [1, s.count], data: s)), amount: g.constant(Tensor(shape: [1, 1], data: [u])), from: end)
        let pushed = g.concat([popped, g.constant(Tensor(shape: [1, 1], data: [d]))], axis: 1)
        return (values(g, pushed), values(g, g.neuralReadWeights(pushed, from: end)))
    }

    func expectClose(_ a: [Float], _ b: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6, "\(a) ≠ \(b)", sourceLocation: sourceLocation) }
    }

    @Test func pushOneThenPopHalfLeavesHalf() {
        let (s1, _) = step([], pop: 0, push: 1, end: .top)
        let (s2, _) = step(s1, pop: 0.5, push: 0, end: .top)
        expectClose(s2, [0.5, 0])
    }

    @Test func theStackOfThePapersFigure() {
        // Push 0.8; pop 0.1 and push 0.5; pop 0.9 and push 0.9.
        let (s1, w1) = step([], pop: 0, push: 0.8, end: .top)
        expectClose(s1, [0.8]); expectClose(w1, [0.8])
        let (s2, w2) = step(s1, pop: 0.1, push: 0.5, end: .top)
        expectClose(s2, [0.7, 0.5]); expectClose(w2, [0.5, 0.5])
        let (s3, w3) = step(s2, pop: 0.9, push: 0.9, end: .top)
        expectClose(s3, [0.3, 0, 0.9]); expectClose(w3, [0.1, 0, 0.9])
    }

    @Test func aQueuePopsAndReadsTheOldestRows() {
        let (s2, _) = step([0.8], pop: 0.1, push: 0.5, end: .bottom)
        expectClose(s2, [0.7, 0.5])
        let (s3, w3) = step(s2, pop: 0.9, push: 0.9, end: .bottom)
        // The oldest 0.7 goes wholly, then 0.2 of the 0.5; the read takes 0.3 then 0.7 of the new row.
        expectClose(s3, [0, 0.3, 0.9]); expectClose(w3, [0, 0.3, 0.7])
    }

    @Test func aPopLargerThanTheStackEmptiesItAndNoMore() {
        let (s, w) = step([0.4, 0.3], pop: 2, push: 0, end: .top)
        expectClose(s, [0, 0, 0]); expectClose(w, [0, 0, 0])
    }

    /// The gradient of sum(f · r) with respect to the strengths, for a seed gradient r.
    func strengthGradient(_ s: [Float], _ r: [Float], _ f: (Graph, Var) -> Var) -> [Float] {
        let g = Graph(recording: true)
        let x = g.variable(Tensor(shape: [1, s.count], data: s))
        g.backward(g.sum(g.mul(f(g, x), g.constant(Tensor(shape: [1, r.count], data: r)))))
        return g.grad(x).data
    }

    @Test func atAMinTieTheReadWeightFollowsItsOwnStrength() {
        // s = [0.5, 0.5]: the lower row's weight is min(0.5, 1 − 0.5), a tie; footnote 1 takes the left
        // argument, so w₀ moves with s₀ alone and not with the row above it.
        expectClose(strengthGradient([0.5, 0.5], [1, 0]) { g, x in g.neuralReadWeights(x, from: .top) }, [1, 0])
        // Off the tie (s₀ = 0.6 > 0.5), w₀ = 1 − s₁ moves with the row above only.
        expectClose(strengthGradient([0.6, 0.5], [1, 0]) { g, x in g.neuralReadWeights(x, from: .top) }, [0, -1])
    }

    @Test func atAMaxTieAPoppedRowPassesNoGradient() {
        // A pop of exactly the top row's strength leaves max(0, 0.5 − 0.5): a tie at 0, whose left
        // argument (the constant 0) passes nothing.
        let g = Graph(recording: true)
        let s = g.variable(Tensor(shape: [1, 2], data: [0.3, 0.5]))
        let u = g.variable(Tensor(shape: [1, 1], data: [0.5]))
        g.backward(g.sum(g.mul(g.neuralPop(s, amount: u, from: .top), g.constant(Tensor(shape: [1, 2], data: [1, 1])))))
        // Row 0: a = 0.5 − 0.5 = 0 is also a tie of max(0, a): nothing is taken from it and no gradient
        // reaches u through it; row 1 is at x = 0.
        expectClose(g.grad(s).data, [1, 0])
        expectClose(g.grad(u).data, [0])
    }
}
