import Engine

/// DMN+'s attention-based GRU (eq. 11 in docs/models/dmn.md): an nn.GRUCell whose update gate is replaced
/// by the fact's attention gate g_i, so its tensors are nn.GRUCell's without the z rows: `weight_ih`
/// [2H, in] and `weight_hh` [2H, H] with rows r then n, and biases [2H] likewise.
public struct AttentionGRUCell: Sendable {
    public let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    /// Each [H, in] and [H, H] block Xavier-uniform, biases zero (docs/models/dmn.md, "Initialisation").
    init(_ name: String, inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) {
        weightIH = Parameter("\(name).weight_ih", xavierUniform(&rng, blocks: 2, rows: hiddenSize, columns: inputSize))
        weightHH = Parameter("\(name).weight_hh", xavierUniform(&rng, blocks: 2, rows: hiddenSize, columns: hiddenSize))
        biasIH = Parameter("\(name).bias_ih", Tensor(shape: [2 * hiddenSize]))
        biasHH = Parameter("\(name).bias_hh", Tensor(shape: [2 * hiddenSize]))
    }

    public var hiddenSize: Int { weightHH.shape[1] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    /// W_ir x + b_ir and W_in x + b_in for every row of x [rows, in]: [rows, 2H]. The facts are the same in
    /// every pass and the cell is shared by the passes, so this is done once per story.
    func inputProjection(_ g: Graph, _ x: Var) -> Var {
        g.linear(x, weight: g.param(weightIH), bias: g.param(biasIH))
    }

    /// Eq. (11) for one fact: `gi` [B, 2H] its input projection, h [B, H] the previous state, `gate` [B, 1]
    /// its attention gate g_i.
    func step(_ g: Graph, projected gi: Var, h: Var, gate: Var) -> Var {
        let hs = hiddenSize
        let i = g.split(gi, sizes: [hs, hs])
        let r_h = g.split(g.linear(h, weight: g.param(weightHH), bias: g.param(biasHH)), sizes: [hs, hs])
        let r = g.sigmoid(g.add(i[0], r_h[0]))                       // r_i
        let candidate = g.tanh(g.add(i[1], g.mul(r, r_h[1])))       // h̃_i
        // h_i = g h̃_i + (1 − g) h_{i−1} = h_{i−1} + g (h̃_i − h_{i−1}): a gate of 0 keeps h exactly.
        return g.add(h, g.mul(gate, g.sub(candidate, h)))
    }
}
