import Engine

/// One attention's keys and values, made ready for its queries (`Transformer.prepare`): what an attention
/// computes from the keys and values alone, once, however many queries come. The cross-attention's are
/// made once per source (eq. 10b), so a decoder step does only its queries' share.
public struct AttentionKeys: CarriedState {
    /// The work an approximation does on the key side.
    public enum Prepared: Sendable {
        /// Eq. (4): nothing beyond the keys and values.
        case exact
        /// Eq. (13): (E_S K̄)ᵀ and (F_S V̄)ᵀ [B·h, d_k, k], F_S [k, S] for the implied map (eq. 15), and the
        /// real positions [B, 1, S, 1] (1 or 0) when the batch is padded.
        case linformer(keys: Var, values: Var, valueProjection: Var, real: Var?)
        /// Eq. (17): the features W [m, d_k], φ(K) [B·h, S, m] (padded rows 0), φ(K)ᵀ V [B·h, m, d_k] and
        /// φ(K)ᵀ 1 [B·h, 1, m].
        case performer(features: Var, keyFeatures: Var, keysValues: Var, keySum: Var)
    }

    /// Keys and values [B·h, T_k, d_k], the mask [B, 1, 1, T_k] or nil, and B (as `attend` takes them): the
    /// inputs of exact attention, kept for it and for comparing with it.
    public var keys: Var
    public var values: Var
    public var maskBias: Var?
    public var batch: Int
    public var prepared: Prepared

    public func mapVars(_ f: (Var) -> Var) -> AttentionKeys {
        let keys = f(self.keys), values = f(self.values), maskBias = self.maskBias.map(f)
        let prepared: Prepared
        switch self.prepared {
        case .exact: prepared = .exact
        case let .linformer(keys, values, valueProjection, real):
            prepared = .linformer(keys: f(keys), values: f(values), valueProjection: f(valueProjection), real: real.map(f))
        case let .performer(features, keyFeatures, keysValues, keySum):
            prepared = .performer(features: f(features), keyFeatures: f(keyFeatures), keysValues: f(keysValues), keySum: f(keySum))
        }
        return AttentionKeys(keys: keys, values: values, maskBias: maskBias, batch: batch, prepared: prepared)
    }
}
