/// One of a transformer's attentions (docs/models/transformer.md): an encoder layer's self-attention
/// (eq. 7), a decoder layer's causal self-attention (10a) or its cross-attention (10b). Its description is
/// the attention's name in the checkpoint (`encoder.layers.0.self_attn`).
public enum AttentionSite: Hashable, Sendable, CustomStringConvertible, Encodable {
    case encoder(layer: Int)
    case decoderSelf(layer: Int)
    case cross(layer: Int)

    public var layer: Int {
        switch self { case .encoder(let l), .decoderSelf(let l), .cross(let l): return l }
    }

    /// Whether the approximations replace this attention: the encoder's and the cross-attention do; the
    /// decoder's causal self-attention stays exact (docs/models/transformer.md, "Approximate attention").
    public var isApproximated: Bool {
        if case .decoderSelf = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .encoder(let l): return "encoder.layers.\(l).self_attn"
        case .decoderSelf(let l): return "decoder.layers.\(l).self_attn"
        case .cross(let l): return "decoder.layers.\(l).multihead_attn"
        }
    }

    /// Written as its name.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
