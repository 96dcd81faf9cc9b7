/// The moments of a training run the player can move a model through with `{` and `}` (the snapshots
/// `arnn train --keep-every` kept): the sequences seen at each, the loss there, and which one the model's
/// weights are now. The example and the step stay; only the weights change.
public struct TrainingTimeline: Sendable, Equatable {
    /// Sequences seen at each moment, increasing.
    public var sequences: [Int]
    /// The loss at each moment (mean per sequence since the moment before); nil where none was recorded.
    public var losses: [Double?]
    /// The moment the model is at.
    public var position: Int
    /// The run's id: compared models on one run's timeline are marked on one curve.
    public var run: String
    /// How the strip names the loss and its unit (`loss`, `bits/seq`).
    public var lossName: String
    public var lossUnit: String

    public init(sequences: [Int], losses: [Double?], position: Int, run: String, lossName: String = "loss", lossUnit: String = "") {
        precondition(!sequences.isEmpty && sequences.count == losses.count, "a timeline has a loss (or nil) per moment")
        precondition(sequences.indices.contains(position), "the position is one of the moments")
        self.sequences = sequences
        self.losses = losses
        self.position = position
        self.run = run
        self.lossName = lossName
        self.lossUnit = lossUnit
    }

    /// Sequences seen at the current moment.
    public var current: Int { sequences[position] }
    public var first: Int { sequences[0] }
    public var last: Int { sequences[sequences.count - 1] }

    /// "after 12,000 sequences", as the status bar and captions say it.
    public var afterText: String { "after \(Self.grouped(current)) sequences" }

    /// `12000` as `12,000`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
