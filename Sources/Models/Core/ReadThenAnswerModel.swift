import Engine

/// What one hop (a memory network's pass over the story) or program step (the Neural Programmer's)
/// computed, as graph values.
public protocol HopVars {
    associatedtype Snapshot: StepSnapshot
    /// Everything a view may draw of example `b`'s hop, as plain values.
    func snapshot(_ g: Graph, example b: Int) -> Snapshot
}

/// A model that reads a whole sample at once (a story and its question, a table and its question), takes
/// a fixed number of hops or program steps over it, and answers once: with one word of an answer
/// vocabulary (logits [B, V]) or with a number ([B, 1]). One `answer` serves training (recording graph)
/// and viewing (non-recording); there is no state to carry between calls.
public protocol ReadThenAnswerModel: Model {
    /// What the model reads: the task's sample type, or a protocol the task's samples conform to.
    associatedtype Sample: Sendable
    associatedtype Hop: HopVars
    /// Reads a batch and takes its hops: every hop's variables in order, and the answer.
    func answer(_ g: Graph, _ samples: [Sample]) -> (hops: [Hop], answer: Var)
    /// The same while training: a model whose recipe changes with training (noise, a phase that ends)
    /// reads `training`; the default ignores it.
    func answer(_ g: Graph, _ samples: [Sample], training: TrainingContext?) -> (hops: [Hop], answer: Var)
}

extension ReadThenAnswerModel {
    public func answer(_ g: Graph, _ samples: [Sample], training: TrainingContext?) -> (hops: [Hop], answer: Var) {
        answer(g, samples)
    }
}
