/// PyTorch's `nn.Linear`: y = x Wᵀ + b with `weight` [out, in] and `bias` [out], initialised as PyTorch
/// does (both uniform in ±1/√in).
public struct Linear: Sendable {
    public let weight: Parameter
    public let bias: Parameter?

    /// - Parameter name: prefix of the parameter names (`name.weight`, `name.bias`).
    public init(_ name: String, inFeatures: Int, outFeatures: Int, bias: Bool = true, rng: inout SeededRNG) {
        let bound = 1 / Float(max(inFeatures, 1)).squareRoot()
        weight = Parameter("\(name).weight", rng.uniformTensor([outFeatures, inFeatures], -bound, bound))
        self.bias = bias ? Parameter("\(name).bias", rng.uniformTensor([outFeatures], -bound, bound)) : nil
    }

    /// A layer of given parameters (an attention's `out_proj`, whose bias PyTorch starts at 0).
    public init(weight: Parameter, bias: Parameter?) {
        precondition(bias == nil || bias!.shape == Shape(weight.shape[0]), "bias \(bias!.shape) for weight \(weight.shape)")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func callAsFunction(_ g: Graph, _ x: Var) -> Var {
        g.linear(x, weight: g.param(weight), bias: bias.map { g.param($0) })
    }
}

/// PyTorch's `nn.Embedding`: a table `weight` [count, dimension] whose row i is token i's vector,
/// initialised N(0, 1) as PyTorch does.
public struct Embedding: Sendable {
    public let weight: Parameter

    /// - Parameter name: prefix of the parameter name (`name.weight`).
    public init(_ name: String, count: Int, dimension: Int, rng: inout SeededRNG) {
        weight = Parameter("\(name).weight", rng.normalTensor([count, dimension]))
    }

    public var count: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }
    public var parameters: [Parameter] { [weight] }

    /// The vectors of `ids`, as [ids.count, dimension].
    public func callAsFunction(_ g: Graph, ids: [Int]) -> Var { g.embedding(g.param(weight), ids: ids) }
}

/// PyTorch's `nn.LSTMCell`: `weight_ih` [4H, in], `weight_hh` [4H, H], `bias_ih`, `bias_hh` [4H], gate
/// order i, f, g, o; every parameter initialised uniform in ±1/√H, drawn in that order.
public struct LSTMCell: Sendable {
    public let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    /// - Parameters: `name` prefixes the parameter names and `suffix` ends them: `name.weight_ih` for an
    ///   `nn.LSTMCell`, or (`lstm`, `_l0`) for layer 0 of an `nn.LSTM` (`lstm.weight_ih_l0`).
    public init(_ name: String, suffix: String = "", inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) {
        let k = 1 / Float(max(hiddenSize, 1)).squareRoot()
        weightIH = Parameter("\(name).weight_ih\(suffix)", rng.uniformTensor([4 * hiddenSize, inputSize], -k, k))
        weightHH = Parameter("\(name).weight_hh\(suffix)", rng.uniformTensor([4 * hiddenSize, hiddenSize], -k, k))
        biasIH = Parameter("\(name).bias_ih\(suffix)", rng.uniformTensor([4 * hiddenSize], -k, k))
        biasHH = Parameter("\(name).bias_hh\(suffix)", rng.uniformTensor([4 * hiddenSize], -k, k))
    }

    public var inputSize: Int { weightIH.shape[1] }
    public var hiddenSize: Int { weightHH.shape[1] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    /// One step: (h, c) → (h', c') for input x [B, in] (or unbatched [in] with h, c [H]).
    public func callAsFunction(_ g: Graph, _ x: Var, h: Var, c: Var) -> (h: Var, c: Var) {
        let step = self.step(g, x, h: h, c: c)
        return (step.h, step.c)
    }

    /// One step that also hands back the gate pre-activations z [B, 4H] (order i, f, g, o), which it
    /// computes anyway, for views that show the gates: no extra node, no extra arithmetic.
    public func step(_ g: Graph, _ x: Var, h: Var, c: Var) -> (preactivations: Var, h: Var, c: Var) {
        let z = g.affine([(x, g.param(weightIH)), (h, g.param(weightHH))],
                         biases: [g.param(biasIH), g.param(biasHH)])
        let (hNext, cNext) = g.lstmPointwise(gates: z, cell: c)
        return (z, hNext, cNext)
    }
}

/// PyTorch's `nn.GRUCell`: `weight_ih` [3H, in], `weight_hh` [3H, H], biases [3H], gate order r, z, n:
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise, n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),
/// h' = (1 − z)·n + z·h. Initialised uniform in ±1/√H.
public struct GRUCell: Sendable {
    public let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    /// - Parameters: `name` prefixes the parameter names and `suffix` ends them: `name.weight_ih` for an
    ///   `nn.GRUCell`, or (`gru`, `_l0_reverse`) for the backward direction of layer 0 of a bidirectional
    ///   `nn.GRU` (`gru.weight_ih_l0_reverse`).
    public init(_ name: String, suffix: String = "", inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) {
        let k = 1 / Float(max(hiddenSize, 1)).squareRoot()
        weightIH = Parameter("\(name).weight_ih\(suffix)", rng.uniformTensor([3 * hiddenSize, inputSize], -k, k))
        weightHH = Parameter("\(name).weight_hh\(suffix)", rng.uniformTensor([3 * hiddenSize, hiddenSize], -k, k))
        biasIH = Parameter("\(name).bias_ih\(suffix)", rng.uniformTensor([3 * hiddenSize], -k, k))
        biasHH = Parameter("\(name).bias_hh\(suffix)", rng.uniformTensor([3 * hiddenSize], -k, k))
    }

    public var inputSize: Int { weightIH.shape[1] }
    public var hiddenSize: Int { weightHH.shape[1] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    /// One step: h → h' for input x [B, in] (or unbatched [in] with h [H]).
    public func callAsFunction(_ g: Graph, _ x: Var, h: Var) -> Var {
        let hs = hiddenSize
        let gi = g.split(g.linear(x, weight: g.param(weightIH), bias: g.param(biasIH)), sizes: [hs, hs, hs])
        let gh = g.split(g.linear(h, weight: g.param(weightHH), bias: g.param(biasHH)), sizes: [hs, hs, hs])
        let r = g.sigmoid(g.add(gi[0], gh[0]))
        let z = g.sigmoid(g.add(gi[1], gh[1]))
        let n = g.tanh(g.add(gi[2], g.mul(r, gh[2])))
        return g.add(g.mul(g.oneMinus(z), n), g.mul(z, h))
    }
}

/// PyTorch's `nn.LayerNorm(n)`: `weight` γ [n] and `bias` β [n], initialised to ones and zeros, over the
/// last axis with ε = 1e-5 (see `Graph.layerNorm`).
public struct LayerNorm: Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let epsilon: Float

    /// - Parameter name: prefix of the parameter names (`name.weight`, `name.bias`).
    public init(_ name: String, size: Int, epsilon: Float = 1e-5) {
        weight = Parameter("\(name).weight", Tensor.ones([size]))
        bias = Parameter("\(name).bias", Tensor.zeros([size]))
        self.epsilon = epsilon
    }

    public var size: Int { weight.shape[0] }
    public var parameters: [Parameter] { [weight, bias] }

    public func callAsFunction(_ g: Graph, _ x: Var) -> Var {
        g.layerNorm(x, gain: g.param(weight), bias: g.param(bias), epsilon: epsilon)
    }
}
