/// Where the translation scene's parts go: three sentence rows on top (source, output, reference), then
/// the attention matrix (one text row per decoded word, one column group per source word) beside the
/// step panel (this step's weights, the next words, the encoder).
package struct Seq2SeqLayout {
    package var bordered: Bool
    package var sentences = Rect.zero
    package var matrixPanel = Rect.zero
    /// The cells of the matrix, its column headers (source words) and row labels (decoded words).
    package var matrix = Rect.zero
    package var header = Rect.zero
    package var labels = Rect.zero
    package var columnWidth = 1
    /// The first decoded word in view (rows scroll to keep the current step visible), and the text rows
    /// each decoded word takes (more than one when the panel has room for the whole sentence).
    package var firstRow = 0
    package var rowHeight = 1
    package var stepPanel = Rect.zero

    package static let labelWidth = 10

    package init(_ scene: Seq2SeqScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        let border = bordered ? 1 : 0
        let (top, body) = context.rect.splitTop(3 + 2 * border)
        sentences = top
        let sourceCount = Swift.max(1, scene.sourceWords.count)
        let longest = scene.sourceWords.map(\.count).max() ?? 3
        // The matrix gets up to three fifths of the width, its columns as wide as the longest word (and
        // wider when there is room, up to 12); the step panel keeps at least 30 columns.
        let fit = (body.width * 3 / 5 - Self.labelWidth - 2 * border) / sourceCount
        let cell = Swift.max(Swift.min(longest + 1, 12), Swift.min(12, fit))
        let want = Self.labelWidth + sourceCount * cell + 2 * border
        let parts = body.split(.horizontal, [.length(Swift.min(want, body.width - 31)), .fill(1)], spacing: 1)
        matrixPanel = parts[0]
        stepPanel = parts[1]
        let inner = matrixPanel.inset(by: border)
        let (head, rows) = inner.splitTop(bordered ? 1 : 2)
        header = Rect(x: head.x + Self.labelWidth, y: head.y + (bordered ? 0 : 1), width: head.width - Self.labelWidth, height: 1)
        columnWidth = Swift.max(1, Swift.min(12, (inner.width - Self.labelWidth) / sourceCount))
        let available = Swift.max(1, rows.height - (bordered ? 1 : 0))
        rowHeight = Swift.max(1, Swift.min(3, available / Swift.max(1, scene.snapshots.count)))
        let visibleWords = Swift.max(1, available / rowHeight)
        firstRow = Swift.max(0, context.step - visibleWords + 1)
        labels = Rect(x: rows.x, y: rows.y, width: Self.labelWidth, height: visibleWords * rowHeight)
        matrix = Rect(x: rows.x + Self.labelWidth, y: rows.y, width: sourceCount * columnWidth,
                      height: Swift.min(visibleWords, scene.snapshots.count) * rowHeight)
    }
}
