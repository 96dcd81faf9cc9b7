import Engine

/// Adaptive Computation Time (Graves 2016, arXiv 1603.08983) around a tanh RNN cell or an LSTM cell,
/// following docs/models/act.md (equation numbers in comments refer to it): at every input step the cell takes
/// sub-steps until its halting units add up to 1 − ε (or `maxSteps`), and the step's state and output
/// are the means of the sub-steps' weighted by the halting distribution p. The ponder cost ρ_t is the
/// step's `auxiliaryCost`, weighted by τ in the loss.
///
/// Parameters, named as PyTorch would name `cell`, `output` and `halt` (`nn.Linear`s). The tanh cell
/// (`cell` "rnn", an `nn.RNNCell` with one bias): `cell.weight_ih` [H, X+1] (the last column reads the
/// first-sub-step flag), `cell.weight_hh` [H, H], `cell.bias` [H]. The LSTM cell (`cell` "lstm", an
/// `nn.LSTMCell`): `cell.weight_ih` [4H, X+1], `cell.weight_hh` [4H, H], `cell.bias_ih` and `cell.bias_hh`
/// [4H]. Then `output.weight` [Y, S], `output.bias` [Y], `halt.weight` [1, S], `halt.bias` [1], where the
/// state s is S = H wide for the tanh cell and S = 2H for the LSTM, whose state is [h ; c] (eq. (1b)).
public final class ACTModel: RecurrentModel {
    public static let kind = "act"
    public static let auxiliaryMetric: (name: String, label: String)? = ("meanPonder", "ponder/step")

    public let config: ACTConfig
    /// The cell's weights, eq. (1) or (1b): [H, X+1] and [H, H] for the tanh cell, [4H, X+1] and [4H, H]
    /// (gates i, f, g, o) for the LSTM.
    public let weightIH: Parameter, weightHH: Parameter
    /// The tanh cell's one `cell.bias` [H]; the LSTM's `cell.bias_ih` and `cell.bias_hh` [4H].
    public let biases: [Parameter]
    /// The output layer, eq. (2).
    public let output: Linear
    /// The halting unit, eq. (3).
    public let halt: Linear

    /// Every parameter, in a fixed order: cell, output, halting unit (docs/models/act.md).
    public var parameters: [Parameter] { [weightIH, weightHH] + biases + output.parameters + halt.parameters }

    /// Whether the cell is the LSTM (`cell` "lstm"), whose state s is [h ; c].
    public var isLSTM: Bool { config.cell == "lstm" }
    /// The width S of the state s (`ACTConfig.stateSize`).
    public var stateSize: Int { config.stateSize }

    /// A freshly initialised model: PyTorch's defaults (uniform in ±1/√H for the cell, ±1/√in for the
    /// linear layers), except the halting bias, which starts at 1 as the paper suggests (section 2) so
    /// that early training takes few sub-steps. The LSTM's are `nn.LSTMCell`'s, drawn in its order.
    public init(config: ACTConfig, rng: inout SeededRNG) {
        self.config = config
        let h = config.hiddenSize, k = 1 / Float(max(h, 1)).squareRoot()
        if config.cell == "lstm" {
            let cell = LSTMCell("cell", inputSize: config.inputSize + 1, hiddenSize: h, rng: &rng)
            weightIH = cell.weightIH; weightHH = cell.weightHH
            biases = [cell.biasIH, cell.biasHH]
        } else {
            weightIH = Parameter("cell.weight_ih", rng.uniformTensor([h, config.inputSize + 1], -k, k))
            weightHH = Parameter("cell.weight_hh", rng.uniformTensor([h, h], -k, k))
            biases = [Parameter("cell.bias", rng.uniformTensor([h], -k, k))]
        }
        output = Linear("output", inFeatures: config.stateSize, outFeatures: config.outputSize, rng: &rng)
        halt = Linear("halt", inFeatures: config.stateSize, outFeatures: 1, rng: &rng)
        halt.bias!.tensor = Tensor(shape: [1], data: [1])
    }

    public var inputSize: Int { config.inputSize }
    /// τ of eq. (9).
    public var auxiliaryWeight: Float { config.tau }
    public var outputSize: Int { config.outputSize }

    // MARK: State and step

    /// What carries from one input step to the next: the mean state s_t, eq. (7).
    public struct State: CarriedState {
        public var hidden: Var           // s_t [B, S]: the tanh cell's h, or the LSTM's [h ; c]
        public init(hidden: Var) { self.hidden = hidden }
        public func mapVars(_ f: (Var) -> Var) -> State { State(hidden: f(hidden)) }
    }

    /// Zeros (not learned), eq. (1) with s_0 = 0.
    public func initialState(_ g: Graph, batch: Int) -> State {
        State(hidden: g.constant(Shape(batch, stateSize), repeating: 0))
    }

