import Engine
import Foundation

/// A Neural Turing Machine: a controller (LSTM or feed-forward), R read heads and W write heads on an
/// N × M memory, following docs/models/ntm.md (equation numbers in comments refer to it).
///
/// One `step` serves training (on a recording graph) and viewing (on a non-recording one).
public final class NTM: RecurrentModel, @unchecked Sendable {
    public static let kind = "ntm"

    public let config: NTMConfig
    /// Eq. (5) or (15), with the LSTM's learned initial state of eq. (3).
    public let controller: NTMController
    /// Learned initial read vectors, eq. (2): `read_init` [R, M].
    public let readInit: Parameter
    /// One linear layer per head, eq. (6): `read_heads.<i>.fc`; `write_head.fc` when W = 1 (the name
    /// checkpoints had before there could be more), else `write_heads.<i>.fc`.
    public let readHeads: [Linear]
    public let writeHeads: [Linear]
    /// Output layer, eq. (14): `output`.
    public let output: Linear

    /// Every parameter, in a fixed order (the order of checkpoints' documentation).
    public var parameters: [Parameter] {
        controller.parameters + [readInit] + readHeads.flatMap(\.parameters) + writeHeads.flatMap(\.parameters)
            + output.parameters
    }

    /// A freshly initialised NTM (docs/models/ntm.md, "Initialisation"). The LSTM, one-write-head model
    /// draws from `rng` exactly as it did before other controllers and write heads existed.
    public init(config: NTMConfig, rng: inout SeededRNG) {
        self.config = config
        let h = config.controllerSize, m = config.memoryWidth
        func xavier(_ layer: Linear, gain: Float) {
            let fanOut = layer.outFeatures, fanIn = layer.inFeatures
            let a = gain * (6 / Float(fanIn + fanOut)).squareRoot()
            layer.weight.tensor = rng.uniformTensor([fanOut, fanIn], -a, a)
            layer.bias?.tensor = rng.normalTensor([fanOut], std: 0.01)
        }
        if config.isFeedForward {
            let layer = Linear("controller.fc", inFeatures: config.controllerInputSize, outFeatures: h, rng: &rng)
            // Xavier-uniform with tanh's gain 5/3, bias 0.
            let a = Float(5) / 3 * (6 / Float(config.controllerInputSize + h)).squareRoot()
            layer.weight.tensor = rng.uniformTensor([h, config.controllerInputSize], -a, a)
            layer.bias?.tensor = Tensor(shape: [h])
            controller = .feedForward(layer)
        } else {
            let cell = LSTMCell("controller", inputSize: config.controllerInputSize, hiddenSize: h, rng: &rng)
            let bound = 5 / Float(config.controllerInputSize + h).squareRoot()
            cell.weightIH.tensor = rng.uniformTensor(cell.weightIH.shape.dims, -bound, bound)
            cell.weightHH.tensor = rng.uniformTensor(cell.weightHH.shape.dims, -bound, bound)
            cell.biasIH.tensor = Tensor(shape: [4 * h])
            cell.biasHH.tensor = Tensor(shape: [4 * h])
            let h0 = Parameter("controller.h0", rng.normalTensor([h], std: 0.05))
            let c0 = Parameter("controller.c0", rng.normalTensor([h], std: 0.05))
            controller = .lstm(cell, h0: h0, c0: c0)
        }
        readInit = Parameter("read_init", rng.normalTensor([config.readHeads, m], std: 0.01))
        readHeads = (0..<config.readHeads).map { i in
            Linear("read_heads.\(i).fc", inFeatures: h, outFeatures: config.readHeadOutputs, rng: &rng)
        }
        writeHeads = (0..<config.writeHeads).map { i in
            Linear(config.writeHeads == 1 ? "write_head.fc" : "write_heads.\(i).fc", inFeatures: h,
                   outFeatures: config.writeHeadOutputs, rng: &rng)
        }
        output = Linear("output", inFeatures: h + config.readHeads * m, outFeatures: config.outputSize, rng: &rng)
        for head in readHeads + writeHeads { xavier(head, gain: 1.4) }
        xavier(output, gain: 1)
    }

    // MARK: State and step

    /// What carries from one step to the next, eqs. (1)–(4), for a batch.
    public struct State: CarriedState {
        public var hidden: Var?          // h [B, H]; nil for the feed-forward controller, which carries none
        public var cell: Var?            // c [B, H]; likewise
        public var reads: [Var]          // r^h [B, M], one per read head
        public var weightings: [Var]     // w [B, N]: the R read heads', then the W write heads'
        public var memory: Var           // M [B, N, M]

