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
        let g = Graph()
        var carried = NTMCarry(initial: ntm, g)
        var frames: [Frame] = []
        frames.reserveCapacity(example.steps)
        var outputs = [Float]()
        outputs.reserveCapacity(example.steps * ntm.config.outputSize)
        for t in 0..<example.steps {
            g.reset()
            let state = carried.state(in: g)
            let x = g.constant(Tensor(shape: [1, example.inputWidth], data: Array(example.input(at: t))))
            let (next, vars) = ntm.step(g, input: x, state: state)
            let snapshot = vars.snapshot(g)
            carried = NTMCarry(next, g)
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

/// An NTM state (of any batch size) copied out of a graph, so the next step can run on a fresh (reset)
/// graph and memory stays flat however long the sequence.
struct NTMCarry {
    var hidden: Tensor, cell: Tensor, reads: [Tensor], weightings: [Tensor], memory: Tensor

    init(initial ntm: NTM, _ g: Graph, batch: Int = 1) {
        self.init(ntm.initialState(g, batch: batch), g)
    }

    init(_ s: NTM.State, _ g: Graph) {
        hidden = g.value(s.hidden)
        cell = g.value(s.cell)
        reads = s.reads.map { g.value($0) }
        weightings = s.weightings.map { g.value($0) }
        memory = g.value(s.memory)
    }

    func state(in g: Graph) -> NTM.State {
        NTM.State(hidden: g.constant(hidden), cell: g.constant(cell), reads: reads.map { g.constant($0) },
                  weightings: weightings.map { g.constant($0) }, memory: g.constant(memory))
    }
}
