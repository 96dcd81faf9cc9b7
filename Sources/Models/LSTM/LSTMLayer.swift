import Engine

/// One layer k of the stack, eqs. (3)–(6) of docs/models/lstm.md: PyTorch's `nn.LSTM` layer, with its
/// parameters named as `nn.LSTM` names them (`lstm.weight_ih_l<k>`, ...).
///
/// Engine's `LSTMCell` computes the same thing but names its parameters `<prefix>.weight_ih` (the
/// `nn.LSTMCell` names), with no way to name them otherwise; and it returns only (h, c), while the
/// snapshot needs the gates. So this layer runs the same two fused operations itself (`affine`, then
/// `lstmPointwise`) and hands back the pre-activations it had to compute anyway: no extra node, no
/// extra arithmetic on the training path.
public struct LSTMLayer: Sendable {
    public let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    /// PyTorch's default initialisation: every tensor uniform in ±1/√H (docs/models/lstm.md,
    /// "Initialisation"), drawn in the order weight_ih, weight_hh, bias_ih, bias_hh.
    public init(layer k: Int, inputSize: Int, hiddenSize h: Int, rng: inout SeededRNG) {
        let bound = 1 / Float(max(h, 1)).squareRoot()
        weightIH = Parameter("lstm.weight_ih_l\(k)", rng.uniformTensor([4 * h, inputSize], -bound, bound))
        weightHH = Parameter("lstm.weight_hh_l\(k)", rng.uniformTensor([4 * h, h], -bound, bound))
        biasIH = Parameter("lstm.bias_ih_l\(k)", rng.uniformTensor([4 * h], -bound, bound))
        biasHH = Parameter("lstm.bias_hh_l\(k)", rng.uniformTensor([4 * h], -bound, bound))
    }

    public var inputSize: Int { weightIH.shape[1] }
    public var hiddenSize: Int { weightHH.shape[1] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    /// One step for input x [B, in] and state (h, c) [B, H]: the pre-activations z [B, 4H] (gate order
    /// i, f, g, o) and the new (h, c).
    public func callAsFunction(_ g: Graph, _ x: Var, h: Var, c: Var) -> (preactivations: Var, h: Var, c: Var) {
        let z = g.affine([(x, g.param(weightIH)), (h, g.param(weightHH))],
                         biases: [g.param(biasIH), g.param(biasHH)])                // (3)
        let (hNext, cNext) = g.lstmPointwise(gates: z, cell: c)                     // (4)–(6)
        return (z, hNext, cNext)
    }
}
