import Engine
import Episodes
import Foundation
import Models
import Tasks
import Testing
import TestSupport
import Training

/// A toy task of the read-then-answer shape, only for these tests: `count` distinct digits; the answer
/// is the largest (one word of "0"…"9") or, with `numeric`, their sum.
struct DigitsTask: AnswerTask {
    static let name = "digits"
    static let lengthName = "digits"
    static let summary = "digits: answer the largest of a few digits, or their sum"
    static let defaults = DigitsTask()
    var count = 4
    var numeric = false

    var lengthRange: ClosedRange<Int> { count...count }
    func withLengthRange(_ range: ClosedRange<Int>) throws -> DigitsTask {
        var t = self
        t.count = range.upperBound
        return t
    }
    func validate() throws {}
    func validate(length: Int) throws {
        if length < 1 || length > 10 { throw ArnnError("digits: 1 to 10 digits, got \(length)") }
    }
    func sample(rng: inout SeededRNG, length: Int?) -> Digits {
        var all = Array(0..<10)
        rng.shuffle(&all)
        let digits = Array(all.prefix(length ?? count))
        return Digits(digits: digits, answer: numeric ? .number(Double(digits.reduce(0, +))) : .word(digits.max()!))
    }
    func forEvaluation() -> DigitsTask { self }
    var evaluationLengths: [Int] { [count] }
    var answerWords: [String] { numeric ? [] : (0..<10).map(String.init) }
}

struct Digits: AnswerSample, Equatable {
    var digits: [Int]
    var answer: Answer?
}

/// A toy model of the shape: embeds each digit, and at each hop attends over them with a query (its
/// state plus a learned vector), adds what it read to its state, and answers from the state.
final class AttendingReader: ReadThenAnswerModel, @unchecked Sendable {
    struct Config: ModelConfig {
        var hops = 2, size = 8, outputs = 10
        func validate() throws {}
        static let defaults = Config()
    }
    static let kind = "attending-reader"
    let config: Config
    let embedding: Parameter
    let queries: Parameter
    let output: Linear
    var parameters: [Parameter] { [embedding, queries] + output.parameters }

    init(config: Config, rng: inout SeededRNG) {
        self.config = config
        embedding = Parameter("embedding", rng.uniformTensor([10, config.size], -1, 1))
        queries = Parameter("queries", rng.uniformTensor([config.hops, config.size], -1, 1))
        output = Linear("output", inFeatures: config.size, outFeatures: config.outputs, rng: &rng)
    }

    struct Snapshot: StepSnapshot { var output: [Float]; var weights: [Float] }
    struct Hop: HopVars {
        var weights: Var
        func snapshot(_ g: Graph, example b: Int) -> Snapshot { Snapshot(output: [], weights: g.row(weights, example: b)) }
    }

    func answer(_ g: Graph, _ samples: [Digits]) -> (hops: [Hop], answer: Var) {
        let b = samples.count, n = samples[0].digits.count, d = config.size
        let e = g.reshape(g.embedding(g.param(embedding), ids: samples.flatMap(\.digits)), [b, n, d])
        var u = g.constant(Shape(b, d), repeating: 0)
        var hops: [Hop] = []
        let q = g.param(queries)
        for h in 0..<config.hops {
            let query = g.add(u, g.slice(q, axis: 0, start: h, count: 1))                        // [B, d]
            let weights = g.softmax(g.reshape(g.matmul(e, g.reshape(query, [b, d, 1])), [b, n]), axis: -1)
            u = g.add(u, g.reshape(g.matmul(g.reshape(weights, [b, 1, n]), e), [b, d]))
            hops.append(Hop(weights: weights))
        }
        return (hops, output(g, u))
    }
}

/// The read-then-answer shape (issue 18): one answer objective per kind of answer, one runner, one frame
/// per hop with the last one scored, and training through the shared trainer.
@Suite struct ReadThenAnswerTests {
    static func learner(numeric: Bool = false, seed: UInt64 = 4) -> ReadThenAnswerLearner<AttendingReader, DigitsTask> {
        var rng = SeededRNG(seed: seed)
        let model = AttendingReader(config: .init(hops: 2, size: 8, outputs: numeric ? 1 : 10), rng: &rng)
        return ReadThenAnswerLearner(model: model, task: DigitsTask(numeric: numeric))
    }

