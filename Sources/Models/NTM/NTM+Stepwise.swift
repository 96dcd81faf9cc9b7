import Engine

extension NTM.State {
    /// An NTM state (of any batch size) copied out of a graph as plain values.
    public struct Values: Sendable {
        public var hidden: Tensor, cell: Tensor, reads: [Tensor], weightings: [Tensor], memory: Tensor
    }

    public func values(in g: Graph) -> Values {
        Values(hidden: g.value(hidden), cell: g.value(cell), reads: reads.map { g.value($0) },
               weightings: weightings.map { g.value($0) }, memory: g.value(memory))
    }

    /// The state as constants of `g`.
    public init(constants v: Values, in g: Graph) {
        self.init(hidden: g.constant(v.hidden), cell: g.constant(v.cell), reads: v.reads.map { g.constant($0) },
                  weightings: v.weightings.map { g.constant($0) }, memory: g.constant(v.memory))
    }
}
