import Engine

/// The associative recall task of Graves et al. (2014), section 4.3.
///
/// An *item* is `itemLength` (V, default 3) vectors of B = `bitWidth` (default 6) bits. The model sees
/// k items, then one of them again as a query, and must answer with the item that followed the query.
///
/// Encoding:
/// - input width B + 2: channels 0..<B bits, channel B the item delimiter, channel B+1 the query
///   delimiter; output width B.
/// - T = k·(V + 1) + (V + 2) + V timesteps. For each item i in 0..<k: one `.delimiter` step with channel
///   B = 1, then V `.input` steps carrying the item's vectors. Then a `.delimiter` step with channel B+1
///   = 1, V `.query` steps carrying the query item, and another `.delimiter` step with channel B+1 = 1
///   (the query is bounded on both sides, as in the paper's figure). Then V `.answer` steps with zero
///   input whose targets are the vectors of item q+1, all scored.
/// - The query q is one of items 0..<k−1 (never the last, so an answer exists), and all k items are
///   distinct, so the answer is unambiguous.
///
/// Random draws, in order: k = `rng.int(in: minItems...maxItems)` when no count is given; then each item's
/// V·B bits row by row (an item equal to an earlier one is drawn again); then q = `rng.int(below: k − 1)`.
public struct AssociativeRecallTask: SequenceTask {
    public static let name = "assoc-recall"
    public static let lengthName = "items"
    public static let summary = "associative recall: store items of bit vectors, then given one, answer the item after it"

    public var bitWidth: Int
    /// Vectors per item.
    public var itemLength: Int
    public var minItems: Int
    public var maxItems: Int

    /// The paper's training setup: items of three 6-bit vectors, 2–6 items.
    public init(bitWidth: Int = 6, itemLength: Int = 3, minItems: Int = 2, maxItems: Int = 6) {
        self.bitWidth = bitWidth
        self.itemLength = itemLength
        self.minItems = minItems
        self.maxItems = maxItems
    }

    public var inputWidth: Int { bitWidth + 2 }
    public var outputWidth: Int { bitWidth }
    public var inputChannelNames: [String] { bitChannelNames(bitWidth) + ["item", "query"] }
    public var outputChannelNames: [String] { bitChannelNames(bitWidth) }

    /// How many distinct items exist: 2^(B·V), saturating at `Int.max`.
    public var distinctItems: Int {
        let bits = bitWidth * itemLength
        return bits >= Int.bitWidth - 1 ? Int.max : 1 << bits
    }


    public func validate() throws {
        try Check.atLeast(bitWidth, 1, field: "bitWidth", task: Self.name)
        try Check.atMost(bitWidth, TaskLimits.maxBitWidth, field: "bitWidth", task: Self.name)
        try Check.atLeast(itemLength, 1, field: "itemLength", task: Self.name)
        try Check.atMost(itemLength, TaskLimits.maxTimesteps, field: "itemLength", task: Self.name)
        try validate(length: minItems, field: "minItems")
        try Check.ordered(min: minItems, max: maxItems, minField: "minItems", maxField: "maxItems",
                          task: Self.name)
        try validate(length: maxItems, field: "maxItems")
    }

    public func validate(length items: Int) throws { try validate(length: items, field: "items") }

    private func validate(length items: Int, field: String) throws {
        try Check.atLeast(items, 2, field: field, task: Self.name, why: " (the query needs an item after it)")
        // Distinct items keep the answer unambiguous, so there cannot be more items than bit patterns.
        try Check.atMost(items, distinctItems, field: field, task: Self.name,
                         why: " (distinct items of \(itemLength)×\(bitWidth) bits)")
        try Check.steps(steps(items: items), task: Self.name, what: "\(field) \(items)")
    }

    /// T for k items: k·(V + 1) + (V + 2) + V.
    public func steps(items: Int) -> Int {
        saturatingSum(saturatingProduct(items, itemLength + 1), 2 * itemLength + 2)
    }

    public func example(rng: inout SeededRNG, length: Int?) -> Example {
        let k = length ?? rng.int(in: lengthRange)
        requireValid(length: k)
        let itemBits = itemLength * bitWidth
        var items: [[Float]] = []
        var seen = Set<[Float]>()
        items.reserveCapacity(k)
        while items.count < k {
            let item = rng.bits(itemBits)
            if seen.insert(item).inserted { items.append(item) }
        }
        let query = rng.int(below: k - 1)
        return example(items: items, queryIndex: query)
    }

    /// Lays out the timeline described on the type; `items` hold V·B bits each, row-major.
    func example(items: [[Float]], queryIndex q: Int) -> Example {
        let k = items.count, v = itemLength
        let steps = steps(items: k)
        var inputs = RowWriter(steps: steps, width: inputWidth)
        var targets = RowWriter(steps: steps, width: outputWidth)
        var phases: [Phase] = []
        phases.reserveCapacity(steps)

        func writeItem(_ item: [Float], startingAt t0: Int, phase: Phase) {
            for j in 0..<v {
                inputs.setBits(item[(j * bitWidth)..<((j + 1) * bitWidth)], at: t0 + j)
                phases.append(phase)
            }
        }
        var t = 0
        for item in items {
            inputs[t, bitWidth] = 1
            phases.append(.delimiter)
            writeItem(item, startingAt: t + 1, phase: .input)
            t += v + 1
        }
        inputs[t, bitWidth + 1] = 1
        phases.append(.delimiter)
        writeItem(items[q], startingAt: t + 1, phase: .query)
        t += v + 1
        inputs[t, bitWidth + 1] = 1
        phases.append(.delimiter)
        t += 1
        let answer = items[q + 1]
        for j in 0..<v {
            targets.setBits(answer[(j * bitWidth)..<((j + 1) * bitWidth)], at: t + j)
            phases.append(.answer)
        }
        let mask = [Bool](repeating: false, count: t) + [Bool](repeating: true, count: v)
        return Example(inputs: inputs.tensor(), targets: targets.tensor(), mask: mask, phases: phases,
                       task: TaskConfig(self), parameters: .associativeRecall(items: k, queryIndex: q))
    }
}

extension AssociativeRecallTask {
    private enum CodingKeys: String, CodingKey { case bitWidth, itemLength, minItems, maxItems }

}

extension AssociativeRecallTask {
    /// What a task JSON leaves out takes these values (`DefaultedConfig`).
    public static let defaults = AssociativeRecallTask()
}

extension AssociativeRecallTask: LengthRangeFields {
    public static var lengthFields: (min: WritableKeyPath<AssociativeRecallTask, Int>, max: WritableKeyPath<AssociativeRecallTask, Int>) { (\.minItems, \.maxItems) }
}
