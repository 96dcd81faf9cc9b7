/// A scene's panel as its layout kind draws it: a bordered `Panel` with the title on its border (rich
/// layouts), or a bold caption row (compact ones). Returns the rectangle left inside for the content.
enum ScenePanel {
    static func open(_ title: String, _ rect: Rect, bordered: Bool, focused: Bool = false, _ screen: inout Screen) -> Rect {
        if bordered {
            Panel(title: title, focused: focused).render(into: &screen, rect: rect)
            return rect.inset(by: 1)
        }
        screen.put(title.fitted(to: rect.width), in: rect.row(0), style: .bold)
        return rect.inset(top: 1)
    }
}
