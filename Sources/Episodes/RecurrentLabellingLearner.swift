import Engine
import Foundation
import Models
import Tasks

/// A recurrent model (one output per input step: LSTM, NTM, DNC, the neural stack) on a sequence-labelling
/// task, scored by `LabelObjective`: step t reads symbol t (one-hot over the task's input symbols) and
/// writes the logits of position t's label, which is scored at every position of the sample. Nothing the
/// model writes is read back, so training, evaluation and viewing run the same steps; the label written is
/// the argmax.
///
/// A batch runs to its longest sample; past a sample's end its input is all zero and its label
/// `noLabel`, so those steps add nothing to the loss or its gradient.
public final class RecurrentLabellingLearner<M: RecurrentModel, T: LabellingTask>: Learner, @unchecked Sendable {
    public let model: M
    public let labellingTask: T
    public let task: TaskConfig
    public let objective = LabelObjective()

    /// The widths a model must have for `task`: one-hot over the input symbols in, one logit a label out.
    public static func widths(_ task: T) -> (inputs: Int, outputs: Int) { (task.inputSymbols.count, task.labelNames.count) }

    /// - Throws: `ArnnError` when the model's widths do not fit the task, or when the model has an
    ///   auxiliary cost (ACT), which this runner does not add to the label loss.
    public init(model: M, task: T, source: String = "the model") throws {
        self.model = model
        labellingTask = task
        self.task = TaskConfig(task)
        let (x, y) = Self.widths(task)
        try model.checkFits(reads: (x, "its symbols"), writes: (y, "its labels"), task: T.name, tasks: "labelling tasks",
                            source: source)
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }
    public var metrics: [MetricSpec] { objective.metrics }
    /// A curriculum (and the training watch's second chart) follows the wrong labels per sequence.
    public var curriculumMetric: String { LabelObjective.wrongLabels }

    public func sample(rng: inout SeededRNG, length: Int?) -> T.Sample { labellingTask.sample(rng: &rng, length: length) }
    public func evaluationSample(rng: inout SeededRNG, length: Int?) -> T.Sample {
        labellingTask.forEvaluation().sample(rng: &rng, length: length)
    }

    /// Every position is scored: the loss is a sum over labels.
    public func lossUnits(_ samples: [T.Sample]) -> Int { samples.reduce(0) { $0 + $1.labels.count } }

    /// Step t's [B, X] input: row j one-hot at sample j's symbol t, all zero past its end.
    func input(_ samples: [T.Sample], step t: Int) -> Tensor {
        let x = model.inputSize
        var data = [Float](repeating: 0, count: samples.count * x)
        for (j, s) in samples.enumerated() where t < s.symbols.count { data[j * x + s.symbols[t]] = 1 }
        return Tensor(shape: [samples.count, x], data: data)
    }

    /// Step t's label of every sample (`noLabel` past its end).
    func labels(_ samples: [T.Sample], step t: Int) -> [Int] {
        samples.map { t < $0.labels.count ? $0.labels[t] : LabelObjective.noLabel }
    }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        let b = samples.count
        let steps = samples.map(\.symbols.count).max()!
        let labels = (0..<steps).map { self.labels(samples, step: $0) }
        g.reset()
        if let lossScale {
            let vars = model.unroll(g, inputs: (0..<steps).map { g.constant(input(samples, step: $0)) })
            return objective.values(objective.scored(g, logits: vars.map(\.logits), labels: labels, lossScale: lossScale))
        }
        // Without a tape: step by step on a graph reset each step, so memory stays flat at any length.
        var run = TokenObjective.TeacherForced(crossEntropyBits: Array(repeating: 0, count: b),
                                               right: Array(repeating: 0, count: b), total: Array(repeating: 0, count: b))
        model.runStepwise(g, batch: b, steps: steps, input: { input(samples, step: $0) }) { t, vars in
            let step = objective.scored(g, logits: [vars.logits], labels: [labels[t]], lossScale: nil)
            for j in 0..<b {
                run.crossEntropyBits[j] += step.crossEntropyBits[j]
                run.right[j] += step.right[j]
                run.total[j] += step.total[j]
            }
        }
        return objective.values(run)
    }

    /// Every step of one sample, as frames: the symbol read, the label written (the argmax) and the label
    /// wanted.
    public func episode(_ sample: T.Sample) -> Episode {
        let g = Graph()
        let symbols = labellingTask.inputSymbols, names = labellingTask.labelNames
        let y = model.outputSize
        var frames: [Frame] = []
        var written: [Int] = []
        frames.reserveCapacity(sample.symbols.count)
        model.runStepwise(g, batch: 1, steps: sample.symbols.count, input: { input([sample], step: $0) }) { t, vars in
            let best = g.withValue(vars.logits) { TokenObjective.argmax($0, row: 0, width: y) }
            written.append(best)
            let s = sample.symbols[t], label = sample.labels[t]
            let data = TokenStep(phase: .label, input: .init(id: s, word: symbols[s]), output: .init(id: best, word: names[best]),
                                 target: .init(id: label, word: names[label]))
            frames.append(Frame(step: t, data: data, snapshot: vars.snapshot(g, example: 0)))
        }
        return Episode(kind: M.kind, sample: sample, task: task, length: sample.symbols.count, frames: frames,
                       score: LabelObjective.score(written: written, labels: sample.labels))
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    public func stepProbe() -> (() -> Void)? { model.stepProbe() }
}
