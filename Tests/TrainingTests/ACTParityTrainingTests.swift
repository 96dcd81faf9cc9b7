import Engine
import Episodes
import Models
import Tasks
import Testing
import Training

/// The ACT model on the parity task through the trainer's objective: the ponder cost ρ per input step
/// is the `meanPonder` metric (unweighted by τ) and a training batch runs.
@Suite struct ACTParityTrainingTests {
    let task = ParityTask(size: 6)

    func learner(tau: Float) throws -> RecurrentLearner<ACTModel> {
        var rng = SeededRNG(seed: 40)
        let model = ACTModel(config: ACTConfig(inputSize: 6, outputSize: 1, hiddenSize: 5, maxSteps: 8, tau: tau), rng: &rng)
        return try RecurrentLearner(model: model, task: TaskConfig(task))
    }

    @Test func thePonderCostIsTheMeanPonderMetricOfEachOneStepExample() throws {
        let l = try learner(tau: 0.25)
        #expect(l.metrics.map(\.name).contains("meanPonder"))
        var rng = SeededRNG(seed: 41)
        let examples = (0..<4).map { _ in task.example(rng: &rng, length: nil) }
        let results = l.run(Graph(), examples, lossScale: nil)
        for (ex, r) in zip(examples, results) {
            // One timestep: the metric is ρ = N + R ≥ 1 of that step, whatever τ.
            let g = Graph()
            let (_, vars) = l.model.step(g, input: g.constant(ex.inputs), state: l.model.initialState(g, batch: 1))
            let s = vars.snapshot(g, example: 0)
            #expect(abs(r["meanPonder"]! - Double(s.ponder)) < 1e-5, "\(r["meanPonder"]!) vs \(s.ponder)")
            #expect(s.ponder >= 1)
        }
    }

    @Test func aTrainingBatchReportsThePonderCost() throws {
        var options = TrainingOptions()
        options.batchSize = 4
        let trainer = Trainer(learner: try learner(tau: 0.01), options: options)
        let r = trainer.trainBatch()
        #expect(r.metrics["meanPonder"] != nil && r.metrics["meanPonder"]! >= 1)
    }
}
