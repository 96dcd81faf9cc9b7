import Engine

/// B examples stacked time-major for a training loop.
///
/// Layout: `inputs` is [T, B, inputWidth], `targets` is [T, B, outputWidth] and `mask` is [T, B], all
/// row-major, with T the longest example. So everything a step needs is contiguous: step t's inputs are
/// the B·inputWidth floats starting at t·B·inputWidth, laid out as a [B, inputWidth] matrix (example b's
/// row at offset b·inputWidth). `inputs(at:)`, `targets(at:)` and `mask(at:)` return those ranges as
/// slices, without copying.
///
/// Shorter examples are padded at the end: after example b's last step (t ≥ `lengths[b]`) its inputs and
/// targets are zero and its mask is 0. Because models are causal, running on past an example's end
/// cannot change its scored outputs, and the zero mask keeps the padding out of the loss.
public struct Batch: Equatable, Sendable {
    /// [T, B, inputWidth].
    public let inputs: Tensor
    /// [T, B, outputWidth].
    public let targets: Tensor
    /// [T, B]: 1 where example b's output at step t is scored, else 0 (Float so a loss can multiply by it).
    public let mask: Tensor
    /// T of each example, in batch order.
    public let lengths: [Int]

    /// Stacks `examples` (at least one, all of the same input and output widths) in order.
    public init(stacking examples: [Example]) {
        precondition(!examples.isEmpty, "a batch needs at least one example")
        let inW = examples[0].inputWidth, outW = examples[0].outputWidth
        precondition(examples.allSatisfy { $0.inputWidth == inW && $0.outputWidth == outW },
                     "examples in a batch must share input and output widths")
        let b = examples.count
        let steps = examples.map(\.steps).max()!
        var inputs = [Float](repeating: 0, count: steps * b * inW)
        var targets = [Float](repeating: 0, count: steps * b * outW)
        var mask = [Float](repeating: 0, count: steps * b)
        for (j, ex) in examples.enumerated() {
            for t in 0..<ex.steps {
                let row = t * b + j
                inputs.replaceSubrange((row * inW)..<((row + 1) * inW), with: ex.input(at: t))
                targets.replaceSubrange((row * outW)..<((row + 1) * outW), with: ex.target(at: t))
                mask[row] = ex.mask[t] ? 1 : 0
            }
        }
        self.inputs = Tensor(shape: [steps, b, inW], data: inputs)
        self.targets = Tensor(shape: [steps, b, outW], data: targets)
        self.mask = Tensor(shape: [steps, b], data: mask)
        self.lengths = examples.map(\.steps)
    }

    /// T: the longest example's number of steps.
    public var steps: Int { mask.shape[0] }
    /// B: the number of examples.
    public var size: Int { mask.shape[1] }
    public var inputWidth: Int { inputs.shape[2] }
    public var outputWidth: Int { targets.shape[2] }

    /// Step t's inputs as a [B, inputWidth] row-major slice of `inputs.data` (no copy).
    public func inputs(at t: Int) -> ArraySlice<Float> {
        let n = size * inputWidth
        return inputs.data[(t * n)..<((t + 1) * n)]
    }

    /// Step t's targets as a [B, outputWidth] row-major slice of `targets.data` (no copy).
    public func targets(at t: Int) -> ArraySlice<Float> {
        let n = size * outputWidth
        return targets.data[(t * n)..<((t + 1) * n)]
    }

    /// Step t's mask, one Float per example (no copy).
    public func mask(at t: Int) -> ArraySlice<Float> { mask.data[(t * size)..<((t + 1) * size)] }

    /// The number of scored bits over the whole batch: scored steps × output width.
    public var scoredBits: Int { Int(mask.data.reduce(0, +)) * outputWidth }
}
