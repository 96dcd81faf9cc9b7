import Engine

/// The NTM's controller (docs/models/ntm.md): an LSTMCell with a learned initial state, eq. (5), or one
/// feed-forward tanh layer, eq. (15), which carries nothing from step to step (the read vectors still do).
public enum NTMController: Sendable {
    /// `controller.weight_ih`, `.weight_hh`, `.bias_ih`, `.bias_hh`, and `controller.h0`, `controller.c0` [H].
    case lstm(LSTMCell, h0: Parameter, c0: Parameter)
    /// `controller.fc.weight` [H, X + R·M], `controller.fc.bias` [H].
    case feedForward(Linear)

    /// The controller's parameters, in checkpoint order.
    public var parameters: [Parameter] {
        switch self {
        case .lstm(let cell, let h0, let c0): cell.parameters + [h0, c0]
        case .feedForward(let layer): layer.parameters
        }
    }

    /// Eq. (3): the learned (h₀, c₀) broadcast to [B, H]; nothing for the feed-forward controller.
    func initialState(_ g: Graph, batch: Int, hiddenSize h: Int) -> (hidden: Var?, cell: Var?) {
        guard case .lstm(_, let h0, let c0) = self else { return (nil, nil) }
        // Broadcasting the learned vectors against zeros gives [B, H] values whose gradients sum into them.
        let zeros = g.constant(Shape(batch, h), repeating: 0)
        return (g.add(zeros, g.param(h0)), g.add(zeros, g.param(c0)))
    }

    /// Eq. (5) or (15) on the controller input [x_t ; r_{t−1}] [B, C]: h_t, and c_t for the LSTM.
    func callAsFunction(_ g: Graph, _ input: Var, hidden: Var?, cell: Var?) -> (hidden: Var, cell: Var?) {
        switch self {
        case .lstm(let lstm, _, _):
            let (h, c) = lstm(g, input, h: hidden!, c: cell!)
            return (h, c)
        case .feedForward(let layer):
            return (g.tanh(layer(g, input)), nil)
        }
    }
}
