import Engine

extension LSTMModel.State {
    /// An LSTM state (of any batch size) copied out of a graph as plain values.
    public struct Values: Sendable {
        public var hidden: [Tensor], cell: [Tensor]
    }

    public func values(in g: Graph) -> Values {
        Values(hidden: hidden.map { g.value($0) }, cell: cell.map { g.value($0) })
    }

    /// The state as constants of `g`.
    public init(constants v: Values, in g: Graph) {
        self.init(hidden: v.hidden.map { g.constant($0) }, cell: v.cell.map { g.constant($0) })
    }
}