    @Test func theObjectiveFollowsTheKindOfAnswer() {
        #expect(Self.learner().metrics.map(\.name) == ["meanCEBits", "errorRate", "accuracy"])
        #expect(Self.learner(numeric: true).metrics.map(\.name) == ["meanHuber", "errorRate", "meanAbsoluteError", "accuracy"])
        #expect(Self.learner().curriculumMetric == "errorRate")
    }

    @Test func anEpisodeHasAFramePerHopAndScoresOnlyTheAnswer() throws {
        let l = Self.learner()
        var rng = SeededRNG(seed: 9)
        let sample = l.sample(rng: &rng, length: nil)
        let e = l.episode(sample)
        #expect(e.count == 2 && e.frames.map(\.phase) == [.hop, .answer])
        #expect(!e.frames[0].scored && e.frames[1].scored)
        let step = try #require(e.frames[1].data(as: AnswerStep.self))
        guard case let .word(id, word)? = step.given else { Issue.record("no word answer"); return }
        #expect(word == String(id))
        #expect(e.score.unit == "answers" && e.score.scored == 1 && e.score.wrong == e.frames[1].wrong)
        // The trace writes the answer, the right one and whether it was wrong.
        let json = String(decoding: try Trace(episode: e, config: l.config, length: 4, seed: 9, source: "generated").json(), as: UTF8.self)
        #expect(json.contains("\"answerWord\"") && json.contains("\"rightToken\":\(sample.digits.max()!)") && json.contains("\"wrongAnswers\""))
        #expect(json.contains("\"wrongAnswers\":\(e.score.wrong)") && json.contains("\"scoredAnswers\":1"))
    }

    /// The objectives' losses reach every parameter, as finite differences say (words and numbers).
    @Test(arguments: [false, true])
    func gradientsOfTheAnswerLossMatchFiniteDifferences(numeric: Bool) {
        let l = Self.learner(numeric: numeric)
        var rng = SeededRNG(seed: 10)
        let batch = (0..<3).map { _ in l.sample(rng: &rng, length: nil) }
        checkParameterGradients(l.parameters) { g in
            let (_, answer) = l.model.answer(g, batch)
            if numeric {
                return g.sum(g.huber(g.reshape(answer, [3]), targets: batch.map { if case let .number(x)? = $0.answer { Float(x) } else { 0 } }, delta: 10))
            }
            return g.crossEntropy(answer, targets: batch.map { if case let .word(i)? = $0.answer { i } else { 0 } }, reduction: .sum)
        }
    }

    /// Through the shared trainer, the toy model learns to answer the largest digit.
    @Test func theSharedTrainerTeachesTheToyModelToAnswer() throws {
        let l = Self.learner(seed: 5)
        let before = try Evaluator.evaluate(l, lengths: [4], count: 300, seed: 1)[0]
        var options = TrainingOptions()
        options.batchSize = 16
        options.optimizer = .adam
        options.learningRate = 3e-2
        let trainer = Trainer(learner: l, options: options)
        for _ in 0..<150 { _ = trainer.trainBatch() }
        let after = try Evaluator.evaluate(l, lengths: [4], count: 300, seed: 1)[0]
        #expect(after["accuracy"] > before["accuracy"] + 0.2, "accuracy \(before["accuracy"]) → \(after["accuracy"])")
        #expect(after["meanCEBits"] < before["meanCEBits"])
    }

    /// A sum is a number: the scalar objective's Huber loss, and a sample is right within ½.
    @Test func aNumberAnswerIsScoredByItsDistance() {
        let objective = ScalarObjective(delta: 10, tolerance: 0.5)
        let g = Graph()
        let answer = g.constant(Tensor(shape: [3, 1], data: [10.2, 3, 40]))
        let v = objective.score(g, answer: answer, rights: [.number(10), .number(5), nil], lossScale: nil)
        #expect(v[0]["accuracy"] == 1 && v[1]["accuracy"] == 0 && v[2]["accuracy"] == 0)
        #expect(abs(v[0]["meanHuber"]! - 0.02) < 1e-5 && abs(v[1]["meanHuber"]! - 2) < 1e-5 && v[2]["meanHuber"] == 0)
        #expect(abs(v[1]["meanAbsoluteError"]! - 2) < 1e-6)
    }
}
