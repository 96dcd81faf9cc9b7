import Engine

/// A Differentiable Neural Computer (Graves et al. 2016): an LSTM controller, one write head and R read
/// heads on an N × W memory with dynamic allocation and temporal links, following docs/models/dnc.md
/// (equation numbers in comments refer to it). Parameters are named as a PyTorch module with
/// `controller = nn.LSTMCell`, `interface = nn.Linear` and `output = nn.Linear` names them.
///
/// One `step` serves training (on a recording graph) and viewing (on a non-recording one).
public final class DNC: RecurrentModel {
    public static let kind = "dnc"
    /// ε of the cosine similarity (6) and of the usage guard in the allocation (9): DeepMind's `_EPSILON`.
    public static let epsilon: Float = 1e-6

    public let config: DNCConfig
    /// The controller, eq. (3): `controller.*`.
    public let controller: LSTMCell
    /// W_ξ, b_ξ, eq. (4): `interface`.
    public let interface: Linear
    /// [W_y W_r], b_y, eq. (19): `output`.
    public let output: Linear

    /// Every parameter, in a fixed order (the order of the table in docs/models/dnc.md).
    public var parameters: [Parameter] { controller.parameters + interface.parameters + output.parameters }

    /// A freshly initialised DNC: PyTorch's default initialisation (docs/models/dnc.md, "Initialisation").
    public init(config: DNCConfig, rng: inout SeededRNG) {
        self.config = config
        controller = LSTMCell("controller", inputSize: config.controllerInputSize, hiddenSize: config.controllerSize, rng: &rng)
        interface = Linear("interface", inFeatures: config.controllerSize, outFeatures: config.interfaceSize, rng: &rng)
        output = Linear("output", inFeatures: config.outputInputSize, outFeatures: config.outputSize, rng: &rng)
    }

    public var inputSize: Int { config.inputSize }
    public var outputSize: Int { config.outputSize }

    // MARK: State and step

    /// What carries from one step to the next, eqs. (1)–(2), for a batch.
    public struct State: CarriedState {
        public var hidden: Var           // h [B, H]
        public var cell: Var             // c [B, H]
        public var reads: Var            // [r¹ ; … ; rᴿ] [B, R·W]
        public var readWeightings: Var   // wʳ [B, R, N]
        public var writeWeighting: Var   // wʷ [B, N]
        public var usage: Var            // u [B, N]
        public var precedence: Var       // p [B, N]
        public var link: Var             // L [B, N, N]
        public var memory: Var           // M [B, N, W]

        public init(hidden: Var, cell: Var, reads: Var, readWeightings: Var, writeWeighting: Var, usage: Var,
                    precedence: Var, link: Var, memory: Var) {
            self.hidden = hidden; self.cell = cell; self.reads = reads; self.readWeightings = readWeightings
            self.writeWeighting = writeWeighting; self.usage = usage; self.precedence = precedence
            self.link = link; self.memory = memory
        }

        public func mapVars(_ f: (Var) -> Var) -> State {
            State(hidden: f(hidden), cell: f(cell), reads: f(reads), readWeightings: f(readWeightings), writeWeighting: f(writeWeighting),
                  usage: f(usage), precedence: f(precedence), link: f(link), memory: f(memory))
        }
    }

    /// The start of every sequence: the memory at μ (1), everything else zero (2).
    public func initialState(_ g: Graph, batch: Int) -> State {
        let n = config.memoryRows, w = config.memoryWidth, r = config.readHeads, h = config.controllerSize
        func zeros(_ dims: Int...) -> Var { g.constant(Shape(dims), repeating: 0) }
        return State(hidden: zeros(batch, h), cell: zeros(batch, h), reads: zeros(batch, r * w),
                     readWeightings: zeros(batch, r, n), writeWeighting: zeros(batch, n), usage: zeros(batch, n),
                     precedence: zeros(batch, n), link: zeros(batch, n, n),
                     memory: g.constant(Shape(batch, n, w), repeating: config.memoryInit))
    }

