import Engine
@testable import Tasks

/// Row `i` of a rank-2 tensor.
func row(_ t: Tensor, _ i: Int) -> [Float] {
    let w = t.shape[1]
    return Array(t.data[(i * w)..<((i + 1) * w)])
}

/// Row `i` of a rank-2 tensor, channels `range` only.
func row(_ t: Tensor, _ i: Int, _ range: Range<Int>) -> [Float] { Array(row(t, i)[range]) }

func zeros(_ n: Int) -> [Float] { [Float](repeating: 0, count: n) }

/// `n` examples from a fresh generator seeded with `seed`.
func examples(_ task: TaskConfig, seed: UInt64, count n: Int, length: Int? = nil) -> [Example] {
    var rng = SeededRNG(seed: seed)
    return (0..<n).map { _ in task.example(rng: &rng, length: length) }
}
