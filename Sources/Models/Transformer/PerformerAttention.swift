import Engine
import Foundation

/// The random features W [m, d_k] of FAVOR+ (Choromanski et al. 2021; docs/models/transformer.md, eqs.
/// 16–20) for every attention the Performer replaces: one matrix per encoder layer's self-attention and
/// one per decoder layer's cross-attention, shared by the attention's heads. Not parameters and not in a
/// checkpoint: they are drawn from `featureSeed`. `named` gives them the names a fixture may store them
/// under.
public struct PerformerFeatures: Sendable, Equatable {
    /// `encoder[ℓ]`: encoder layer ℓ's self-attention; `cross[ℓ]`: decoder layer ℓ's cross-attention.
    public var encoder: [Tensor]
    public var cross: [Tensor]

    public init(encoder: [Tensor], cross: [Tensor]) {
        self.encoder = encoder
        self.cross = cross
    }

    /// Draw number `draw` of `seed` for a config's sizes (eq. 20). Each attention has a stream of its own,
    /// so the features of one attention at m are the first m rows of its features at any larger m.
    public static func draw(_ c: TransformerConfig, seed: UInt64, draw: Int = 0) -> PerformerFeatures {
        func site(_ index: Int) -> Tensor {
            var rng = SeededRNG(seed: streamSeed(seed, draw: draw, stream: index))
            return orthogonalRandomFeatures(count: c.features, size: c.headSize, rng: &rng)
        }
        return PerformerFeatures(encoder: (0..<c.encoderLayers).map { site($0) },
                                 cross: (0..<c.decoderLayers).map { site(c.encoderLayers + $0) })
    }

