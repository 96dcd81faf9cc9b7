/// Where the transformer scene's parts go: three sentence rows on top (source, output, target); below, the
/// enlarged map on the left (one text row per query, or two queries a row when there are more queries
/// than rows) and on the right the small multiples (layers × heads) over the step panel.
package struct TransformerLayout {
    package var bordered: Bool
    package var sentences = Rect.zero
    package var mapPanel = Rect.zero
    /// The cells of the enlarged map, its column headers and its row labels.
    package var map = Rect.zero
    package var header = Rect.zero
    package var labels = Rect.zero
    package var columnWidth = 1
    /// The first query row and key column in view (the map scrolls to keep the current step and the
    /// cursor visible).
    package var firstRow = 0
    package var firstColumn = 0
    /// Text rows per query (1–3) when every query has a row; 0 when two queries share a text row.
    package var rowHeight = 1
    package var visibleRows = 0
    package var visibleColumns = 0
    package var multiplesPanel = Rect.zero
    /// The small multiples' heatmaps, by layer · heads + head, and each one's label row.
    package var multiples: [Rect] = []
    package var multipleLabels: [Rect] = []
    package var stepPanel = Rect.zero

    package init(_ scene: TransformerScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        let border = bordered ? 1 : 0
        let (top, body) = context.rect.splitTop(3 + 2 * border)
        sentences = top
        let right = Swift.max(24, Swift.min(bordered ? 56 : 40, body.width * 3 / 10))
        let parts = body.split(.horizontal, [.fill(1), .length(right)], spacing: 1)
        mapPanel = parts[0]
        let side = parts[1]

        // The enlarged map.
        let (rowLabels, columnLabels) = scene.labels(scene.map)
        let (rows, columns) = scene.size(scene.map)
        let inner = mapPanel.inset(by: border)
        let (head, body2) = inner.splitTop(bordered ? 1 : 2)
        let labelWidth = Swift.max(4, Swift.min(10, (rowLabels.map(\.count).max() ?? 3) + 2))
        header = Rect(x: head.x + labelWidth, y: head.maxY - 1, width: Swift.max(0, head.width - labelWidth), height: 1)
        let longest = columnLabels.map(\.count).max() ?? 1
        let widest = Swift.min(12, longest + 1)
        columnWidth = Swift.max(1, Swift.min(widest, header.width / Swift.max(1, columns)))
        visibleColumns = Swift.min(columns, header.width / columnWidth)
        let textRows = Swift.max(1, body2.height - (bordered ? 1 : 0))
        if rows <= textRows {
            rowHeight = Swift.max(1, Swift.min(3, textRows / Swift.max(1, rows)))
            visibleRows = rows
        } else {
            rowHeight = 0
            visibleRows = Swift.min(rows, 2 * textRows)
        }
        let anchorRow = scene.cursor?.row ?? scene.currentRow(context)
        firstRow = Swift.max(0, Swift.min(rows - visibleRows, anchorRow - visibleRows + 1))
        if let c = scene.cursor, c.column >= visibleColumns { firstColumn = Swift.min(columns - visibleColumns, c.column - visibleColumns + 1) }
        let textHeight = rowHeight == 0 ? (visibleRows + 1) / 2 : visibleRows * rowHeight
        labels = Rect(x: body2.x, y: body2.y, width: labelWidth, height: textHeight)
        map = Rect(x: body2.x + labelWidth, y: body2.y, width: visibleColumns * columnWidth, height: textHeight)

        // The small multiples: a row of heads per layer, as tall as a third of the side allows.
        let layers = Swift.max(1, scene.layers), heads = Swift.max(1, scene.heads)
        let sideInner = bordered ? side.inset(top: 1, left: 1, bottom: 1, right: 1) : side.inset(top: 1)
        let miniHeight = Swift.max(2, Swift.min(8, (sideInner.height * 11 / 20) / layers - 1))
        let panelHeight = layers * (miniHeight + 1) + (bordered ? 2 : 1)
        let (upper, lower) = side.splitTop(panelHeight)
        multiplesPanel = upper
        stepPanel = lower
        let grid = bordered ? upper.inset(by: 1) : upper.inset(top: 1)
        let miniWidth = Swift.max(2, (grid.width - (heads - 1)) / heads)
        for l in 0..<layers {
            for j in 0..<heads {
                let x = grid.x + j * (miniWidth + 1), y = grid.y + l * (miniHeight + 1)
                multipleLabels.append(Rect(x: x, y: y, width: miniWidth, height: 1))
                multiples.append(Rect(x: x, y: y + 1, width: miniWidth, height: miniHeight))
            }
        }
    }

    /// The enlarged map's cell (query row, key column) under screen cell (x, y), or nil outside it.
    package func cell(atX x: Int, y: Int) -> GridPosition? {
        guard map.contains(x: x, y: y) else { return nil }
        let dy = y - map.y
        // A click lands on the upper of two queries sharing a text row.
        let row = firstRow + (rowHeight == 0 ? 2 * dy : dy / rowHeight)
        let column = firstColumn + (x - map.x) / columnWidth
        return GridPosition(row: row, column: column)
    }

    /// The small multiple (layer · heads + head) under screen cell (x, y), or nil.
    package func smallMultiple(atX x: Int, y: Int) -> Int? {
        multiples.indices.first { multiples[$0].contains(x: x, y: y) || multipleLabels[$0].contains(x: x, y: y) }
    }
}
