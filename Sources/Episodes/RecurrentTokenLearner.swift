import Engine
import Foundation
import Models
import Tasks

/// A recurrent model (one output per input step: LSTM, NTM, DNC) on a token task, scored by
/// `TokenObjective`: it reads the source sentence one word a step, then writes the target one word a step,
/// reading back the word it wrote one step before. Everything it knows of the source when it starts writing
/// is its state: the single-vector bottleneck that attention removes (docs/models/lstm.md, "On tokens").
///
/// Step t of a sample with n source words and target y₁ … yₘ (input channels: the source vocabulary,
/// then the target vocabulary, one-hot):
/// - t < n: the source word t, in the source block; nothing is scored;
/// - t ≥ n: `<bos>` (t = n) or the previous target word y_{t−n}, in the target block; the output is scored
///   against y_{t−n+1}, and `<eos>` after yₘ. Teacher forcing in training; the model's own greedy choice
///   when evaluating and viewing.
public final class RecurrentTokenLearner<M: RecurrentModel, T: TokenTask>: TokenTaskLearner, @unchecked Sendable {
    public let model: M
    public let tokenTask: T
    public let task: TaskConfig
    public let objective = TokenObjective(ignore: T.Vocab.pad)

    /// The widths a model must have for `task`: input one-hot over both vocabularies, output over the target's.
    public static func widths(_ task: T) -> (inputs: Int, outputs: Int) {
        (task.sourceVocabulary.size + task.targetVocabulary.size, task.targetVocabulary.size)
    }

    /// - Throws: `ArnnError` when the model's widths do not fit the task's vocabularies, or when the model
    ///   has an auxiliary cost (ACT), which this runner does not add to the token loss.
    public init(model: M, task: T, source: String = "the model") throws {
        self.model = model
        tokenTask = task
        self.task = TaskConfig(task)
        let (x, y) = Self.widths(task)
        try model.checkFits(reads: (x, "both vocabularies"), writes: (y, "the target vocabulary"), task: T.name,
                            tasks: "token tasks", source: source)
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }

    var sourceSize: Int { tokenTask.sourceVocabulary.size }

    /// One [B, X] input: row j one-hot at `channels[j]` (all zero where nil: a sample that has ended).
    func oneHot(_ channels: [Int?]) -> Tensor {
        let x = model.inputSize
        var data = [Float](repeating: 0, count: channels.count * x)
        for (j, c) in channels.enumerated() { if let c { data[j * x + c] = 1 } }
        return Tensor(shape: [channels.count, x], data: data)
    }

