import Engine
import Episodes
import Tasks
import Visualiser

/// Does what `update` asks for: runs every model shown on a new or edited example. Kept apart from
/// `update` so update stays pure and fast; the app loop (and tests) call it with the command `update`
/// returned. The Visualiser never runs a model; this does.
public struct ViewerEffects: Sendable {
    public var learners: [any Learner]
    public var task: TaskConfig

    /// - Parameter learners: the models shown, all on `task`.
    public init(learners: [any Learner], task: TaskConfig) {
        precondition(!learners.isEmpty, "the viewer shows at least one model")
        self.learners = learners
        self.task = task
    }

    /// The example of `length` drawn from `seed`, run through every model.
    public func episodes(length: Int, seed: UInt64) throws -> [Episode] {
        let bits = try task.requireBits(for: "the viewer")
        var rng = SeededRNG(seed: seed)
        let example = try bits.checkedExample(rng: &rng, length: length)
        return learners.map { run($0, example) }
    }

    /// Every model on this example.
    public func episodes(for example: Example) -> [Episode] { learners.map { run($0, example) } }

    func run<L: Learner>(_ learner: L, _ example: Example) -> Episode {
        guard let sample = example as? L.Sample else {
            preconditionFailure("\(learner.kind) does not take bit-sequence examples")
        }
        return learner.episode(sample)
    }

    /// The result of `command` as a message for `update`; nil for `.quit`, which the loop handles itself.
    public func perform(_ command: ViewerCommand, current: Episode? = nil) -> ViewerMessage? {
        do {
            switch command {
            case let .runExample(length, seed):
                return .episodes(try episodes(length: length, seed: seed), length: length, seed: seed, edited: false)
            case let .runBits(rows):
                let example = try task.example(bits: rows, repeats: current?.example.parameters.repeats)
                return .episodes(episodes(for: example), length: rows.count, seed: 0, edited: true)
            case .quit:
                return nil
            }
        } catch let error as ArnnError {
            return .failed(error.message)
        } catch {
            return .failed("\(error)")
        }
    }
}
