import Engine

extension DNC.State {
    /// A DNC state (of any batch size) copied out of a graph as plain values.
    public struct Values: Sendable {
        public var hidden: Tensor, cell: Tensor, reads: Tensor, readWeightings: Tensor, writeWeighting: Tensor
        public var usage: Tensor, precedence: Tensor, link: Tensor, memory: Tensor

        public init(hidden: Tensor, cell: Tensor, reads: Tensor, readWeightings: Tensor, writeWeighting: Tensor,
                    usage: Tensor, precedence: Tensor, link: Tensor, memory: Tensor) {
            self.hidden = hidden; self.cell = cell; self.reads = reads; self.readWeightings = readWeightings
            self.writeWeighting = writeWeighting; self.usage = usage; self.precedence = precedence
            self.link = link; self.memory = memory
        }
    }

    public func values(in g: Graph) -> Values {
        Values(hidden: g.value(hidden), cell: g.value(cell), reads: g.value(reads), readWeightings: g.value(readWeightings),
               writeWeighting: g.value(writeWeighting), usage: g.value(usage), precedence: g.value(precedence),
               link: g.value(link), memory: g.value(memory))
    }

    /// The state as constants of `g`.
    public init(constants v: Values, in g: Graph) {
        self.init(hidden: g.constant(v.hidden), cell: g.constant(v.cell), reads: g.constant(v.reads),
                  readWeightings: g.constant(v.readWeightings), writeWeighting: g.constant(v.writeWeighting),
                  usage: g.constant(v.usage), precedence: g.constant(v.precedence), link: g.constant(v.link),
                  memory: g.constant(v.memory))
    }
}
