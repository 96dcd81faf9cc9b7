import Engine
import Foundation

/// A Neural Turing Machine: an LSTM controller, R read heads and one write head on an N × M memory,
/// following docs/models/ntm.md (equation numbers in comments refer to it).
///
/// One `step` serves training (on a recording graph) and viewing (on a non-recording one).
public final class NTM: RecurrentModel, @unchecked Sendable {
    public static let kind = "ntm"

    public let config: NTMConfig
    public let controller: LSTMCell
    /// Learned initial controller state, eq. (3): `controller.h0`, `controller.c0` [H].
    public let controllerH0: Parameter
    public let controllerC0: Parameter
    /// Learned initial read vectors, eq. (2): `read_init` [R, M].
    public let readInit: Parameter
    /// One linear layer per head, eq. (6): `read_heads.<i>.fc`, `write_head.fc`.
    public let readHeads: [Linear]
    public let writeHead: Linear
    /// Output layer, eq. (14): `output`.
    public let output: Linear

    /// Every parameter, in a fixed order (the order of checkpoints' documentation).
    public var parameters: [Parameter] {
        controller.parameters + [controllerH0, controllerC0, readInit]
            + readHeads.flatMap(\.parameters) + writeHead.parameters + output.parameters
    }

    /// A freshly initialised NTM (docs/models/ntm.md, "Initialisation").
    public init(config: NTMConfig, rng: inout SeededRNG) {
        self.config = config
        let h = config.controllerSize, m = config.memoryWidth
        controller = LSTMCell("controller", inputSize: config.controllerInputSize, hiddenSize: h, rng: &rng)
        let bound = 5 / Float(config.controllerInputSize + h).squareRoot()
        controller.weightIH.tensor = rng.uniformTensor(controller.weightIH.shape.dims, -bound, bound)
        controller.weightHH.tensor = rng.uniformTensor(controller.weightHH.shape.dims, -bound, bound)
        controller.biasIH.tensor = Tensor(shape: [4 * h])
        controller.biasHH.tensor = Tensor(shape: [4 * h])
        controllerH0 = Parameter("controller.h0", rng.normalTensor([h], std: 0.05))
        controllerC0 = Parameter("controller.c0", rng.normalTensor([h], std: 0.05))
        readInit = Parameter("read_init", rng.normalTensor([config.readHeads, m], std: 0.01))
        func xavier(_ layer: Linear, gain: Float) {
            let fanOut = layer.outFeatures, fanIn = layer.inFeatures
            let a = gain * (6 / Float(fanIn + fanOut)).squareRoot()
            layer.weight.tensor = rng.uniformTensor([fanOut, fanIn], -a, a)
            layer.bias?.tensor = rng.normalTensor([fanOut], std: 0.01)
        }
        readHeads = (0..<config.readHeads).map { i in
            Linear("read_heads.\(i).fc", inFeatures: h, outFeatures: config.readHeadOutputs, rng: &rng)
        }
        writeHead = Linear("write_head.fc", inFeatures: h, outFeatures: config.writeHeadOutputs, rng: &rng)
        output = Linear("output", inFeatures: h + config.readHeads * m, outFeatures: config.outputSize, rng: &rng)
        for head in readHeads { xavier(head, gain: 1.4) }
        xavier(writeHead, gain: 1.4)
        xavier(output, gain: 1)
    }

    // MARK: State and step

    /// What carries from one step to the next, eqs. (1)–(4), for a batch.
    public struct State: CarriedState {
        public var hidden: Var           // h [B, H]
        public var cell: Var             // c [B, H]
        public var reads: [Var]          // r^h [B, M], one per read head
        public var weightings: [Var]     // w [B, N]: the read heads', then the write head's
        public var memory: Var           // M [B, N, M]

        public init(hidden: Var, cell: Var, reads: [Var], weightings: [Var], memory: Var) {
            self.hidden = hidden; self.cell = cell; self.reads = reads; self.weightings = weightings; self.memory = memory
        }
    }

    /// The start of every sequence, eqs. (1)–(4).
    public func initialState(_ g: Graph, batch: Int) -> State {
        let h = config.controllerSize, m = config.memoryWidth, n = config.memoryRows
        // Broadcasting the learned vectors against zeros gives [B, ·] values whose gradients sum into them.
        let zerosH = g.constant(Shape(batch, h), repeating: 0)
        let zerosM = g.constant(Shape(batch, m), repeating: 0)
        let readInit = g.param(self.readInit)
        return State(
            hidden: g.add(zerosH, g.param(controllerH0)),
            cell: g.add(zerosH, g.param(controllerC0)),
            reads: (0..<config.readHeads).map { i in
                g.add(zerosM, g.reshape(g.slice(readInit, axis: 0, start: i, count: 1), [m]))
            },
            weightings: (0...config.readHeads).map { _ in g.constant(firstRowWeighting(batch: batch)) },
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
        public var heads: [Head]          // read heads, then the write head
        public var reads: [Var]
        public var memoryBefore: Var
        public var memoryAfter: Var
        public var hidden: Var
        public var cell: Var
        public var logits: Var            // [B, Y]
    }

    /// One timestep, eqs. (5)–(14), for input x [B, X].
    public func step(_ g: Graph, input x: Var, state s: State) -> (state: State, vars: StepVars) {
        let m = config.memoryWidth, k = config.shiftWidth
        let (h, c) = controller(g, g.concat([x] + s.reads, axis: -1), h: s.hidden, c: s.cell)   // (5)
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
        let (p, e, a) = Addressing.activate(g, writeHead(g, h), memoryWidth: m, shiftWidth: k, write: true)
        let addr = Addressing.address(g, memory: s.memory, previous: s.weightings[config.readHeads], head: p)
        let memory = Addressing.write(g, memory: s.memory, weighting: addr.weighting, erase: e!, add: a!)  // (13)
        weightings.append(addr.weighting)
        heads.append(StepVars.Head(parameters: p, addressing: addr, erase: e, add: a))
        let logits = output(g, g.concat([h] + reads, axis: -1))                                           // (14)
        let next = State(hidden: h, cell: c, reads: reads, weightings: weightings, memory: memory)
        return (next, StepVars(heads: heads, reads: reads, memoryBefore: s.memory, memoryAfter: memory,
                               hidden: h, cell: c, logits: logits))
    }
}
