import Engine

/// A model state held in a graph that can be copied out as plain values and back in as constants, so a
/// run can reset its graph between steps and keep memory flat however long the sequence. A state says
/// only how to visit its graph values (`mapVars`); copying out and back in comes with the protocol, so no
/// model writes a mirror of its state in plain values.
public protocol CarriedState: Sendable {
    /// The state with every graph value replaced by `f` of it, visited in a fixed order (each field in
    /// turn, arrays element by element, nil fields skipped).
    func mapVars(_ f: (Var) -> Var) -> Self
}

/// A carried state copied out of a graph: its shape (the state itself, whose handles are stale once the
/// graph is reset) and its values in `mapVars` order.
public struct CarriedValues<S: CarriedState>: Sendable {
    let shape: S
    /// The state's values, in `mapVars` order.
    public let tensors: [Tensor]
}

extension CarriedState {
    /// The state's values, copied out of `g`.
    public func values(in g: Graph) -> CarriedValues<Self> {
        var tensors: [Tensor] = []
        _ = mapVars { v in
            tensors.append(g.value(v))
            return v
        }
        return CarriedValues(shape: self, tensors: tensors)
    }

    /// The state as constants of `g`.
    public init(constants v: CarriedValues<Self>, in g: Graph) {
        var i = 0
        self = v.shape.mapVars { _ in
            defer { i += 1 }
            return g.constant(v.tensors[i])
        }
    }
}

/// What one step of a recurrent model computed, as graph values.
public protocol RecurrentStepVars {
    associatedtype Snapshot: StepSnapshot
    /// The step's output logits [B, Y].
    var logits: Var { get }
    /// An extra cost per example, [B], unweighted (ACT's ponder cost ρ_t); nil for most models. The
    /// objective sums it over an example's steps (not over padding), multiplies it by the model's
    /// `auxiliaryWeight` and adds it to the summed loss before the trainer's normalisation; its metric
    /// is the unweighted cost per input step.
    var auxiliaryCost: Var? { get }
    /// Everything a view may draw of example `b`, as plain values.
    func snapshot(_ g: Graph, example b: Int) -> Snapshot
}

extension RecurrentStepVars {
    public var auxiliaryCost: Var? { nil }
}

/// A model that reads one input vector and writes one output vector per timestep (NTM, LSTM, DNC, ACT).
/// One `step` serves training (on a recording graph) and viewing (on a non-recording one).
public protocol RecurrentModel: Model {
    associatedtype State: CarriedState
    associatedtype StepVars: RecurrentStepVars
    /// Input and output widths per timestep.
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// The state every sequence starts from, for a batch.
    func initialState(_ g: Graph, batch: Int) -> State
    /// One timestep for input x [B, X].
    func step(_ g: Graph, input x: Var, state: State) -> (state: State, vars: StepVars)
    /// The name and label of the auxiliary cost as a metric, its mean per input step (`meanPonder`,
    /// `ponder/step`); nil when the model has none.
    static var auxiliaryMetric: (name: String, label: String)? { get }
    /// The weight of the auxiliary cost in the loss (ACT's τ); 0 for models without one.
    var auxiliaryWeight: Float { get }
}

extension RecurrentModel {
    public static var auxiliaryMetric: (name: String, label: String)? { nil }
    public var auxiliaryWeight: Float { 0 }
}

extension RecurrentModel {
    /// Runs the model over `inputs` (one [B, X] value per timestep) on one graph (the training path) and
    /// returns every step's variables.
    public func unroll(_ g: Graph, inputs: [Var]) -> [StepVars] {
        guard let first = inputs.first else { return [] }
        var state = initialState(g, batch: g.shape(first)[0])
        return inputs.map { x in
            let (next, vars) = step(g, input: x, state: state)
            state = next
            return vars
        }
    }

    /// Runs `steps` timesteps without a tape (the viewer's and the evaluator's path), resetting `g` before
    /// each step and carrying the state across as values. `input(t)` gives step t's [batch, X] input;
    /// `body(t, vars)` reads what it needs from `g` before the next step resets it.
    public func runStepwise(_ g: Graph, batch: Int, steps: Int, input: (Int) -> Tensor,
                            _ body: (Int, StepVars) -> Void) {
        g.reset()
        var carried = initialState(g, batch: batch).values(in: g)
        for t in 0..<steps {
            g.reset()
            let (next, vars) = step(g, input: g.constant(input(t)), state: State(constants: carried, in: g))
            body(t, vars)
            carried = next.values(in: g)
        }
    }
}

extension RecurrentModel {
    /// The logits [B, Y] of every step of `inputs`, on one graph (the training path).
    public func logits(_ g: Graph, inputs: [Var]) -> [Var] { unroll(g, inputs: inputs).map(\.logits) }
}
