import Engine

/// The LSTM baseline of the NTM paper (Graves et al. 2014): a stack of L LSTM layers with PyTorch's
/// `nn.LSTM` semantics, then a linear output layer, following docs/models/lstm.md (equation numbers in
/// comments refer to it). Parameters are named as a PyTorch module with `lstm = nn.LSTM(X, H, L)` and
/// `output = nn.Linear(H, Y)` names them, so its `state_dict()` loads here unchanged.
///
/// One `step` serves training (on a recording graph) and viewing (on a non-recording one).
public final class LSTMModel: RecurrentModel {
    public static let kind = "lstm"

    public let config: LSTMConfig
    /// The stack, eqs. (2)–(6): PyTorch `nn.LSTMCell`s named as `nn.LSTM`'s layers, `lstm.*_l<k>`.
    public let layers: [LSTMCell]
    /// Output layer, eq. (7): `output`.
    public let output: Linear

    /// Every parameter, in a fixed order: layer by layer, then the output layer (docs/checkpoints.md).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) + output.parameters }

    /// A freshly initialised model: PyTorch's default initialisation (docs/models/lstm.md, "Initialisation").
    public init(config: LSTMConfig, rng: inout SeededRNG) {
        self.config = config
        layers = (0..<config.layers).map { k in
            LSTMCell("lstm", suffix: "_l\(k)", inputSize: config.layerInputSize(k), hiddenSize: config.hiddenSize, rng: &rng)
        }
        output = Linear("output", inFeatures: config.hiddenSize, outFeatures: config.outputSize, rng: &rng)
    }

    public var inputSize: Int { config.inputSize }
    public var outputSize: Int { config.outputSize }

    // MARK: State and step

    /// What carries from one step to the next: every layer's (h, c), eq. (1).
    public struct State: CarriedState {
        public var hidden: [Var]         // h^k [B, H], one per layer
        public var cell: [Var]           // c^k [B, H], one per layer

        public init(hidden: [Var], cell: [Var]) {
            self.hidden = hidden; self.cell = cell
        }

        public func mapVars(_ f: (Var) -> Var) -> State { State(hidden: hidden.map(f), cell: cell.map(f)) }
    }

    /// The start of every sequence: zeros in every layer, as `nn.LSTM` without (h₀, c₀), eq. (1).
    public func initialState(_ g: Graph, batch: Int) -> State {
        let zeros = (0..<config.layers).map { _ in g.constant(Shape(batch, config.hiddenSize), repeating: 0) }
        return State(hidden: zeros, cell: zeros)
    }

    /// Everything one step computed that a view may draw, as graph values.
    public struct StepVars: RecurrentStepVars {
        public struct Layer {
            public var preactivations: Var   // z [B, 4H], gates i, f, g, o before their activations (3)
            public var hidden: Var           // h [B, H] (6)
            public var cell: Var             // c [B, H] (5)
        }
        public var layers: [Layer]           // bottom to top
        public var logits: Var               // [B, Y] (7)
    }

    /// One timestep, eqs. (2)–(7), for input x [B, X].
    public func step(_ g: Graph, input x: Var, state s: State) -> (state: State, vars: StepVars) {
        var below = x                                                               // (2)
        var vars: [StepVars.Layer] = []
        for (k, layer) in layers.enumerated() {
            let (z, h, c) = layer.step(g, below, h: s.hidden[k], c: s.cell[k])      // (3)–(6)
            vars.append(StepVars.Layer(preactivations: z, hidden: h, cell: c))
            below = h                                                               // (2)
        }
        let logits = output(g, below)                                               // (7)
        let next = State(hidden: vars.map(\.hidden), cell: vars.map(\.cell))
        return (next, StepVars(layers: vars, logits: logits))
    }
}
