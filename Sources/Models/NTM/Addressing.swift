import Engine

/// The stages of one head's addressing, eqs. (8)–(11) of docs/models/ntm.md, each kept so the viewer
/// can draw the pipeline: content → gated → shifted → sharpened.
public struct AddressingVars {
    public var content: Var    // w^c [B, N]
    public var gated: Var      // w^g [B, N]
    public var shifted: Var    // w̃  [B, N]
    public var weighting: Var  // w   [B, N]
}

/// The activated head parameters, eq. (7).
public struct HeadParameterVars {
    public init(key: Var, beta: Var, gate: Var, shift: Var, gamma: Var) {
        self.key = key; self.beta = beta; self.gate = gate; self.shift = shift; self.gamma = gamma
    }
    public var key: Var        // k [B, M]
    public var beta: Var       // β [B, 1]
    public var gate: Var       // g [B, 1]
    public var shift: Var      // s [B, K]
    public var gamma: Var      // γ [B, 1]
}

public enum Addressing {
    /// Eqs. (8)–(11): content weighting by cosine similarity, interpolation with the previous weighting,
    /// circular shift and sharpening.
    public static func address(_ g: Graph, memory: Var, previous: Var, head p: HeadParameterVars) -> AddressingVars {
        let similarity = g.cosineSimilarity(memory, p.key)                        // (8)
        let content = g.softmax(g.mul(similarity, p.beta), axis: -1)
        let gated = g.add(g.mul(p.gate, content), g.mul(g.oneMinus(p.gate), previous))  // (9)
        let shifted = g.circularConvolution(gated, p.shift)                       // (10)
        let weighting = g.sharpen(shifted, gamma: p.gamma)                        // (11)
        return AddressingVars(content: content, gated: gated, shifted: shifted, weighting: weighting)
    }

    /// Eq. (7): splits a head's linear output [B, M + 3 + K (+ 2M)] and applies the activations.
    /// Returns the head parameters and, for a write head, (e, a).
    public static func activate(_ g: Graph, _ o: Var, memoryWidth m: Int, shiftWidth k: Int, write: Bool)
        -> (HeadParameterVars, erase: Var?, add: Var?) {
        let sizes = [m, 1, 1, k, 1] + (write ? [m, m] : [])
        let parts = g.split(o, sizes: sizes)
        let params = HeadParameterVars(
            key: parts[0],
            beta: g.softplus(parts[1]),
            gate: g.sigmoid(parts[2]),
            shift: g.softmax(parts[3], axis: -1),
            gamma: g.addScalar(g.softplus(parts[4]), 1))
        guard write else { return (params, nil, nil) }
        return (params, g.sigmoid(parts[5]), parts[6])
    }

    /// Eq. (12): r = Σ_i w[i] M[i], for w [B, N] and M [B, N, M].
    public static func read(_ g: Graph, memory: Var, weighting w: Var) -> Var {
        let ms = g.shape(memory)
        let b = ms[0], n = ms[1], m = ms[2]
        return g.reshape(g.matmul(g.reshape(w, [b, 1, n]), memory), [b, m])
    }

    /// Eq. (13) for one write head: M ⊙ (1 − w eᵀ) + w aᵀ.
    public static func write(_ g: Graph, memory: Var, weighting w: Var, erase e: Var, add a: Var) -> Var {
        g.memoryWrite(memory, weighting: w, erase: e, add: a)
    }

    /// Eq. (13): M ⊙ Π_h (1 − w^h e^hᵀ) + Σ_h w^h a^hᵀ over the write heads h, all against the same M.
    /// One head takes the single-head node, which is faster.
    public static func write(_ g: Graph, memory: Var, weightings: [Var], erases: [Var], adds: [Var]) -> Var {
        if weightings.count == 1 {
            return g.memoryWrite(memory, weighting: weightings[0], erase: erases[0], add: adds[0])
        }
        return g.memoryWrite(memory, weightings: weightings, erases: erases, adds: adds)
    }
}
