import Engine
import Episodes
import Foundation
import Models
import Tasks
import Testing

/// Issue 12, item 12: an episode's (and so a trace's) `bceBits` is the loss's cross-entropy from the
/// logits, not BCELoss's on clamped probabilities (144.27 bits for any confidently wrong bit).
@Suite struct EpisodeScoreTests {
    @Test func aConfidentlyWrongBitCostsItsLogitOverLnTwo() throws {
        var rng = SeededRNG(seed: 5)
        let task = try TaskConfig(CopyTask(bitWidth: 4, minLength: 1, maxLength: 4)).withLengthRange(1...4)
        let model = LSTMModel(config: LSTMConfig(inputSize: 5, outputSize: 4, hiddenSize: 3), rng: &rng)
        // Every output logit is exactly −300: bits whose target is 1 are confidently wrong.
        model.output.weight.tensor = Tensor(shape: [4, 3])
        model.output.bias!.tensor = Tensor(shape: [4], data: [-300, -300, -300, -300])
        let learner = try RecurrentLearner(model: model, task: task)
        let example = task.bits!.example(rng: &rng, length: 3)
        let episode = learner.episode(example)
        var ones = 0
        for t in 0..<example.steps where example.mask[t] { ones += example.target(at: t).filter { $0 >= 0.5 }.count }
        #expect(ones > 0)
        #expect(episode.score.wrong == ones)
        let expected = Double(ones) * 300 / M_LN2
        #expect(abs(episode.score.details["bceBits"]! - expected) < 1e-3 * expected, "\(episode.score.details["bceBits"]!) vs \(expected)")
        #expect(episode.score.details["bceBits"]! > Double(ones) * 144.28, "not the clamped BCELoss value")
    }
}
