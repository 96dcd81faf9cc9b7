import Engine
import Testing
import Tasks

@Suite struct BatchTests {
    func twoCopies() -> (Example, Example, Batch) {
        var rng = SeededRNG(seed: 9)
        let a = CopyTask().example(rng: &rng, length: 2)
        let b = CopyTask().example(rng: &rng, length: 4)
        return (a, b, Batch(stacking: [a, b]))
    }

    @Test func aBatchIsTimeMajorAndPaddedToTheLongestExample() {
        let (a, b, batch) = twoCopies()
        #expect(batch.steps == 9 && batch.size == 2)
        #expect(batch.inputs.shape == [9, 2, 9])
        #expect(batch.targets.shape == [9, 2, 8])
        #expect(batch.mask.shape == [9, 2])
        #expect(batch.lengths == [5, 9])
        for t in 0..<9 {
            for c in 0..<9 {
                #expect(batch.inputs[t, 0, c] == (t < 5 ? a.inputs[t, c] : 0))
                #expect(batch.inputs[t, 1, c] == b.inputs[t, c])
            }
            #expect(batch.mask[t, 0] == (t < 5 && a.mask[t] ? 1 : 0))
            #expect(batch.mask[t, 1] == (b.mask[t] ? 1 : 0))
        }
        #expect(batch.scoredBits == (2 + 4) * 8)
    }

    @Test func aStepSliceIsTheBatchRowsOfThatStep() {
        let (a, b, batch) = twoCopies()
        for t in 0..<5 {
            #expect(Array(batch.inputs(at: t)) == Array(a.input(at: t)) + Array(b.input(at: t)))
            #expect(Array(batch.targets(at: t)) == Array(a.target(at: t)) + Array(b.target(at: t)))
            #expect(Array(batch.mask(at: t)) == [a.mask[t] ? 1 : 0, b.mask[t] ? 1 : 0])
        }
        #expect(Array(batch.targets(at: 8)) == zeros(8) + Array(b.target(at: 8)))
    }

    @Test func batchScoresEqualTheScoresOfEachExample() {
        let (a, b, batch) = twoCopies()
        // Outputs: the targets, with one bit of the second example flipped and a confident wrong bit in the
        // first example's padding (which must not count).
        var outputs = batch.targets
        outputs[7, 1, 3] = 1 - outputs[7, 1, 3]
        outputs[8, 0, 0] = 1
        let scores = Metrics.scores(outputs: outputs, batch: batch)
        let single = Tensor(shape: [9, 8], data: (0..<9).flatMap { t in (0..<8).map { outputs[t, 1, $0] } })
        #expect(scores[1] == Metrics.score(outputs: single, example: b))
        #expect(scores[0].wrongBits == 0 && scores[0].scoredBits == a.scoredBits)
        #expect(scores[1].wrongBits == 1)
    }
}
