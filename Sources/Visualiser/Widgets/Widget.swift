/// Something that draws itself into a rectangle of a `Screen`, as ratatui's widgets render into a `Buffer`
/// over a `Rect`. Promises: a widget writes only to cells inside `rect` (it clips, never spills into its
/// neighbours) and never to the terminal; the screen is diffed and written out by the terminal backend, so a
/// widget can be tested by rendering it into a small `Screen` and reading the cells back. Where a widget
/// goes is the caller's business: split rectangles (`Rect.split`) rather than adding offsets inside widgets.
public protocol Widget {
    func render(into screen: inout Screen, rect: Rect)
}
