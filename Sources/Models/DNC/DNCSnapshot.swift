import Engine
import Foundation

/// Everything the viewer may draw about one DNC step, for one example: plain values, no graph. Equation
/// numbers refer to docs/models/dnc.md, whose "Snapshot" table lists the trace fields.
public struct DNCSnapshot: StepSnapshot, Equatable {
    /// One read head after the step.
    public struct ReadHead: Sendable, Equatable, Encodable {
        /// Eq. (5): k^{r,i}, β^{r,i}, πⁱ (backward, content, forward).
        public var key: [Float]
        public var strength: Float
        public var modes: [Float]
        /// Eqs. (15)–(17): the three weightings the modes mix, and the mixture.
        public var content: [Float]
        public var forward: [Float]
        public var backward: [Float]
        public var weighting: [Float]
        /// Eq. (18).
        public var read: [Float]

        // The trace fields, named here so a rename in Swift cannot silently change the file format.
        private enum CodingKeys: String, CodingKey {
            case key, strength, content, forward, backward, modes, weighting, read
        }
    }

    public var memoryBefore: Tensor      // M_{t−1} [N, W]
    public var memoryAfter: Tensor       // M_t [N, W] (12)
    public var usage: [Float]            // u_t (8)
    public var allocation: [Float]       // a_t (9)
    public var writeContent: [Float]     // c_tʷ (10)
    public var writeWeighting: [Float]   // w_tʷ (11)
    public var writeKey: [Float]         // kʷ (5)
    public var writeStrength: Float      // βʷ (5)
    public var allocationGate: Float     // gᵃ (5)
    public var writeGate: Float          // gʷ (5)
    public var freeGates: [Float]        // f¹ … fᴿ (5)
    public var erase: [Float]            // e (5)
    public var writeVector: [Float]      // v (5)
    public var precedence: [Float]       // p_t (14)
    public var link: Tensor              // L_t [N, N] (13)
    public var readHeads: [ReadHead]
    public var hidden: [Float]           // h_t (3)
    public var cell: [Float]             // c_t (3)
    public var logits: [Float]           // y_t (19)
    /// σ(logits): the output the task is scored on.
    public var output: [Float]

    // `output` is left out: the trace frame holds it already (docs/trace.md), as for the NTM and the LSTM.
    private enum CodingKeys: String, CodingKey {
        case memoryBefore, memoryAfter, usage, allocation, writeContent, writeWeighting, writeKey, writeStrength
        case allocationGate, writeGate, freeGates, erase, writeVector, precedence, link, readHeads, hidden, cell, logits
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(memoryBefore.rows, forKey: .memoryBefore)
        try c.encode(memoryAfter.rows, forKey: .memoryAfter)
        try c.encode(usage, forKey: .usage)
        try c.encode(allocation, forKey: .allocation)
        try c.encode(writeContent, forKey: .writeContent)
        try c.encode(writeWeighting, forKey: .writeWeighting)
        try c.encode(writeKey, forKey: .writeKey)
        try c.encode(writeStrength, forKey: .writeStrength)
        try c.encode(allocationGate, forKey: .allocationGate)
        try c.encode(writeGate, forKey: .writeGate)
        try c.encode(freeGates, forKey: .freeGates)
        try c.encode(erase, forKey: .erase)
        try c.encode(writeVector, forKey: .writeVector)
        try c.encode(precedence, forKey: .precedence)
        try c.encode(link.rows, forKey: .link)
        try c.encode(readHeads, forKey: .readHeads)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(cell, forKey: .cell)
        try c.encode(logits, forKey: .logits)
    }
}

extension DNC.StepVars {
    /// The values of example `b` of the batch.
    public func snapshot(_ g: Graph, example b: Int = 0) -> DNCSnapshot {
        func row(_ v: Var) -> [Float] { g.row(v, example: b) }
        func matrix(_ v: Var) -> Tensor { g.matrix(v, example: b) }
        // Per-head values [R, k] of a [B, R, k] value, as R arrays.
        func heads(_ v: Var) -> [[Float]] {
            let all = row(v), k = g.shape(v).last
            return (0..<(all.count / k)).map { Array(all[($0 * k)..<(($0 + 1) * k)]) }
        }
        let keys = heads(interface.readKeys), modes = heads(interface.readModes), content = heads(readContent)
        let fw = heads(forward), bw = heads(backward), weightings = heads(readWeightings)
        let strengths = row(interface.readStrengths), allReads = row(reads), w = keys.first?.count ?? 0
        let readHeads = (0..<keys.count).map { i in
            DNCSnapshot.ReadHead(key: keys[i], strength: strengths[i], modes: modes[i], content: content[i],
                                 forward: fw[i], backward: bw[i], weighting: weightings[i],
                                 read: Array(allReads[(i * w)..<((i + 1) * w)]))
        }
        let logits = row(self.logits)
        return DNCSnapshot(
            memoryBefore: matrix(memoryBefore), memoryAfter: matrix(memoryAfter), usage: row(usage),
            allocation: row(allocation), writeContent: row(writeContent), writeWeighting: row(writeWeighting),
            writeKey: row(interface.writeKey), writeStrength: row(interface.writeStrength)[0],
            allocationGate: row(interface.allocationGate)[0], writeGate: row(interface.writeGate)[0],
            freeGates: row(interface.freeGates), erase: row(interface.erase), writeVector: row(interface.writeVector),
            precedence: row(precedence), link: matrix(link), readHeads: readHeads, hidden: row(hidden), cell: row(cell),
            logits: logits, output: logistic(logits))
    }
}
