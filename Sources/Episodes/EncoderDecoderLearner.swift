import Engine
import Foundation
import Models
import Tasks

/// An encoder–decoder model on a token task (translation), scored by `TokenObjective`: teacher forcing
/// in training, greedy decoding (`GreedyDecoder`) when evaluating and viewing, and beam search
/// (`BeamSearch`) as the `beam 4` variant.
public final class EncoderDecoderLearner<M: EncoderDecoderModel, T: TokenTask>: TokenTaskLearner, @unchecked Sendable {
    public let model: M
    public let tokenTask: T
    public let task: TaskConfig
    public let objective = TokenObjective(ignore: T.Vocab.pad)

    /// - Throws: `ArnnError` when the vocabulary sizes differ from the model's, or the model cannot read the
    ///   task's longest source.
    public init(model: M, task: T, source: String = "the model") throws {
        self.model = model
        tokenTask = task
        self.task = TaskConfig(task)
        guard model.sourceVocabularySize == task.sourceVocabulary.size,
              model.targetVocabularySize == task.targetVocabulary.size else {
            throw ArnnError("\(source) reads \(model.sourceVocabularySize) and writes \(model.targetVocabularySize) "
                            + "tokens, but task \(T.name) has \(task.sourceVocabulary.size) and \(task.targetVocabulary.size)")
        }
        try model.validate(sourceLength: task.maxSourceWords)
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }

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
        run(g, samples, lossScale: lossScale, training: nil)
    }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float, training: TrainingContext) -> [MetricValues] {
        run(g, samples, lossScale: lossScale, training: Optional(training))
    }

    private func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?, training: TrainingContext?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        g.reset()
        let (_, inputs, targets) = teacherForcing(samples)
        let memory = model.encode(g, sources: samples.map(\.sourceTokens), training: training)
        let logits = model.teacherForcedLogits(g, inputs: inputs, memory: memory)
        let forced = objective.teacherForced(g, logits: logits, targets: targets, lossScale: lossScale)
        if lossScale != nil { return objective.values(forced) }
        // Evaluating: accuracy and exact match of what greedy decoding writes, not of teacher forcing.
        var values = objective.values(forced, decoded: greedy(Graph(), samples.map(\.sourceTokens)),
                                      targets: samples.map { $0.targetTokens + [T.Vocab.eos] })
        if let approximation {
            // Each sentence's own error, so the evaluator's mean is over sentences as the other metrics'.
            for (i, s) in samples.enumerated() {
                values[i][Self.attentionError] = try? approximation.meanAttentionError(sources: [s.sourceTokens], targets: [s.targetTokens])
            }
        }
        return values
    }

    /// `attentionError`: an approximating model's mean relative error against exact attention
    /// (`AttentionApproximating`), per sentence under teacher forcing on its reference.
    public static var attentionError: String { "attentionError" }

    /// The model, when some of its attention is approximated.
    var approximation: (any AttentionApproximating)? {
        (model as? any AttentionApproximating).flatMap { $0.approximatesAttention ? $0 : nil }
    }

    public var metrics: [MetricSpec] {
        objective.metrics + (approximation == nil ? [] : [
            MetricSpec(Self.attentionError, label: "attention error", short: "attn err", unit: "‖ÂV−AV‖/‖AV‖", decimals: 3),
        ])
    }

    var greedyDecoder: GreedyDecoder<M> { GreedyDecoder(model: model, bos: T.Vocab.bos, eos: T.Vocab.eos) }

    /// Greedy decoding of a batch: each sequence's tokens up to and including `<eos>` (or the limit).
    public func greedy(_ g: Graph, _ sources: [[Int]]) -> [[Int]] { greedyDecoder.decode(g, sources) }

    /// Step t of an episode on `sample`: read `previous`, wrote `written`.
    func step(_ t: Int, _ sample: T.Sample, previous: Int, written: Int) -> TokenStep {
        let target = sample.targetTokens + [T.Vocab.eos]
        let words = tokenTask.targetVocabulary.tokens
        // The reference has ended after `<eos>`: later steps have no target (a decoder that runs on).
        let wanted = sample.targetTokens.isEmpty || t >= target.count ? nil : target[t]
        return TokenStep(phase: .answer, input: .init(id: previous, word: words[previous]),
                         output: .init(id: written, word: words[written]),
                         target: wanted.map { .init(id: $0, word: words[$0]) })
    }

    /// Every decoder step of greedy decoding on one sentence, as frames.
    public func episode(_ sample: T.Sample) -> Episode {
        let g = Graph()
        var frames: [Frame] = []
        var previous = T.Vocab.bos
        let decoded = greedyDecoder.decode(g, [sample.sourceTokens], snapshots: true) { t, vars, written in
            frames.append(Frame(step: t, data: step(t, sample, previous: previous, written: written[0]),
                                snapshot: vars.snapshot(g, example: 0)))
            previous = written[0]
        }
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.sourceTokens.count, frames: frames,
                       score: TokenObjective.score(decoded: decoded[0], reference: sample.targetTokens, eos: T.Vocab.eos))
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    // MARK: Live settings (a Linformer's k, a Performer's m)

    public var liveSettings: [LiveSetting] { (model as? any LiveAdjustable)?.liveSettings ?? [] }

    public func adjusted(_ settings: [String: Int]) throws -> EncoderDecoderLearner {
        guard !settings.isEmpty else { return self }
        guard let live = model as? any LiveAdjustable else {
            throw ArnnError("\(kind): \(settings.keys.sorted()[0]) cannot change without retraining")
        }
        func adjust<A: LiveAdjustable>(_ a: A) throws -> M? { try a.adjusted(settings) as? M }
        guard let changed = try adjust(live) else { throw ArnnError("\(kind): its settings changed its type") }
        return try EncoderDecoderLearner(model: changed, task: tokenTask)
    }

    // MARK: Beam search (docs/models/seq2seq.md, "Training and decoding")

    public static var beamWidth: Int { 4 }
    public var variants: [String] { ["beam \(Self.beamWidth)"] }

    public func episode(_ sample: T.Sample, variant: String?) -> Episode {
        guard let variant, variant.hasPrefix("beam "), let k = Int(variant.dropFirst(5)), k >= 1 else { return episode(sample) }
        return beamEpisode(sample, width: k)
    }

    func beamSearch(width k: Int) -> BeamSearch<M> { BeamSearch(model: model, width: k, bos: T.Vocab.bos, eos: T.Vocab.eos) }

    /// The tokens beam search of width `k` writes (up to and including `<eos>`).
    public func beam(_ source: [Int], width k: Int) -> [Int] {
        beamSearch(width: k).search(source, keepSnapshots: false).tokens
    }

    /// Beam search on one sentence: the frames follow the sequence it returns, each with the beams kept.
    func beamEpisode(_ sample: T.Sample, width k: Int) -> Episode {
        let result = beamSearch(width: k).search(sample.sourceTokens, keepSnapshots: true)
        var frames: [Frame] = []
        for (t, step) in result.steps.enumerated() {
            var snapshot: any StepSnapshot = step.snapshot
            if var beamed = snapshot as? any BeamSnapshot {
                beamed.beams = step.beams
                beamed.chosen = result.tokens[t]
                snapshot = beamed
            }
            let previous = t == 0 ? T.Vocab.bos : result.tokens[t - 1]
            frames.append(Frame(step: t, data: self.step(t, sample, previous: previous, written: result.tokens[t]),
                                snapshot: snapshot))
        }
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.sourceTokens.count, frames: frames,
                       score: TokenObjective.score(decoded: result.tokens, reference: sample.targetTokens, eos: T.Vocab.eos))
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
