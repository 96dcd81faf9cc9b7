import Engine
import Tasks
import Testing

/// Grefenstette et al.'s transduction tasks (docs/tasks/transduction.md).
@Suite struct TransductionTaskTests {
    @Test func eachRuleRewritesTheSequenceAsThePaperSays() {
        let s = ["a", "b", "c", "d", "e", "f"]
        #expect(SymbolCopy.target(s) == s)
        #expect(Reversal.target(s) == ["f", "e", "d", "c", "b", "a"])
        #expect(BigramFlip.target(s) == ["b", "a", "d", "c", "f", "e"])
    }

    /// Sorting (docs/tasks/sort.md): 32–64 letters of 26 by default, written back in alphabetical order
    /// with every repeat kept, and scored inside the trained lengths.
    @Test func sortingWritesTheLettersInOrderAndIsScoredInsideItsRange() throws {
        #expect(Sorting.target(["q", "b", "x", "b", "m", "a"]) == ["a", "b", "b", "m", "q", "x"])
        let task = TransductionTask<Sorting>()
        #expect(task.symbols == 26 && task.lengthRange == 32...64 && task.evaluationLengths == [32, 48, 64])
        #expect(TransductionTask<Reversal>().symbols == 12 && TransductionTask<Reversal>().lengthRange == 8...32)
        var rng = SeededRNG(seed: 5)
        var lengths = Set<Int>()
        for _ in 0..<500 {
            let p = task.sample(rng: &rng, length: nil)
            lengths.insert(p.ownLength)
            #expect(p.targetWords == p.sourceWords.sorted())
            #expect(p.targetTokens == p.sourceTokens.sorted())    // ids follow the alphabet
        }
        #expect(lengths == Set(32...64))
        #expect(try task.sample(text: "dcba").targetWords == ["a", "b", "c", "d"])
    }

    @Test func samplesHaveTheAskedLengthAndOnlyTheAlphabetsSymbols() {
        let task = TransductionTask<Reversal>(symbols: 8)
        var rng = SeededRNG(seed: 3)
        for n in [1, 8, 33, 128] {
            let p = task.sample(rng: &rng, length: n)
            #expect(p.sourceWords.count == n && p.targetWords == p.sourceWords.reversed())
            #expect(p.sourceWords.allSatisfy { task.alphabet.contains($0) })
            #expect(p.sourceTokens.allSatisfy { $0 >= 4 && $0 < 12 })   // after <pad> <bos> <eos> <unk>
        }
    }

    @Test func trainingLengthsCoverTheRangeUniformlyAndBigramFlipStaysEven() {
        var rng = SeededRNG(seed: 4)
        let task = TransductionTask<SymbolCopy>(minLength: 8, maxLength: 32)
        var seen = Set<Int>()
        for _ in 0..<2000 { seen.insert(task.sample(rng: &rng, length: nil).ownLength) }
        #expect(seen == Set(8...32))
        let flip = TransductionTask<BigramFlip>(minLength: 7, maxLength: 33)
        var even = Set<Int>()
        for _ in 0..<2000 { even.insert(flip.sample(rng: &rng, length: nil).ownLength) }
        #expect(even == Set(stride(from: 8, through: 32, by: 2)))
    }

    @Test func symbolsAreDrawnUniformly() {
        var rng = SeededRNG(seed: 5)
        let task = TransductionTask<SymbolCopy>(symbols: 10)
        var counts = [String: Int]()
        for _ in 0..<500 { for w in task.sample(rng: &rng, length: 20).sourceWords { counts[w, default: 0] += 1 } }
        #expect(counts.count == 10)
        // 10,000 draws: each symbol 1,000 ± 5 standard deviations (30).
        #expect(counts.values.allSatisfy { abs($0 - 1000) < 150 })
    }

    @Test func evaluationLengthsAreTwiceAndFourTimesTheLongestTrained() {
        #expect(TransductionTask<Reversal>().evaluationLengths == [16, 32, 64, 128])
        #expect(TransductionTask<BigramFlip>(minLength: 8, maxLength: 31).evaluationLengths == [16, 30, 62, 124])
    }

    @Test func typedInputIsReadWithOrWithoutSpacesAndBadInputIsNamed() throws {
        let task = TransductionTask<Reversal>(symbols: 8)
        #expect(try task.sample(text: "a b c").targetWords == ["c", "b", "a"])
        #expect(try task.sample(text: "abcd").sourceWords == ["a", "b", "c", "d"])
        #expect(throws: ArnnError.self) { try task.sample(text: "  ") }
        do {
            _ = try task.sample(text: "a b z")
            Issue.record("an unknown symbol was accepted")
        } catch let e as ArnnError {
            #expect(e.message.contains("unknown symbol \"z\"") && e.message.contains("a–h"))
        }
        #expect(task.unknownWords("a q b z") == ["q", "z"])
        #expect(throws: ArnnError.self) { try task.sample(text: String(repeating: "a ", count: 257)) }
        #expect(throws: ArnnError.self) { try TransductionTask<BigramFlip>().sample(text: "a b c") }
    }

    @Test func invalidSettingsAndLengthsAreRefusedWithTheirField() {
        #expect(throws: ArnnError.self) { try TransductionTask<Reversal>(symbols: 27).validate() }
        #expect(throws: ArnnError.self) { try TransductionTask<Reversal>(minLength: 9, maxLength: 8).validate() }
        #expect(throws: ArnnError.self) { try TransductionTask<Reversal>().validate(length: 0) }
        #expect(throws: ArnnError.self) { try TransductionTask<Reversal>().validate(length: 257) }
        #expect(throws: ArnnError.self) { try TransductionTask<BigramFlip>().validate(length: 9) }
        #expect((try? TransductionTask<BigramFlip>().validate(length: 10)) != nil)
    }
}
