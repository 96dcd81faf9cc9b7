/// A small matrix with row labels on the left, column labels on top, and each value in a coloured cell,
/// optionally printed in it. One data row per text row; each column `cellWidth` wide. In `.none` the cells
/// are the scale's glyphs (`ColorScale.glyph(at:)`), or the numbers when `showValues` is set.
public struct LabelledMatrix: Widget, Sendable {
    public var values: [Float]
    public var rows: Int
    public var columns: Int
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var scale: ColorScale
    public var range: ValueRange
    public var mode: ColorMode
    public var cellWidth: Int
    public var showValues: Bool
    public var cursor: GridPosition?

    public init(values: [Float], rows: Int, columns: Int, rowLabels: [String] = [], columnLabels: [String] = [],
                scale: ColorScale, range: ValueRange, mode: ColorMode, cellWidth: Int = 5, showValues: Bool = true,
                cursor: GridPosition? = nil) {
        precondition(values.count == rows * columns, "matrix needs rows × columns values")
        self.values = values
        self.rows = rows
        self.columns = columns
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.scale = scale
        self.range = range
        self.mode = mode
        self.cellWidth = Swift.max(1, cellWidth)
        self.showValues = showValues
        self.cursor = cursor
    }

    var labelWidth: Int { rowLabels.isEmpty ? 0 : (rowLabels.map { $0.unicodeScalars.count }.max() ?? 0) + 1 }
    var headerHeight: Int { columnLabels.isEmpty ? 0 : 1 }

    /// Text columns and rows needed to show everything.
    public var size: (width: Int, height: Int) { (labelWidth + columns * cellWidth, headerHeight + rows) }

    /// The data cell under screen cell (x, y) when drawn in `rect`, or nil.
    public func position(atX x: Int, y: Int, in rect: Rect) -> GridPosition? {
        guard rect.contains(x: x, y: y) else { return nil }
        let cx = x - rect.x - labelWidth, ry = y - rect.y - headerHeight
        guard cx >= 0, ry >= 0 else { return nil }
        let column = cx / cellWidth
        return ry < rows && column < columns ? GridPosition(row: ry, column: column) : nil
    }

    public func render(into screen: inout Screen, rect: Rect) {
        let lw = labelWidth
        if headerHeight > 0 {
            for c in 0..<columns where c < columnLabels.count {
                let cellRect = Rect(x: rect.x + lw + c * cellWidth, y: rect.y, width: cellWidth, height: 1)
                screen.put(columnLabels[c], in: cellRect.intersection(rect), alignment: .right, style: .dim)
            }
        }
        let textRows = Swift.min(rows, rect.height - headerHeight)
        guard textRows > 0 else { return }
        for r in 0..<textRows {
            let y = rect.y + headerHeight + r
            if r < rowLabels.count {
                screen.put(rowLabels[r], in: Rect(x: rect.x, y: y, width: lw - 1, height: 1).intersection(rect),
                           alignment: .right, style: .dim)
            }
            for c in 0..<columns {
                let x = rect.x + lw + c * cellWidth
                guard x + cellWidth <= rect.maxX else { break }
                let v = values[r * columns + c]
                let t = range.position(of: v)
                let selected = cursor == GridPosition(row: r, column: c)
                var style: Style
                var text: String
                if mode == .none {
                    style = selected ? Style(.reverse) : .plain
                    text = showValues ? NumberFormat.fitting(v, width: cellWidth - 1).padded(to: cellWidth, alignment: .right)
                                      : String(repeating: Character(scale.glyph(at: t)), count: cellWidth)
                } else {
                    let bg = scale.color(at: t, mode: mode)
                    style = Style(fg: bg.contrastingText(mode: mode), bg: bg)
                    if selected { style.attributes = [.bold, .underline] }
                    text = showValues ? NumberFormat.fitting(v, width: cellWidth - 1).padded(to: cellWidth, alignment: .right)
                                      : String(repeating: " ", count: cellWidth)
                }
                screen.put(text, x: x, y: y, style: style, clip: rect)
            }
        }
    }
}
