import Engine

/// Copy episodes back to back (docs/tasks/copy-episodes.md): the copy task of Graves et al. (2014) run
/// K times in one sequence, so that the vectors of the whole sequence can outnumber a memory's slots
/// while each episode fits. A model with a fixed number of slots can only get every episode right by
/// freeing the slots of an episode once it has written it back, the memory reuse the DNC's free gates
/// and usage are for (Graves et al. 2016, "Hybrid computing using a neural network with dynamic external
/// memory", Extended Data Fig. 1: a series of 10 sequences, 50 vectors in all, through a memory of 10
/// locations; the defaults here draw up to 10 episodes of up to 5 vectors).
///
/// Encoding, per episode k of n_k vectors of `bitWidth` (B) bits, as `CopyTask` lays out one copy:
/// n_k `.input` steps (a vector, delimiter 0), one `.delimiter` step (only channel B is 1), then n_k
/// `.answer` steps (input zero, target = the episode's vectors in order, scored). Input width B + 1,
/// output width B; T = Σ_k (2·n_k + 1). The example's length is K, the number of episodes.
///
/// Random draws, in order: K = `rng.int(in: minEpisodes...maxEpisodes)` when no length is given; then per
/// episode n_k = `rng.int(in: minVectors...maxVectors)` followed by its n_k·B bits, row by row, each
/// `bernoulli(0.5)`.
public struct CopyEpisodesTask: BitInputTask {
    public static let name = "copy-episodes"
    public static let lengthName = "episodes"
    public static let summary = "copy episodes back to back: more vectors in all than a memory has slots"

    /// Bits per vector.
    public var bitWidth: Int
    /// The range of K, the episodes of a training sequence (the task's length).
    public var minEpisodes: Int
    public var maxEpisodes: Int
    /// The range of n_k, the vectors of one episode.
    public var minVectors: Int
    public var maxVectors: Int

    public init(bitWidth: Int = 8, minEpisodes: Int = 1, maxEpisodes: Int = 10, minVectors: Int = 1, maxVectors: Int = 5) {
        self.bitWidth = bitWidth
        self.minEpisodes = minEpisodes
        self.maxEpisodes = maxEpisodes
        self.minVectors = minVectors
        self.maxVectors = maxVectors
    }

    public var inputWidth: Int { bitWidth + 1 }
    public var outputWidth: Int { bitWidth }
    public var inputChannelNames: [String] { bitChannelNames(bitWidth) + ["delim"] }
    public var outputChannelNames: [String] { bitChannelNames(bitWidth) }
    /// One episode, the longest trained on, and twice and four times as many (far more vectors than a
    /// memory sized for one episode has slots).
    public var evaluationLengths: [Int] { Array(Set([1, maxEpisodes, 2 * maxEpisodes, 4 * maxEpisodes])).sorted() }

    public func validate() throws {
        try Check.atLeast(bitWidth, 1, field: "bitWidth", task: Self.name)
        try Check.atMost(bitWidth, TaskLimits.maxBitWidth, field: "bitWidth", task: Self.name)
        try Check.atLeast(minEpisodes, 1, field: "minEpisodes", task: Self.name)
        try Check.ordered(min: minEpisodes, max: maxEpisodes, minField: "minEpisodes", maxField: "maxEpisodes",
                          task: Self.name)
        try Check.atLeast(minVectors, 1, field: "minVectors", task: Self.name)
        try Check.ordered(min: minVectors, max: maxVectors, minField: "minVectors", maxField: "maxVectors",
                          task: Self.name)
        try validate(length: maxEpisodes)
    }

    public func validate(length: Int) throws {
        try Check.atLeast(length, 1, field: "episodes", task: Self.name)
        // The longest sequence K episodes can make: every episode of maxVectors.
        try Check.steps(saturatingProduct(length, saturatingSum(saturatingProduct(maxVectors, 2), 1)),
                        task: Self.name, what: "\(length) episodes of up to \(maxVectors) vectors")
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let k = length ?? rng.int(in: lengthRange)
        requireValid(length: k)
        var episodes: [[Float]] = []
        for _ in 0..<k {
            let n = rng.int(in: minVectors...maxVectors)
            episodes.append(rng.bits(n * bitWidth))
        }
        return example(episodes: episodes)
    }

    /// `BitInputTask`: the viewer's editor and `arnn trace --input FILE` give one block of rows, copied as
    /// one episode.
    public func example(bits rows: [[Bool]], repeats: Int?) throws -> Example {
        if repeats != nil { throw ArnnError("\(Self.name) takes no repeat count") }
        try validate()
        if rows.isEmpty {
            throw ArnnError("\(Self.name): the input has no rows; expected at least one row of \(bitWidth) bits")
        }
        for (i, row) in rows.enumerated() where row.count != bitWidth {
            throw ArnnError("\(Self.name): input row \(i + 1) has \(row.count) bits, expected \(bitWidth)")
        }
        try Check.steps(saturatingSum(saturatingProduct(rows.count, 2), 1), task: Self.name, what: "\(rows.count) rows")
        return example(episodes: [rows.flatMap { $0.map { $0 ? Float(1) : 0 } }])
    }

    /// The edited entries are the first episode's vectors (what `example(bits:)` copies back as one).
    public func editedEntries(of example: Example) -> [[Float]] {
        guard case .copyEpisodes(let lengths) = example.parameters, let n = lengths.first else { return [] }
        return (0..<n).map { Array(example.input(at: $0).prefix(bitWidth)) }
    }

    /// Lays out the episodes (each its vectors row-major) as described on the type: each is `CopyTask`'s
    /// layout of one copy, one after the other.
    func example(episodes: [[Float]]) -> Example {
        let copy = CopyTask(bitWidth: bitWidth)
        let lengths = episodes.map { $0.count / bitWidth }
        let parts = zip(episodes, lengths).map { copy.example(vectors: $0, length: $1) }
        let steps = parts.reduce(0) { $0 + $1.steps }
        return Example(inputs: Tensor(shape: [steps, inputWidth], data: parts.flatMap(\.inputs.data)),
                       targets: Tensor(shape: [steps, outputWidth], data: parts.flatMap(\.targets.data)),
                       mask: parts.flatMap(\.mask), phases: parts.flatMap(\.phases),
                       task: TaskConfig(self), parameters: .copyEpisodes(lengths: lengths))
    }
}

extension CopyEpisodesTask {
    private enum CodingKeys: String, CodingKey { case bitWidth, minEpisodes, maxEpisodes, minVectors, maxVectors }
}

extension CopyEpisodesTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = CopyEpisodesTask()
}

extension CopyEpisodesTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<CopyEpisodesTask, Int>, max: WritableKeyPath<CopyEpisodesTask, Int>) {
        (\.minEpisodes, \.maxEpisodes)
    }
}
