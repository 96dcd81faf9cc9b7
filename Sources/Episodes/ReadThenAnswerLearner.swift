import Engine
import Foundation
import Models
import Tasks

/// A model that reads a whole sample, takes its hops or program steps, and answers once (memory
/// networks, the Neural Programmer), scored by the one-answer objective of its task: `AnswerObjective` for
/// a word, `ScalarObjective` for a number. An episode has one frame per hop; the last carries the answer
/// and is the only one scored.
public final class ReadThenAnswerLearner<M: ReadThenAnswerModel, T: AnswerTask>: Learner, @unchecked Sendable
    where M.Sample == T.Sample {
    public let model: M
    public let answerTask: T
    public let task: TaskConfig
    public let objective: any OneAnswerObjective

    public init(model: M, task: T, objective: (any OneAnswerObjective)? = nil) {
        self.model = model
        answerTask = task
        self.task = TaskConfig(task)
        self.objective = objective ?? (task.answersWithNumbers ? ScalarObjective() : AnswerObjective(words: task.answerWords))
    }

    public var kind: String { M.kind }
    public var config: any ModelConfig { model.config }
    public var parameters: [Parameter] { model.parameters }
    public var metrics: [MetricSpec] { objective.metrics }
    public var curriculumMetric: String { objective.metrics[1].name }

    public func sample(rng: inout SeededRNG, length: Int?) -> T.Sample { answerTask.sample(rng: &rng, length: length) }
    public func evaluationSample(rng: inout SeededRNG, length: Int?) -> T.Sample {
        answerTask.forEvaluation().sample(rng: &rng, length: length)
    }
    public func evaluationSet(length: Int) -> [T.Sample]? { answerTask.forEvaluation().evaluationSet(length: length) }

    /// One answer per sample whose answer is known.
    public func lossUnits(_ samples: [T.Sample]) -> Int { samples.filter { $0.answer != nil }.count }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?) -> [MetricValues] {
        run(g, samples, lossScale: lossScale, training: nil)
    }

    public func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float, training: TrainingContext) -> [MetricValues] {
        run(g, samples, lossScale: lossScale, training: Optional(training))
    }

    private func run(_ g: Graph, _ samples: [T.Sample], lossScale: Float?, training: TrainingContext?) -> [MetricValues] {
        guard !samples.isEmpty else { return [] }
        g.reset()
        let (_, answer) = model.answer(g, samples, training: training)
        return objective.score(g, answer: answer, rights: samples.map(\.answer), lossScale: lossScale)
    }

    public func episode(_ sample: T.Sample) -> Episode {
        let g = Graph()
        let (hops, answer) = model.answer(g, [sample])
        precondition(!hops.isEmpty, "\(M.kind) answered without a hop")
        let given = objective.given(g, answer: answer, example: 0)
        let right = sample.answer.map { objective.shown($0) }
        let frames = hops.enumerated().map { i, hop in
            let last = i == hops.count - 1
            return Frame(step: i, data: last ? AnswerStep(phase: .answer, given: given, right: right, tolerance: objective.tolerance)
                                             : AnswerStep(phase: .hop),
                         snapshot: hop.snapshot(g, example: 0))
        }
        let wrong = frames[frames.count - 1].wrong
        // The sample's length where it knows it (a table's rows), else the hop count (bAbI's "task 3" has 3).
        let length = (sample as? any LengthParameterSample)?.lengthParameter ?? hops.count
        return Episode(kind: M.kind, sample: sample, task: task, length: length, frames: frames,
                       score: EpisodeScore(wrong: wrong, scored: right == nil ? 0 : 1, unit: "answers"))
    }

    public func checkpoint(metadata: [String: String]) -> Checkpoint { model.checkpoint(metadata: metadata) }

    /// One whole answer (every hop) at batch 1 on a fixed sample, on a reset graph.
    public func stepProbe() -> (() -> Void)? {
        var rng = SeededRNG(seed: 2)
        let sample = answerTask.sample(rng: &rng, length: nil)
        let g = Graph(), model = self.model
        return {
            g.reset()
            _ = model.answer(g, [sample])
        }
    }
}

extension ModelEntry {
    /// The entry of a model that reads a sample and answers once, on an answer task of type `T`;
    /// `defaultConfig` gives its config for the task, and `objective` the objective that scores its answers
    /// (nil: the task's own, a word or a number).
    public static func readThenAnswer<M: ReadThenAnswerModel, T: AnswerTask>(
        _ type: M.Type, task: T.Type, summary: String, defaultConfig: @escaping @Sendable (T) -> M.Config,
        objective: (@Sendable (M) -> any OneAnswerObjective)? = nil
    ) -> ModelEntry where M.Sample == T.Sample {
        of(M.self, summary: summary, needs: "runs on \(T.name)", defaultConfig: { task in
            defaultConfig(try typed(task, as: T.self, for: M.kind))
        }, learner: { model, task, _ in
            ReadThenAnswerLearner(model: model, task: try typed(task, as: T.self, for: M.kind), objective: objective?(model))
        })
    }
}
