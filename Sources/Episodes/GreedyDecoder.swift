import Engine
import Models
import Tasks

/// Greedy decoding of an encoder–decoder: at each step the largest logit is written and read back,
/// until `<eos>` or the length limit. Apart from the learner, so any runner of the shape can use it.
public struct GreedyDecoder<M: EncoderDecoderModel>: Sendable {
    public let model: M
    public let bos: Int
    public let eos: Int

    public init(model: M, bos: Int, eos: Int) {
        self.model = model
        self.bos = bos
        self.eos = eos
    }

    /// Each source's tokens up to and including `<eos>` (or the limit), decoded as one batch; `body(t, vars,
    /// tokens)` sees every step's variables and the tokens written at it (one per row, finished rows too)
    /// before the next step. Only with `snapshots` may `body` take a step's snapshot: without, the model
    /// computes the outputs alone (`EncoderDecoderModel.encode(_:sources:training:)`).
    public func decode(_ g: Graph, _ sources: [[Int]], snapshots: Bool = false,
                       _ body: (Int, M.StepVars, [Int]) -> Void = { _, _, _ in }) -> [[Int]] {
        g.reset()
        let b = sources.count
        let memory = snapshots ? model.encode(g, sources: sources) : model.encode(g, sources: sources, training: nil)
        var state = model.initialState(g, memory: memory)
        var previous = [Int](repeating: bos, count: b)
        var out = [[Int]](repeating: [], count: b)
        var done = [Bool](repeating: false, count: b)
        let limits = sources.map { Decoding.maxOutputLength(sourceLength: $0.count) }
        let v = model.targetVocabularySize
        for t in 0..<(limits.max() ?? 1) where done.contains(false) {
            let (next, vars) = model.step(g, previous: previous, state: state, memory: memory)
            var written = previous
            g.withValue(vars.logits) { l in
                for j in 0..<b where !done[j] {
                    let best = TokenObjective.argmax(l, row: j, width: v)
                    out[j].append(best)
                    written[j] = best
                    if best == eos || out[j].count >= limits[j] { done[j] = true }
                }
            }
            body(t, vars, written)
            previous = written
            state = next
        }
        return out
    }
}

/// What every token decoder shares, whatever the model's shape.
public enum Decoding {
    /// The longest output a decoder writes for a source of `n` tokens (then it stops, `<eos>` or not).
    public static func maxOutputLength(sourceLength n: Int) -> Int { 2 * n + 4 }
}
