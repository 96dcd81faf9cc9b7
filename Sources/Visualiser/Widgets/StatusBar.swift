/// The bottom line: `left` text, then key hints (`space play  ? help  q quit`), and `right` text aligned
/// right, all in reverse video. Hints that do not fit are dropped from the end, except the pinned ones
/// (`?` help and `q` quit: whatever else goes, a user can always find both), which are kept first; `left`
/// and `right` are cut with `…` only when even they do not fit.
public struct StatusBar: Widget, Sendable {
    public var left: String
    public var hints: [HelpEntry]
    public var right: String
    /// A shorter `right` for when it does not fit (the player leaves out the speed); cut with `…` after.
    public var compactRight: String?

    public init(left: String = "", hints: [HelpEntry] = [], right: String = "", compactRight: String? = nil) {
        self.left = left
        self.hints = hints
        self.right = right
        self.compactRight = compactRight
    }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let row = rect.row(0)
        let base = Style(.reverse)
        screen.fill(row, with: Cell(" ", style: base))
        // The pinned hints (help, quit) take their room before the right text, which is cut to leave it.
        let leftWidth = left.isEmpty ? 0 : left.unicodeScalars.count + 3
        let pinned = hints.filter { Self.pinnedKeys.contains($0.keys) }
            .map { $0.keys.unicodeScalars.count + 1 + $0.description.unicodeScalars.count + 2 }.reduce(0, +)
        let rightRoom = Swift.max(0, row.width - leftWidth - Swift.max(0, pinned - 2) - 1)
        var shownRight = right
        if let compactRight, right.unicodeScalars.count > rightRoom { shownRight = compactRight }
        // Cut to a stub of a word or two letters it would say nothing: then it goes.
        if shownRight.unicodeScalars.count > rightRoom { shownRight = rightRoom < 4 ? "" : shownRight.fitted(to: rightRoom) }
        let rightWidth = Swift.min(shownRight.unicodeScalars.count, row.width)
        let rightRect = Rect(x: row.maxX - rightWidth, y: row.y, width: rightWidth, height: 1)
        screen.put(shownRight, in: rightRect, alignment: .right, style: base)
        let leftArea = Rect(x: row.x, y: row.y, width: row.width - rightWidth - (rightWidth > 0 ? 1 : 0), height: 1)
        var x = row.x
        if !left.isEmpty {
            screen.put(" " + left, in: leftArea, style: Style([.reverse, .bold]))
            x += Swift.min(left.unicodeScalars.count + 1, leftArea.width) + 2
        }
        for hint in Self.fitting(hints, width: leftArea.maxX - x) {
            x = screen.put(hint.keys, x: x, y: row.y, style: Style([.reverse, .bold]), clip: leftArea)
            x = screen.put(" " + hint.description, x: x, y: row.y, style: base, clip: leftArea) + 2
        }
    }

    /// The keys whose hints stay while others are dropped (ctrl-c quits where q is text: while typing).
    public static let pinnedKeys: Set<String> = ["?", "q", "ctrl-c"]

    /// The hints that fit in `width` columns, in their order: the pinned ones first (while they fit), then
    /// the others from the start until one does not fit.
    static func fitting(_ hints: [HelpEntry], width: Int) -> [HelpEntry] {
        func length(_ h: HelpEntry) -> Int { h.keys.unicodeScalars.count + 1 + h.description.unicodeScalars.count }
        var used = 0
        var kept = Set<Int>()
        for (i, h) in hints.enumerated() where pinnedKeys.contains(h.keys) {
            guard used + length(h) <= width else { break }
            used += length(h) + 2
            kept.insert(i)
        }
        for (i, h) in hints.enumerated() where !pinnedKeys.contains(h.keys) {
            guard used + length(h) <= width else { break }
            used += length(h) + 2
            kept.insert(i)
        }
        return hints.indices.filter(kept.contains).map { hints[$0] }
    }
}
