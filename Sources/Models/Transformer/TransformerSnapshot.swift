import Engine
import Foundation

/// Everything a view may draw about one decoder step of one sentence: plain values, no graph. Equation
/// numbers refer to docs/models/transformer.md. Every weight here is one the model computed and used; under
/// an approximate attention, the encoder's and the cross-attention's are the maps its output implies
/// (eqs. 15, 19), of the same shapes.
public struct TransformerSnapshot: BeamSnapshot, Equatable {
    /// Eq. (10b): `crossAttention[ℓ][j]` is decoder layer ℓ's head j's weights over the S source positions.
    public var crossAttention: [[[Float]]]
    /// Eq. (10a): `selfAttention[ℓ][j]` is decoder layer ℓ's head j's weights over target positions 0…t
    /// (t + 1 entries; later positions do not exist yet, so get no weight).
    public var selfAttention: [[[Float]]]
    /// Eq. (12): the logits, and softmax(logits): the distribution over the next target token.
    public var logits: [Float]
    public var output: [Float]
    /// Eq. (7): `encoderAttention[ℓ][j][i]` is encoder layer ℓ's head j's weights of source position i over
    /// the S positions (the same at every step of a sentence).
    public var encoderAttention: [[[[Float]]]]
    /// Under Linformer or Performer: exact softmax attention (eq. 4) on the same queries and keys as
    /// `crossAttention` and `encoderAttention`, which then hold the maps the approximation implies (eqs. 15,
    /// 19). Empty for exact attention.
    public var exactCrossAttention: [[[Float]]] = []
    public var exactEncoderAttention: [[[[Float]]]] = []
    /// Beam search only: the hypotheses kept after this step, best first (empty for greedy decoding).
    public var beams: [BeamHypothesis] = []
    /// The token written at this step when it is not the most likely one (beam search); nil for greedy.
    public var chosen: Int?

    public init(crossAttention: [[[Float]]], selfAttention: [[[Float]]], logits: [Float], output: [Float],
                encoderAttention: [[[[Float]]]]) {
        self.crossAttention = crossAttention
        self.selfAttention = selfAttention
        self.logits = logits
        self.output = output
        self.encoderAttention = encoderAttention
    }

    /// The alignment `arnn translate` prints: the last decoder layer's cross-attention averaged over its
    /// heads (it sums to 1, as each head's does; under the Linformer, whose implied maps need not, it may not).
    public var weights: [Float] {
        guard let last = crossAttention.last, let first = last.first else { return [] }
        var mean = [Float](repeating: 0, count: first.count)
        for head in last { for i in mean.indices { mean[i] += head[i] } }
        return mean.map { $0 / Float(last.count) }
    }

    /// The token greedy decoding writes: the most likely one (ties: the lower id).
    public var token: Int { chosen ?? top(1).first?.token ?? 0 }

    /// The `k` most likely next tokens with their probabilities, most likely first (ties: lower id).
    public func top(_ k: Int) -> [(token: Int, probability: Float)] {
        output.indices.sorted { output[$0] > output[$1] || (output[$0] == output[$1] && $0 < $1) }
            .prefix(k).map { ($0, output[$0]) }
    }

    private enum CodingKeys: String, CodingKey { case crossAttention, selfAttention, logits, top, beams }

    /// What the encoder computed once per sentence, for a trace's `encoder` field.
    public struct Encoding: Encodable, Sendable { var encoderAttention: [[[[Float]]]] }
    public var episodeFields: (any Encodable & Sendable)? { Encoding(encoderAttention: encoderAttention) }
    private struct Top: Encodable { var token: Int; var probability: Float }

    /// The trace fields; the encoder's attention is left out (the same at every step: `episodeFields`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(crossAttention, forKey: .crossAttention)
        try c.encode(selfAttention, forKey: .selfAttention)
        try c.encode(logits, forKey: .logits)
        try c.encode(top(5).map { Top(token: $0.token, probability: $0.probability) }, forKey: .top)
        if !beams.isEmpty { try c.encode(beams, forKey: .beams) }
    }
}

extension Transformer.StepVars {
    public func snapshot(_ g: Graph, example b: Int) -> TransformerSnapshot {
        precondition(crossWeights.count == selfWeights.count,
                     "a snapshot of a step encoded for its outputs alone: encode(_:sources:) builds the maps it draws")
        let n = sourceLengths[b]                       // the sentence's own length; padding is cropped
        let h = heads
        /// Head j's rows of a [B·h, rows, width] attention, the first `keep` entries of each row.
        func head(_ v: Var, _ j: Int, rows: Int, keep: Int) -> [[Float]] {
            let all = g.row(v, example: b * h + j)
            let width = all.count / rows
            return (0..<rows).map { Array(all[($0 * width)..<($0 * width + keep)]) }
        }
        let logits = g.row(self.logits, example: b)
        let m = logits.max() ?? 0
        let e = logits.map { Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        var snapshot = TransformerSnapshot(
            crossAttention: crossWeights.map { w in (0..<h).map { head(w, $0, rows: 1, keep: n)[0] } },
            selfAttention: selfWeights.map { w in (0..<h).map { head(w, $0, rows: 1, keep: g.shape(w)[2])[0] } },
            logits: logits, output: e.map { $0 / z },
            encoderAttention: encoderWeights.map { w in (0..<h).map { head(w, $0, rows: g.shape(w)[1], keep: n).prefix(n).map { $0 } } })
        snapshot.exactCrossAttention = exactCrossWeights.map { w in (0..<h).map { head(w, $0, rows: 1, keep: n)[0] } }
        snapshot.exactEncoderAttention = exactEncoderWeights.map { w in
            (0..<h).map { head(w, $0, rows: g.shape(w)[1], keep: n).prefix(n).map { $0 } }
        }
        return snapshot
    }
}
