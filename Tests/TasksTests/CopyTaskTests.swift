import Engine
import Testing
import Tasks

@Suite struct CopyTaskTests {
    let task = CopyTask()

    @Test func copyOfLengthFiveHasElevenStepsAndScoresOnlyTheLastFive() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 5)
        #expect(ex.steps == 11)
        #expect(ex.inputs.shape == [11, 9])
        #expect(ex.targets.shape == [11, 8])
        #expect(ex.mask == [Bool](repeating: false, count: 6) + [Bool](repeating: true, count: 5))
        #expect(ex.phases == [Phase](repeating: .input, count: 5) + [.delimiter]
            + [Phase](repeating: .answer, count: 5))
        #expect(ex.parameters == .copy(length: 5))
        #expect(ex.scoredBits == 40)
    }

    @Test func copyTargetsAreTheInputsShiftedPastTheDelimiter() {
        var rng = SeededRNG(seed: 2)
        let ex = task.example(rng: &rng, length: 5)
        for i in 0..<5 {
            #expect(row(ex.targets, 6 + i) == row(ex.inputs, i, 0..<8))
            #expect(ex.inputs[i, 8] == 0, "no delimiter during the input phase")
            #expect(row(ex.targets, i) == zeros(8), "nothing to output while reading")
            #expect(row(ex.inputs, 6 + i) == zeros(9), "the answer phase has zero input")
        }
        #expect(row(ex.inputs, 5) == zeros(8) + [1], "the delimiter step is the flag alone")
        #expect(row(ex.targets, 5) == zeros(8))
    }

    @Test func copyWithoutALengthSamplesTheWholeTrainingRange() {
        let lengths = examples(.copy(task), seed: 3, count: 500).map { ($0.steps - 1) / 2 }
        #expect(lengths.allSatisfy { (1...20).contains($0) })
        #expect(lengths.contains(1) && lengths.contains(20))
    }

    @Test func copyBitsAreFairCoins() {
        let all = examples(.copy(task), seed: 4, count: 200, length: 20).flatMap { ex in
            (0..<20).flatMap { row(ex.inputs, $0, 0..<8) }
        }
        let mean = all.reduce(0, +) / Float(all.count)
        #expect(abs(mean - 0.5) < 0.02, "mean bit \(mean) over \(all.count) bits")
    }

    @Test func copyFromABitMatrixLaysOutTheGivenRows() throws {
        let bits: [[Bool]] = [
            [true, false, false, false, false, false, false, true],
            [false, true, true, false, false, true, true, false],
        ]
        let ex = try task.example(bits: bits)
        #expect(ex.steps == 5)
        #expect(row(ex.inputs, 0) == [1, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(row(ex.inputs, 1) == [0, 1, 1, 0, 0, 1, 1, 0, 0])
        #expect(row(ex.targets, 3) == [1, 0, 0, 0, 0, 0, 0, 1])
        #expect(row(ex.targets, 4) == [0, 1, 1, 0, 0, 1, 1, 0])
    }

    @Test func copyFromABitMatrixRejectsAWrongWidthNamingTheRow() {
        let bits: [[Bool]] = [[Bool](repeating: true, count: 8), [Bool](repeating: true, count: 7)]
        let error = #expect(throws: ArnnError.self) { try task.example(bits: bits) }
        #expect(error?.message == "copy: input row 2 has 7 bits, expected 8")
    }

    @Test func copyFromABitMatrixRejectsEmptyInput() {
        let error = #expect(throws: ArnnError.self) { try task.example(bits: []) }
        #expect(error?.message == "copy: the input has no rows; expected at least one row of 8 bits")
    }

    @Test func copyRejectsNonPositiveAndHugeLengthsNamingTheField() {
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: 0) })?.message
            == "copy: length must be at least 1, got 0")
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: -3) })?.message
            == "copy: length must be at least 1, got -3")
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: 60_000) })?.message
            == "copy: length 60000 gives 120001 timesteps, more than the limit of 100000")
        #expect(throws: ArnnError.self) { try task.validate(length: Int.max) }
        #expect(throws: Never.self) { try task.validate(length: 80) }
    }

    @Test func copyRejectsABadConfigurationNamingTheField() {
        let error = #expect(throws: ArnnError.self) { try CopyTask(minLength: 5, maxLength: 2).validate() }
        #expect(error?.message == "copy: maxLength (2) must not be less than minLength (5)")
        let zeroWidth = #expect(throws: ArnnError.self) { try CopyTask(bitWidth: 0).validate() }
        #expect(zeroWidth?.message == "copy: bitWidth must be at least 1, got 0")
    }
}
