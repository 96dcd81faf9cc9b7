import Dispatch
import Engine
import Foundation
import Models
import Tasks

/// A recurrent model (one output per input step) on a bit-sequence task, scored by `BitObjective`.
public final class RecurrentLearner<M: RecurrentModel>: Learner, @unchecked Sendable {
    public let model: M
    public let task: TaskConfig
    public let bits: any SequenceTask
    public let objective = BitObjective()

    /// - Throws: `ArnnError` when the task is not a bit-sequence task or its widths differ from the model's.
    public init(model: M, task: TaskConfig, source: String = "the model") throws {
        self.model = model
        self.task = task
        bits = try task.requireBits(for: "a \(M.kind) model")
        guard model.inputSize == bits.inputWidth, model.outputSize == bits.outputWidth else {
            throw ArnnError("\(source) reads \(model.inputSize) and writes \(model.outputSize) channels, "
                            + "but task \(task.name) has \(bits.inputWidth) and \(bits.outputWidth)")
        }
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }
    public var metrics: [MetricSpec] {
        objective.metrics + (M.auxiliaryMetric.map { [MetricSpec($0.name, label: $0.label, short: $0.name)] } ?? [])
    }
    public var curriculumMetric: String { BitObjective.wrongBits }

    public func sample(rng: inout SeededRNG, length: Int?) -> Example { bits.example(rng: &rng, length: length) }
    public func lossUnits(_ samples: [Example]) -> Int { objective.lossUnits(samples) }

    public func run(_ g: Graph, _ samples: [Example], lossScale: Float?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        let batch = Batch(stacking: samples)
        let b = batch.size, x = batch.inputWidth, y = batch.outputWidth
        if let lossScale {
            g.reset()
            let inputs = (0..<batch.steps).map { t in g.constant(Tensor(shape: [b, x], data: Array(batch.inputs(at: t)))) }
            let steps = model.unroll(g, inputs: inputs)
            return objective.train(g, logits: steps.map(\.logits), auxiliary: steps.compactMap(\.auxiliaryCost),
                                   auxiliaryWeight: model.auxiliaryWeight, auxiliaryMetric: M.auxiliaryMetric?.name,
                                   batch: batch, lossScale: lossScale)
        }
        // Without a tape: step by step on a graph reset each step, so memory stays flat.
        var logits = [Float](repeating: 0, count: batch.steps * b * y)
        var auxiliary = [Double](repeating: 0, count: b)
        model.runStepwise(g, batch: b, steps: batch.steps, input: { t in
            Tensor(shape: [b, x], data: Array(batch.inputs(at: t)))
        }) { t, vars in
            g.withValue(vars.logits) { l in
                for i in 0..<(b * y) { logits[t * b * y + i] = l[i] }
            }
            if let aux = vars.auxiliaryCost {
                g.withValue(aux) { a in for j in 0..<b where t < batch.lengths[j] { auxiliary[j] += Double(a[j]) } }
            }
        }
        let scores = Metrics.scores(outputs: Tensor(shape: [batch.steps, b, y], data: logits), batch: batch, kind: .logits)
        return zip(scores, zip(auxiliary, batch.lengths)).map { score, extra in
            var v = BitObjective.values(score)
            if let name = M.auxiliaryMetric?.name { v[name] = extra.0 / Double(max(1, extra.1)) }
            return v
        }
    }

    public func episode(_ example: Example) -> Episode {
        precondition(example.inputWidth == model.inputSize && example.outputWidth == model.outputSize,
                     "example widths \(example.inputWidth)/\(example.outputWidth) for a model of \(model.inputSize)/\(model.outputSize)")
        var frames: [Frame] = []
        frames.reserveCapacity(example.steps)
        var logits = [Float]()
        logits.reserveCapacity(example.steps * model.outputSize)
        let g = Graph()
        model.runStepwise(g, batch: 1, steps: example.steps, input: { t in
            Tensor(shape: [1, example.inputWidth], data: Array(example.input(at: t)))
        }) { t, vars in
            let snapshot = vars.snapshot(g, example: 0)
            logits.append(contentsOf: g.row(vars.logits, example: 0))
            frames.append(Frame(step: t, data: example.step(t), snapshot: snapshot))
        }
        // Scored from the logits, as the loss is: a confidently wrong bit costs its logit / ln 2 bits, not
        // the 144.27 of a probability clamped at BCELoss's −100 nats.
        let score = Metrics.score(outputs: Tensor(shape: [example.steps, model.outputSize], data: logits), example: example,
                                  kind: .logits)
        return Episode(kind: M.kind, sample: example, task: example.task, length: example.parameters.length,
                       frames: frames, score: BitObjective.episodeScore(score))
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    public func stepProbe() -> (() -> Void)? { model.stepProbe() }
}

extension RecurrentModel {
    /// One timestep at batch 1 without a tape, as the viewer does it: on a reset graph, from a state
    /// carried as values (the state after one step on a random input).
    func stepProbe() -> () -> Void {
        let g = Graph()
        var rng = SeededRNG(seed: 2)
        let x = rng.uniformTensor([1, inputSize], 0, 1)
        let (warm, _) = step(g, input: g.constant(x), state: initialState(g, batch: 1))
        let carried = warm.values(in: g)
        let model = self
        return {
            g.reset()
            _ = model.step(g, input: g.constant(x), state: State(constants: carried, in: g))
        }
    }
}
