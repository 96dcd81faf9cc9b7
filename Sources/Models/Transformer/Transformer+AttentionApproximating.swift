extension Transformer: AttentionApproximating {
    public var approximatesAttention: Bool { config.attention != .softmax }

    public func meanAttentionError(sources: [[Int]], targets: [[Int]]) throws -> Double {
        Double(try attentionError(sources: sources, targets: targets).mean)
    }
}
