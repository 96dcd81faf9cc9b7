import Engine

extension Transformer {
    /// The same model attending another way, for a view that changes k or m live and recomputes on the same
    /// input (docs/models/transformer.md, "Variants without retraining"). Every weight is shared, not copied;
    /// nil arguments keep the config's value.
    ///
    /// - Linformer at the trained k and n keeps its learned E and F. At any other k or n, or for a model
    ///   trained without them, E and F are stand-ins: N(0, 1/k) from `featureSeed`, as at initialisation but
    ///   never trained.
    /// - Performer keeps its features when m and the seed stay; otherwise it draws draw 0 of the seed at the
    ///   new m. An attention's features at m are the first m rows of its features at any larger m.
    /// - Throws: `ArnnError` for a config field out of range.
    public func withAttention(_ attention: TransformerAttention? = nil, projection: Int? = nil, maxSourceLength: Int? = nil,
                              features: Int? = nil, featureSeed: UInt64? = nil) throws -> Transformer {
        var c = config
        if let attention { c.attention = attention }
        if let projection { c.projection = projection }
        if let maxSourceLength { c.maxSourceLength = maxSourceLength }
        if let features { c.features = features }
        if let featureSeed { c.featureSeed = featureSeed }
        try c.validate()
        var encoder = encoderLayers, decoder = decoderLayers
        let learned = config.attention == .linformer && config.projection == c.projection
            && config.maxSourceLength == c.maxSourceLength
        func projections(_ site: AttentionSite, stream: Int) -> LinformerProjection? {
            guard c.attention == .linformer else { return nil }
            return learned ? linformer(at: site) : Self.standInProjection(site, c, stream: stream)
        }
        for l in encoder.indices { encoder[l].selfAttention.linformer = projections(.encoder(layer: l), stream: l) }
        for l in decoder.indices {
            decoder[l].crossAttention.linformer = projections(.cross(layer: l), stream: c.encoderLayers + l)
        }
        let keep = config.attention == .performer && config.features == c.features && config.featureSeed == c.featureSeed
        return Transformer(config: c, sourceEmbedding: sourceEmbedding, targetEmbedding: targetEmbedding,
                           encoderLayers: encoder, encoderNorm: encoderNorm, decoderLayers: decoder, decoderNorm: decoderNorm,
                           output: output,
                           performerFeatures: c.attention != .performer ? nil
                               : keep ? performerFeatures : PerformerFeatures.draw(c, seed: c.featureSeed))
    }

    /// The same Performer with the given features (a fixture's, or any other draw) in place of its own, for
    /// evaluation and viewing; `features` becomes their m. Training still redraws from `featureSeed` after
    /// the first `redrawEvery` batches, and a checkpoint does not keep them.
    /// - Throws: `ArnnError` unless the attention is `performer` and there is one [m, d_k] matrix per
    ///   encoder layer and per decoder layer, all with the same m.
    public func withFeatures(_ f: PerformerFeatures) throws -> Transformer {
        guard config.attention == .performer else {
            throw ArnnError("transformer: only a performer has random features "
                            + "(this one's attention is \(config.attention.rawValue))")
        }
        let m = f.encoder.first?.shape.first ?? 0, dk = config.headSize
        guard f.encoder.count == config.encoderLayers, f.cross.count == config.decoderLayers,
              (f.encoder + f.cross).allSatisfy({ $0.shape == [m, dk] }) else {
            throw ArnnError("transformer: Performer features must be \(config.encoderLayers) encoder and \(config.decoderLayers) "
                            + "cross-attention matrices of one shape [m, \(dk)]")
        }
        var c = config
        c.features = m
        try c.validate()
        return Transformer(config: c, sourceEmbedding: sourceEmbedding, targetEmbedding: targetEmbedding,
                           encoderLayers: encoderLayers, encoderNorm: encoderNorm, decoderLayers: decoderLayers,
                           decoderNorm: decoderNorm, output: output, performerFeatures: f)
    }

    /// An untrained E and F for `site`: N(0, 1/k) entries row by row, E and F from streams of their own, so
    /// the underlying draws of k rows are the first k of any larger k's.
    static func standInProjection(_ site: AttentionSite, _ c: TransformerConfig, stream: Int) -> LinformerProjection {
        let std = 1 / Float(c.projection).squareRoot()
        func matrix(_ part: Int) -> Tensor {
            var rng = SeededRNG(seed: PerformerFeatures.streamSeed(c.featureSeed ^ standInSalt, draw: 0, stream: 2 * stream + part))
            return rng.normalTensor([c.projection, c.maxSourceLength], std: std)
        }
        return LinformerProjection(e: Parameter("\(site).linformer_e", matrix(0)), f: Parameter("\(site).linformer_f", matrix(1)))
    }

    /// Keeps the stand-in projections' streams apart from the features' streams of the same seed.
    static let standInSalt: UInt64 = 0x4C49_4E46_4F52_4D45
}
