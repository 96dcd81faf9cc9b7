import Episodes

/// `arnn train --watch` as an Elm-shaped program, like the viewer: `update` is the only place input changes
/// the state, `view` the only place anything is drawn; both are pure. Stopping (saving, quitting) comes
/// back from `update` as a command for the training loop to carry out.
public enum TrainingWatch {
    public enum Command: Hashable, Sendable {
        /// Stop training after this batch, save the checkpoint and quit.
        case stop
    }

    /// Colour of the two chart lines.
    static let lossColor = Color.rgb(255, 170, 60)
    static let wrongColor = Color.rgb(120, 200, 255)
    /// Wrong bits reach exactly 0 once the task is learned; the log axis draws them at this floor.
    static let chartFloor = 0.01

    /// The next state after `event`, and the command to run, if any.
    public static func update(_ state: TrainingWatchState, _ event: Event) -> (TrainingWatchState, Command?) {
        var s = state
        switch event {
        case let .resize(width, height):
            s.width = width
            s.height = height
            return (s, nil)
        case .tick, .mouse:
            return (s, nil)
        case let .key(key):
            let action = TrainingWatchKeys.main.action(for: key)
            if s.helpOpen {
                // Any key closes help; the stop keys still stop.
                s.helpOpen = false
                if action != .stop { return (s, nil) }
            }
            switch action {
            case .stop:
                if s.stopping { return (s, nil) }
                s.stopping = true
                s.message = "stopping: saving the checkpoint…"
                return (s, .stop)
            case .help:
                s.helpOpen = true
                return (s, nil)
            case nil:
                return (s, nil)
            }
        }
    }

    /// The screen for `state` at `width × height` in `mode`.
    public static func view(_ state: TrainingWatchState, width: Int, height: Int, mode: ColorMode) -> Screen {
        var screen = Screen(width: width, height: height)
        let layout = TrainingWatchLayout(state: state, width: width, height: height)
        if layout.kind == .tooSmall {
            TooSmallMessage(neededWidth: TrainingWatchLayout.minimumWidth, neededHeight: TrainingWatchLayout.minimumHeight)
                .render(into: &screen, rect: screen.bounds)
            return screen
        }
        drawTitle(state, layout, &screen)
        drawChart(state.history.lossPoints, caption: caption(state.lossMetric), color: lossColor, state, layout,
                  box: layout.lossChart, mode, &screen)
        if let box = layout.wrongChart {
            drawChart(state.history.wrongPoints, caption: caption(state.errorMetric), color: wrongColor, state, layout,
                      box: box, mode, &screen)
        }
        drawStats(state, layout, &screen)
        drawSample(state, layout, mode, &screen)
        drawStatus(state, layout, &screen)
        if state.helpOpen {
            HelpOverlay(title: "arnn train --watch", entries: TrainingWatchKeys.main.helpEntries + TrainingWatchKeys.panelHelp,
                        footer: "any key closes this · q stops and saves")
                .render(into: &screen, rect: screen.bounds)
        }
        return screen
    }

    static func drawTitle(_ s: TrainingWatchState, _ layout: TrainingWatchLayout, _ screen: inout Screen) {
        let left = " arnn train · \(s.title) → \(s.outputPath)"
        let right = "\(NumberFormat.fixed(Float(s.fraction * 100), decimals: 0))% "
        screen.put(right, in: layout.title, alignment: .right, style: .bold)
        screen.put(left, in: layout.title.inset(right: right.count + 1), style: .bold)
    }

    /// A chart's caption: the metric's label, capitalised.
    static func caption(_ metric: MetricSpec) -> String { metric.label.prefix(1).uppercased() + metric.label.dropFirst() }

    /// One chart panel: the caption (with the averaging window, which doubles as the run grows), the log
    /// chart of `points` downsampled to the plot's dots, and the sequence counts under its ends.
    static func drawChart(_ points: [Double], caption: String, color: Color, _ s: TrainingWatchState,
                          _ layout: TrainingWatchLayout, box: Rect, _ mode: ColorMode, _ screen: inout Screen) {
        let window = "mean per \(s.history.bucketSize) seq, log"
        let plot = layout.plot(in: box)
        if layout.bordered {
            Panel(title: "\(caption) · \(window)").render(into: &screen, rect: box)
        } else {
            screen.put("\(caption) · \(window)".fitted(to: box.width), in: box.row(0), style: .bold)
        }
        guard !points.isEmpty else {
            screen.put("waiting for the first batch…", in: plot.row(plot.height / 2), alignment: .centre, style: .dim)
            return
        }
        // Two braille dots per cell across; the axis labels take a few columns of the plot.
        let chart = LogChart(values: TrainingHistory.downsample(points, to: Swift.max(1, plot.width * 2)),
                             floor: chartFloor, color: color, mode: mode)
        chart.render(into: &screen, rect: plot)
        let axisRow = Rect(x: plot.x, y: plot.maxY, width: plot.width, height: 1)
        let first = s.history.firstSequence, last = first + s.history.sequencesCovered
        screen.put(NumberFormat.short(first), in: axisRow.inset(left: chart.plotArea(in: plot).x - plot.x), style: .dim)
        screen.put(NumberFormat.short(last) + " seq", in: axisRow, alignment: .right, style: .dim)
    }

