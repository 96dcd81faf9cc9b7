import Engine

extension ACTModel.State {
    /// An ACT state (of any batch size) copied out of a graph as plain values.
    public struct Values: Sendable {
        public var hidden: Tensor
    }

    public func values(in g: Graph) -> Values { Values(hidden: g.value(hidden)) }

    /// The state as constants of `g`.
    public init(constants v: Values, in g: Graph) { self.init(hidden: g.constant(v.hidden)) }
}
