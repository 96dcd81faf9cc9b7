/// A position in a data grid (row, column), e.g. the cursor in a matrix.
public struct GridPosition: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// A matrix of values as colours, two data rows per text row: each cell is an upper-half block `▀` whose
/// foreground is the upper row's colour and whose background is the lower row's. Each data column takes
/// `cellWidth` text columns. In `.none` each cell is the shading character of the mean of its two values.
public struct Heatmap: Sendable {
    /// Row-major values, `rows * columns` of them.
    public var values: [Float]
    public var rows: Int
    public var columns: Int
    public var scale: ColorScale
    public var range: ValueRange
    public var mode: ColorMode
    public var cellWidth: Int
    /// A data cell to mark in a contrasting colour (`×` in `.none`).
    public var cursor: GridPosition?

    public init(values: [Float], rows: Int, columns: Int, scale: ColorScale, range: ValueRange, mode: ColorMode,
                cellWidth: Int = 1, cursor: GridPosition? = nil) {
        precondition(values.count == rows * columns, "heatmap needs rows × columns values")
        precondition(cellWidth >= 1, "cells are at least one column wide")
        self.values = values
        self.rows = rows
        self.columns = columns
        self.scale = scale
        self.range = range
        self.mode = mode
        self.cellWidth = cellWidth
        self.cursor = cursor
    }

    /// Text columns and rows needed to show every value.
    public static func size(rows: Int, columns: Int, cellWidth: Int = 1) -> (width: Int, height: Int) {
        (columns * cellWidth, (rows + 1) / 2)
    }

    /// The data cell under screen cell (x, y) when drawn in `rect` (the upper of the two rows a text row
    /// holds), or nil outside the data.
    public func position(atX x: Int, y: Int, in rect: Rect) -> GridPosition? {
        guard rect.contains(x: x, y: y) else { return nil }
        let row = (y - rect.y) * 2, column = (x - rect.x) / cellWidth
        return row < rows && column < columns ? GridPosition(row: row, column: column) : nil
    }

    public func render(into screen: inout Screen, rect: Rect) {
        let textRows = Swift.min(rect.height, (rows + 1) / 2)
        let dataColumns = Swift.min(columns, rect.width / cellWidth)
        for ty in 0..<textRows {
            let upper = 2 * ty, lower = upper + 1
            for c in 0..<dataColumns {
                let tu = range.position(of: values[upper * columns + c])
                let tl: Float? = lower < rows ? range.position(of: values[lower * columns + c]) : nil
                var cell: Cell
                if mode == .none {
                    let mean = tl.map { (tu + $0) / 2 } ?? tu
                    cell = Cell(ColorScale.shade(at: mean))
                    if let cursor, cursor.column == c, cursor.row == upper || cursor.row == lower { cell.char = "×" }
                } else {
                    let fg = scale.color(at: tu, mode: mode)
                    let bg = tl.map { scale.color(at: $0, mode: mode) } ?? .default
                    cell = Cell("▀", fg: fg, bg: bg)
                    if let cursor, cursor.column == c {
                        if cursor.row == upper {
                            cell.fg = Self.marker(on: fg, mode: mode)
                        } else if cursor.row == lower {
                            cell = Cell("▄", fg: Self.marker(on: bg, mode: mode), bg: fg)
                        }
                    }
                }
                for k in 0..<cellWidth { screen[rect.x + c * cellWidth + k, rect.y + ty] = cell }
            }
        }
    }

    /// Black or white, whichever stands out against `color`.
    static func marker(on color: Color, mode: ColorMode) -> Color {
        let dark = color.isDark
        switch mode {
        case .truecolor: return dark ? .rgb(255, 255, 255) : .rgb(0, 0, 0)
        case .c256: return dark ? .ansi(231) : .ansi(16)
        default: return dark ? .white : .black
        }
    }
}

extension Color {
    /// Whether text on this colour should be light (relative luminance below one half); the default
    /// background is assumed dark.
    public var isDark: Bool {
        guard let (r, g, b) = rgbComponents else { return true }
        return 0.2126 * Float(r) + 0.7152 * Float(g) + 0.0722 * Float(b) < 128
    }

    /// A readable text colour on this background in `mode`.
    public func contrastingText(mode: ColorMode) -> Color {
        if self == .default || mode == .none { return .default }
        return Heatmap.marker(on: self, mode: mode)
    }
}