    /// Progress, speed, time, the recent loss and errors, lengths and the last checkpoint, as labelled lines.
    static func drawStats(_ s: TrainingWatchState, _ layout: TrainingWatchLayout, _ screen: inout Screen) {
        let inner = layout.bordered ? layout.stats.inset(top: 1, left: 2, bottom: 1, right: 1) : layout.stats
        if layout.bordered { Panel(title: "Training").render(into: &screen, rect: layout.stats) }
        let barWidth = Swift.max(1, inner.width - 8 - 5)  // after the 8-column labels, before "100%"
        let filled = Swift.min(barWidth, Int(Double(barWidth) * s.fraction))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        let percent = NumberFormat.fixed(Float(s.fraction * 100), decimals: 0) + "%"
        let lengths = s.curriculumLength.map { "\(s.lengthRange.lowerBound)–\($0) of \(s.lengthRange.upperBound)" }
            ?? "\(s.lengthRange.lowerBound)–\(s.lengthRange.upperBound)"
        var lines: [(String, String)] = [
            ("seq", "\(s.done) / \(s.total)"),
            ("", bar + " " + percent.padded(to: 4, alignment: .right)),
            ("speed", "\(Int(s.rate.rounded())) seq/s"),
            ("time", "\(NumberFormat.duration(s.elapsed)) · ETA \(NumberFormat.eta(s.eta))"),
            (s.lossMetric.short, "\(NumberFormat.fixed(Float(s.loss), decimals: 3)) \(s.lossMetric.unit)"),
            (s.errorMetric.short, "\(NumberFormat.fixed(Float(s.wrong), decimals: 3)) \(s.errorMetric.unit)"),
            (s.curriculumLength == nil ? "lengths" : "curric.", lengths),
            ("saved", s.lastCheckpoint.map { "\($0) seq" } ?? "not yet"),
        ]
        if layout.bordered {
            lines.insert(("", "over the last 100 batches"), at: 6)
            lines.append(("sample", s.sample.map { "length \($0.length), seed \($0.seed)" } ?? "–"))
            lines.append(("", s.sample == nil ? "" : "run at \(s.sampleAt) seq"))
        }
        // In bordered layouts the lines are spread out a little when there is room.
        let gap = layout.bordered && inner.height >= 2 * lines.count ? 1 : 0
        for (i, line) in lines.enumerated() {
            let row = inner.row(i * (1 + gap))
            guard !row.isEmpty else { break }
            let x = screen.put(line.0.padded(to: 8), x: row.x, y: row.y, style: .dim, clip: row)
            screen.put(line.1, in: Rect(x: x, y: row.y, width: row.maxX - x, height: 1).intersection(row),
                       style: line.0 == s.lossMetric.short || line.0 == s.errorMetric.short ? .bold : .plain)
        }
    }

    /// The sample episode at its last step, drawn by the model's own scene (`Scene.drawOverview`: its most
    /// telling panels, such as a memory and its attention over time). The info row says what the sample
    /// is, or carries the scene's legends in compact layouts.
    static func drawSample(_ s: TrainingWatchState, _ layout: TrainingWatchLayout, _ mode: ColorMode,
                           _ screen: inout Screen) {
        guard let sample = s.sample else {
            screen.put("running the model on a sample example…", in: layout.sampleArea.row(layout.sampleArea.height / 2),
                       alignment: .centre, style: .dim)
            return
        }
        let context = sample.context(rect: layout.sampleArea, kind: layout.kind)
        sample.scene.drawOverview(context, into: &screen, mode: mode)
        let what = "sample: \(sample.task.name) \(sample.task.lengthName) \(sample.length), seed \(sample.seed), after "
            + "\(s.sampleAt) seq: \(sample.episode.scoreText)"
        if layout.bordered {
            screen.put(" " + what + " · rerun every 3 s", in: layout.info, style: .dim)
        } else {
            // Compact layouts have no panel borders to carry the legends, so the info row does.
            sample.scene.drawOverviewLegends(context, into: &screen, rect: layout.info, mode: mode)
        }
    }

    static func drawStatus(_ s: TrainingWatchState, _ layout: TrainingWatchLayout, _ screen: inout Screen) {
        let left = s.message ?? (s.stopping ? "■ stopping" : "▶ training")
        var right = "\(Int(s.rate.rounded())) seq/s "
        if layout.kind == .compact, let sample = s.sample {
            let score = sample.episode.score
            right = "sample len \(sample.length): \(score.wrong)/\(score.scored) wrong · " + right
        }
        StatusBar(left: left, hints: s.stopping ? [] : TrainingWatchKeys.main.statusHints, right: right)
            .render(into: &screen, rect: layout.status)
    }
}
