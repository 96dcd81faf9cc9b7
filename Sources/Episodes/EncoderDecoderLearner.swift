import Engine
import Foundation
import Models
import Tasks

/// An encoder–decoder model on a token task (translation), scored by `TokenObjective`: teacher forcing
/// in training, greedy decoding when evaluating and viewing.
public final class EncoderDecoderLearner<M: EncoderDecoderModel, T: TokenTask>: Learner, @unchecked Sendable {
    public let model: M
    public let tokenTask: T
    public let task: TaskConfig
    public let objective = TokenObjective()

    /// - Throws: `ArnnError` when the vocabulary sizes differ from the model's.
    public init(model: M, task: T, source: String = "the model") throws {
        self.model = model
        tokenTask = task
        self.task = TaskConfig(task)
        guard model.sourceVocabularySize == task.sourceVocabulary.size,
              model.targetVocabularySize == task.targetVocabulary.size else {
            throw ArnnError("\(source) reads \(model.sourceVocabularySize) and writes \(model.targetVocabularySize) "
                            + "tokens, but task \(T.name) has \(task.sourceVocabulary.size) and \(task.targetVocabulary.size)")
        }
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }
    public var metrics: [MetricSpec] { objective.metrics }
    /// A curriculum (and the training watch's second chart) follows the wrong words per sentence.
    public var curriculumMetric: String { TokenObjective.wrongTokens }

    public func sample(rng: inout SeededRNG, length: Int?) -> T.Sample { tokenTask.sample(rng: &rng, length: length) }
    public func sample(text: String) throws -> T.Sample { try tokenTask.sample(text: text) }
    public func evaluationSample(rng: inout SeededRNG, length: Int?) -> T.Sample {
        tokenTask.forEvaluation().sample(rng: &rng, length: length)
    }

    /// Target tokens and `<eos>`: the units the loss is a sum over.
    public func lossUnits(_ samples: [T.Sample]) -> Int { samples.reduce(0) { $0 + $1.targetTokens.count + 1 } }

