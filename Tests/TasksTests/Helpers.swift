import Engine
import Tasks

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

/// The tasks these tests know (the program's registry lists the same ones).
let testCatalog = TaskCatalog([CopyTask.self, RepeatCopyTask.self, AssociativeRecallTask.self, PrioritySortTask.self])

// Shorthands so the tests read as before the catalog existed.
extension TaskConfig {
    static var names: [String] { testCatalog.names }
    init(name: String) throws { self = try testCatalog.task(named: name) }
    static func copy(_ t: CopyTask) -> TaskConfig { TaskConfig(t) }
    var inputWidth: Int { bits!.inputWidth }
    var outputWidth: Int { bits!.outputWidth }
    func example(rng: inout SeededRNG, length: Int?) -> Example { bits!.example(rng: &rng, length: length) }
    func checkedExample(rng: inout SeededRNG, length: Int?) throws -> Example {
        try bits!.checkedExample(rng: &rng, length: length)
    }
}
