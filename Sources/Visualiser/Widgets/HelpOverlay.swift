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
    /// centred, never larger than `rect`.
    public func box(in rect: Rect) -> Rect {
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let textWidth = entries.map { $0.description.unicodeScalars.count }.max() ?? 0
        let contentWidth = Swift.max(keyWidth + 2 + textWidth, footer.unicodeScalars.count, title.unicodeScalars.count + 4)
        let contentHeight = entries.count + (footer.isEmpty ? 0 : 2)
        return rect.centred(width: contentWidth + 4, height: contentHeight + 2)
    }

    public func render(into screen: inout Screen, rect: Rect) {
        let frame = box(in: rect)
        guard frame.width >= 4, frame.height >= 3 else { return }
        Panel(title: title, focused: true).render(into: &screen, rect: frame)
        let inner = Panel.inner(frame).inset(left: 1, right: 1)
        let keyWidth = entries.map { $0.keys.unicodeScalars.count }.max() ?? 0
        let reserved = footer.isEmpty ? 0 : 2
        for (i, entry) in entries.enumerated() where i < inner.height - reserved {
            let y = inner.y + i
            screen.put(entry.keys.padded(to: keyWidth, alignment: .right), x: inner.x, y: y, style: .bold, clip: inner)
            screen.put(entry.description, in: Rect(x: inner.x + keyWidth + 2, y: y, width: inner.maxX - inner.x - keyWidth - 2, height: 1))
        }
        if !footer.isEmpty, inner.height >= 1 {
            screen.put(footer, in: inner.row(inner.height - 1), alignment: .centre, style: .dim)
        }
    }
}
