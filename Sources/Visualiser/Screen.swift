/// A grid of cells that widgets draw into; the terminal (or a printer) shows it. A value type: copying a
/// screen copies its cells (on write), and two screens compare equal when every cell does.
///
/// Coordinates are (x, y) with x the column and y the row, both from 0 at the top left. Writes outside the
/// grid are ignored, so widgets never need to clip by hand at the screen's edge.
public struct Screen: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]

    /// A screen of `width × height` blank cells (negative sizes count as 0).
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole screen as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    @inlinable
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// The cell at (x, y); reading outside the grid gives a blank, writing there does nothing.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set { if contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    /// Fills `rect` (clipped to the screen) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        cells.withUnsafeMutableBufferPointer { buffer in
            for y in r.y..<r.maxY {
                let row = y * width
                for x in r.x..<r.maxX { buffer[row + x] = cell }
            }
        }
    }

    /// Sets the style of every cell in `rect` without changing characters.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = style }
        }
    }

    /// Writes `text` from (x, y) rightwards, one cell per Unicode scalar, stopping at `clip`'s right edge
    /// (default: the screen's). Control characters are drawn as `·`. Returns the x after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let limit = clip.map { $0.intersection(bounds) } ?? bounds
        guard y >= limit.y, y < limit.maxY else { return x }
        var cx = x
        for scalar in text.unicodeScalars {
            if cx >= limit.maxX { break }
            if cx >= limit.x {
                let ch: Unicode.Scalar = scalar.value < 0x20 || scalar.value == 0x7F ? "·" : scalar
                cells[y * width + cx] = Cell(ch, style: style)
            }
            cx += 1
        }
        return cx
    }

    /// Writes `text` into `rect`'s first row aligned left, centred or right, truncated with `…` when longer.
    public mutating func put(_ text: String, in rect: Rect, alignment: Alignment = .left, style: Style = .plain) {
        guard !rect.isEmpty else { return }
        let fitted = text.fitted(to: rect.width)
        let length = fitted.unicodeScalars.count
        let x: Int
        switch alignment {
        case .left: x = rect.x
        case .centre: x = rect.x + (rect.width - length) / 2
        case .right: x = rect.maxX - length
        }
        put(fitted, x: x, y: rect.y, style: style, clip: rect)
    }

    /// Copies `other` onto this screen with its top-left at (x, y), clipped.
    public mutating func blit(_ other: Screen, x: Int, y: Int) {
        for oy in 0..<other.height {
            for ox in 0..<other.width { self[x + ox, y + oy] = other.cells[oy * other.width + ox] }
        }
    }

    /// Row `y` as plain text (characters only), trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(cells[y * width + x].char) }
        return String(s)
    }

    /// The characters only, rows separated by `\n` (no final newline), trailing spaces of each row removed
    /// unless `trimTrailingSpaces` is false. Golden tests compare against this.
    public func plainText(trimTrailingSpaces: Bool = true) -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = rowText(y)
            if trimTrailingSpaces {
                while line.unicodeScalars.last == " " { line.unicodeScalars.removeLast() }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Calls `body(x, y, cell)` for every cell that differs from `previous`, in row-major order; for every
    /// cell when `previous` is nil or has another size. This is what a terminal backend flushes.
    @inlinable
    public func forEachChange(since previous: Screen?, _ body: (Int, Int, Cell) -> Void) {
        if let previous, previous.width == width, previous.height == height {
            cells.withUnsafeBufferPointer { new in
                previous.cells.withUnsafeBufferPointer { old in
                    for i in 0..<new.count where new[i] != old[i] {
                        body(i % width, i / width, new[i])
                    }
                }
            }
        } else {
            for i in 0..<cells.count { body(i % width, i / width, cells[i]) }
        }
    }

    /// A screen drawn from lines of text (one cell per scalar, padded with spaces), for readable tests.
    public init(lines: [String]) {
        let w = lines.map { $0.unicodeScalars.count }.max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { put(line, x: 0, y: y) }
    }
}

/// Horizontal placement of text in a rectangle.
public enum Alignment: Sendable { case left, centre, right }

extension String {
    /// This string cut to at most `width` scalars, ending with `…` when it was cut.
    public func fitted(to width: Int) -> String {
        guard width > 0 else { return "" }
        let scalars = unicodeScalars
        if scalars.count <= width { return self }
        var out = String.UnicodeScalarView(scalars.prefix(width - 1))
        out.append("…")
        return String(out)
    }

    /// This string padded with spaces (or cut) to exactly `width` scalars.
    public func padded(to width: Int, alignment: Alignment = .left) -> String {
        let n = unicodeScalars.count
        if n >= width { return String(String.UnicodeScalarView(unicodeScalars.prefix(width))) }
        let pad = width - n
        switch alignment {
        case .left: return self + String(repeating: " ", count: pad)
        case .right: return String(repeating: " ", count: pad) + self
        case .centre: return String(repeating: " ", count: pad / 2) + self + String(repeating: " ", count: pad - pad / 2)
        }
    }
}
