import Engine

/// The controller's instructions to the memory for one step: the interface vector ξ_t split into its parts
/// and activated, eqs. (4)–(5) of docs/models/dnc.md.
public struct DNCInterface {
    public var readKeys: Var          // k^{r,i}   [B, R, W]
    public var readStrengths: Var     // β^{r,i}   [B, R], oneplus
    public var writeKey: Var          // kʷ        [B, 1, W]
    public var writeStrength: Var     // βʷ        [B, 1], oneplus
    public var erase: Var             // e         [B, W], σ
    public var writeVector: Var       // v         [B, W]
    public var freeGates: Var         // fⁱ        [B, R], σ
    public var allocationGate: Var    // gᵃ        [B, 1], σ
    public var writeGate: Var         // gʷ        [B, 1], σ
    public var readModes: Var         // πⁱ        [B, R, 3]: backward, content, forward; softmax per head

    /// Splits ξ [B, I] in the paper's order, eq. (4), and applies the activations of eq. (5).
    public init(_ g: Graph, _ xi: Var, memoryWidth w: Int, readHeads r: Int) {
        let b = g.shape(xi)[0]
        let parts = g.split(xi, sizes: [r * w, r, w, 1, w, w, r, 1, 1, 3 * r])
        func oneplus(_ x: Var) -> Var { g.addScalar(g.softplus(x), 1) }
        readKeys = g.reshape(parts[0], [b, r, w])
        readStrengths = oneplus(parts[1])
        writeKey = g.reshape(parts[2], [b, 1, w])
        writeStrength = oneplus(parts[3])
        erase = g.sigmoid(parts[4])
        writeVector = parts[5]
        freeGates = g.sigmoid(parts[6])
        allocationGate = g.sigmoid(parts[7])
        writeGate = g.sigmoid(parts[8])
        readModes = g.softmax(g.reshape(parts[9], [b, r, 3]), axis: -1)
    }
}
