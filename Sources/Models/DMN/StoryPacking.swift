/// How DMN+ lays out a batch of stories of different lengths, as PyTorch's `pack_padded_sequence` does:
/// the examples sorted by their number of kept statements, longest first, so that the examples that have
/// a statement i are the first a_i of them. Statement i of every example that has one is then one block
/// of a_i consecutive rows (rows o_i ..< o_i + a_i, with o_i = a_0 + … + a_{i−1}), and no arithmetic is
/// spent on padding: the GRUs read a_i rows at step i, the scorer (9) one row per real statement.
/// Padding exists only where the gates (10) are a [N, B] grid, to be softmaxed over each column.
package struct StoryPacking: Sendable, Equatable {
    /// Sorted position s → the example's index b in the batch, and b → s.
    package let order: [Int]
    package let position: [Int]
    /// n for each sorted position (non-increasing).
    package let kept: [Int]
    /// a_i and o_i for statement i = 0 … N − 1.
    package let active: [Int]
    package let offsets: [Int]

    /// - Parameter kept: each example's number of kept statements, in batch order (each at least 1).
    package init(kept counts: [Int]) {
        precondition(counts.allSatisfy { $0 > 0 }, "DMN reads stories of at least one statement")
        order = counts.indices.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
        var position = [Int](repeating: 0, count: counts.count)
        for (s, b) in order.enumerated() { position[b] = s }
        self.position = position
        let sorted = order.map { counts[$0] }
        kept = sorted
        active = (0..<(sorted.first ?? 0)).map { i in sorted.lazy.filter { $0 > i }.count }
        var offsets: [Int] = [], o = 0
        for a in active {
            offsets.append(o)
            o += a
        }
        self.offsets = offsets
    }

    /// Examples B and statements N (the longest story's).
    package var batch: Int { order.count }
    package var count: Int { active.count }
    /// Packed rows: one per kept statement of the batch.
    package var rows: Int { (offsets.last ?? 0) + (active.last ?? 0) }

    /// The packed row of statement i of the example at sorted position s (s < a_i).
    package func row(_ i: Int, _ s: Int) -> Int { offsets[i] + s }

    /// Each packed row's sorted position: which example's q or m it meets.
    package var rowPositions: [Int] { active.flatMap { 0..<$0 } }
}
