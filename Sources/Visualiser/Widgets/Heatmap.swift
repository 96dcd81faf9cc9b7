/// A position in a data grid (row, column), e.g. the cursor in a matrix.
public struct GridPosition: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// A grid of values as colours, two data rows per text row (notcurses' half blocks): each cell is an upper
/// half block `▀` whose foreground is the upper row's colour and whose background is the lower row's. Each
/// data column takes `cellWidth` text columns; what does not fit in the rect is not drawn.
///
/// On top of the colours: missing values (nil: the pixel stays blank, e.g. steps not yet played; a cell
/// whose only value is the lower one is a `▄`), marked cells drawn as a bold `×` in a colour that stands out
/// against the cell (a wrong bit: meaning must not rest on colour alone), and a cursor drawn as its half
/// block in black or white.
///
/// Without colour (`.none`) a text cell cannot show two values, so it shows the one of its two rows farther
/// from the scale's neutral point (`ColorScale.dominant`: a peak is never averaged away, and opposite signs
/// never cancel) in the scale's glyph (`ColorScale.glyph(at:)`, the rule the legend draws with: ` ░▒▓█` for
/// sequential scales, `≡=-·` below zero and `░▒▓█` above it for diverging ones). With `binaryGlyphs` each
/// pixel is on (position ≥ ½) or off instead, drawn with ` ▄▀█`, so bits stay exact. The cursor is a bold
/// `+` there.
public struct Heatmap: Widget, Sendable {
    public var rows: Int
    public var columns: Int
    public var cellWidth: Int
    public var scale: ColorScale
    public var range: ValueRange
    public var mode: ColorMode
    /// The value at (row, column); nil leaves the pixel blank.
    public var value: @Sendable (Int, Int) -> Float?
    /// Whether the value at (row, column) is drawn as `×`; nil marks nothing. Only present values are marked.
    public var marked: (@Sendable (Int, Int) -> Bool)?
    /// A data cell to draw in a contrasting colour (`+` in `.none`).
    public var cursor: GridPosition?
    /// In `.none`, draw each pixel as on or off with ` ▄▀█` instead of shading the cell.
    public var binaryGlyphs: Bool

    /// A heatmap of `rows * columns` row-major values.
    public init(values: [Float], rows: Int, columns: Int, scale: ColorScale, range: ValueRange, mode: ColorMode,
                cellWidth: Int = 1, marked: (@Sendable (Int, Int) -> Bool)? = nil, cursor: GridPosition? = nil,
                binaryGlyphs: Bool = false) {
        precondition(values.count == rows * columns, "heatmap needs rows × columns values")
        self.init(rows: rows, columns: columns, cellWidth: cellWidth, scale: scale, range: range, mode: mode,
                  value: { r, c in values[r * columns + c] }, marked: marked, cursor: cursor,
                  binaryGlyphs: binaryGlyphs)
    }

    /// A heatmap whose values come from `value`, asked only for the cells drawn.
    public init(rows: Int, columns: Int, cellWidth: Int = 1, scale: ColorScale, range: ValueRange, mode: ColorMode,
                value: @escaping @Sendable (Int, Int) -> Float?, marked: (@Sendable (Int, Int) -> Bool)? = nil,
                cursor: GridPosition? = nil, binaryGlyphs: Bool = false) {
        precondition(rows >= 0 && columns >= 0, "a heatmap cannot have a negative size")
        precondition(cellWidth >= 1, "cells are at least one column wide")
        self.rows = rows
        self.columns = columns
        self.cellWidth = cellWidth
        self.scale = scale
        self.range = range
        self.mode = mode
        self.value = value
        self.marked = marked
        self.cursor = cursor
        self.binaryGlyphs = binaryGlyphs
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

    /// Half-block glyphs indexed by (upper on ? 2 : 0) + (lower on ? 1 : 0).
    static let glyphs: [Unicode.Scalar] = [" ", "▄", "▀", "█"]

    public func render(into screen: inout Screen, rect: Rect) {
        let textRows = Swift.min(rect.height, (rows + 1) / 2)
        let dataColumns = Swift.min(columns, rect.width / cellWidth)
        guard textRows > 0, dataColumns > 0 else { return }
        for ty in 0..<textRows {
            let upper = 2 * ty, lower = upper + 1
            for c in 0..<dataColumns {
                let cell = self.cell(upper: upper, lower: lower, column: c)
                for k in 0..<cellWidth { screen[rect.x + c * cellWidth + k, rect.y + ty] = cell }
            }
        }
    }

    /// The text cell showing data rows `upper` and `lower` (which may be past the last row) of `column`.
    func cell(upper: Int, lower: Int, column c: Int) -> Cell {
        let tu = value(upper, c).map { range.position(of: $0) }
        let tl = lower < rows ? value(lower, c).map { range.position(of: $0) } : nil
        // `.default` for a missing value, and always in `.none`.
        let fg = tu.map { scale.color(at: $0, mode: mode) } ?? .default
        let bg = tl.map { scale.color(at: $0, mode: mode) } ?? .default
        var cell: Cell
        if mode == .none {
            if binaryGlyphs {
                cell = Cell(Self.glyphs[((tu ?? 0) >= 0.5 ? 2 : 0) + ((tl ?? 0) >= 0.5 ? 1 : 0)])
            } else {
                cell = scale.dominant([tu, tl].compactMap { $0 }).map { Cell(scale.glyph(at: $0)) } ?? .blank
            }
        } else if tu == nil {
            cell = tl == nil ? .blank : Cell("▄", fg: bg)
        } else {
            cell = Cell("▀", fg: fg, bg: bg)
        }
        if let marked {
            let markUpper = tu != nil && marked(upper, c), markLower = tl != nil && marked(lower, c)
            if markUpper || markLower {
                let under = markUpper ? fg : bg
                cell = Cell("×", fg: under.contrastingText(mode: mode), bg: under, [.bold])
            }
        }
        if let cursor, cursor.column == c, cursor.row == upper || cursor.row == lower {
            if mode == .none {
                cell = Cell("+", style: Style(.bold))
            } else if cursor.row == upper {
                cell = Cell("▀", fg: Self.marker(on: cell.fg, mode: mode), bg: cell.bg)
            } else {
                // The lower half in the marker colour; the upper half keeps its colour if it had one.
                let upperColour: Color = cell.char == "▀" ? cell.fg : .default
                cell = Cell("▄", fg: Self.marker(on: cell.bg, mode: mode), bg: upperColour)
            }
        }
        return cell
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
