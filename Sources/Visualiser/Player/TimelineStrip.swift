import Foundation

/// One row above the info line when the model has snapshots: the run's loss curve over training time
/// (one column per stretch of sequences, eighth blocks on a log scale, since a loss falls by orders of
/// magnitude), the current moment's column in reverse (a compared model on the same run's in dim
/// reverse), and "after N of M seq · loss x" with the keys that move.
public struct TimelineStrip: Widget, Sendable {
    public var timeline: TrainingTimeline
    /// Other positions on the same timeline to mark (a second model comparing another moment of the run).
    public var others: [Int]
    public var mode: ColorMode

    public init(timeline: TrainingTimeline, others: [Int] = [], mode: ColorMode) {
        self.timeline = timeline
        self.others = others
        self.mode = mode
    }

    static let levels: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static let label = " training "

    /// The text right of the curve: what fits, longest first (the loss and the keys go before the place does).
    func rightText(width: Int) -> String {
        let t = timeline
        let loss = t.losses[t.position].map { " · \(t.lossName) \(Self.format($0))\(t.lossUnit.isEmpty ? "" : " " + t.lossUnit)" } ?? ""
        let place = "after \(TrainingTimeline.grouped(t.current)) of \(TrainingTimeline.grouped(t.last)) seq"
        let rights = [" \(place)\(loss) · { } move · click ", " \(place)\(loss) · { } move ", " \(place)\(loss) ", " \(place) "]
        return rights.first { Self.label.count + $0.count + 8 <= width } ?? ""
    }

    /// Where the curve goes in `rect` (nil when there is no room for it): `render` draws there and a click
    /// there is read by `position(atColumn:in:)`, so the two agree.
    func curveRect(in rect: Rect) -> Rect? {
        guard rect.width > 0, rect.height > 0 else { return nil }
        let row = rect.row(0)
        let rest = row.splitLeft(Swift.min(Self.label.count, row.width)).1
        let width = rest.width - rightText(width: row.width).unicodeScalars.count
        return width > 0 ? Rect(x: rest.x, y: row.y, width: width, height: 1) : nil
    }

    /// The moment a click on column `x` of the strip in `rect` picks: the one nearest the sequences that
    /// column stands for; nil off the curve.
    public func position(atColumn x: Int, in rect: Rect) -> Int? {
        guard let curve = curveRect(in: rect), x >= curve.x, x < curve.maxX else { return nil }
        let t = timeline, w = curve.width
        return Self.nearest(t.first + (w == 1 ? 0 : (x - curve.x) * Swift.max(1, t.last - t.first) / (w - 1)), t.sequences)
    }

    public func render(into screen: inout Screen, rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let row = rect.row(0)
        screen.fill(row)
        let (left, _) = row.splitLeft(Swift.min(Self.label.count, row.width))
        screen.put(Self.label, in: left, style: .bold)
        guard let curve = curveRect(in: rect) else { return }
        drawCurve(into: &screen, curve)
        screen.put(rightText(width: row.width), in: Rect(x: curve.maxX, y: row.y, width: row.maxX - curve.maxX, height: 1),
                   style: .plain)
    }

    /// Column `c` of `width` shows the moment nearest its middle in sequences; the marked moments' columns
    /// are the ones their sequence counts fall in.
    func drawCurve(into screen: inout Screen, _ rect: Rect) {
        let t = timeline
        let span = Swift.max(1, t.last - t.first)
        let w = rect.width
        let logs = t.losses.map { $0.flatMap { $0.isFinite ? log10(Swift.max($0, 1e-6)) : nil } }
        let known = logs.compactMap { $0 }
        let lo = known.min() ?? 0, hi = known.max() ?? 1
        let fg = Color.green.quantised(for: mode)
        func column(of sequences: Int) -> Int { w == 1 ? 0 : (sequences - t.first) * (w - 1) / span }
        for c in 0..<w {
            let middle = t.first + (w == 1 ? 0 : c * span / (w - 1))
            let i = Self.nearest(middle, t.sequences)
            var ch: Unicode.Scalar = "·"
            if let v = logs[i] {
                let level = hi > lo ? Int(((v - lo) / (hi - lo) * 8).rounded(.down)) : 0
                ch = Self.levels[Swift.min(7, Swift.max(0, level))]
            }
            screen[rect.x + c, rect.y] = Cell(ch, fg: fg)
        }
        for other in others where t.sequences.indices.contains(other) && other != t.position {
            let x = rect.x + column(of: t.sequences[other])
            screen[x, rect.y] = Cell(screen[x, rect.y].char, fg: fg, [.reverse, .dim])
        }
        let x = rect.x + column(of: t.current)
        screen[x, rect.y] = Cell(screen[x, rect.y].char, fg: Color.yellow.quantised(for: mode), [.reverse, .bold])
    }

    static func nearest(_ target: Int, _ counts: [Int]) -> Int {
        var best = 0
        for (i, c) in counts.enumerated() where abs(c - target) < abs(counts[best] - target) { best = i }
        return best
    }

    /// A loss in at most about five characters: `31.2`, `0.213`, `4e-04`.
    static func format(_ x: Double) -> String {
        if x >= 100 { return String(Int(x.rounded())) }
        if x >= 1 { return NumberFormat.fixed(Float(x), decimals: 1) }
        if x >= 0.001 { return NumberFormat.fixed(Float(x), decimals: 3) }
        return x == 0 ? "0" : String(format: "%.0e", x)
    }
}