    /// The input channel of step t of a sample whose source is `source`, having written `previous` last.
    func channel(_ t: Int, source: [Int], previous: Int) -> Int {
        t < source.count ? source[t] : sourceSize + previous
    }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        let b = samples.count
        let lengths = samples.map { $0.sourceTokens.count + $0.targetTokens.count + 1 }
        let steps = lengths.max()!
        // Teacher forcing: inputs and targets of every step (layout in the type's comment).
        var inputs: [[Int?]] = [], targets: [[Int]] = []
        for t in 0..<steps {
            inputs.append(samples.indices.map { j in
                let s = samples[j], n = s.sourceTokens.count
                guard t < lengths[j] else { return nil }
                return channel(t, source: s.sourceTokens, previous: t == n ? T.Vocab.bos : (t > n ? s.targetTokens[t - n - 1] : 0))
            })
            targets.append(samples.indices.map { j in
                let s = samples[j], n = s.sourceTokens.count, y = s.targetTokens
                guard t >= n, t < lengths[j] else { return T.Vocab.pad }
                return t - n < y.count ? y[t - n] : T.Vocab.eos
            })
        }
        g.reset()
        if let lossScale {
            let steps = model.unroll(g, inputs: inputs.map { g.constant(oneHot($0)) })
            return objective.values(objective.teacherForced(g, logits: steps.map(\.logits), targets: targets, lossScale: lossScale))
        }
        // Evaluating: the teacher-forced cross-entropy step by step (no tape, memory stays flat), then
        // accuracy and exact match of what greedy decoding writes.
        var forced = TokenObjective.TeacherForced(crossEntropyBits: Array(repeating: 0, count: b),
                                                  right: Array(repeating: 0, count: b), total: Array(repeating: 0, count: b))
        model.runStepwise(g, batch: b, steps: steps, input: { oneHot(inputs[$0]) }) { t, vars in
            let step = objective.teacherForced(g, logits: [vars.logits], targets: [targets[t]], lossScale: nil)
            for j in 0..<b {
                forced.crossEntropyBits[j] += step.crossEntropyBits[j]
                forced.right[j] += step.right[j]
                forced.total[j] += step.total[j]
            }
        }
        return objective.values(forced, decoded: greedy(Graph(), samples.map(\.sourceTokens)),
                                targets: samples.map { $0.targetTokens + [T.Vocab.eos] })
    }

    /// Greedy decoding of a batch: each sequence's tokens up to and including `<eos>` (or the limit);
    /// `body(t, vars, written)` sees every step (written: each row's token at step t, nil while it reads
    /// or once it has finished).
    public func greedy(_ g: Graph, _ sources: [[Int]], _ body: (Int, M.StepVars, [Int?]) -> Void = { _, _, _ in }) -> [[Int]] {
        let b = sources.count, v = model.outputSize
        let limits = sources.map { Decoding.maxOutputLength(sourceLength: $0.count) }
        var previous = [Int](repeating: T.Vocab.bos, count: b)
        var out = [[Int]](repeating: [], count: b)
        var done = [Bool](repeating: false, count: b)
        g.reset()
        var carried = model.initialState(g, batch: b).values(in: g)
        var t = 0
        // As `runStepwise`, but the next input depends on this step's output, and it stops when all are done.
        while done.contains(false) {
            g.reset()
            let x = oneHot((0..<b).map { j in done[j] ? nil : channel(t, source: sources[j], previous: previous[j]) })
            let (next, vars) = model.step(g, input: g.constant(x), state: M.State(constants: carried, in: g))
            var written = [Int?](repeating: nil, count: b)
            g.withValue(vars.logits) { l in
                for j in 0..<b where !done[j] && t >= sources[j].count {
                    let best = TokenObjective.argmax(l, row: j, width: v)
                    out[j].append(best)
                    previous[j] = best
                    written[j] = best
                    if best == T.Vocab.eos || out[j].count >= limits[j] { done[j] = true }
                }
            }
            body(t, vars, written)
            carried = next.values(in: g)
            t += 1
        }
        return out
    }

    /// Every step of reading and greedy writing on one sentence, as frames.
    public func episode(_ sample: T.Sample) -> Episode {
        let g = Graph()
        let source = sample.sourceTokens, n = source.count
        let reference = sample.targetTokens + [T.Vocab.eos]
        let sourceWords = tokenTask.sourceVocabulary.tokens, targetWords = tokenTask.targetVocabulary.tokens
        var frames: [Frame] = []
        var previous = T.Vocab.bos
        let decoded = greedy(g, [source]) { t, vars, written in
            let data: TokenStep
            if t < n {
                data = TokenStep(phase: .source, input: .init(id: source[t], word: sourceWords[source[t]]), output: nil, target: nil)
            } else {
                let w = written[0]!
                let wanted = sample.targetTokens.isEmpty || t - n >= reference.count ? nil : reference[t - n]
                data = TokenStep(phase: .answer, input: .init(id: previous, word: targetWords[previous]),
                                 output: .init(id: w, word: targetWords[w]), target: wanted.map { .init(id: $0, word: targetWords[$0]) })
                previous = w
            }
            frames.append(Frame(step: t, data: data, snapshot: vars.snapshot(g, example: 0)))
        }
        return Episode(kind: M.kind, sample: sample, task: task, length: n, frames: frames,
                       score: TokenObjective.score(decoded: decoded[0], reference: sample.targetTokens, eos: T.Vocab.eos))
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    public func stepProbe() -> (() -> Void)? { model.stepProbe() }
}

extension RecurrentModel {
    /// Throws unless the model reads `reads.count` and writes `writes.count` channels (each described for
    /// the message) and has no auxiliary cost, which the token and labelling runners do not train.
    func checkFits(reads: (count: Int, what: String), writes: (count: Int, what: String), task: String, tasks: String,
                   source: String) throws {
        guard inputSize == reads.count, outputSize == writes.count else {
            throw ArnnError("\(source) reads \(inputSize) and writes \(outputSize) channels, but a recurrent "
                            + "model on \(task) reads \(reads.count) (\(reads.what)) and writes \(writes.count) (\(writes.what))")
        }
        if let aux = Self.auxiliaryMetric {
            throw ArnnError("a \(Self.kind) model has an auxiliary cost (\(aux.name)), which \(tasks) do not train; use a bit task")
        }
    }
}
