import Bench
import Testing

/// `arnn bench attention` reports, for each approximation, the length from which it is faster than exact
/// attention: the shortest measured length from which it is faster at every longer one.
@Suite struct AttentionBenchmarkTests {
    @Test func theCrossoverIsTheShortestLengthFromWhichEveryLongerOneIsFaster() {
        #expect(AttentionBenchmark.lengths == [64, 128, 256, 512, 1024, 2048, 4096])
        let exact: [Double] = [10, 20, 40, 80, 160, 320, 640]
        // Faster at 64, slower at 128, then faster from 256 on: the crossover is 256, not 64.
        #expect(AttentionBenchmark.crossover(approximate: [5, 25, 30, 50, 100, 200, 400], exact: exact) == 256)
        #expect(AttentionBenchmark.crossover(approximate: [1, 1, 1, 1, 1, 1, 1], exact: exact) == 64)
        // A tie is not faster.
        #expect(AttentionBenchmark.crossover(approximate: [20, 30, 50, 80, 100, 200, 400], exact: exact) == 1024)
        // Slower at the longest length: no crossover, whatever happened before.
        #expect(AttentionBenchmark.crossover(approximate: [1, 1, 1, 1, 1, 1, 700], exact: exact) == nil)
    }
}
