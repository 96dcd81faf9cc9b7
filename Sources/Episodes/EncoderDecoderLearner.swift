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
    /// A curriculum watches the share of sentences not decoded exactly (training-time approximation).
    public var curriculumMetric: String { TokenObjective.crossEntropyBits }

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
        // Wrong words: target tokens not matched in place, and any extra ones written.
        let wrong = sample.targetTokens.isEmpty ? 0 : (total - right) + Swift.max(0, decoded.count - total)
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.sourceTokens.count, frames: frames,
                       score: SequenceScore(wrongBits: wrong, scoredBits: sample.targetTokens.isEmpty ? 0 : total, bceBits: 0),
                       unit: "words")
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

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
