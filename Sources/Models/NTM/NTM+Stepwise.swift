import Engine

extension NTM {
    /// An NTM state (of any batch size) copied out of a graph as plain values, so the next step can run
    /// on a fresh (reset) graph: memory stays flat however long the sequence.
    public struct StateValues: Sendable {
        public var hidden: Tensor, cell: Tensor, reads: [Tensor], weightings: [Tensor], memory: Tensor

        public init(_ s: State, in g: Graph) {
            hidden = g.value(s.hidden)
            cell = g.value(s.cell)
            reads = s.reads.map { g.value($0) }
            weightings = s.weightings.map { g.value($0) }
            memory = g.value(s.memory)
        }

        /// The state as constants of `g`.
        public func state(in g: Graph) -> State {
            State(hidden: g.constant(hidden), cell: g.constant(cell), reads: reads.map { g.constant($0) },
                  weightings: weightings.map { g.constant($0) }, memory: g.constant(memory))
        }
    }

    /// Runs `steps` timesteps without a tape (the viewer's and the evaluator's path), resetting `g` before
    /// each step and carrying the state across as values. `input(t)` gives step t's [batch, X] input;
    /// `body(t, vars)` reads what it needs from `g` before the next step resets it.
    public func runStepwise(_ g: Graph, batch: Int, steps: Int, input: (Int) -> Tensor,
                            _ body: (Int, StepVars) -> Void) {
        g.reset()
        var carried = StateValues(initialState(g, batch: batch), in: g)
        for t in 0..<steps {
            g.reset()
            let (next, vars) = step(g, input: g.constant(input(t)), state: carried.state(in: g))
            body(t, vars)
            carried = StateValues(next, in: g)
        }
    }
}
