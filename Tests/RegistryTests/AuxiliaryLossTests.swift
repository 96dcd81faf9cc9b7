import Engine
import Episodes
import Foundation
import Models
import Tasks
import Testing
import Training

/// A tiny recurrent model with an auxiliary loss (the shape of ACT's ponder cost): h = tanh(W [x; h]),
/// logits = V h, auxiliary cost Σ h² per example, weighted by w in the loss. Only for these tests.
final class PenalisedRNN: RecurrentModel, @unchecked Sendable {
    struct Config: ModelConfig {
        var inputSize: Int, outputSize: Int, hiddenSize: Int, weight: Float
        func validate() throws {}
        static let defaults = Config(inputSize: 0, outputSize: 0, hiddenSize: 4, weight: 0)
    }
    static let kind = "penalised-rnn"
    static let auxiliaryMetric: (name: String, label: String)? = ("meanPenalty", "penalty/step")
    var auxiliaryWeight: Float { config.weight }
    let config: Config
    let recurrent: Linear
    let output: Linear
    var parameters: [Parameter] { recurrent.parameters + output.parameters }
    var inputSize: Int { config.inputSize }
    var outputSize: Int { config.outputSize }

    init(config: Config, rng: inout SeededRNG) {
        self.config = config
        recurrent = Linear("recurrent", inFeatures: config.inputSize + config.hiddenSize, outFeatures: config.hiddenSize, rng: &rng)
        output = Linear("output", inFeatures: config.hiddenSize, outFeatures: config.outputSize, rng: &rng)
    }

    struct State: CarriedState {
        var hidden: Var
        init(hidden: Var) { self.hidden = hidden }
        func mapVars(_ f: (Var) -> Var) -> State { State(hidden: f(hidden)) }
    }

    struct Snapshot: StepSnapshot { var output: [Float]; var hidden: [Float] }

    struct StepVars: RecurrentStepVars {
        var logits: Var, hidden: Var, auxiliaryCost: Var?
        func snapshot(_ g: Graph, example b: Int) -> Snapshot {
            let y = g.shape(logits)[1], h = g.shape(hidden)[1]
            let l = g.withValue(logits) { Array($0[(b * y)..<((b + 1) * y)]) }
            return Snapshot(output: l.map { 1 / (1 + Foundation.exp(-$0)) },
                            hidden: g.withValue(hidden) { Array($0[(b * h)..<((b + 1) * h)]) })
        }
    }

    func initialState(_ g: Graph, batch: Int) -> State {
        State(hidden: g.constant(Shape(batch, config.hiddenSize), repeating: 0))
    }

    func step(_ g: Graph, input x: Var, state: State) -> (state: State, vars: StepVars) {
        let h = g.tanh(recurrent(g, g.concat([x, state.hidden], axis: -1)))
        let penalty = g.sum(g.mul(h, h), axis: 1)
        return (State(hidden: h), StepVars(logits: output(g, h), hidden: h, auxiliaryCost: penalty))
    }
}

@Suite struct AuxiliaryLossTests {
    let task = try! TaskConfig(CopyTask(bitWidth: 3, minLength: 1, maxLength: 4)).withLengthRange(1...4)

    func learner(weight: Float) throws -> RecurrentLearner<PenalisedRNN> {
        var rng = SeededRNG(seed: 4)
        let model = PenalisedRNN(config: .init(inputSize: 4, outputSize: 3, hiddenSize: 5, weight: weight), rng: &rng)
        return try RecurrentLearner(model: model, task: task)
    }

    /// Examples of different lengths, so padding is part of the batch.
    func examples() -> [Example] {
        var rng = SeededRNG(seed: 9)
        return [1, 4, 2].map { task.bits!.example(rng: &rng, length: $0) }
    }

    /// The loss the trainer minimises for these examples, in nats: BCE plus w times the auxiliary cost
    /// summed over each example's steps (the metric is its mean per step).
    func totalLoss(_ l: RecurrentLearner<PenalisedRNN>) -> Double {
        zip(l.run(Graph(), examples(), lossScale: nil), examples()).reduce(0) { total, pair in
            let (v, ex) = pair
            return total + v[BitObjective.bceBits]! * M_LN2 + Double(l.model.config.weight) * v["meanPenalty"]! * Double(ex.steps)
        }
    }

    @Test func theAuxiliaryLossIsAMetricAndCountsOnlyAnExamplesOwnSteps() throws {
        let l = try learner(weight: 0.5)
        #expect(l.metrics.map(\.name).contains("meanPenalty"))
        let batched = l.run(Graph(), examples(), lossScale: nil)
        // Each example alone (no padding) gives the same penalty as in the padded batch.
        for (i, ex) in examples().enumerated() {
            let alone = l.run(Graph(), [ex], lossScale: nil)[0]["meanPenalty"]!
            #expect(abs(alone - batched[i]["meanPenalty"]!) < 1e-5 * max(1, alone))
        }
        // Training reports the same values as evaluation.
        let trained = l.run(Graph(recording: true), examples(), lossScale: 1)
        for (a, b) in zip(trained, batched) { #expect(abs(a["meanPenalty"]! - b["meanPenalty"]!) < 1e-4) }
        for p in l.parameters { p.zeroGrad() }
    }

    @Test func theGradientIncludesTheAuxiliaryLoss() throws {
        let l = try learner(weight: 2)
        _ = l.run(Graph(recording: true), examples(), lossScale: 1)
        let p = l.model.recurrent.weight
        let h: Float = 1e-2
        for i in [0, 7, 13] {
            let analytic = Double(p.grad[i])
            let saved = p.value[i]
            p.value[i] = saved + h
            let up = totalLoss(l)
            p.value[i] = saved - h
            let down = totalLoss(l)
            p.value[i] = saved
            let numeric = (up - down) / Double(2 * h)
            #expect(abs(analytic - numeric) < 2e-3 + 2e-2 * abs(numeric), "weight \(i): \(analytic) vs \(numeric)")
        }
        // Without the auxiliary term the gradient differs: the test can tell.
        let plain = try learner(weight: 0)
        _ = plain.run(Graph(recording: true), examples(), lossScale: 1)
        #expect(plain.model.recurrent.weight.gradTensor != p.gradTensor)
    }

    @Test func theTrainerCarriesTheAuxiliaryMetric() throws {
        var options = TrainingOptions()
        options.batchSize = 4
        let trainer = Trainer(learner: try learner(weight: 0.1), options: options)
        let r = trainer.trainBatch()
        #expect(r.metrics["meanPenalty"] != nil && r.metrics["meanPenalty"]! > 0)
    }
}
