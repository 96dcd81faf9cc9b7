/// Where the ACT scene's parts go: the input (one cell an entry, wrapped over rows), the halting budget
/// bar, one row per ponder sub-step, and the ponder cost of every input step at the bottom.
struct ACTLayout {
    var bordered: Bool
    var input = Rect.zero
    var inputCells = Rect.zero
    var budget = Rect.zero
    var subStepsPanel = Rect.zero
    /// One text row per sub-step: its numbers, then its state's units.
    var subSteps = Rect.zero
    var ponder = Rect.zero

    static let numbersWidth = 40

    init(_ scene: ACTScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        let border = bordered ? 1 : 0
        let entries = context.frame.input.count
        let cellsPerRow = Swift.max(1, context.rect.width - 2 - 2 * border)
        let inputRows = (entries + cellsPerRow - 1) / cellsPerRow
        let parts = context.rect.split(.vertical, [.length(inputRows + 1 + 2 * border), .length(2 + 2 * border), .fill(1),
                                                   .length(2 + 2 * border)])
        input = parts[0]
        // Inside the border (rich) or below the caption row (compact), as `ACTScene.panel` draws them.
        let inner = bordered ? input.inset(by: 1) : input.inset(top: 1)
        inputCells = Rect(x: inner.x + 2, y: inner.y, width: inner.width - 2, height: inputRows)
        budget = parts[1]
        subStepsPanel = parts[2]
        let stepsInner = bordered ? subStepsPanel.inset(by: 1) : subStepsPanel.inset(top: 1)
        subSteps = stepsInner.inset(top: 1)      // below the column headings
        ponder = parts[3]
    }
}
