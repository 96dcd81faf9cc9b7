import Engine
import Foundation

/// Everything the viewer may draw about one NTM step, for one example: plain values, no graph.
public struct NTMSnapshot: StepSnapshot, Equatable {
    public struct Head: Sendable, Equatable {
        public var isWrite: Bool
        /// Eq. (7): k, β, g, s, γ.
        public var key: [Float]
        public var beta: Float
        public var gate: Float
        public var shift: [Float]
        public var gamma: Float
        /// Eqs. (8)–(11): w^c, w^g, w̃, w.
        public var content: [Float]
        public var gated: [Float]
        public var shifted: [Float]
        public var weighting: [Float]
        /// Write heads only, eq. (13).
        public var erase: [Float]?
        public var add: [Float]?
    }
    public var heads: [Head]             // the R read heads, then the W write heads
    public var reads: [[Float]]          // r_t per read head
    public var memoryBefore: Tensor      // [N, M]
    public var memoryAfter: Tensor       // [N, M]
    public var hidden: [Float]
    /// The LSTM controller's c_t; empty for the feed-forward controller, which has none.
    public var cell: [Float]
    public var logits: [Float]
    /// σ(logits): the output the task is scored on.
    public var output: [Float]

    public var readHeads: [Head] { heads.filter { !$0.isWrite } }
    public var writeHeads: [Head] { heads.filter(\.isWrite) }
    /// The first write head (the only one unless the config has `writeHeads` > 1).
    public var writeHead: Head { heads.first(where: \.isWrite)! }

    // The trace fields of docs/trace.md: heads with their kind, matrices as arrays of rows.
    private enum CodingKeys: String, CodingKey { case heads, reads, memoryBefore, memoryAfter, hidden, cell, logits }
    private enum HeadKeys: String, CodingKey {
        case kind, key, beta, gate, shift, gamma, content, gated, shifted, weighting, erase, add
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        var list = c.nestedUnkeyedContainer(forKey: .heads)
        for h in heads {
            var hc = list.nestedContainer(keyedBy: HeadKeys.self)
            try hc.encode(h.isWrite ? "write" : "read", forKey: .kind)
            try hc.encode(h.key, forKey: .key)
            try hc.encode(h.beta, forKey: .beta)
            try hc.encode(h.gate, forKey: .gate)
            try hc.encode(h.shift, forKey: .shift)
            try hc.encode(h.gamma, forKey: .gamma)
            try hc.encode(h.content, forKey: .content)
            try hc.encode(h.gated, forKey: .gated)
            try hc.encode(h.shifted, forKey: .shifted)
            try hc.encode(h.weighting, forKey: .weighting)
            try hc.encodeIfPresent(h.erase, forKey: .erase)
            try hc.encodeIfPresent(h.add, forKey: .add)
        }
        try c.encode(reads, forKey: .reads)
        try c.encode(memoryBefore.rows, forKey: .memoryBefore)
        try c.encode(memoryAfter.rows, forKey: .memoryAfter)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(cell, forKey: .cell)
        try c.encode(logits, forKey: .logits)
    }
}

extension Tensor {
    /// A matrix as an array of its rows (for JSON).
    public var rows: [[Float]] {
        (0..<shape[0]).map { Array(data[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }
}

extension NTM.StepVars {
    /// The values of example `b` of the batch.
    public func snapshot(_ g: Graph, example b: Int = 0) -> NTMSnapshot {
        func row(_ v: Var) -> [Float] { g.row(v, example: b) }
        func matrix(_ v: Var) -> Tensor { g.matrix(v, example: b) }
        let snapshotHeads = heads.map { h in
            NTMSnapshot.Head(
                isWrite: h.erase != nil,
                key: row(h.parameters.key), beta: row(h.parameters.beta)[0], gate: row(h.parameters.gate)[0],
                shift: row(h.parameters.shift), gamma: row(h.parameters.gamma)[0],
                content: row(h.addressing.content), gated: row(h.addressing.gated),
                shifted: row(h.addressing.shifted), weighting: row(h.addressing.weighting),
                erase: h.erase.map(row), add: h.add.map(row))
        }
        let logits = row(self.logits)
        return NTMSnapshot(
            heads: snapshotHeads, reads: reads.map(row),
            memoryBefore: matrix(memoryBefore), memoryAfter: matrix(memoryAfter),
            hidden: row(hidden), cell: cell.map(row) ?? [], logits: logits,
            output: logistic(logits))
    }
}
