import Engine
import Models
import Tasks

/// What a model showed at one step, for whichever kind of model ran.
public enum ModelSnapshot: Sendable, Equatable {
    case ntm(NTMSnapshot)

    /// σ(logits): the output the task scores.
    public var output: [Float] {
        switch self {
        case .ntm(let s): s.output
        }
    }
}

/// One timestep of an episode: the data the model saw and what it did with it.
public struct Frame: Sendable, Equatable {
    public var step: Int
    public var phase: Phase
    public var input: [Float]
    public var target: [Float]
    /// Whether this step's output is scored (the answer phase).
    public var scored: Bool
    public var snapshot: ModelSnapshot

    public var output: [Float] { snapshot.output }
    /// Output bits that disagree with the target after thresholding at 0.5 (scored steps only; else 0).
    public var wrongBits: Int {
        guard scored else { return 0 }
        return zip(output, target).filter { ($0 >= 0.5) != ($1 >= 0.5) }.count
    }
}

/// A model run over one example, every frame kept so that any step is reached in O(1).
public struct Episode: Sendable {
    public var example: Example
    public var frames: [Frame]
    public var score: SequenceScore

    public var count: Int { frames.count }
    public subscript(step: Int) -> Frame { frames[step] }
}

/// Runs models over examples without a tape (the viewer's path): one graph per step, reset each time, so
/// memory stays flat however long the episode.
public enum EpisodeRunner {
    public static func run(_ ntm: NTM, on example: Example) -> Episode {
        precondition(example.inputWidth == ntm.config.inputSize && example.task.outputWidth == ntm.config.outputSize,
                     "example widths \(example.inputWidth)/\(example.task.outputWidth) for an NTM of \(ntm.config.inputSize)/\(ntm.config.outputSize)")
        var frames: [Frame] = []
        frames.reserveCapacity(example.steps)
        var outputs = [Float]()
        outputs.reserveCapacity(example.steps * ntm.config.outputSize)
        let g = Graph()
        ntm.runStepwise(g, batch: 1, steps: example.steps, input: { t in
            Tensor(shape: [1, example.inputWidth], data: Array(example.input(at: t)))
        }) { t, vars in
            let snapshot = vars.snapshot(g)
            outputs.append(contentsOf: snapshot.output)
            frames.append(Frame(step: t, phase: example.phases[t], input: Array(example.input(at: t)),
                                target: Array(example.target(at: t)), scored: example.mask[t],
                                snapshot: .ntm(snapshot)))
        }
        let score = Metrics.score(outputs: Tensor(shape: [example.steps, ntm.config.outputSize], data: outputs),
                                  example: example)
        return Episode(example: example, frames: frames, score: score)
    }
}
