import Models

/// Colour ranges for a whole episode, so that a value keeps its colour while the user scrubs through steps.
public struct EpisodeStats: Sendable {
    /// Symmetric range of every memory value after any step.
    public var memory: ValueRange
    /// Symmetric range of every change a step made to memory (write-diff mode).
    public var change: ValueRange
    /// Largest erase/add/key magnitude, for their symmetric rows.
    public var vectors: ValueRange
    /// Symmetric range of the controller's hidden and cell state over the episode.
    public var controller: ValueRange
    /// The memory rows some head attends to during the episode (the history zooms on them).
    public var rowsInUse: RowWindow

    public init(_ snapshots: [NTMSnapshot]) {
        var memoryMax: Float = 0, changeMax: Float = 0, vectorMax: Float = 0, controllerMax: Float = 0
        for s in snapshots {
            let after = s.memoryAfter.data, before = s.memoryBefore.data
            for i in 0..<after.count {
                memoryMax = Swift.max(memoryMax, abs(after[i]))
                changeMax = Swift.max(changeMax, abs(after[i] - before[i]))
            }
            for head in s.heads {
                for v in head.key { vectorMax = Swift.max(vectorMax, abs(v)) }
            }
            for r in s.reads { for v in r { vectorMax = Swift.max(vectorMax, abs(v)) } }
            for v in s.hidden + s.cell { controllerMax = Swift.max(controllerMax, abs(v)) }
        }
        memory = .symmetric(memoryMax)
        change = .symmetric(changeMax)
        vectors = .symmetric(Swift.max(memoryMax, vectorMax))
        controller = .symmetric(controllerMax)
        rowsInUse = RowWindow.inUse(snapshots)
    }
}
