import Engine

/// An LSTM controller with a continuous stack, queue or deque (Grefenstette et al. 2015), following
/// docs/models/neural-stack.md (equation numbers in comments refer to it). `S` says which structure; the
/// controller, heads and step are the same for all three.
///
/// Parameters are named as a PyTorch module with `controller = nn.LSTMCell(X + E·m, H)`, `push`, `pop`,
/// `value`, `output` and `readout` `nn.Linear`s and an `initial_hidden` vector would name them.
public final class NeuralStack<S: ContinuousStructure>: RecurrentModel {
    public static var kind: String { S.kind }

    public let config: NeuralStackConfig
    /// The controller, eq. (12): reads [x_t; r_{t−1}].
    public let controller: LSTMCell
    /// h₀, learned (§3.4); c₀ is zero.
    public let initialHidden: Parameter
    /// Eqs. (13)–(16): one column of push and pop per head, one m-wide block of value per head.
    public let push: Linear, pop: Linear, value: Linear
    /// Eq. (16) o_t = tanh(W_o o′_t + b_o), then eq. (17)'s projection to the output logits.
    public let output: Linear, readout: Linear

    public var parameters: [Parameter] {
        controller.parameters + [initialHidden] + push.parameters + pop.parameters + value.parameters
            + output.parameters + readout.parameters
    }

    /// The number E of heads and their ends.
    public var heads: [StructureHead] { S.heads }

    /// PyTorch's default initialisation for every layer, h₀ uniform in ±1/√H as the LSTM's weights, and the
    /// pop bias set to `popBias` (Appendix B), the push bias to `pushBias` (`bottomPushBias` at the bottom).
    public init(config: NeuralStackConfig, rng: inout SeededRNG) {
        self.config = config
        let e = S.heads.count, h = config.hiddenSize, m = config.valueSize
        controller = LSTMCell("controller", inputSize: config.inputSize + e * m, hiddenSize: h, rng: &rng)
        let k = 1 / Float(h).squareRoot()
        initialHidden = Parameter("initial_hidden", rng.uniformTensor([h], -k, k))
        push = Linear("push", inFeatures: h, outFeatures: e, rng: &rng)
        pop = Linear("pop", inFeatures: h, outFeatures: e, rng: &rng)
        value = Linear("value", inFeatures: h, outFeatures: e * m, rng: &rng)
        output = Linear("output", inFeatures: h, outFeatures: h, rng: &rng)
        readout = Linear("readout", inFeatures: h, outFeatures: config.outputSize, rng: &rng)
        pop.bias!.tensor = Tensor(shape: [e], data: [Float](repeating: config.popBias, count: e))
        push.bias!.tensor = Tensor(shape: [e], data: S.heads.map { $0.pushesAt == .bottom ? config.bottomPushBias ?? config.pushBias : config.pushBias })
    }

    /// The config's checks, and `bottomPushBias` only where a head pushes at the bottom (the deque).
    public static func validate(_ config: NeuralStackConfig) throws {
        try config.validate()
        if config.bottomPushBias != nil, !S.heads.contains(where: { $0.pushesAt == .bottom }) {
            throw ArnnError("neural stack: bottomPushBias sets the push of a head at the bottom, and a \(S.kind) pushes only on top (the deque has one)")
        }
    }

    public var inputSize: Int { config.inputSize }
    public var outputSize: Int { config.outputSize }

    // MARK: State and step

    /// What carries from one step to the next: the controller's (h, c), the last reads, and the structure
    /// (nil before the first push).
    public struct State: CarriedState {
        public var hidden: Var            // h [B, H]
        public var cell: Var              // c [B, H]
        public var read: Var              // [r¹; …; r^E] [B, E·m], zero at the start
        public var strengths: Var?        // s [B, N], oldest push first
        public var values: Var?           // V [B, N, m]

        public func mapVars(_ f: (Var) -> Var) -> State {
            State(hidden: f(hidden), cell: f(cell), read: f(read), strengths: strengths.map(f), values: values.map(f))
        }
    }

    /// h₀ learned, c₀ and r₀ zero, and an empty structure (§3.4).
    public func initialState(_ g: Graph, batch: Int) -> State {
        let h = config.hiddenSize
        let zeros = g.constant(Shape(batch, h), repeating: 0)
        return State(hidden: g.add(zeros, g.param(initialHidden)), cell: zeros,
                     read: g.constant(Shape(batch, heads.count * config.valueSize), repeating: 0),
                     strengths: nil, values: nil)
    }

    /// Everything one step computed that a view may draw, as graph values.
    public struct StepVars: RecurrentStepVars {
        public var preactivations: Var   // the controller's gates before activation [B, 4H]
        public var hidden: Var           // o′_t = h_t [B, H]
        public var cell: Var             // c_t [B, H]
        public var push: Var             // d_t [B, E] (13)
        public var pop: Var              // u_t [B, E] (14)
        public var value: Var            // v_t [B, E·m] (15)
        public var output: Var           // o_t [B, H] (16)
        public var logits: Var           // [B, Y] (17)
        public var strengths: Var        // s_t [B, N] after this step's pops and pushes
        public var values: Var           // V_t [B, N, m]
        public var readWeights: [Var]    // per head [B, N] (3), (6)
        public var read: Var             // r_t [B, E·m]
    }

    /// One timestep, eqs. (12)–(17) then the structure's (1)–(11), for input x [B, X].
    public func step(_ g: Graph, input x: Var, state s: State) -> (state: State, vars: StepVars) {
        let m = config.valueSize
        let (z, h, c) = controller.step(g, g.concat([x, s.read], axis: 1), h: s.hidden, c: s.cell)   // (12)
        let d = g.sigmoid(push(g, h))                                                               // (13)
        let u = g.sigmoid(pop(g, h))                                                                // (14)
        let v = g.tanh(value(g, h))                                                                 // (15)
        let o = g.tanh(output(g, h))                                                                // (16)
        let logits = readout(g, o)                                                                  // (17)

        // Pops first, in head order, over the rows kept so far (2), (5); then each head pushes at its end (1).
        var strengths = s.strengths, values = s.values
        if var st = strengths {
            for (k, head) in heads.enumerated() {
                st = g.neuralPop(st, amount: g.slice(u, axis: 1, start: k, count: 1), from: head.popsAt)
            }
            strengths = st
        }
        let batch = g.shape(x)[0]
        for (k, head) in heads.enumerated() {
            let dk = g.slice(d, axis: 1, start: k, count: 1)
            let vk = g.reshape(g.slice(v, axis: 1, start: k * m, count: m), [batch, 1, m])
            let (sParts, vParts) = head.pushesAt == .top
                ? ([strengths, dk], [values, vk]) : ([dk, strengths], [vk, values])
            strengths = g.concat(sParts.compactMap { $0 }, axis: 1)
            values = g.concat(vParts.compactMap { $0 }, axis: 1)
        }
        let st = strengths!, vals = values!
        let weights = heads.map { g.neuralReadWeights(st, from: $0.popsAt) }                          // (3), (6)
        let reads = weights.map { g.weightedSum($0, vals) }
        let read = reads.count == 1 ? reads[0] : g.concat(reads, axis: 1)
        let next = State(hidden: h, cell: c, read: read, strengths: st, values: vals)
        return (next, StepVars(preactivations: z, hidden: h, cell: c, push: d, pop: u, value: v, output: o,
                               logits: logits, strengths: st, values: vals, readWeights: weights, read: read))
    }
}