    /// Eq. (20): m rows in blocks of d. Each block draws a d × d matrix of N(0, 1) entries row by row and
    /// orthonormalises its rows (Gram–Schmidt, in Double), then gives each row it keeps a length drawn from
    /// chi(d): the norm of d more N(0, 1) draws. The rows are then independent N(0, I_d) in distribution,
    /// as the paper's proof asks, but exactly orthogonal within a block.
    public static func orthogonalRandomFeatures(count m: Int, size d: Int, rng: inout SeededRNG) -> Tensor {
        var out: [Float] = []
        out.reserveCapacity(m * d)
        while out.count < m * d {
            var block = (0..<d).map { _ in (0..<d).map { _ in Double(rng.normal()) } }
            for i in 0..<d {
                for j in 0..<i {
                    let dot = zip(block[i], block[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    for c in 0..<d { block[i][c] -= dot * block[j][c] }
                }
                let norm = block[i].reduce(0) { $0 + $1 * $1 }.squareRoot()
                for c in 0..<d { block[i][c] /= norm }
            }
            for row in block.prefix(min(d, m - out.count / d)) {
                let length = (0..<d).reduce(0.0) { s, _ in let z = Double(rng.normal()); return s + z * z }.squareRoot()
                out += row.map { Float($0 * length) }
            }
        }
        return Tensor(shape: [m, d], data: out)
    }

    /// The features of an attention site the Performer replaces.
    public func matrix(for site: AttentionSite) -> Tensor {
        switch site {
        case .encoder(let l): return encoder[l]
        case .cross(let l): return cross[l]
        case .decoderSelf: preconditionFailure("the decoder's self-attention is exact: it has no features")
        }
    }

    /// Every matrix with the name of its attention: `encoder.layers.ℓ.self_attn.performer_features` and
    /// `decoder.layers.ℓ.multihead_attn.performer_features`.
    public var named: [(name: String, tensor: Tensor)] {
        encoder.enumerated().map { ("\(AttentionSite.encoder(layer: $0.offset)).performer_features", $0.element) }
            + cross.enumerated().map { ("\(AttentionSite.cross(layer: $0.offset)).performer_features", $0.element) }
    }

    /// One seed per (draw, stream): SeededRNG spreads it with splitmix, so neighbouring values are unrelated.
    static func streamSeed(_ seed: UInt64, draw: Int, stream: Int) -> UInt64 {
        seed ^ (UInt64(draw) &* 0x9E37_79B9_7F4A_7C15) ^ ((UInt64(stream) &+ 1) &* 0xD1B5_4A32_D192_ED03)
    }
}

extension Transformer {
    /// Eq. (16)'s exponent w_l · x̃ − ‖x̃‖²/2 with x̃ = x / d_k^{1/4}, for rows x [B·h, T, d_k] and features
    /// W [m, d_k]: [B·h, T, m].
    static func performerExponent(_ g: Graph, _ x: Var, features w: Var) -> Var {
        let scaled = g.scale(x, 1 / Foundation.pow(Float(g.shape(x)[2]), 0.25))
        let half = g.scale(g.sum(g.mul(scaled, scaled), axis: -1, keepAxis: true), 0.5)
        return g.sub(g.matmul(scaled, w, transposeB: true), half)
    }

    /// Eqs. (16)–(18), the key side: keys and values [B·h, T_k, d_k], the source mask [B, 1, 1, T_k] (0 or
    /// −10⁹) or nil, and features `w` [m, d_k]. A padded key's exponent gets the mask's −10⁹, so its φ is 0
    /// exactly, with no gradient. The keys' stabiliser (18) is one constant per head of an example: the
    /// largest exponent over its real keys and features.
    public static func performerKeys(_ g: Graph, keys k: Var, values v: Var, maskBias: Var?, batch b: Int,
                                     features w: Tensor) -> AttentionKeys {
        let ks = g.shape(k)
        let rows = ks[0], tk = ks[1], dk = ks[2], h = rows / b, m = w.shape[0]
        precondition(w.shape == [m, dk], "features \(w.shape) for heads of width \(dk)")
        let features = g.constant(w)
        var exponent = performerExponent(g, k, features: features)
        if let maskBias {
            exponent = g.reshape(g.add(g.reshape(exponent, [b, h, tk, m]), g.reshape(maskBias, [b, 1, tk, 1])), [rows, tk, m])
        }
        let shift = g.withValue(exponent) { e in
            Tensor(shape: [rows, 1, 1], data: (0..<rows).map { r in e[(r * tk * m)..<((r + 1) * tk * m)].max()! })
        }
        let phi = g.scale(g.exp(g.sub(exponent, g.constant(shift))), 1 / Float(m).squareRoot())      // φ(K) [B·h, T_k, m]
        return AttentionKeys(keys: k, values: v, maskBias: maskBias, batch: b,
                             prepared: .performer(features: features, keyFeatures: phi,
                                                  keysValues: g.matmul(phi, v, transposeA: true),     // φ(K)ᵀ V [B·h, m, d_k]
                                                  keySum: g.sum(phi, axis: 1, keepAxis: true)))       // φ(K)ᵀ 1 [B·h, 1, m]
    }

    /// Eqs. (16)–(19), the query side, for queries [B·h, T_q, d_k]: the output D⁻¹ φ(Q) (φ(K)ᵀ V), computed
    /// in that order, O((T_q + T_k)·m·d_k) and never T_q × T_k. With `map`, also the map it implies,
    /// D⁻¹ φ(Q) φ(K)ᵀ (eq. 19), which costs T_q·T_k·m more, for the view; the output does not depend on it.
    /// A query's stabiliser (18) is the largest exponent of its own row.
    static func performerAttend(_ g: Graph, queries q: Var, features w: Var, keyFeatures phiK: Var, keysValues: Var,
                                keySum: Var, map: Bool) -> (output: Var, weights: Var?) {
        let qs = g.shape(q)
        let rows = qs[0], tq = qs[1], m = g.shape(w)[0]
        let exponent = performerExponent(g, q, features: w)
        let shift = g.withValue(exponent) { e in
            Tensor(shape: [rows, tq, 1], data: (0..<(rows * tq)).map { r in e[(r * m)..<((r + 1) * m)].max()! })
        }
        let phiQ = g.scale(g.exp(g.sub(exponent, g.constant(shift))), 1 / Float(m).squareRoot())      // φ(Q) [B·h, T_q, m]
        let normaliser = g.matmul(phiQ, keySum, transposeB: true)                                       // D [B·h, T_q, 1]
        let output = g.div(g.matmul(phiQ, keysValues), normaliser)                                      // (17)
        guard map else { return (output, nil) }
        return (output, g.div(g.matmul(phiQ, phiK, transposeB: true), normaliser))                      // (19)
    }

    /// Eqs. (16)–(19) in one call, as `softmaxAttention` takes its inputs.
    public static func performerAttention(_ g: Graph, queries q: Var, keys k: Var, values v: Var, maskBias: Var?,
                                          batch b: Int, features w: Tensor) -> Attended {
        attend(g, queries: q, keys: performerKeys(g, keys: k, values: v, maskBias: maskBias, batch: b, features: w))
    }
}
