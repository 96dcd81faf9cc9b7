import Engine
import Testing
import Tasks

@Suite struct AssociativeRecallTaskTests {
    let task = AssociativeRecallTask()

    @Test func twoItemsTakeSixteenStepsWithDelimitersWhereDocumented() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 2)
        #expect(ex.steps == 16)
        #expect(ex.inputs.shape == [16, 8])
        #expect(ex.targets.shape == [16, 6])
        let d = Phase.delimiter
        #expect(ex.phases == [d, .input, .input, .input, d, .input, .input, .input,
                              d, .query, .query, .query, d, .answer, .answer, .answer])
        #expect(ex.mask == [Bool](repeating: false, count: 13) + [true, true, true])
        for t in [0, 4] { #expect(row(ex.inputs, t) == zeros(6) + [1, 0], "item delimiter at \(t)") }
        for t in [8, 12] { #expect(row(ex.inputs, t) == zeros(6) + [0, 1], "query delimiter at \(t)") }
        for t in 13..<16 { #expect(row(ex.inputs, t) == zeros(8)) }
    }

    /// Reads the items and the query back out of the input rows, independently of the generator.
    private func decode(_ ex: Example, bits b: Int = 6, itemLength v: Int = 3) -> (items: [[Float]], query: [Float]) {
        var items: [[Float]] = [], query: [Float] = [], t = 0
        while ex.inputs[t, b] == 1 {
            items.append((1...v).flatMap { row(ex.inputs, t + $0, 0..<b) })
            t += v + 1
        }
        if ex.inputs[t, b + 1] == 1 { query = (1...v).flatMap { row(ex.inputs, t + $0, 0..<b) } }
        return (items, query)
    }

    @Test func theAnswerIsTheItemThatFollowedTheQuery() {
        for ex in examples(TaskConfig(task), seed: 2, count: 300) {
            let (items, query) = decode(ex)
            #expect((2...6).contains(items.count))
            #expect(Set(items).count == items.count, "items are distinct")
            let q = items.firstIndex(of: query)
            #expect(q != nil && q! < items.count - 1, "the query is a stored item other than the last")
            guard let q, q < items.count - 1 else { continue }
            let answer = (0..<3).flatMap { row(ex.targets, ex.steps - 3 + $0) }
            #expect(answer == items[q + 1])
            #expect(ex.parameters == .associativeRecall(items: items.count, queryIndex: q))
        }
    }

    @Test func everyItemButTheLastIsQueriedSometimes() {
        var queried = Set<Int>()
        for ex in examples(TaskConfig(task), seed: 3, count: 200, length: 6) {
            if case .associativeRecall(_, let q) = ex.parameters { queried.insert(q) }
        }
        #expect(queried == Set(0..<5))
    }

    @Test func recallNeedsAtLeastTwoItems() {
        let error = #expect(throws: ArnnError.self) { try task.validate(length: 1) }
        #expect(error?.message == "assoc-recall: items must be at least 2 (the query needs an item after it), got 1")
    }

    @Test func recallCannotHoldMoreItemsThanDistinctPatterns() {
        let tiny = AssociativeRecallTask(bitWidth: 1, itemLength: 2, minItems: 2, maxItems: 5)
        let error = #expect(throws: ArnnError.self) { try tiny.validate() }
        #expect(error?.message == "assoc-recall: maxItems must be at most 4 (distinct items of 2×1 bits), got 5")
        // At capacity, every pattern appears exactly once.
        var rng = SeededRNG(seed: 4)
        let ex = AssociativeRecallTask(bitWidth: 1, itemLength: 2, minItems: 4, maxItems: 4)
            .example(rng: &rng, length: nil)
        #expect(Set(decode(ex, bits: 1, itemLength: 2).items).count == 4)
    }
}
