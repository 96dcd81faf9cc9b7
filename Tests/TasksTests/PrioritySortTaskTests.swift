import Engine
import Testing
import Tasks

@Suite struct PrioritySortTaskTests {
    let task = PrioritySortTask()

    @Test func twentyInputsGiveSixteenAnswersAfterOneDelimiter() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: nil)
        #expect(ex.steps == 37)
        #expect(ex.inputs.shape == [37, 10])
        #expect(ex.targets.shape == [37, 8])
        #expect(ex.phases == [Phase](repeating: .input, count: 20) + [.delimiter]
            + [Phase](repeating: .answer, count: 16))
        #expect(ex.mask == [Bool](repeating: false, count: 21) + [Bool](repeating: true, count: 16))
        #expect(row(ex.inputs, 20) == zeros(8) + [1, 0])
        for t in 21..<37 { #expect(row(ex.inputs, t) == zeros(10)) }
    }

    @Test func targetsAreTheHighestPriorityVectorsInDescendingOrder() {
        for ex in examples(TaskConfig(task), seed: 2, count: 100) {
            // Recompute the answer from the input rows alone.
            let priorities = (0..<20).map { ex.inputs[$0, 9] }
            #expect(priorities.allSatisfy { $0 >= -1 && $0 < 1 })
            #expect(Set(priorities).count == 20, "priorities are continuous, so distinct here")
            let order = (0..<20).sorted { priorities[$0] > priorities[$1] }
            for j in 0..<16 {
                #expect(row(ex.targets, 21 + j) == row(ex.inputs, order[j], 0..<8))
            }
            if case .prioritySort(let p, let o) = ex.parameters {
                #expect(p == priorities && o == Array(order.prefix(16)))
            } else {
                Issue.record("wrong parameters \(ex.parameters)")
            }
        }
    }

    @Test func prioritiesSpanMinusOneToOne() {
        let all = examples(TaskConfig(task), seed: 3, count: 100).flatMap { ex in (0..<20).map { ex.inputs[$0, 9] } }
        #expect(all.min()! < -0.95 && all.max()! > 0.95)
        #expect(abs(all.reduce(0, +) / Float(all.count)) < 0.05)
    }

    @Test func fewerInputsThanOutputsSortsThemAll() {
        var rng = SeededRNG(seed: 4)
        let ex = task.example(rng: &rng, length: 5)
        #expect(ex.steps == 5 + 1 + 5)
        #expect(ex.answerSteps == 5)
    }

    @Test func priorityTiesGoToTheEarlierInput() {
        let vectors: [Float] = [1, 0, 0, 1]  // two 2-bit inputs
        let ex = PrioritySortTask(bitWidth: 2, minInputs: 2, maxInputs: 2, outputCount: 2)
            .example(vectors: vectors, priorities: [0.5, 0.5])
        #expect(row(ex.targets, 3) == [1, 0])
        #expect(row(ex.targets, 4) == [0, 1])
    }

    @Test func theAnswerMustHoldAtLeastOneVector() {
        let error = #expect(throws: ArnnError.self) { try PrioritySortTask(outputCount: 0).validate() }
        #expect(error?.message == "priority-sort: outputCount must be at least 1, got 0")
    }
}
