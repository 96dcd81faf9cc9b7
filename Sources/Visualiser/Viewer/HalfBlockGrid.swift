/// Draws a grid of values two data rows per text row (`▀`: foreground the upper value, background the
/// lower), like `Heatmap`, but with what the viewer needs on top: missing values (nil: blank, e.g. steps
/// not yet played), marked cells drawn with a character (a wrong bit: `×`), and a cursor.
struct HalfBlockGrid {
    var rows: Int
    var columns: Int
    var cellWidth = 1
    var scale: ColorScale
    var range: ValueRange
    var mode: ColorMode
    /// The value at (row, column); nil leaves the pixel blank.
    var value: (Int, Int) -> Float?
    /// Cells to draw as `×` (meaning must not rest on colour alone).
    var marked: (Int, Int) -> Bool = { _, _ in false }
    var cursor: GridPosition?
    /// In `.none`, draw each pixel as on (≥ ½) or off with the half-block glyphs ` ▄▀█`, so bits stay exact
    /// without colour; otherwise cells shade by the mean of their two values.
    var binaryGlyphs = false

    static let glyphs: [Unicode.Scalar] = [" ", "▄", "▀", "█"]

    /// Position used for shading in `.none`: diverging scales shade by distance from the middle (0), so
    /// zero is blank and large values of either sign are dark.
    func shadePosition(_ t: Float) -> Float { scale.kind == .diverging ? abs(t - 0.5) * 2 : t }

    func render(into screen: inout Screen, rect: Rect) {
        let textRows = Swift.min(rect.height, (rows + 1) / 2)
        let cols = Swift.min(columns, rect.width / cellWidth)
        guard textRows > 0, cols > 0 else { return }
        for ty in 0..<textRows {
            let upper = 2 * ty, lower = upper + 1
            for c in 0..<cols {
                let vu = value(upper, c)
                let vl = lower < rows ? value(lower, c) : nil
                let tu = vu.map { range.position(of: $0) }, tl = vl.map { range.position(of: $0) }
                var cell: Cell
                if mode == .none {
                    if binaryGlyphs {
                        cell = Cell(Self.glyphs[((tu ?? 0) >= 0.5 ? 2 : 0) + ((tl ?? 0) >= 0.5 ? 1 : 0)])
                    } else {
                        let present = [tu, tl].compactMap { $0.map(shadePosition) }
                        cell = present.isEmpty ? .blank : Cell(ColorScale.shade(at: present.reduce(0, +) / Float(present.count)))
                    }
                } else {
                    let fg = tu.map { scale.color(at: $0, mode: mode) } ?? .default
                    let bg = tl.map { scale.color(at: $0, mode: mode) } ?? .default
                    if tu == nil && tl == nil { cell = .blank }
                    else if tu == nil { cell = Cell("▄", fg: bg) }
                    else { cell = Cell("▀", fg: fg, bg: bg) }
                }
                let markUpper = vu != nil && marked(upper, c), markLower = vl != nil && lower < rows && marked(lower, c)
                if markUpper || markLower {
                    let under = markUpper ? (tu.map { scale.color(at: $0, mode: mode) } ?? .default)
                                          : (tl.map { scale.color(at: $0, mode: mode) } ?? .default)
                    cell = Cell("×", fg: under.contrastingText(mode: mode), bg: under, [.bold])
                }
                if let cursor, cursor.column == c, cursor.row == upper || cursor.row == lower {
                    if mode == .none {
                        cell = Cell("+", style: Style(.bold))
                    } else if cursor.row == upper {
                        cell = Cell("▀", fg: Heatmap.marker(on: cell.fg, mode: mode), bg: cell.bg)
                    } else {
                        cell = Cell("▄", fg: Heatmap.marker(on: cell.bg, mode: mode), bg: cell.char == "▀" ? cell.fg : .default)
                    }
                }
                for k in 0..<cellWidth { screen[rect.x + c * cellWidth + k, rect.y + ty] = cell }
            }
        }
    }
}

/// The largest of `values[start ..< start + count]` (clipped), for pooling N memory rows into fewer pixels
/// without losing a sharp peak of attention.
func maxPool(_ values: [Float], start: Int, count: Int) -> Float {
    let end = Swift.min(values.count, start + count)
    guard start < end else { return 0 }
    var m = values[start]
    for i in start..<end where values[i] > m { m = values[i] }
    return m
}
