import Engine
import Foundation
import Testing
import Tasks

@Suite struct ParityTaskTests {
    let task = ParityTask()

    @Test func parityIsOneScoredStepOfSizeEntriesAndOneTargetBit() {
        var rng = SeededRNG(seed: 1)
        let ex = task.example(rng: &rng, length: 10)
        #expect(task.inputWidth == 64 && task.outputWidth == 1)
        #expect(ex.inputs.shape == [1, 64] && ex.targets.shape == [1, 1])
        #expect(ex.mask == [true] && ex.phases == [.answer])
        #expect(ex.scoredBits == 1)
        #expect(task.inputChannelNames.count == 64 && task.outputChannelNames == ["odd"])
        let small = ParityTask(size: 5)
        #expect(small.example(rng: &rng, length: nil).inputs.shape == [1, 5])
    }

    @Test func theTargetIsTheParityOfThePlusOneEntries() {
        var rng = SeededRNG(seed: 2)
        for _ in 0..<300 {
            let ex = task.example(rng: &rng, length: nil)
            let v = row(ex.inputs, 0)
            #expect(v.allSatisfy { $0 == 0 || $0 == 1 || $0 == -1 })
            let ones = v.filter { $0 == 1 }.count, nonzero = v.filter { $0 != 0 }.count
            #expect(ex.targets[0, 0] == Float(ones % 2))
            #expect(ex.parameters == .parity(entries: nonzero, ones: ones))
            #expect(ex.parameters.length == nonzero)
        }
    }

    @Test func theNumberOfNonzeroEntriesCoversTheLengthRangeAndNoMore() throws {
        let narrow = try task.withLengthRange(3...5)
        var rng = SeededRNG(seed: 3)
        let counts = (0..<400).map { _ in row(narrow.example(rng: &rng, length: nil).inputs, 0).filter { $0 != 0 }.count }
        #expect(counts.allSatisfy { (3...5).contains($0) })
        #expect(Set(counts) == [3, 4, 5])
        // A given count is exact, up to the whole vector; both signs and every position occur.
        let full = task.example(rng: &rng, length: 64)
        #expect(row(full.inputs, 0).allSatisfy { $0 != 0 })
        let all = (0..<200).map { _ in row(task.example(rng: &rng, length: 1).inputs, 0) }
        #expect(Set(all.map { $0.firstIndex { $0 != 0 }! }).count > 50)
        let signs = all.map { $0.first { $0 != 0 }! }
        #expect(signs.contains(1) && signs.contains(-1))
    }

    @Test func sameSeedGivesTheSameExampleAndTheDrawOrderIsAsDocumented() {
        var a = SeededRNG(seed: 4), b = SeededRNG(seed: 4), c = SeededRNG(seed: 5)
        let x = (0..<20).map { _ in task.example(rng: &a, length: nil) }
        #expect(x == (0..<20).map { _ in task.example(rng: &b, length: nil) })
        #expect(x != (0..<20).map { _ in task.example(rng: &c, length: nil) })
        // The documented order: k, then k positions by partial Fisher–Yates, then k signs.
        var r = SeededRNG(seed: 6), mirror = SeededRNG(seed: 6)
        let ex = ParityTask(size: 8).example(rng: &r, length: nil)
        let k = mirror.int(in: 1...8)
        var order = Array(0..<8)
        for i in 0..<k { order.swapAt(i, i + mirror.int(below: 8 - i)) }
        var expected = [Float](repeating: 0, count: 8)
        for i in 0..<k { expected[order[i]] = mirror.bernoulli(0.5) ? 1 : -1 }
        #expect(row(ex.inputs, 0) == expected)
    }

    @Test func parityRejectsABadConfigurationNamingTheField() {
        func message(_ t: ParityTask) -> String? { (#expect(throws: ArnnError.self) { try t.validate() })?.message }
        #expect(message(ParityTask(size: 0)) == "parity: size must be at least 1, got 0")
        #expect(message(ParityTask(minEntries: 0)) == "parity: minEntries must be at least 1, got 0")
        #expect(message(ParityTask(minEntries: 5, maxEntries: 2)) == "parity: maxEntries (2) must not be less than minEntries (5)")
        #expect(message(ParityTask(size: 8, maxEntries: 9)) == "parity: maxEntries must be at most 8 (the vector's size), got 9")
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: 65) })?.message
            == "parity: entries must be at most 64 (the vector's size), got 65")
        #expect(throws: Never.self) { try task.validate() }
    }

    @Test func leftOutFieldsTakeTheirDefaultsAndMaxEntriesFollowsTheSize() throws {
        let d = try ParityTask.decode(json: Data("{}".utf8))
        #expect(d == ParityTask() && d.lengthRange == 1...64)
        let s = try ParityTask.decode(json: Data("{\"size\": 12}".utf8))
        #expect(s.lengthRange == 1...12)
        let round = try ParityTask.decode(json: JSONEncoder().encode(ParityTask(size: 9, minEntries: 2, maxEntries: 7)))
        #expect(round == ParityTask(size: 9, minEntries: 2, maxEntries: 7))
        #expect(task.evaluationLengths == [16, 32, 64])
    }
}
