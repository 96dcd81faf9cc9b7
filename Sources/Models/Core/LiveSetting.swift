/// A config field that a trained model can change without retraining, so that a view can step through its
/// values and run the same input again (a Linformer's k, a Performer's m). `[` and `]` walk `values`.
public struct LiveSetting: Hashable, Sendable {
    /// The config field (`features`), as `--set` names it.
    public let field: String
    /// The symbol the docs use for it (`m`).
    public let symbol: String
    /// The value the weights were trained with.
    public let trained: Int
    /// The values a view steps through, ascending; `trained` is one of them.
    public let values: [Int]
    /// What every value but the trained one means for the weights (`stand-in E, F, never trained`).
    public let untrainedNote: String

    /// - Parameter values: the ladder before `trained` is added to it (duplicates and order do not matter).
    public init(field: String, symbol: String, trained: Int, values: [Int], untrainedNote: String) {
        self.field = field
        self.symbol = symbol
        self.trained = trained
        self.values = Array(Set(values + [trained])).sorted()
        self.untrainedNote = untrainedNote
    }

    /// The value `steps` rungs from `value` along `values` (clamped to the ends); a value off the ladder
    /// moves to its nearest rung in that direction.
    public func value(from value: Int, steps: Int) -> Int {
        let below = values.lastIndex { $0 <= value } ?? 0
        let above = values.firstIndex { $0 >= value } ?? values.count - 1
        let start = steps < 0 ? above : below
        return values[max(0, min(values.count - 1, start + steps))]
    }

    /// `m = 128` and, off the trained value, what that means.
    public func describe(_ value: Int) -> String {
        value == trained ? "\(symbol) = \(value), as trained" : "\(symbol) = \(value) (trained at \(trained); \(untrainedNote))"
    }

    /// Powers of two from 1 to `limit`, and `limit` itself.
    public static func powersOfTwo(upTo limit: Int) -> [Int] {
        Array(sequence(first: 1) { $0 * 2 }.prefix { $0 <= limit }) + [limit]
    }
}

/// A model with settings a view can change live (`LiveSetting`).
public protocol LiveAdjustable {
    /// The settings it can change now; empty when it has none (an exact transformer).
    var liveSettings: [LiveSetting] { get }
    /// The same model with each field of `settings` at its value, every weight shared, not copied.
    /// - Throws: `ArnnError` for a field that is not a live setting, or a value out of its range.
    func adjusted(_ settings: [String: Int]) throws -> Self
}
