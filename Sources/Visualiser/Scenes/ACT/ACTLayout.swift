/// Where the ACT scene's parts go: the current input along the top (one cell an entry, wrapped over
/// rows); below it, on the left, one column per input step with its stacked halting bar and N and ρ
/// underneath; on the right, the current input's sub-steps expanded, one row each.
package struct ACTLayout {
    package var bordered: Bool
    package var input = Rect.zero
    /// The entries of the current input vector, `Self.entrySlot` cells each.
    package var inputCells = Rect.zero
    package var columnsPanel = Rect.zero
    /// The bars' area (without the axis and the label rows below).
    package var bars = Rect.zero
    /// Rows under the bars: the input number, N and ρ.
    package var labels = Rect.zero
    /// The first input step shown and the width of each column (scrolled so the current step shows).
    package var firstColumn = 0
    package var columnWidth = 3
    package var visibleColumns = 1
    package var subStepsPanel = Rect.zero
    /// One text row per sub-step: its numbers, then its state's units.
    package var subSteps = Rect.zero

    /// Cells per input entry: the glyph and a space.
    package static let entrySlot = 2
    /// The value axis left of the bars: "1−ε ┤".
    package static let axisWidth = 5
    /// Width of the numbers of a sub-step row, before its state.
    package static let numbersWidth = 39

    package init(_ scene: ACTScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        let border = bordered ? 1 : 0
        let entries = context.episode.example?.inputWidth ?? 0
        let cellsPerRow = Swift.max(1, (context.rect.width - 2 - 2 * border) / Self.entrySlot)
        let inputRows = Swift.min(4, (entries + cellsPerRow - 1) / cellsPerRow)
        let parts = context.rect.split(.vertical, [.length(inputRows + (bordered ? 2 : 1)), .fill(1)])
        input = parts[0]
        // Inside the border (rich) or below the caption row (compact), as `ACTScene.panel` draws them.
        let inner = bordered ? input.inset(by: 1) : input.inset(top: 1)
        inputCells = Rect(x: inner.x + 2, y: inner.y, width: inner.width - 2, height: inputRows)

        // The columns take what they need (up to half the width, at least the labels' width); the
        // sub-steps the rest.
        let steps = context.episode.count
        let wanted = Self.axisWidth + 2 * border + 1 + steps * 8
        let left = Swift.max(Swift.min(wanted, context.rect.width / 2), Swift.min(28, context.rect.width / 2))
        let middle = parts[1].split(.horizontal, [.length(left), .fill(1)], spacing: bordered ? 0 : 1)
        columnsPanel = middle[0]
        let columnsInner = bordered ? columnsPanel.inset(by: 1) : columnsPanel.inset(top: 1)
        let labelRows = 3
        bars = Rect(x: columnsInner.x + Self.axisWidth, y: columnsInner.y,
                    width: Swift.max(1, columnsInner.width - Self.axisWidth),
                    height: Swift.max(1, columnsInner.height - labelRows))
        labels = Rect(x: columnsInner.x, y: bars.maxY, width: columnsInner.width, height: labelRows)
        columnWidth = Swift.max(3, Swift.min(8, bars.width / Swift.max(1, steps)))
        visibleColumns = Swift.max(1, bars.width / columnWidth)
        if context.step >= visibleColumns { firstColumn = Swift.min(steps - visibleColumns, context.step - visibleColumns / 2) }

        subStepsPanel = middle[1]
        let stepsInner = bordered ? subStepsPanel.inset(by: 1) : subStepsPanel.inset(top: 1)
        subSteps = stepsInner.inset(top: 1)      // below the column headings
    }

    /// The x of input step t's column, or nil when it is scrolled out of view.
    package func columnX(_ t: Int) -> Int? {
        let i = t - firstColumn
        guard i >= 0 && i < visibleColumns else { return nil }
        return bars.x + i * columnWidth
    }
}
