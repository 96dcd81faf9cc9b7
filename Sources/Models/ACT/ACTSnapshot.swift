import Engine

/// Everything a view may draw about one input step of the ACT model, for one example: plain values, no
/// graph. Equation numbers refer to docs/models/act.md. Every per-sub-step array has N entries (n = 1 …
/// N, this example's own sub-steps); `subSteps` stays empty, since these arrays already hold them.
public struct ACTSnapshot: StepSnapshot, Equatable {
    /// h^n, eq. (3).
    public var halting: [Float]
    /// The cumulative budget Σ_{n'≤n} h^{n'}, eq. (4).
    public var cumulative: [Float]
    /// p^n, the weights of the means, eq. (6); they sum to 1.
    public var weights: [Float]
    /// s^n and y^n (logits), eqs. (1), (2).
    public var subStates: [[Float]]
    public var subLogits: [[Float]]
    /// N, R and ρ = N + R, eqs. (4), (5), (8).
    public var steps: Int
    public var remainder: Float
    public var ponder: Float
    /// s_t and y_t, eq. (7).
    public var state: [Float]
    public var logits: [Float]
    /// σ(y_t): the output the task is scored on.
    public var output: [Float]

    public init(halting: [Float], cumulative: [Float], weights: [Float], subStates: [[Float]],
                subLogits: [[Float]], steps: Int, remainder: Float, ponder: Float, state: [Float],
                logits: [Float], output: [Float]) {
        self.halting = halting; self.cumulative = cumulative; self.weights = weights
        self.subStates = subStates; self.subLogits = subLogits
        self.steps = steps; self.remainder = remainder; self.ponder = ponder
        self.state = state; self.logits = logits; self.output = output
    }

    // The trace fields (docs/models/act.md, "Snapshot"), named here so a rename in Swift cannot silently
    // change the file format. `output` is left out: the trace frame holds it already (docs/trace.md).
    private enum CodingKeys: String, CodingKey {
        case halting, cumulative, weights, subStates, subLogits, steps, remainder, ponder, state, logits
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(halting, forKey: .halting)
        try c.encode(cumulative, forKey: .cumulative)
        try c.encode(weights, forKey: .weights)
        try c.encode(subStates, forKey: .subStates)
        try c.encode(subLogits, forKey: .subLogits)
        try c.encode(steps, forKey: .steps)
        try c.encode(remainder, forKey: .remainder)
        try c.encode(ponder, forKey: .ponder)
        try c.encode(state, forKey: .state)
        try c.encode(logits, forKey: .logits)
    }
}

extension ACTModel.StepVars {
    /// The values of example `b` of the batch, its own N sub-steps only.
    public func snapshot(_ g: Graph, example b: Int = 0) -> ACTSnapshot {
        func row(_ v: Var) -> [Float] { g.row(v, example: b) }
        let n = steps[b]
        let h = halting[..<n].map { row($0)[0] }
        var cumulative: [Float] = [], total: Float = 0
        for v in h { total += v; cumulative.append(total) }
        let logits = row(self.logits)
        return ACTSnapshot(halting: h, cumulative: cumulative, weights: weights[..<n].map { row($0)[0] },
                           subStates: subStates[..<n].map(row), subLogits: subLogits[..<n].map(row),
                           steps: n, remainder: row(remainder)[0], ponder: row(ponder)[0],
                           state: row(hidden), logits: logits, output: logistic(logits))
    }
}
