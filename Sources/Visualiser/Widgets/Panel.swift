/// A box border with a title in its top edge: `┌─ Memory ───┐`. A focused panel has a bold, coloured border
/// and its title in reverse, so focus is visible without colour too.
public struct Panel: Widget, Sendable {
    public var title: String
    public var focused: Bool
    public var accent: Color

    public init(title: String = "", focused: Bool = false, accent: Color = .cyan) {
        self.title = title
        self.focused = focused
        self.accent = accent
    }

    /// The area inside the border of a panel drawn in `rect`.
    public static func inner(_ rect: Rect) -> Rect { rect.inset(by: 1) }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border = focused ? Style(fg: accent, [.bold]) : Style(.dim)
        screen.fill(Self.inner(rect))
        for x in rect.x + 1..<rect.maxX - 1 {
            screen[x, rect.y] = Cell("─", style: border)
            screen[x, rect.maxY - 1] = Cell("─", style: border)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            screen[rect.x, y] = Cell("│", style: border)
            screen[rect.maxX - 1, y] = Cell("│", style: border)
        }
        screen[rect.x, rect.y] = Cell("┌", style: border)
        screen[rect.maxX - 1, rect.y] = Cell("┐", style: border)
        screen[rect.x, rect.maxY - 1] = Cell("└", style: border)
        screen[rect.maxX - 1, rect.maxY - 1] = Cell("┘", style: border)
        if !title.isEmpty, rect.width > 4 {
            let titleStyle = focused ? Style([.bold, .reverse]) : Style(.bold)
            screen.put(" " + title.fitted(to: rect.width - 6) + " ", x: rect.x + 2, y: rect.y, style: titleStyle,
                       clip: rect.inset(left: 1, right: 1))
        }
    }
}
