import Engine
import Foundation

/// Everything the viewer may draw about one step of a continuous stack, queue or deque, for one example:
/// plain values, no graph. Equation numbers refer to docs/models/neural-stack.md.
public struct NeuralStackSnapshot: StepSnapshot, Equatable {
    /// The heads' names (`top`; `front`; `top`, `bottom`), in the order of every per-head field.
    public var heads: [String]
    /// d_t and u_t per head (13), (14).
    public var push: [Float]
    public var pop: [Float]
    /// v_t per head, m values each (15).
    public var pushedValues: [[Float]]
    /// Every row the structure keeps after this step, bottom (row 0) to top: its strength and value.
    /// Rows popped to zero stay (the paper's structure never forgets a row).
    public var strengths: [Float]
    public var values: [[Float]]
    /// The step (0-based) that pushed each row, and the head that pushed it (an index into `heads`).
    public var rowSteps: [Int]
    public var rowHeads: [Int]
    /// Per head: each row's share of this step's read (3), (6), and the read r_t (m values).
    public var readWeights: [[Float]]
    public var reads: [[Float]]
    /// The controller's h_t, the layer output o_t (16) and the logits (17).
    public var hidden: [Float]
    public var layerOutput: [Float]
    public var logits: [Float]
    /// softmax(logits): the distribution over output tokens.
    public var output: [Float]

    private enum CodingKeys: String, CodingKey {
        case heads, push, pop, pushedValues, strengths, values, rowSteps, rowHeads, readWeights, reads, hidden,
             layerOutput, logits
    }
}

extension ContinuousStructure {
    /// The step and head that pushed each of `count` rows, bottom to top: every step each head pushes one
    /// row, appended on top or put under the bottom.
    public static func rowOrigins(count: Int) -> [(step: Int, head: Int)] {
        var rows: [(step: Int, head: Int)] = []
        var t = 0
        while rows.count < count {
            for (k, head) in heads.enumerated() {
                if head.pushesAt == .top { rows.append((t, k)) } else { rows.insert((t, k), at: 0) }
            }
            t += 1
        }
        return rows
    }
}

extension NeuralStack.StepVars {
    public func snapshot(_ g: Graph, example b: Int = 0) -> NeuralStackSnapshot {
        func row(_ v: Var) -> [Float] { g.row(v, example: b) }
        func chunks(_ x: [Float], _ n: Int) -> [[Float]] { stride(from: 0, to: x.count, by: max(n, 1)).map { Array(x[$0..<min($0 + n, x.count)]) } }
        let m = g.shape(values)[2]
        let logits = row(self.logits)
        let peak = logits.max() ?? 0
        let e = logits.map { Foundation.exp($0 - peak) }
        let total = e.reduce(0, +)
        let strengths = row(self.strengths)
        let origins = S.rowOrigins(count: strengths.count)
        return NeuralStackSnapshot(
            heads: S.heads.map(\.name), push: row(push), pop: row(pop), pushedValues: chunks(row(value), m),
            strengths: strengths, values: chunks(row(values), m),
            rowSteps: origins.map(\.step), rowHeads: origins.map(\.head),
            readWeights: readWeights.map(row), reads: chunks(row(read), m),
            hidden: row(hidden), layerOutput: row(output), logits: logits, output: e.map { $0 / total })
    }
}
