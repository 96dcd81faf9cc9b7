/// The bottom line: `left` text, then key hints (`space play  ? help  q quit`), and `right` text aligned
/// right, all in reverse video. Hints that do not fit are dropped from the end; `left` and `right` are cut
/// with `…` only when even they do not fit.
public struct StatusBar: Widget, Sendable {
    public var left: String
    public var hints: [HelpEntry]
    public var right: String

    public init(left: String = "", hints: [HelpEntry] = [], right: String = "") {
        self.left = left
        self.hints = hints
        self.right = right
    }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let row = rect.row(0)
        let base = Style(.reverse)
        screen.fill(row, with: Cell(" ", style: base))
        let rightWidth = Swift.min(right.unicodeScalars.count, row.width)
        let rightRect = Rect(x: row.maxX - rightWidth, y: row.y, width: rightWidth, height: 1)
        screen.put(right, in: rightRect, alignment: .right, style: base)
        let leftArea = Rect(x: row.x, y: row.y, width: row.width - rightWidth - (rightWidth > 0 ? 1 : 0), height: 1)
        var x = row.x
        if !left.isEmpty {
            screen.put(" " + left, in: leftArea, style: Style([.reverse, .bold]))
            x += Swift.min(left.unicodeScalars.count + 1, leftArea.width) + 2
        }
        for hint in hints {
            let length = hint.keys.unicodeScalars.count + 1 + hint.description.unicodeScalars.count
            guard x + length <= leftArea.maxX else { break }
            x = screen.put(hint.keys, x: x, y: row.y, style: Style([.reverse, .bold]), clip: leftArea)
            x = screen.put(" " + hint.description, x: x, y: row.y, style: base, clip: leftArea) + 2
        }
    }
}
