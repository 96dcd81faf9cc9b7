import Engine
import Foundation
import Models

/// Beam search over an encoder–decoder (docs/models/seq2seq.md, "Training and decoding"): keeps the k
/// sequences of highest summed log-probability; finished ones (`<eos>`) stay as they are; stops when all k
/// kept are finished or at the length limit; returns the finished one (or, failing that, any) with the best
/// log-probability per token.
public struct BeamSearch<M: EncoderDecoderModel>: Sendable {
    public let model: M
    public let width: Int
    public let bos: Int
    public let eos: Int

    public init(model: M, width: Int, bos: Int, eos: Int) {
        precondition(width >= 1, "a beam of width \(width)")
        self.model = model
        self.width = width
        self.bos = bos
        self.eos = eos
    }

    public struct Result {
        public var tokens: [Int]
        /// Per step: the snapshot of the best sequence's row and the hypotheses kept after the step (empty
        /// unless snapshots were asked for).
        public var steps: [(snapshot: M.StepVars.Snapshot, beams: [BeamHypothesis])]
    }

    public func search(_ source: [Int], keepSnapshots: Bool) -> Result {
        let k = width
        let g = Graph()
        let sources = Array(repeating: source, count: k)
        let memory = keepSnapshots ? model.encode(g, sources: sources) : model.encode(g, sources: sources, training: nil)
        var state = model.initialState(g, memory: memory)
        var hyps = [BeamHypothesis(tokens: [], logProbability: 0, finished: false)]
            + Array(repeating: BeamHypothesis(tokens: [], logProbability: -.infinity, finished: false), count: k - 1)
        var snapshots: [[M.StepVars.Snapshot]] = [], parents: [[Int]] = [], kept: [[BeamHypothesis]] = []
        let v = model.targetVocabularySize
        for _ in 0..<Decoding.maxOutputLength(sourceLength: source.count) {
            let previous = hyps.map { $0.finished ? eos : ($0.tokens.last ?? bos) }
            let (next, vars) = model.step(g, previous: previous, state: state, memory: memory)
            if keepSnapshots { snapshots.append((0..<k).map { vars.snapshot(g, example: $0) }) }
            // Candidates: finished hypotheses as they are, and every extension of the others.
            var candidates: [(parent: Int, hyp: BeamHypothesis)] = []
            g.withValue(vars.logits) { l in
                for i in 0..<k where hyps[i].logProbability > -.infinity {
                    if hyps[i].finished { candidates.append((i, hyps[i])); continue }
                    let row = Array(l[(i * v)..<((i + 1) * v)])
                    let m = row.max()!
                    let logZ = m + Foundation.log(row.reduce(Float(0)) { $0 + Foundation.exp($1 - m) })
                    for (c, value) in Kernels.topK(row, k: k) {
                        candidates.append((i, BeamHypothesis(tokens: hyps[i].tokens + [c], logProbability: hyps[i].logProbability + value - logZ,
                                                            finished: c == eos)))
                    }
                }
            }
            candidates.sort { $0.hyp.logProbability > $1.hyp.logProbability }
            let chosen = Array(candidates.prefix(k))
            let padded = chosen + Array(repeating: (parent: 0, hyp: BeamHypothesis(tokens: [], logProbability: -.infinity, finished: true)),
                                        count: k - chosen.count)
            hyps = padded.map(\.hyp)
            parents.append(padded.map(\.parent))
            kept.append(chosen.map(\.hyp))
            state = model.reorder(g, next, rows: padded.map(\.parent))
            if hyps.allSatisfy(\.finished) { break }
        }
        func perToken(_ h: BeamHypothesis) -> Float { h.logProbability / Float(Swift.max(1, h.tokens.count)) }
        let finished = hyps.indices.filter { hyps[$0].finished && hyps[$0].logProbability > -.infinity }
        let pool = finished.isEmpty ? hyps.indices.filter { hyps[$0].logProbability > -.infinity } : finished
        let best = pool.max { perToken(hyps[$0]) < perToken(hyps[$1]) } ?? 0
        guard keepSnapshots else { return Result(tokens: hyps[best].tokens, steps: []) }
        // Follow the best sequence back through the parents: its row at every step.
        var row = best
        var rows = [Int](repeating: 0, count: parents.count)
        for t in stride(from: parents.count - 1, through: 0, by: -1) {
            rows[t] = row
            row = parents[t][row]
        }
        let length = hyps[best].tokens.count
        let steps = (0..<length).map { t in (snapshots[t][parents[t][rows[t]]], kept[t]) }
        return Result(tokens: hyps[best].tokens, steps: steps)
    }
}