    /// Everything one step computed that a view may draw, as graph values.
    public struct StepVars: RecurrentStepVars {
        public var interface: DNCInterface
        public var usage: Var            // u_t [B, N] (8)
        public var allocation: Var       // a_t [B, N] (9)
        public var writeContent: Var     // c_tʷ [B, N] (10)
        public var writeWeighting: Var   // w_tʷ [B, N] (11)
        public var memoryBefore: Var     // M_{t−1} [B, N, W]
        public var memoryAfter: Var      // M_t [B, N, W] (12)
        public var link: Var             // L_t [B, N, N] (13)
        public var precedence: Var       // p_t [B, N] (14)
        public var forward: Var          // fⁱ [B, R, N] (15)
        public var backward: Var         // bⁱ [B, R, N] (15)
        public var readContent: Var      // c^{r,i} [B, R, N] (16)
        public var readWeightings: Var   // w^{r,i} [B, R, N] (17)
        public var reads: Var            // rⁱ [B, R·W] (18)
        public var hidden: Var           // h_t [B, H] (3)
        public var cell: Var             // c_t [B, H] (3)
        public var logits: Var           // y_t [B, Y] (19)
    }

    /// One timestep, eqs. (3)–(19), for input x [B, X].
    public func step(_ g: Graph, input x: Var, state s: State) -> (state: State, vars: StepVars) {
        let n = config.memoryRows, w = config.memoryWidth, r = config.readHeads
        let b = g.shape(x)[0]
        let (h, c) = controller(g, g.concat([x, s.reads], axis: -1), h: s.hidden, c: s.cell)                    // (3)
        let xi = DNCInterface(g, interface(g, h), memoryWidth: w, readHeads: r)                                 // (4)(5)

        // Write: usage from last step's weightings, the free list, then where and what to write.
        let usage = g.memoryUsage(s.usage, writeWeighting: s.writeWeighting, readWeightings: s.readWeightings,
                                  freeGates: xi.freeGates)                                                      // (7)(8)
        let allocation = g.allocationWeighting(usage, epsilon: DNC.epsilon)                                     // (9)
        let writeContent = g.reshape(g.contentWeighting(s.memory, keys: xi.writeKey, strengths: xi.writeStrength,
                                                        epsilon: DNC.epsilon), [b, n])                          // (10)
        let writeWeighting = g.writeWeighting(allocation: allocation, content: writeContent,
                                              allocationGate: xi.allocationGate, writeGate: xi.writeGate)       // (11)
        let memory = g.memoryWrite(s.memory, weighting: writeWeighting, erase: xi.erase, add: xi.writeVector)  // (12)

        // Temporal links, and the read heads' steps along them from where they read last.
        let link = g.temporalLinks(s.link, precedence: s.precedence, writeWeighting: writeWeighting)            // (13)
        let precedence = g.precedence(s.precedence, writeWeighting: writeWeighting)                             // (14)
        let forward = g.matmul(s.readWeightings, link, transposeB: true)                                        // (15) L w
        let backward = g.matmul(s.readWeightings, link)                                                         // (15) Lᵀ w

        // Read, on the memory after this step's write.
        let readContent = g.contentWeighting(memory, keys: xi.readKeys, strengths: xi.readStrengths,
                                             epsilon: DNC.epsilon)                                              // (16)
        let readWeightings = g.readModeMix(modes: xi.readModes, backward: backward, content: readContent,
                                           forward: forward)                                                    // (17)
        let reads = g.reshape(g.matmul(readWeightings, memory), [b, r * w])                                     // (18)
        let logits = output(g, g.concat([h, reads], axis: -1))                                                  // (19)

        let next = State(hidden: h, cell: c, reads: reads, readWeightings: readWeightings, writeWeighting: writeWeighting,
                         usage: usage, precedence: precedence, link: link, memory: memory)
        let vars = StepVars(interface: xi, usage: usage, allocation: allocation, writeContent: writeContent,
                            writeWeighting: writeWeighting, memoryBefore: s.memory, memoryAfter: memory, link: link,
                            precedence: precedence, forward: forward, backward: backward, readContent: readContent,
                            readWeightings: readWeightings, reads: reads, hidden: h, cell: c, logits: logits)
        return (next, vars)
    }
}
