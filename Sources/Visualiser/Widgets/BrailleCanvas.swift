/// A dot canvas drawn with braille characters (U+2800-U+28FF): each cell holds 2×4 dots, so a `w × h` cell
/// canvas has `2w × 4h` dots. Dot (0, 0) is the top left. Each cell keeps the colour of the last dot set in it.
public struct BrailleCanvas: Widget, Sendable {
    public let width: Int
    public let height: Int
    private var bits: [UInt8]
    private var colors: [Color]

    public init(width: Int, height: Int) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        colors = Array(repeating: .default, count: self.width * self.height)
    }

    public var dotWidth: Int { width * 2 }
    public var dotHeight: Int { height * 4 }

    /// Bit of each dot within its cell, indexed [column][row] (Unicode's braille dot numbering 1-8).
    static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (px, py); dots outside the canvas are ignored.
    public mutating func set(_ px: Int, _ py: Int, color: Color = .default) {
        guard px >= 0, py >= 0, px < dotWidth, py < dotHeight else { return }
        let i = (py / 4) * width + px / 2
        bits[i] |= Self.dotBits[px % 2][py % 4]
        colors[i] = color
    }

    /// Sets the dots of a straight line from (x0, y0) to (x1, y1), both ends included (Bresenham).
    public mutating func line(from x0: Int, _ y0: Int, to x1: Int, _ y1: Int, color: Color = .default) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y, color: color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// The braille character of cell (cx, cy); U+2800 (blank braille) when no dot is set.
    public func character(_ cx: Int, _ cy: Int) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + UInt32(bits[cy * width + cx]))!
    }

    /// Draws the canvas at `rect`'s top left (clipped to it). Empty cells are left untouched so the canvas
    /// can overlay a background.
    public func render(into screen: inout Screen, rect: Rect) {
        for cy in 0..<Swift.min(height, rect.height) {
            for cx in 0..<Swift.min(width, rect.width) where bits[cy * width + cx] != 0 {
                screen[rect.x + cx, rect.y + cy] = Cell(character(cx, cy), fg: colors[cy * width + cx])
            }
        }
    }
}
