import Engine
import Foundation

extension Graph {
    /// Example `b`'s values of `v` ([B, …]) as a flat array: what snapshots copy out of a step.
    public func row(_ v: Var, example b: Int) -> [Float] {
        let s = shape(v)
        let width = s.count / s[0]
        return withValue(v) { Array($0[(b * width)..<((b + 1) * width)]) }
    }

    /// Example `b`'s [N, M] slice of `v` ([B, N, M]) as a matrix.
    public func matrix(_ v: Var, example b: Int) -> Tensor {
        let s = shape(v)
        return Tensor(shape: [s[1], s[2]], data: row(v, example: b))
    }
}

/// σ of each logit: the probabilities bit tasks score.
public func logistic(_ logits: [Float]) -> [Float] { logits.map { 1 / (1 + Foundation.exp(-$0)) } }

/// The check every config's `validate()` makes per field: throws "<model> config: <field> must be
/// <expected>, got <value>" unless `ok`.
public func checkConfigField(_ ok: Bool, model: String, _ field: String, _ expected: String, _ value: Any) throws {
    if !ok { throw ArnnError("\(model) config: \(field) must be \(expected), got \(value)") }
}
