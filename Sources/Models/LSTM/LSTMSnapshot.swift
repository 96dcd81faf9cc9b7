import Engine
import Foundation

/// Everything the viewer may draw about one step of the LSTM baseline, for one example: plain values,
/// no graph. Equation numbers refer to docs/models/lstm.md.
public struct LSTMSnapshot: StepSnapshot, Equatable {
    /// One layer after the step.
    public struct Layer: Sendable, Equatable, Encodable {
        /// Eq. (4): the gates i, f, o (in (0, 1)) and the candidate g (in (−1, 1)).
        public var inputGate: [Float]
        public var forgetGate: [Float]
        public var outputGate: [Float]
        public var candidate: [Float]
        /// Eqs. (5), (6): c_t and h_t.
        public var cell: [Float]
        public var hidden: [Float]

        public init(inputGate: [Float], forgetGate: [Float], outputGate: [Float], candidate: [Float],
                    cell: [Float], hidden: [Float]) {
            self.inputGate = inputGate; self.forgetGate = forgetGate; self.outputGate = outputGate
            self.candidate = candidate; self.cell = cell; self.hidden = hidden
        }

        // The trace fields (docs/models/lstm.md, "Snapshot"), named here so a rename in Swift cannot
        // silently change the file format.
        private enum CodingKeys: String, CodingKey {
            case inputGate, forgetGate, outputGate, candidate, cell, hidden
        }
    }
    public var layers: [Layer]           // bottom to top
    public var logits: [Float]           // eq. (7)
    /// σ(logits): the output the task is scored on.
    public var output: [Float]

    public init(layers: [Layer], logits: [Float], output: [Float]) {
        self.layers = layers; self.logits = logits; self.output = output
    }

    // `output` is left out: the trace frame holds it already (docs/trace.md), as for the NTM.
    private enum CodingKeys: String, CodingKey { case layers, logits }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layers, forKey: .layers)
        try c.encode(logits, forKey: .logits)
    }
}

extension LSTMModel.StepVars {
    /// The values of example `b` of the batch.
    ///
    /// The fused `lstmPointwise` keeps its activated gates in a private scratch node, so the gates are
    /// recomputed here from the pre-activations z the step kept, eq. (4), with the same `VectorMath`
    /// functions the fused operation uses: bit for bit the values that made c and h. This costs the
    /// viewer 4H activations per layer and the training path nothing.
    public func snapshot(_ g: Graph, example b: Int = 0) -> LSTMSnapshot {
        func row(_ v: Var) -> [Float] { g.row(v, example: b) }
        let snapshotLayers = layers.map { layer in
            let z = row(layer.preactivations)
            let h = z.count / 4
            var a = [Float](repeating: 0, count: 4 * h)
            z.withUnsafeBufferPointer { zp in
                a.withUnsafeMutableBufferPointer { ap in
                    let zb = zp.baseAddress!, ab = ap.baseAddress!
                    VectorMath.sigmoid(zb, ab, 2 * h)                        // i, f
                    VectorMath.tanh(zb + 2 * h, ab + 2 * h, h)               // g
                    VectorMath.sigmoid(zb + 3 * h, ab + 3 * h, h)            // o
                }
            }
            return LSTMSnapshot.Layer(
                inputGate: Array(a[0..<h]), forgetGate: Array(a[h..<(2 * h)]),
                outputGate: Array(a[(3 * h)..<(4 * h)]), candidate: Array(a[(2 * h)..<(3 * h)]),
                cell: row(layer.cell), hidden: row(layer.hidden))
        }
        let logits = row(self.logits)
        return LSTMSnapshot(layers: snapshotLayers, logits: logits,
                            output: logistic(logits))
    }
}