    /// The decoder's inputs and targets under teacher forcing: `<bos> y₁ … yₙ` → `y₁ … yₙ <eos>`, padded.
    func teacherForcing(_ samples: [T.Sample]) -> (steps: Int, inputs: [[Int]], targets: [[Int]]) {
        let steps = samples.map { $0.targetTokens.count + 1 }.max() ?? 1
        var inputs = [[Int]](repeating: [], count: steps), targets = [[Int]](repeating: [], count: steps)
        for t in 0..<steps {
            for s in samples {
                let y = s.targetTokens
                inputs[t].append(t == 0 ? T.Vocab.bos : (t <= y.count ? y[t - 1] : T.Vocab.pad))
                targets[t].append(t < y.count ? y[t] : (t == y.count ? T.Vocab.eos : T.Vocab.pad))
            }
        }
        return (steps, inputs, targets)
    }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        g.reset()
        let b = samples.count
        let (steps, inputs, targets) = teacherForcing(samples)
        let memory = model.encode(g, sources: samples.map(\.sourceTokens))
        var state = model.initialState(g, memory: memory)
        var logits: [Var] = []
        for t in 0..<steps {
            let (next, vars) = model.step(g, previous: inputs[t], state: state, memory: memory)
            logits.append(vars.logits)
            state = next
        }
        let all = g.concat(logits, axis: 0)                                  // [T·B, V], step-major
        let flat = targets.flatMap { $0 }
        let perRow = g.crossEntropy(all, targets: flat, ignoreIndex: T.Vocab.pad, reduction: .none)
        if let lossScale { g.backward(g.scale(g.sum(perRow), lossScale)) }
        // Per-sentence CE and teacher-forced token accuracy from the same values.
        let v = model.targetVocabularySize
        var ce = [Double](repeating: 0, count: b), right = [Int](repeating: 0, count: b)
        var total = [Int](repeating: 0, count: b), exact = [Bool](repeating: true, count: b)
        g.withValue(perRow) { loss in
            g.withValue(all) { l in
                for t in 0..<steps {
                    for j in 0..<b where targets[t][j] != T.Vocab.pad {
                        let r = t * b + j
                        ce[j] += Double(loss[r]) / M_LN2
                        var best = 0
                        for c in 1..<v where l[r * v + c] > l[r * v + best] { best = c }
                        total[j] += 1
                        if best == targets[t][j] { right[j] += 1 } else { exact[j] = false }
                    }
                }
            }
        }
        if lossScale != nil {
            return (0..<b).map { j in
                MetricValues([TokenObjective.crossEntropyBits: ce[j],
                              TokenObjective.wrongTokens: Double(total[j] - right[j]),
                              TokenObjective.tokenAccuracy: Double(right[j]) / Double(max(total[j], 1)),
                              TokenObjective.exactMatch: exact[j] ? 1 : 0])
            }
        }
        // Evaluating: accuracy and exact match of what greedy decoding writes, not of teacher forcing.
        let decoded = greedy(Graph(), samples.map(\.sourceTokens))
        return (0..<b).map { j in
            let target = samples[j].targetTokens + [T.Vocab.eos]
            let (ok, count, same) = TokenObjective.compare(decoded: decoded[j], target: target)
            return MetricValues([TokenObjective.crossEntropyBits: ce[j],
                                 TokenObjective.wrongTokens: Double(count - ok),
                                 TokenObjective.tokenAccuracy: Double(ok) / Double(max(count, 1)),
                                 TokenObjective.exactMatch: same ? 1 : 0])
        }
    }

    /// The longest output greedy decoding writes for a source of `n` tokens (then it stops, `<eos>` or not).
    public func maxOutputLength(sourceLength n: Int) -> Int { 2 * n + 4 }

    /// Greedy decoding of a batch: each sequence's tokens up to and including `<eos>` (or the limit).
    public func greedy(_ g: Graph, _ sources: [[Int]]) -> [[Int]] {
        g.reset()
        let b = sources.count
        let memory = model.encode(g, sources: sources)
        var state = model.initialState(g, memory: memory)
        var previous = [Int](repeating: T.Vocab.bos, count: b)
        var out = [[Int]](repeating: [], count: b)
        var done = [Bool](repeating: false, count: b)
        let limit = sources.map { maxOutputLength(sourceLength: $0.count) }.max() ?? 1
        let v = model.targetVocabularySize
        for _ in 0..<limit where done.contains(false) {
            let (next, vars) = model.step(g, previous: previous, state: state, memory: memory)
            g.withValue(vars.logits) { l in
                for j in 0..<b where !done[j] {
                    var best = 0
                    for c in 1..<v where l[j * v + c] > l[j * v + best] { best = c }
                    out[j].append(best)
                    previous[j] = best
                    if best == T.Vocab.eos || out[j].count >= maxOutputLength(sourceLength: sources[j].count) { done[j] = true }
                }
            }
            state = next
        }
        return out
    }

    /// Every decoder step of greedy decoding on one sentence, as frames.
    public func episode(_ sample: T.Sample) -> Episode {
        let g = Graph()
        let memory = model.encode(g, sources: [sample.sourceTokens])
        var state = model.initialState(g, memory: memory)
        var previous = T.Vocab.bos
        var frames: [Frame] = []
        var decoded: [Int] = []
        let target = sample.targetTokens + [T.Vocab.eos]
        let v = model.targetVocabularySize
        for t in 0..<maxOutputLength(sourceLength: sample.sourceTokens.count) {
            let (next, vars) = model.step(g, previous: [previous], state: state, memory: memory)
            let token = g.withValue(vars.logits) { l in (1..<v).reduce(0) { l[$1] > l[$0] ? $1 : $0 } }
            decoded.append(token)
            let wanted = t < target.count ? target[t] : T.Vocab.pad
            frames.append(Frame(step: t, phase: .answer, input: [Float(previous)], target: [Float(wanted)],
                                scored: !sample.targetTokens.isEmpty, snapshot: vars.snapshot(g, example: 0)))
            previous = token
            state = next
            if token == T.Vocab.eos { break }
        }
        let (right, total, _) = TokenObjective.compare(decoded: decoded, target: target)
        // Wrong words: target tokens (and `<eos>`) not matched in place; none for a typed sentence.
        let wrong = sample.targetTokens.isEmpty ? 0 : total - right
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.sourceTokens.count, frames: frames,
                       score: SequenceScore(wrongBits: wrong, scoredBits: sample.targetTokens.isEmpty ? 0 : total, bceBits: 0),
                       unit: "words")
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    // MARK: Beam search (docs/models/seq2seq.md, "Training and decoding")

    public static var beamWidth: Int { 4 }
    public var variants: [String] { ["beam \(Self.beamWidth)"] }

    public func episode(_ sample: T.Sample, variant: String?) -> Episode {
        guard let variant, variant.hasPrefix("beam "), let k = Int(variant.dropFirst(5)), k >= 1 else { return episode(sample) }
        return beamEpisode(sample, width: k)
    }

    /// The tokens beam search of width `k` writes (up to and including `<eos>`).
    public func beam(_ source: [Int], width k: Int) -> [Int] {
        search(source, width: k, keepSnapshots: false).tokens
    }

    struct SearchResult {
        var tokens: [Int]
        /// Per step: the snapshot of the best sequence's row and the hypotheses kept after the step.
        var steps: [(snapshot: M.StepVars.Snapshot, beams: [BeamHypothesis])]
    }

    /// Beam search: keeps the k sequences of highest summed log-probability; finished ones (`<eos>`) stay
    /// as they are; stops when all k kept are finished or at the length limit; returns the finished one
    /// (or, failing that, any) with the best log-probability per token.
    func search(_ source: [Int], width k: Int, keepSnapshots: Bool) -> SearchResult {
        let g = Graph()
        let memory = model.encode(g, sources: Array(repeating: source, count: k))
        var state = model.initialState(g, memory: memory)
        var hyps = [BeamHypothesis(tokens: [], logProbability: 0, finished: false)]
            + Array(repeating: BeamHypothesis(tokens: [], logProbability: -.infinity, finished: false), count: k - 1)
        var snapshots: [[M.StepVars.Snapshot]] = [], parents: [[Int]] = [], kept: [[BeamHypothesis]] = []
        let v = model.targetVocabularySize
        for _ in 0..<maxOutputLength(sourceLength: source.count) {
            let previous = hyps.map { $0.finished ? T.Vocab.eos : ($0.tokens.last ?? T.Vocab.bos) }
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
                                                            finished: c == T.Vocab.eos)))
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
        guard keepSnapshots else { return SearchResult(tokens: hyps[best].tokens, steps: []) }
        // Follow the best sequence back through the parents: its row at every step.
        var row = best
        var rows = [Int](repeating: 0, count: parents.count)
        for t in stride(from: parents.count - 1, through: 0, by: -1) {
            rows[t] = row
            row = parents[t][row]
        }
        let length = hyps[best].tokens.count
        let steps = (0..<length).map { t in (snapshots[t][parents[t][rows[t]]], kept[t]) }
        return SearchResult(tokens: hyps[best].tokens, steps: steps)
    }

    /// Beam search on one sentence: the frames follow the sequence it returns, each with the beams kept.
    func beamEpisode(_ sample: T.Sample, width k: Int) -> Episode {
        let result = search(sample.sourceTokens, width: k, keepSnapshots: true)
        let target = sample.targetTokens + [T.Vocab.eos]
        var frames: [Frame] = []
        for (t, step) in result.steps.enumerated() {
            var snapshot: any StepSnapshot = step.snapshot
            if var beamed = snapshot as? any BeamSnapshot {
                beamed.beams = step.beams
                beamed.chosen = result.tokens[t]
                snapshot = beamed
            }
            frames.append(Frame(step: t, phase: .answer, input: [Float(t == 0 ? T.Vocab.bos : result.tokens[t - 1])],
                                target: [Float(t < target.count ? target[t] : T.Vocab.pad)],
                                scored: !sample.targetTokens.isEmpty, snapshot: snapshot))
        }
        let (right, total, _) = TokenObjective.compare(decoded: result.tokens, target: target)
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.sourceTokens.count, frames: frames,
                       score: SequenceScore(wrongBits: sample.targetTokens.isEmpty ? 0 : total - right,
                                            scoredBits: sample.targetTokens.isEmpty ? 0 : total, bceBits: 0),
                       unit: "words")
    }

    public func stepProbe() -> (() -> Void)? {
        let g = Graph()
        let source = Array(repeating: T.Vocab.unknown + 1, count: 10)
        let memory = model.encode(g, sources: [source])
        let memoryValues = memory.values(in: g), stateValues = model.initialState(g, memory: memory).values(in: g)
        let model = self.model
        // One decoder step of a 10-word sentence, as greedy decoding does it, on a reset graph.
        return {
            g.reset()
            _ = model.step(g, previous: [T.Vocab.bos], state: M.DecoderState(constants: stateValues, in: g),
                           memory: M.Memory(constants: memoryValues, in: g))
        }
    }
}
