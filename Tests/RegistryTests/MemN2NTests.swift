import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import TestSupport
import Training

/// The end-to-end memory network (docs/models/memn2n.md) on generated bAbI stories, before it has a
/// registry line and a scene (issue 19).
@Suite struct MemN2NTests {
    static func model(d: Int = 8, memory: Int = 50, seed: UInt64 = 1) -> MemN2N<BabiSample> {
        var rng = SeededRNG(seed: seed)
        let answers = BabiTask.answers.map { BabiTask.vocabulary.firstIndex(of: $0)! }
        return MemN2N(config: MemN2NConfig(vocabularySize: BabiTask.vocabulary.count, answerWords: answers, embeddingSize: d,
                                           hops: 3, memorySize: memory), rng: &rng)
    }

    static func samples(_ n: Int, task: Int, seed: UInt64 = 2) -> [BabiSample] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in BabiTask(tasks: [task]).sample(rng: &rng, length: task) }
    }

    @Test func positionEncodingIsThePapers() {
        // J = 4, d = 2: l_kj = (1 − j/J) − (k/d)(1 − 2j/J).
        let l = MemN2N<BabiSample>.positionWeights(words: 1, of: 4, d: 2)
        #expect(abs(l[0] - (0.75 - 0.5 * 0.5)) < 1e-6 && abs(l[1] - (0.75 - 1 * 0.5)) < 1e-6)
    }

    @Test func eachHopAttendsOverTheKeptSentencesAndTheAnswerCoversTheAnswerWords() {
        let m = Self.model(memory: 6)
        let batch = Self.samples(4, task: 3)
        let g = Graph()
        let (hops, answer) = m.answer(g, batch)
        #expect(hops.count == 3 && g.shape(answer) == Shape(4, BabiTask.answers.count))
        for (b, s) in batch.enumerated() {
            let p = hops[0].snapshot(g, example: b).attention
            #expect(p.count == min(6, s.sentenceIds.count), "the memory keeps the last 6 sentences")
            #expect(abs(p.reduce(0, +) - 1) < 1e-4)
        }
    }

    @Test func gradientsOfAWholeAnswerMatchFiniteDifferences() {
        let m = Self.model(d: 4, memory: 5)
        let batch = Self.samples(3, task: 2, seed: 5)
        let targets = batch.map { if case let .word(i)? = $0.answer { i } else { 0 } }
        checkParameterGradients(m.parameters) { g in
            g.crossEntropy(m.answer(g, batch).answer, targets: targets, reduction: .sum)
        }
    }

    /// A story's answer does not depend on the stories it is batched with (the memory is as wide as the
    /// batch's longest kept story, the rest padding that takes no attention).
    @Test func aStorysAnswerIsTheSameAloneAndInABatchOfLongerOnes() {
        let m = Self.model(memory: 20)
        let short = Self.samples(1, task: 1, seed: 8)[0], long = Self.samples(2, task: 3, seed: 9)
        #expect(long.allSatisfy { $0.sentenceIds.count > short.sentenceIds.count })
        let g = Graph()
        let alone = g.value(m.answer(g, [short]).answer).data
        let (hops, batched) = m.answer(g, long + [short])
        let row = g.row(batched, example: 2)
        #expect(zip(alone, row).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(hops[0].snapshot(g, example: 2).attention.count == short.sentenceIds.count)
    }

    /// With empty memories, each hop's attention over the sentences and the empty share sum to 1, and a
    /// story's answer still does not depend on its batch.
    @Test func emptyMemoriesTakeAShareAndKeepTheAnswerOfTheStoryItsOwn() {
        var config = Self.model(memory: 20).config
        config.emptySlots = 2
        var rng = SeededRNG(seed: 6)
        let m = MemN2N<BabiSample>(config: config, rng: &rng)
        let short = Self.samples(1, task: 1, seed: 8)[0], long = Self.samples(2, task: 3, seed: 9)
        let g = Graph()
        let alone = m.answer(g, [short])
        let (hops, batched) = m.answer(g, long + [short])
        #expect(zip(g.value(alone.answer).data, g.row(batched, example: 2)).allSatisfy { abs($0 - $1) < 1e-5 })
        for hop in hops {
            let s = hop.snapshot(g, example: 2)
            let empty = try! #require(s.emptyAttention)
            #expect(empty > 0 && abs(s.attention.reduce(0, +) + empty - 1) < 1e-4)
        }
        #expect(Self.model().answer(g, [short]).hops[0].snapshot(g, example: 0).emptyAttention == nil)
    }

    /// Random time noise (3′): the latest sentence has the smallest time, times rise into the past, are
    /// distinct below the cap, never exceed M, and leave at most ⌈n/10⌉ times unused.
    @Test func timeNoiseKeepsTheOrderOfTheSentences() {
        let m = Self.model(memory: 50)
        for n in [1, 7, 30, 50] {
            var drawnOnce = false
            for seed in 1...40 {
                var rng: SeededRNG? = SeededRNG(seed: UInt64(seed))
                let t = m.times(kept: n, noise: &rng)
                #expect(t.count == n)
                #expect(zip(t, t.dropFirst()).allSatisfy { $0 > $1 || $1 == 49 }, "older first, times falling")
                #expect(t.allSatisfy { $0 >= 0 && $0 <= 49 })
                #expect((t.max() ?? 0) <= n - 1 + (n + 9) / 10)
                var none: SeededRNG? = nil
                if t != m.times(kept: n, noise: &none) { drawnOnce = true }
            }
            #expect(drawnOnce || n == 1, "noise moves the times of a story of \(n)")
        }
    }

    /// Linear start leaves the hops' softmax out while training before `linearStart` sequences, and only
    /// then: the weights are the raw scores (not summing to 1), padding zero.
    @Test func linearStartUsesTheScoresUntilItEnds() {
        var config = Self.model(memory: 20).config
        config.linearStart = 100
        config.timeNoise = false
        var rng = SeededRNG(seed: 1)
        let m = MemN2N<BabiSample>(config: config, rng: &rng)
        let batch = Self.samples(2, task: 1, seed: 4) + Self.samples(1, task: 3, seed: 4)
        let g = Graph()
        let during = m.answer(g, batch, training: TrainingContext(sequencesDone: 99, seed: 1))
        let after = m.answer(g, batch, training: TrainingContext(sequencesDone: 100, seed: 1))
        let viewing = m.answer(g, batch)
        for b in 0..<batch.count {
            let lin = g.row(during.hops[0].attention, example: b), soft = g.row(after.hops[0].attention, example: b)
            let padding = g.shape(during.hops[0].attention)[1] - batch[b].sentenceIds.suffix(20).count
            #expect(lin.prefix(padding).allSatisfy { $0 == 0 })
            #expect(abs(lin.reduce(0, +) - 1) > 1e-3, "raw scores, not a distribution")
            #expect(abs(soft.reduce(0, +) - 1) < 1e-4)
            #expect(soft == g.row(viewing.hops[0].attention, example: b))
        }
    }

    /// Through the shared runner and trainer, a few hundred batches of qa1 lift it far above chance.
    @Test func trainingOnQa1AnswersWhereSomeoneIs() throws {
        let learner = ReadThenAnswerLearner(model: Self.model(d: 20, seed: 3), task: BabiTask(tasks: [1], trainingStories: 500))
        var options = TrainingOptions()
        options.batchSize = 32
        options.optimizer = .adam
        options.learningRate = 1e-2
        options.threads = 2
        let trainer = Trainer(learner: learner, options: options)
        for _ in 0..<150 { _ = trainer.trainBatch() }
        let report = try Evaluator.evaluate(learner, lengths: [1], count: 300, seed: 4)[0]
        #expect(report["accuracy"] > 0.5, "qa1 accuracy after 4,800 questions: \(report["accuracy"])")
    }
}