    /// Everything one input step computed that a view may draw, as graph values. Sub-step arrays run
    /// over n = 1 … max_b N_b; example b's entries after its own N_b have weight 0.
    public struct StepVars: RecurrentStepVars {
        public var subStates: [Var]      // s^n [B, S] (1)
        public var subLogits: [Var]      // y^n [B, Y] (2)
        public var halting: [Var]        // h^n [B, 1] (3)
        public var weights: [Var]        // p^n [B, 1] (6)
        public var steps: [Int]          // N per example (4)
        public var remainder: Var        // R [B, 1] (5)
        public var hidden: Var           // s_t [B, S] (7)
        public var logits: Var           // y_t [B, Y] (7)
        public var ponder: Var           // ρ_t [B] (8)
        public var auxiliaryCost: Var? { ponder }   // ρ_t, weighted by τ in the loss (9)
    }

    /// One input step, eqs. (1)–(9), for input x [B, X].
    ///
    /// Batched halting: N differs per example, so sub-steps run until every example has halted (or the
    /// cap). After each sub-step the halting values are read and two constant masks [B, 1] are made:
    /// `going` (1 where the example is still running and does not halt at n) and `stopping` (1 where it
    /// halts at n). p^n = going ⊙ h^n + stopping ⊙ R, so an example's sub-steps after its own N get
    /// weight 0 and send no gradient; their values are computed but unused.
    public func step(_ g: Graph, input x: Var, state: State) -> (state: State, vars: StepVars) {
        let batch = g.shape(x)[0]
        let wih = g.param(weightIH), whh = g.param(weightHH), b = g.param(biases[0])
        let bhh = isLSTM ? g.param(biases[1]) : nil
        // x_t^n = [x_t ; δ_{n=1}], eq. (1): the input part of the pre-activation is the same for n ≥ 2.
        let first = g.linear(g.concat([x, g.constant(Shape(batch, 1), repeating: 1)], axis: 1), weight: wih, bias: b)
        let later = g.linear(g.concat([x, g.constant(Shape(batch, 1), repeating: 0)], axis: 1), weight: wih, bias: b)
        let hsz = config.hiddenSize
        let threshold = 1 - config.epsilon
        var s = state.hidden                                                        // s_t^0 = s_{t−1}
        var halted = [Bool](repeating: false, count: batch)
        var budget = [Float](repeating: 0, count: batch)                           // Σ_{n'<n} h
        var steps = [Int](repeating: 0, count: batch)
        var subStates: [Var] = [], subLogits: [Var] = [], halting: [Var] = []
        var going: [Var] = [], stopping: [Var] = []
        var n = 0
        while n < config.maxSteps && halted.contains(false) {
            n += 1
            if let bhh {                                                           // (1b): s = [h ; c]
                let hc = g.split(s, sizes: [hsz, hsz])
                let z = g.add(n == 1 ? first : later, g.linear(hc[0], weight: whh, bias: bhh))
                let next = g.lstmPointwise(gates: z, cell: hc[1])
                s = g.concat([next.h, next.c], axis: 1)
            } else {
                s = g.tanh(g.add(n == 1 ? first : later, g.linear(s, weight: whh, bias: nil)))   // (1)
            }
            let y = output(g, s)                                                   // (2)
            let h = g.sigmoid(halt(g, s))                                          // (3)
            var goes = [Float](repeating: 0, count: batch), stops = goes
            g.withValue(h) { hv in
                for i in 0..<batch where !halted[i] {
                    let total = budget[i] + hv[i]
                    if total >= threshold || n == config.maxSteps {                 // (4)
                        stops[i] = 1; halted[i] = true; steps[i] = n
                    } else {
                        goes[i] = 1; budget[i] = total
                    }
                }
            }
            subStates.append(s); subLogits.append(y); halting.append(h)
            going.append(g.constant(Tensor(shape: [batch, 1], data: goes)))
            stopping.append(g.constant(Tensor(shape: [batch, 1], data: stops)))
        }
        // (5): R = 1 − Σ_{n<N} h^n; only the sub-steps before each example's N count.
        var kept = g.mul(going[0], halting[0])
        for k in 1..<n { kept = g.add(kept, g.mul(going[k], halting[k])) }
        let remainder = g.oneMinus(kept)
        // (6): p^n = h^n for n < N, R for n = N, 0 after.
        let weights = (0..<n).map { k in g.add(g.mul(going[k], halting[k]), g.mul(stopping[k], remainder)) }
        // (7): the step's state and output are the p-weighted means of the sub-steps'.
        var hidden = g.mul(weights[0], subStates[0]), logits = g.mul(weights[0], subLogits[0])
        for k in 1..<n {
            hidden = g.add(hidden, g.mul(weights[k], subStates[k]))
            logits = g.add(logits, g.mul(weights[k], subLogits[k]))
        }
        // (8): ρ = N + R, N a constant (no gradient); the objective adds τ·ρ to the loss (9).
        let ponder = g.add(g.reshape(remainder, [batch]), g.constant(Tensor(shape: [batch], data: steps.map(Float.init))))
        let vars = StepVars(subStates: subStates, subLogits: subLogits, halting: halting, weights: weights,
                            steps: steps, remainder: remainder, hidden: hidden, logits: logits, ponder: ponder)
        return (State(hidden: hidden), vars)
    }
}
