import Engine
import Foundation

/// Everything a view may draw about one decoder step of one sentence: plain values, no graph. Equation
/// numbers refer to docs/models/seq2seq.md.
public struct Seq2SeqSnapshot: BeamSnapshot, Equatable {
    /// Eqs. (6), (7): scores e_t and attention weights α_t over the source positions.
    public var scores: [Float]
    public var weights: [Float]
    /// Eq. (8): the context c_t [2H_e]; eq. (9): the decoder state s_t [H_d].
    public var context: [Float]
    public var hidden: [Float]
    /// Eq. (10): the logits, and softmax(logits): the distribution over the next target token.
    public var logits: [Float]
    public var output: [Float]
    /// The encoder's annotations a_i [S][2H_e] (the same at every step of a sentence).
    public var annotations: [[Float]]
    /// The decoder's initial state s₀ [H_d], eq. (5) (the same at every step of a sentence).
    public var initial: [Float] = []
    /// Beam search only: the hypotheses kept after this step, best first (empty for greedy decoding).
    public var beams: [BeamHypothesis] = []
    /// The token written at this step when it is not the most likely one (beam search); nil for greedy.
    public var chosen: Int?

    /// The token greedy decoding writes: the most likely one (ties: the lower id).
    public var token: Int { chosen ?? top(1).first?.token ?? 0 }

    /// The `k` most likely next tokens with their probabilities, most likely first (ties: lower id).
    public func top(_ k: Int) -> [(token: Int, probability: Float)] {
        output.indices.sorted { output[$0] > output[$1] || (output[$0] == output[$1] && $0 < $1) }
            .prefix(k).map { ($0, output[$0]) }
    }

    private enum CodingKeys: String, CodingKey { case scores, weights, context, hidden, logits, top, beams }

    /// What the encoder computed once per sentence, for a trace's `encoder` field: the annotations a_i
    /// (4) and the decoder's initial state s₀ (5).
    public struct Encoding: Encodable, Sendable { var annotations: [[Float]]; var initial: [Float] }
    public var episodeFields: (any Encodable & Sendable)? { Encoding(annotations: annotations, initial: initial) }
    private struct Top: Encodable { var token: Int; var probability: Float }

    /// The trace fields (docs/trace.md); the annotations are left out (the same at every step).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scores, forKey: .scores)
        try c.encode(weights, forKey: .weights)
        try c.encode(context, forKey: .context)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(logits, forKey: .logits)
        try c.encode(top(5).map { Top(token: $0.token, probability: $0.probability) }, forKey: .top)
        if !beams.isEmpty { try c.encode(beams, forKey: .beams) }
    }
}

extension Seq2Seq.StepVars {
    public func snapshot(_ g: Graph, example b: Int) -> Seq2SeqSnapshot {
        let mask = g.row(maskBias, example: b)
        let n = mask.filter { $0 == 0 }.count                        // the sentence's own length
        let logits = g.row(self.logits, example: b)
        let m = logits.max() ?? 0
        let e = logits.map { Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        let a = g.row(annotations, example: b)
        let width = a.count / Swift.max(1, mask.count)
        return Seq2SeqSnapshot(
            scores: Array(g.row(scores, example: b).prefix(n)), weights: Array(g.row(weights, example: b).prefix(n)),
            context: g.row(context, example: b), hidden: g.row(hidden, example: b), logits: logits,
            output: e.map { $0 / z },
            annotations: (0..<n).map { Array(a[($0 * width)..<(($0 + 1) * width)]) },
            initial: g.row(initial, example: b))
    }
}
