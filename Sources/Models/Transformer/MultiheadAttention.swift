import Engine

/// The weights of one multi-head attention, named and laid out as PyTorch's `nn.MultiheadAttention`
/// (docs/models/transformer.md, eq. 5): `in_proj_weight` [3d, d] stacks W_Q, W_K, W_V; `in_proj_bias` [3d]
/// stacks b_Q, b_K, b_V; `out_proj.weight` [d, d] and `out_proj.bias` [d] mix the heads' outputs.
public struct MultiheadAttention: Sendable {
    public let inProjectionWeight: Parameter
    public let inProjectionBias: Parameter
    public let outProjection: Linear
    /// Under `linformer`, the attention's projections E and F (eq. 13); nil for the other attentions and for
    /// the decoder's self-attention.
    public internal(set) var linformer: LinformerProjection?

    /// Initialised as `nn.MultiheadAttention`: `in_proj_weight` Xavier-uniform (±√(6 / (d + 3d))), biases 0,
    /// `out_proj.weight` uniform ±1/√d (nn.Linear's); drawn in that order.
    public init(_ name: String, modelSize d: Int, rng: inout SeededRNG) {
        let bound = (6 / Float(4 * d)).squareRoot()
        inProjectionWeight = Parameter("\(name).in_proj_weight", rng.uniformTensor([3 * d, d], -bound, bound))
        inProjectionBias = Parameter("\(name).in_proj_bias", Tensor.zeros([3 * d]))
        let outBound = 1 / Float(d).squareRoot()
        outProjection = Linear(weight: Parameter("\(name).out_proj.weight", rng.uniformTensor([d, d], -outBound, outBound)),
                               bias: Parameter("\(name).out_proj.bias", Tensor.zeros([d])))
    }

    public var modelSize: Int { inProjectionWeight.shape[1] }
    /// PyTorch's `state_dict` order, then E and F when there are any.
    public var parameters: [Parameter] {
        [inProjectionWeight, inProjectionBias] + outProjection.parameters + (linformer?.parameters ?? [])
    }

    /// Rows `part·d ..< (part + parts)·d` of the stacked projection applied to x [rows, d]: queries
    /// (part 0), keys (1) and values (2), side by side → [rows, parts·d]. The slices are views of the
    /// parameters, so their gradients land in place.
    public func project(_ g: Graph, _ x: Var, part: Int, parts: Int) -> Var {
        let d = modelSize
        let w = g.slice(g.param(inProjectionWeight), axis: 0, start: part * d, count: parts * d)
        let b = g.slice(g.param(inProjectionBias), axis: 0, start: part * d, count: parts * d)
        return g.linear(x, weight: w, bias: b)
    }
}
