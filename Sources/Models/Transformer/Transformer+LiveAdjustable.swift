import Engine

extension Transformer: LiveAdjustable {
    /// A Linformer's k (1 to n) or a Performer's m (1 to 4,096), by powers of two; none for exact attention.
    /// Off the trained value the weights were not trained for what they meet (`withAttention`).
    public var liveSettings: [LiveSetting] {
        switch config.attention {
        case .softmax:
            return []
        case .linformer:
            return [LiveSetting(field: "projection", symbol: "k", trained: config.projection,
                                values: LiveSetting.powersOfTwo(upTo: config.maxSourceLength),
                                untrainedNote: "stand-in E, F drawn N(0, 1/k), never trained")]
        case .performer:
            return [LiveSetting(field: "features", symbol: "m", trained: config.features,
                                values: LiveSetting.powersOfTwo(upTo: 4096),
                                untrainedNote: "features drawn afresh at m")]
        }
    }

    public func adjusted(_ settings: [String: Int]) throws -> Transformer {
        let live = Set(liveSettings.map(\.field))
        if let field = settings.keys.sorted().first(where: { !live.contains($0) }) {
            throw ArnnError("transformer: \(field) cannot change without retraining"
                            + (live.isEmpty ? " (its attention is exact: nothing approximated to change)"
                                            : " (only \(live.sorted().joined(separator: ", ")) can)"))
        }
        return try withAttention(projection: settings["projection"], features: settings["features"])
    }
}
