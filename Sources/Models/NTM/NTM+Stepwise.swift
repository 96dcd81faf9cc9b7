import Engine

extension NTM.State {
    /// An NTM state (of any batch size) copied out of a graph as plain values.
    public struct Values: Sendable {
        /// nil for the feed-forward controller, which carries no state.
        public var hidden: Tensor?
        public var cell: Tensor?
        public var reads: [Tensor], weightings: [Tensor], memory: Tensor

        public init(hidden: Tensor?, cell: Tensor?, reads: [Tensor], weightings: [Tensor], memory: Tensor) {
            self.hidden = hidden; self.cell = cell; self.reads = reads; self.weightings = weightings; self.memory = memory
        }
    }

    public func values(in g: Graph) -> Values {
        Values(hidden: hidden.map { g.value($0) }, cell: cell.map { g.value($0) }, reads: reads.map { g.value($0) },
               weightings: weightings.map { g.value($0) }, memory: g.value(memory))
    }

    /// The state as constants of `g`.
    public init(constants v: Values, in g: Graph) {
        self.init(hidden: v.hidden.map { g.constant($0) }, cell: v.cell.map { g.constant($0) }, reads: v.reads.map { g.constant($0) },
                  weightings: v.weightings.map { g.constant($0) }, memory: g.constant(v.memory))
    }
}