        public init(hidden: Var?, cell: Var?, reads: [Var], weightings: [Var], memory: Var) {
            self.hidden = hidden; self.cell = cell; self.reads = reads; self.weightings = weightings; self.memory = memory
        }

        public func mapVars(_ f: (Var) -> Var) -> State {
            State(hidden: hidden.map(f), cell: cell.map(f), reads: reads.map(f), weightings: weightings.map(f), memory: f(memory))
        }
    }

    /// The start of every sequence, eqs. (1)–(4).
    public func initialState(_ g: Graph, batch: Int) -> State {
        let m = config.memoryWidth, n = config.memoryRows
        let zerosM = g.constant(Shape(batch, m), repeating: 0)
        let readInit = g.param(self.readInit)
        let (hidden, cell) = controller.initialState(g, batch: batch, hiddenSize: config.controllerSize)
        return State(
            hidden: hidden,
            cell: cell,
            reads: (0..<config.readHeads).map { i in
                g.add(zerosM, g.reshape(g.slice(readInit, axis: 0, start: i, count: 1), [m]))
            },
            weightings: (0..<(config.readHeads + config.writeHeads)).map { _ in
                g.constant(firstRowWeighting(batch: batch))
            },
            memory: g.constant(Shape(batch, n, m), repeating: config.memoryInit))
    }

    /// Eq. (4): every head starts on row 0. With a constant initial memory every row looks the same to
    /// content addressing, so a weighting that started uniform would stay uniform forever.
    private func firstRowWeighting(batch: Int) -> Tensor {
        var w = Tensor(shape: [batch, config.memoryRows])
        for b in 0..<batch { w.data[b * config.memoryRows] = 1 }
        return w
    }

    public var inputSize: Int { config.inputSize }
    public var outputSize: Int { config.outputSize }

    /// Everything one step computed that a view may draw, as graph values.
    public struct StepVars: RecurrentStepVars {
        public struct Head {
            public var parameters: HeadParameterVars
            public var addressing: AddressingVars
            public var erase: Var?
            public var add: Var?
        }
        public var heads: [Head]          // the R read heads, then the W write heads
        public var reads: [Var]
        public var memoryBefore: Var
        public var memoryAfter: Var
        public var hidden: Var
        public var cell: Var?             // nil for the feed-forward controller
        public var logits: Var            // [B, Y]
    }

    /// One timestep, eqs. (5)–(15), for input x [B, X].
    public func step(_ g: Graph, input x: Var, state s: State) -> (state: State, vars: StepVars) {
        let m = config.memoryWidth, k = config.shiftWidth
        let (h, c) = controller(g, g.concat([x] + s.reads, axis: -1), hidden: s.hidden, cell: s.cell)  // (5) or (15)
        var heads: [StepVars.Head] = []
        var reads: [Var] = []
        var weightings: [Var] = []
        for (i, layer) in readHeads.enumerated() {
            let (p, _, _) = Addressing.activate(g, layer(g, h), memoryWidth: m, shiftWidth: k, write: false)  // (6)(7)
            let addr = Addressing.address(g, memory: s.memory, previous: s.weightings[i], head: p)         // (8)-(11)
            reads.append(Addressing.read(g, memory: s.memory, weighting: addr.weighting))                  // (12)
            weightings.append(addr.weighting)
            heads.append(StepVars.Head(parameters: p, addressing: addr, erase: nil, add: nil))
        }
        // Every write head addresses the memory before this step's write, as the read heads do.
        var erases: [Var] = [], adds: [Var] = []
        for (i, layer) in writeHeads.enumerated() {
            let (p, e, a) = Addressing.activate(g, layer(g, h), memoryWidth: m, shiftWidth: k, write: true)
            let addr = Addressing.address(g, memory: s.memory, previous: s.weightings[config.readHeads + i], head: p)
            weightings.append(addr.weighting)
            erases.append(e!)
            adds.append(a!)
            heads.append(StepVars.Head(parameters: p, addressing: addr, erase: e, add: a))
        }
        let memory = Addressing.write(g, memory: s.memory, weightings: Array(weightings[config.readHeads...]),
                                      erases: erases, adds: adds)                                  // (13)
        let logits = output(g, g.concat([h] + reads, axis: -1))                                           // (14)
        let carried = config.isFeedForward ? (hidden: Var?.none, cell: Var?.none) : (hidden: Var?.some(h), cell: c)
        let next = State(hidden: carried.hidden, cell: carried.cell, reads: reads, weightings: weightings, memory: memory)
        return (next, StepVars(heads: heads, reads: reads, memoryBefore: s.memory, memoryAfter: memory,
                               hidden: h, cell: c, logits: logits))
    }
}
