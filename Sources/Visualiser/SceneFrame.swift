/// The frame every full-screen scene shares: a size class, a title row at the top, the status bar at the
/// bottom and an info row above it, with the body in between. Scenes lay out their panels in `body`.
public struct SceneFrame: Sendable {
    public enum Kind: Sendable { case tooSmall, compact, rich }

    /// Below 80×24 a scene says what size it needs; from 140×40 it gets bordered panels.
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    public static let richWidth = 140
    public static let richHeight = 40

    public var kind: Kind
    public var title = Rect.zero
    public var body = Rect.zero
    public var info = Rect.zero
    public var status = Rect.zero

    public init(width: Int, height: Int) {
        if width < Self.minimumWidth || height < Self.minimumHeight {
            kind = .tooSmall
            return
        }
        kind = width >= Self.richWidth && height >= Self.richHeight ? .rich : .compact
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (top, rest0) = screen.splitTop(1)
        let (rest1, bottom) = rest0.splitBottom(1)
        let (body, infoRow) = rest1.splitBottom(1)
        title = top
        self.body = body
        info = infoRow
        status = bottom
    }
}
