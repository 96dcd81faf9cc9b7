/// Scores accumulated over many sequences, for `arnn eval` and training progress.
///
/// Encodes to JSON with the means next to the totals, e.g.
/// `{"sequences": 1000, "meanWrongBits": 0.02, "perfectShare": 0.985, "meanBCEBits": 0.41,
///   "totalWrongBits": 20, "perfectSequences": 985, "totalBCEBits": 410.2, "totalScoredBits": 80000}`.
/// Means over zero sequences are 0 (JSON has no NaN).
public struct MetricsSummary: Codable, Equatable, Sendable {
    public private(set) var sequences = 0
    public private(set) var totalWrongBits = 0
    public private(set) var perfectSequences = 0
    public private(set) var totalBCEBits: Double = 0
    public private(set) var totalScoredBits = 0

    public init() {}

    /// A summary of `scores`.
    public init(_ scores: some Sequence<SequenceScore>) {
        for s in scores { add(s) }
    }

    /// Counts one more sequence.
    public mutating func add(_ score: SequenceScore) {
        sequences += 1
        totalWrongBits += score.wrongBits
        if score.isPerfect { perfectSequences += 1 }
        totalBCEBits += score.bceBits
        totalScoredBits += score.scoredBits
    }

    /// Adds another summary's sequences (e.g. from another thread).
    public mutating func merge(_ other: MetricsSummary) {
        sequences += other.sequences
        totalWrongBits += other.totalWrongBits
        perfectSequences += other.perfectSequences
        totalBCEBits += other.totalBCEBits
        totalScoredBits += other.totalScoredBits
    }

    /// Mean wrong bits per sequence.
    public var meanWrongBits: Double { sequences == 0 ? 0 : Double(totalWrongBits) / Double(sequences) }
    /// Share of sequences with no wrong bit, in [0, 1].
    public var perfectShare: Double { sequences == 0 ? 0 : Double(perfectSequences) / Double(sequences) }
    /// Mean BCE per sequence, in bits.
    public var meanBCEBits: Double { sequences == 0 ? 0 : totalBCEBits / Double(sequences) }

    private enum CodingKeys: String, CodingKey {
        case sequences, meanWrongBits, perfectShare, meanBCEBits
        case totalWrongBits, perfectSequences, totalBCEBits, totalScoredBits
    }

    /// Reads the totals; the means are recomputed from them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sequences = try c.decode(Int.self, forKey: .sequences)
        totalWrongBits = try c.decode(Int.self, forKey: .totalWrongBits)
        perfectSequences = try c.decode(Int.self, forKey: .perfectSequences)
        totalBCEBits = try c.decode(Double.self, forKey: .totalBCEBits)
        totalScoredBits = try c.decode(Int.self, forKey: .totalScoredBits)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequences, forKey: .sequences)
        try c.encode(meanWrongBits, forKey: .meanWrongBits)
        try c.encode(perfectShare, forKey: .perfectShare)
        try c.encode(meanBCEBits, forKey: .meanBCEBits)
        try c.encode(totalWrongBits, forKey: .totalWrongBits)
        try c.encode(perfectSequences, forKey: .perfectSequences)
        try c.encode(totalBCEBits, forKey: .totalBCEBits)
        try c.encode(totalScoredBits, forKey: .totalScoredBits)
    }
}
