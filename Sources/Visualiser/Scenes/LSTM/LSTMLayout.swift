/// Where the LSTM scene's parts go in its rectangle: the sequence panel on top, then the state history
/// (units × steps) beside the step panel (one strip per quantity, units across). `view` draws from it and
/// `click` hit-tests against it.
package struct LSTMLayout {
    package var bordered: Bool
    var seq = SequenceLayout()
    /// The history panel, its heatmap, and the pooling of units into half-block pixels.
    package var history = Rect.zero
    package var historyMap = Rect.zero
    package var historyPool = 1
    package var historyTime = TimeAxis(x: 0, first: 0, count: 0, stepWidth: 1)
    /// The step panel and the area of its strips (one text row per quantity), units pooled per cell.
    package var step = Rect.zero
    package var strips = Rect.zero
    package var stripPool = 1
    package var stripCellWidth = 1
    /// Text rows per strip: more than one when the panel has room, so the strips read as bands.
    package var stripHeight = 1
    package var units = 0

    /// The quantities of the step panel, top to bottom.
    package static let stripNames = ["input i", "forget f", "cand. g", "output o", "cell c", "hidden h"]
    package static let labelWidth = 9

    package init(_ scene: LSTMScene, _ context: SceneContext, sequence: Bool = true) {
        bordered = context.kind == .rich
        var body = context.rect
        if sequence {
            let (s, rest) = SequenceLayout.place(in: body, context: context, kind: context.kind, alwaysShowTarget: true)
            seq = s
            body = rest
        }
        units = scene.snapshots[context.step].layers[scene.layer].hidden.count
        let border = bordered ? 1 : 0
        let parts = body.split(.horizontal, [.fill(1), .fill(1)], spacing: 1)
        history = parts[0]
        step = parts[1]

        // History: a caption row (compact) or the border, then rows of pooled units, steps across.
        let inner = history.inset(by: border)
        let (_, mapArea) = inner.splitTop(bordered ? 0 : 1)
        let textRows = Swift.max(1, mapArea.height - (bordered ? 1 : 0))
        historyPool = Swift.max(1, (units + 2 * textRows - 1) / (2 * textRows))
        let pooled = (units + historyPool - 1) / historyPool
        historyTime = TimeAxis.fitting(x: mapArea.x + 5, width: mapArea.width - 5, steps: context.episode.count,
                                       current: context.step, maxStepWidth: 3)
        historyMap = Rect(x: historyTime.x, y: mapArea.y, width: historyTime.count * historyTime.stepWidth,
                          height: Swift.min(textRows, (pooled + 1) / 2))

        // Step panel: a caption (compact), then one strip per quantity.
        let stepInner = step.inset(by: border)
        let (_, stripArea) = stepInner.splitTop(bordered ? 0 : 1)
        let width = Swift.max(1, stripArea.width - Self.labelWidth)
        if width >= units {
            stripPool = 1
            stripCellWidth = Swift.max(1, Swift.min(3, width / units))
        } else {
            stripPool = (units + width - 1) / width
            stripCellWidth = 1
        }
        // Room for the legend row (rich) below the strips.
        let free = stripArea.height - (bordered ? 2 : 0)
        stripHeight = Swift.max(1, Swift.min(3, free / Self.stripNames.count))
        strips = Rect(x: stripArea.x + Self.labelWidth, y: stripArea.y,
                      width: ((units + stripPool - 1) / stripPool) * stripCellWidth,
                      height: Swift.min(stripArea.height, Self.stripNames.count * stripHeight))
    }
}
