/// Where the player puts things for one terminal size: the frame's title, info and status rows, and one
/// rectangle per scene in the body (side by side when two are compared and both fit; otherwise the
/// active one alone). `view` draws from it and `update` hit-tests clicks against it.
public struct PlayerLayout: Sendable {
    public var frame: SceneFrame
    /// The rect of each model's scene; nil for a scene not shown at this size.
    public var sceneRects: [Rect?]
    /// With several models: the caption row above each scene (its name and score).
    public var captionRects: [Rect?]
    /// The training-time strip (`TimelineStrip`), one row under the scenes when a model has snapshots and
    /// the body has a row to spare beyond what the scenes need (not at 80×24 with two models compared,
    /// where each caption says the moment instead).
    public var timelineRect: Rect?
    /// Rich (bordered panels) or compact.
    public var sceneKind: SceneFrame.Kind
    /// True when the terminal cannot hold even one scene.
    public var tooSmall: Bool
    public var neededWidth: Int
    public var neededHeight: Int

    public init(_ state: ViewerState, width: Int, height: Int) {
        let scenes = state.models.map(\.scene)
        let frameMinWidth = SceneFrame.minimumWidth, frameMinHeight = SceneFrame.minimumHeight
        // The body is the screen less 3 rows (title, info, status).
        let minWidth = Swift.max(frameMinWidth, scenes.map(\.minimumWidth).max() ?? 0)
        let captions = scenes.count > 1 ? 1 : 0
        let minHeight = Swift.max(frameMinHeight, (scenes.map(\.minimumHeight).max() ?? 0) + 3 + captions)
        neededWidth = minWidth
        neededHeight = minHeight
        frame = SceneFrame(width: width, height: height)
        tooSmall = width < minWidth || height < minHeight || frame.kind == .tooSmall
        sceneRects = Array(repeating: nil, count: scenes.count)
        captionRects = Array(repeating: nil, count: scenes.count)
        sceneKind = frame.kind
        if tooSmall { return }
        var body = frame.body
        if state.hasTimeline, body.height > (scenes.map(\.minimumHeight).max() ?? 0) + captions {
            let (rest, strip) = body.splitBottom(1)
            body = rest
            timelineRect = strip
        }
        if scenes.count == 1 {
            sceneRects[0] = body
            return
        }
        // Side by side, each at least its minimum, the rest shared in proportion to the minimums; one
        // caption row above each. When they do not fit side by side, the active one alone.
        let total = scenes.reduce(0) { $0 + $1.minimumWidth } + scenes.count - 1
        if body.width >= total {
            // Equal shares when each fits in one; otherwise in proportion to the minimums.
            let equal = (body.width - scenes.count + 1) / scenes.count >= scenes.map(\.minimumWidth).max()!
            let columns = body.split(.horizontal, scenes.map { .fill(equal ? 1 : $0.minimumWidth) }, spacing: 1)
            for i in scenes.indices {
                let (caption, rest) = columns[i].splitTop(1)
                captionRects[i] = caption
                sceneRects[i] = rest
            }
            // A half is rich only when it is as big as a rich screen's body.
            sceneKind = columns.allSatisfy { $0.width >= SceneFrame.richWidth } && frame.kind == .rich ? .rich : .compact
        } else {
            let (caption, rest) = body.splitTop(1)
            captionRects[state.activeModel] = caption
            sceneRects[state.activeModel] = rest
            sceneKind = .compact
        }
    }

    /// Whether every scene is on screen (side by side or alone).
    public var showsEveryScene: Bool { sceneRects.allSatisfy { $0 != nil } }
}

extension Viewer {
    /// The smallest screen on which `state`'s scenes are drawn; below it the viewer shows only
    /// "Terminal too small". `render` and `record` refuse smaller sizes with it.
    public static func minimumSize(_ state: ViewerState) -> (width: Int, height: Int) {
        let layout = PlayerLayout(state, width: 0, height: 0)
        return (layout.neededWidth, layout.neededHeight)
    }
}
