import Engine
import Testing
import Tasks

@Suite struct RepeatCopyTaskTests {
    let task = RepeatCopyTask()

    @Test func threeVectorsRepeatedTwiceTakeTwelveStepsEndingInTheEndMarker() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 3, repeats: 2)
        #expect(ex.steps == 3 + 2 + 3 * 2 + 1)
        #expect(ex.inputs.shape == [12, 10])
        #expect(ex.targets.shape == [12, 9])
        #expect(ex.phases == [.input, .input, .input, .delimiter, .repeatCount]
            + [Phase](repeating: .answer, count: 7))
        #expect(ex.mask == [Bool](repeating: false, count: 5) + [Bool](repeating: true, count: 7))
        for k in 0..<2 {
            for i in 0..<3 {
                #expect(row(ex.targets, 5 + 3 * k + i) == row(ex.inputs, i, 0..<8) + [0])
            }
        }
        #expect(row(ex.targets, 11) == zeros(8) + [1], "the last answer step is the end marker alone")
        for t in 5..<12 { #expect(row(ex.inputs, t) == zeros(10)) }
    }

    @Test func theDelimiterAndTheCountComeOnSeparateStepsAndChannels() {
        var rng = SeededRNG(seed: 2)
        let ex = task.example(rng: &rng, length: 3, repeats: 7)
        #expect(row(ex.inputs, 3) == zeros(8) + [1, 0])
        #expect(row(ex.inputs, 4) == zeros(8) + [0, task.encodedCount(7)])
        #expect(ex.parameters == .repeatCopy(length: 3, repeats: 7, encodedCount: task.encodedCount(7)))
        for t in 0..<3 { #expect(ex.inputs[t, 8] == 0 && ex.inputs[t, 9] == 0) }
    }

    @Test func theCountIsNormalisedToMeanZeroAndVarianceOneOverTheTrainingRange() {
        let values = (1...10).map { Double(task.encodedCount($0)) }
        let mean = values.reduce(0, +) / 10
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10
        #expect(abs(mean) < 1e-6)
        #expect(abs(variance - 1) < 1e-6)
        #expect(task.encodedCount(1) < task.encodedCount(2))
    }

    @Test func aSingleTrainingCountIsEncodedAsZero() {
        #expect(RepeatCopyTask(minRepeats: 4, maxRepeats: 4).encodedCount(4) == 0)
    }

    @Test func sampledLengthsAndCountsStayInTheTrainingRanges() {
        var rng = SeededRNG(seed: 3)
        var seen = Set<Int>()
        for _ in 0..<300 {
            guard case .repeatCopy(let n, let r, _) = task.example(rng: &rng, length: nil).parameters else {
                Issue.record("wrong parameters"); return
            }
            #expect((1...10).contains(n) && (1...10).contains(r))
            seen.insert(r)
        }
        #expect(seen == Set(1...10))
    }

    @Test func repeatCopyRejectsAZeroCount() {
        let error = #expect(throws: ArnnError.self) { try task.validate(length: 3, repeats: 0) }
        #expect(error?.message == "repeat-copy: repeats must be at least 1, got 0")
    }
}
