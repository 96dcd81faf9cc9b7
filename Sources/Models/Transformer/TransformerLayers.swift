import Engine

/// The weights of one encoder layer, named as PyTorch's `nn.TransformerEncoderLayer` (eq. 7 in
/// docs/models/transformer.md): `self_attn.*`, `linear1` [F, d], `linear2` [d, F], `norm1`, `norm2`.
public struct TransformerEncoderLayer: Sendable {
    public internal(set) var selfAttention: MultiheadAttention
    public let linear1: Linear
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm

    /// Drawn in the order self_attn, linear1, linear2 (the norms start at 1 and 0 and draw nothing).
    public init(_ name: String, modelSize d: Int, feedForwardSize f: Int, rng: inout SeededRNG) {
        selfAttention = MultiheadAttention("\(name).self_attn", modelSize: d, rng: &rng)
        linear1 = Linear("\(name).linear1", inFeatures: d, outFeatures: f, rng: &rng)
        linear2 = Linear("\(name).linear2", inFeatures: f, outFeatures: d, rng: &rng)
        norm1 = LayerNorm("\(name).norm1", size: d)
        norm2 = LayerNorm("\(name).norm2", size: d)
    }

    /// In the order of PyTorch's `state_dict`.
    public var parameters: [Parameter] {
        selfAttention.parameters + linear1.parameters + linear2.parameters + norm1.parameters + norm2.parameters
    }
}

/// The weights of one decoder layer, named as PyTorch's `nn.TransformerDecoderLayer` (eq. 10):
/// `self_attn.*`, `multihead_attn.*` (cross-attention), `linear1`, `linear2`, `norm1`, `norm2`, `norm3`.
public struct TransformerDecoderLayer: Sendable {
    public let selfAttention: MultiheadAttention
    public internal(set) var crossAttention: MultiheadAttention
    public let linear1: Linear
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let norm3: LayerNorm

    /// Drawn in the order self_attn, multihead_attn, linear1, linear2.
    public init(_ name: String, modelSize d: Int, feedForwardSize f: Int, rng: inout SeededRNG) {
        selfAttention = MultiheadAttention("\(name).self_attn", modelSize: d, rng: &rng)
        crossAttention = MultiheadAttention("\(name).multihead_attn", modelSize: d, rng: &rng)
        linear1 = Linear("\(name).linear1", inFeatures: d, outFeatures: f, rng: &rng)
        linear2 = Linear("\(name).linear2", inFeatures: f, outFeatures: d, rng: &rng)
        norm1 = LayerNorm("\(name).norm1", size: d)
        norm2 = LayerNorm("\(name).norm2", size: d)
        norm3 = LayerNorm("\(name).norm3", size: d)
    }

    /// In the order of PyTorch's `state_dict`.
    public var parameters: [Parameter] {
        selfAttention.parameters + crossAttention.parameters + linear1.parameters + linear2.parameters
            + norm1.parameters + norm2.parameters + norm3.parameters
    }
}
