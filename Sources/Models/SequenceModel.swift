import Engine

/// A model that maps an input sequence to one output vector per timestep: what the training loop, the
/// evaluator and the benchmarks need of any model (NTM now; DNC and others later).
public protocol SequenceModel: AnyObject, Sendable {
    /// The model kind written to checkpoints (`ntm`, ...).
    static var kind: String { get }
    var parameters: [Parameter] { get }
    /// Input and output widths per timestep.
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// Runs the model over `inputs` (one [B, X] value per timestep) and returns the logits [B, Y] of
    /// every step.
    func logits(_ g: Graph, inputs: [Var]) -> [Var]
    /// The parameters and metadata as a checkpoint (kind and config filled in).
    func checkpoint(metadata: [String: String]) -> Checkpoint
}

extension NTM: SequenceModel {
    public var inputSize: Int { config.inputSize }
    public var outputSize: Int { config.outputSize }

    public func logits(_ g: Graph, inputs: [Var]) -> [Var] {
        guard let first = inputs.first else { return [] }
        var state = initialState(g, batch: g.shape(first)[0])
        return inputs.map { x in
            let (next, vars) = step(g, input: x, state: state)
            state = next
            return vars.logits
        }
    }
}
