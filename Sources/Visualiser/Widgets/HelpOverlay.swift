/// A centred box listing every key and what it does, drawn over whatever is below it.
public struct HelpOverlay: Widget, Sendable {
    public var title: String
    public var entries: [HelpEntry]
    public var footer: String

    public init(title: String = "Keys", entries: [HelpEntry], footer: String = "press any key to close") {
        self.title = title
        self.entries = entries
        self.footer = footer
    }

    /// The box the overlay occupies inside `rect`: its content plus a border and one column of padding,
    /// centred, never larger than `rect`. A description too wide for it wraps onto lines of its own.
    public func box(in rect: Rect) -> Rect {
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let textWidth = entries.map { $0.description.unicodeScalars.count }.max() ?? 0
        let contentWidth = Swift.min(Swift.max(keyWidth + 2 + textWidth, footer.unicodeScalars.count, title.unicodeScalars.count + 4),
                                     Swift.max(1, rect.width - 4))
        let contentHeight = lines(textWidth: contentWidth - keyWidth - 2).count + (footer.isEmpty ? 0 : 2)
        return rect.centred(width: contentWidth + 4, height: contentHeight + 2)
    }

    /// The rows drawn: each entry's keys and description, a description wider than `textWidth` wrapped at
    /// spaces onto rows with no keys (a word wider than the whole width is cut when drawn).
    func lines(textWidth: Int) -> [(keys: String, text: String)] {
        var rows: [(keys: String, text: String)] = []
        for entry in entries {
            var line = "", first = true
            for word in entry.description.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if candidate.unicodeScalars.count > textWidth, !line.isEmpty {
                    rows.append((first ? entry.keys : "", line))
                    first = false
                    line = String(word)
                } else {
                    line = candidate
                }
            }
            rows.append((first ? entry.keys : "", line))
        }
        return rows
    }

    public func render(into screen: inout Screen, rect: Rect) {
        let frame = box(in: rect)
        guard frame.width >= 4, frame.height >= 3 else { return }
        Panel(title: title, focused: true).render(into: &screen, rect: frame)
        let inner = Panel.inner(frame).inset(left: 1, right: 1)
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let reserved = footer.isEmpty ? 0 : 2
        let textWidth = inner.maxX - inner.x - keyWidth - 2
        // Wrapped where every row fits the box; cut with … where even that would not (a short terminal).
        let wrapped = lines(textWidth: textWidth)
        let rows = wrapped.count <= inner.height - reserved ? wrapped : entries.map { ($0.keys, $0.description) }
        for (i, row) in rows.enumerated() where i < inner.height - reserved {
            let y = inner.y + i
            screen.put(row.0.padded(to: keyWidth, alignment: .right), x: inner.x, y: y, style: .bold, clip: inner)
            screen.put(row.1, in: Rect(x: inner.x + keyWidth + 2, y: y, width: textWidth, height: 1))
        }
        if !footer.isEmpty, inner.height >= 1 {
            screen.put(footer, in: inner.row(inner.height - 1), alignment: .centre, style: .dim)
        }
    }
}
