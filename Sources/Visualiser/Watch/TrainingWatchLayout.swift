/// Where every part of the training watch goes for one terminal size: a title row; the loss chart (and,
/// from 110 columns, the wrong-bits chart) beside the stats; the sample episode's memory and weighting history
/// below them (drawn by the model's own scene, as in the viewer); an info row; the status bar.
struct TrainingWatchLayout {
    static let minimumWidth = SceneFrame.minimumWidth
    static let minimumHeight = SceneFrame.minimumHeight

    var kind: SceneFrame.Kind
    var title = Rect.zero
    var info = Rect.zero
    var status = Rect.zero
    /// Chart panels (outer boxes) and the stats panel.
    var lossChart = Rect.zero
    var wrongChart: Rect?
    var stats = Rect.zero
    /// The area of the sample episode.
    var sampleArea = Rect.zero

    var bordered: Bool { kind == .rich }
    /// The narrowest terminal that shows the wrong-bits chart beside the loss chart.
    static let wrongChartWidth = 110

    init(state: TrainingWatchState, width: Int, height: Int) {
        let frame = SceneFrame(width: width, height: height)
        kind = frame.kind
        if kind == .tooSmall { return }
        title = frame.title
        status = frame.status
        info = frame.info
        let body = frame.body
        // Charts take two fifths of the height: enough rows for three decades of loss, and the sample's
        // memory keeps a window of 20+ rows at 80×24.
        let (upper, lower) = body.splitTop(body.height * 2 / 5)
        if kind == .rich {
            let parts = upper.split(.horizontal, [.fill(3), .fill(2), .length(38)], spacing: 1)
            lossChart = parts[0]
            wrongChart = parts[1]
            stats = parts[2]
        } else if width >= Self.wrongChartWidth {
            // Room for both charts without borders (120×40, say): the wrong-bits chart too, as help says.
            let parts = upper.split(.horizontal, [.fill(3), .fill(2), .length(31)], spacing: 2)
            lossChart = parts[0]
            wrongChart = parts[1]
            stats = parts[2]
        } else {
            let parts = upper.split(.horizontal, [.fill(1), .length(31)], spacing: 2)
            lossChart = parts[0]
            stats = parts[1]
        }
        sampleArea = lower
    }

    /// The plot inside a chart panel: below the caption (compact) or inside the border (rich), above the
    /// row of x-axis labels.
    func plot(in box: Rect) -> Rect {
        let inner = bordered ? box.inset(by: 1) : box.inset(top: 1)
        return inner.inset(bottom: 1)
    }
}
