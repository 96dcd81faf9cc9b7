import Engine
import Episodes
import Models
import Tasks

/// Does what `update` asks for: runs the model on a new or edited example. Kept apart from `update` so
/// update stays pure and fast; the app loop (and tests) call it with the command `update` returned.
public struct ViewerEffects: Sendable {
    public var ntm: NTM
    public var task: TaskConfig

    public init(ntm: NTM, task: TaskConfig) {
        self.ntm = ntm
        self.task = task
    }

    /// The example of `length` vectors drawn from `seed`, run through the model.
    public func episode(length: Int, seed: UInt64) throws -> Episode {
        var rng = SeededRNG(seed: seed)
        let example = try task.checkedExample(rng: &rng, length: length)
        return EpisodeRunner.run(ntm, on: example)
    }

    /// The result of `command` as a message for `update`; nil for `.quit`, which the loop handles itself.
    public func perform(_ command: ViewerCommand) -> ViewerMessage? {
        do {
            switch command {
            case let .runExample(length, seed):
                return .episode(try episode(length: length, seed: seed), length: length, seed: seed, edited: false)
            case let .runBits(rows):
                guard case .copy(let copy) = task else { return .failed("editing is only for the copy task") }
                let example = try copy.example(bits: rows)
                return .episode(EpisodeRunner.run(ntm, on: example), length: rows.count, seed: 0, edited: true)
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
