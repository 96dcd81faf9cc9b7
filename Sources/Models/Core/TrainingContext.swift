import Engine

/// What a model may know while it trains, for the parts of a recipe that live in the model: how far the
/// run has gone (a memory network's linear start ends at a sequence count, a Performer redraws its features
/// every so many batches) and a seeded generator for noise that training alone adds (random time noise).
/// The trainer makes one per batch and per worker; evaluation and viewing pass none.
public struct TrainingContext: Sendable {
    /// Sequences trained on before this batch.
    public var sequencesDone: Int
    /// Seeds this batch's noise; `rng(sample:)` gives each sample its own stream.
    public var seed: UInt64
    /// The index in the batch of this worker's first sample.
    public var firstSample: Int
    /// Batches trained on before this one (a transformer's Performer redraws its features every so many).
    public var batch: Int

    public init(sequencesDone: Int, seed: UInt64, firstSample: Int = 0, batch: Int = 0) {
        self.sequencesDone = sequencesDone
        self.seed = seed
        self.firstSample = firstSample
        self.batch = batch
    }

    /// The generator of sample `i` of this worker's share: the same whatever the thread count.
    public func rng(sample i: Int) -> SeededRNG {
        var z = seed ^ (UInt64(firstSample + i) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 31
        return SeededRNG(seed: z &* 0xBF58_476D_1CE4_E5B9)
    }
}
