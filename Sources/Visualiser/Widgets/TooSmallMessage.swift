/// What a scene shows instead of its layout when the terminal is smaller than it needs:
/// `Terminal too small` / `needs 80×24, now 60×20` / `resize or press q`, centred.
public struct TooSmallMessage: Widget, Sendable {
    public var neededWidth: Int
    public var neededHeight: Int

    public init(neededWidth: Int, neededHeight: Int) {
        self.neededWidth = neededWidth
        self.neededHeight = neededHeight
    }

    /// Whether a `width × height` terminal is too small.
    public func applies(width: Int, height: Int) -> Bool { width < neededWidth || height < neededHeight }

    public func render(into screen: inout Screen, rect: Rect) {
        screen.fill(rect)
        let lines = [
            "Terminal too small",
            "needs \(neededWidth)×\(neededHeight), now \(rect.width)×\(rect.height)",
            "resize or press q",
        ]
        // On very small terminals keep the most important line: the size needed.
        let shown = rect.height >= lines.count ? lines : ["needs \(neededWidth)×\(neededHeight)"]
        let top = rect.y + Swift.max(0, (rect.height - shown.count) / 2)
        for (i, line) in shown.enumerated() {
            screen.put(line, in: Rect(x: rect.x, y: top + i, width: rect.width, height: 1).intersection(rect),
                       alignment: .centre, style: i == 0 ? .bold : .plain)
        }
    }
}
