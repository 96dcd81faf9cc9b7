import Foundation
import Testing
import Episodes
import Registry
import Visualiser

/// The training watch (`arnn train --watch`): its screens from a fixed state, its keys, and the pieces it
/// is built from (the loss history, the log chart, count formatting).
@Suite("Training watch")
struct TrainingWatchTests {
    /// A run 12345 sequences into 100000 with a loss falling from ~80 bits over three decades, the
    /// fixture NTM (N = 16) as the sample, and fixed figures, so the screens are the same everywhere.
    /// The bit objective's loss and error metrics, as the watch charts them.
    static let loss = BitObjective().metrics[0]
    static let wrong = BitObjective().metrics[1]

    static func state() -> TrainingWatchState {
        var s = TrainingWatchState(title: "ntm on copy", outputPath: "/tmp/copy.safetensors", total: 100_000,
                                   done: 0, lengthRange: 1...20, lossMetric: Self.loss, errorMetric: Self.wrong)
        for batch in 0..<12_345 {
            let t = Double(batch)
            let loss = 80 * exp(-t / 2000) + 0.05
            s.recordBatch(sequencesDone: batch + 1, lossBits: loss, wrongBits: max(0, loss / 2 - 0.1), sequences: 1)
        }
        s.elapsed = 61.5
        s.rate = 200.7
        s.loss = 0.125
        s.wrong = 0.031
        s.lastCheckpoint = 12_000
        let episode = try! ViewerFixture.effects.episodes(length: 5, seed: 1)[0]
        s.setSample(episode, scene: try! Registry.scene("ntm").make(episode), task: ViewerFixture.task, length: 5,
                    seed: 1, at: 12_000)
        return s
    }

    @Test func compactScreenAt80x24() throws {
        let screen = TrainingWatch.view(Self.state(), width: 80, height: 24, mode: .none)
        try ViewerGoldenTests().check(screen, "watch-80x24")
        let text = screen.plainText()
        for part in ["BCE bits/seq", "12345 / 100000", "201 seq/s", "Mem all 16", "read", "write",
                     "q stop & save", "ETA 7:16"] {
            #expect(text.contains(part), "80×24 lacks \(part)")
        }
    }

    @Test func richScreenAt160x48() throws {
        let screen = TrainingWatch.view(Self.state(), width: 160, height: 48, mode: .none)
        try ViewerGoldenTests().check(screen, "watch-160x48")
        let text = screen.plainText()
        for part in ["BCE bits/seq", "Wrong bits/seq", "Training", "Memory", "Weightings over time",
                     "sample: copy length 5, seed 1, after 12000 seq", "saved   12000 seq"] {
            #expect(text.contains(part), "160×48 lacks \(part)")
        }
    }

    /// Issue 24 (4): at 120×40 the wrong-bits chart sits beside the loss chart, as help says; at 80×24 there
    /// is room for the loss chart only, and help says from which width the other comes.
    @Test func theWrongBitsChartFrom110Columns() {
        let wide = TrainingWatch.view(Self.state(), width: 120, height: 40, mode: .none).plainText()
        #expect(wide.contains("BCE bits/seq") && wide.contains("Wrong bits/seq"))
        let narrow = TrainingWatch.view(Self.state(), width: 80, height: 24, mode: .none).plainText()
        #expect(!narrow.contains("Wrong bits/seq"))
        #expect(TrainingWatchKeys.panelHelp.contains { $0.keys == "wrong" && $0.description.contains("from 110 columns") })
    }

    @Test func chartLabelsWholeDecadesAndTheSequencesItCovers() {
        let text = TrainingWatch.view(Self.state(), width: 80, height: 24, mode: .none).plainText()
        for label in ["100┤", "1┤", "0.1┤", "12.3k seq"] { #expect(text.contains(label), "chart lacks \(label)") }
    }

    @Test func everyColourModeDrawsTheSameCharacters() {
        let s = Self.state()
        let truecolor = TrainingWatch.view(s, width: 120, height: 36, mode: .truecolor)
        let c256 = TrainingWatch.view(s, width: 120, height: 36, mode: .c256)
        #expect(truecolor.plainText() == c256.plainText())
        #expect(truecolor.ansiText(mode: .truecolor).contains("38;2;"))
    }

    @Test func beforeTheFirstBatchAndSampleItSaysSo() {
        let s = TrainingWatchState(title: "ntm on copy", outputPath: "x", total: 10, done: 0, lengthRange: 1...20,
                                   lossMetric: Self.loss, errorMetric: Self.wrong)
        let text = TrainingWatch.view(s, width: 80, height: 24, mode: .none).plainText()
        #expect(text.contains("waiting for the first batch"))
        #expect(text.contains("running the model on a sample example"))
    }

    @Test func tooSmallSaysWhatItNeeds() {
        let text = TrainingWatch.view(Self.state(), width: 60, height: 20, mode: .none).plainText()
        #expect(text.contains("needs 80×24, now 60×20"))
    }

    @Test func qStopsOnceAndSaysItIsSaving() {
        var (s, command) = TrainingWatch.update(Self.state(), .key(.char("q")))
        #expect(command == .stop)
        #expect(s.stopping)
        #expect(TrainingWatch.view(s, width: 80, height: 24, mode: .none).plainText().contains("saving the checkpoint"))
        (s, command) = TrainingWatch.update(s, .key(.char("q")))
        #expect(command == nil, "a second q does not stop twice")
    }

    @Test func helpOpensAndAnyKeyClosesItButQStillStops() {
        var (s, command) = TrainingWatch.update(Self.state(), .key(.char("?")))
        #expect(s.helpOpen && command == nil)
        let text = TrainingWatch.view(s, width: 80, height: 24, mode: .none).plainText()
        for binding in TrainingWatchKeys.main.bindings { #expect(text.contains(binding.keysLabel)) }
        (s, command) = TrainingWatch.update(s, .key(.char("x")))
        #expect(!s.helpOpen && command == nil)
        (s, _) = TrainingWatch.update(s, .key(.function(1)))
        (s, command) = TrainingWatch.update(s, .key(.char("q")))
        #expect(!s.helpOpen && command == .stop)
    }

    @Test func resizeAndOtherEventsChangeNothingButTheSize() {
        let s0 = Self.state()
        let (s, command) = TrainingWatch.update(s0, .resize(width: 160, height: 48))
        #expect(s.width == 160 && s.height == 48 && command == nil)
        #expect(TrainingWatch.update(s0, .tick).1 == nil)
        #expect(TrainingWatch.update(s0, .mouse(x: 3, y: 3, button: .left)).1 == nil)
        #expect(TrainingWatch.update(s0, .key(.char("z"))).0.helpOpen == false)
    }

    @Test func theSampleIsShownAtItsLastStep() {
        let s = Self.state()
        let context = s.sample!.context(rect: Rect(x: 0, y: 0, width: 80, height: 20), kind: .compact)
        #expect(context.step == s.sample!.episode.count - 1 && !context.active)
    }
}

@Suite("Training history")
struct TrainingHistoryTests {
    @Test func bucketsAreMeansWeightedBySequences() {
        var h = TrainingHistory(bucketSize: 100)
        h.add(lossBits: 10, wrongBits: 1, sequences: 50)
        #expect(h.loss.isEmpty && h.lossPoints == [10], "the partial bucket shows as the last point")
        h.add(lossBits: 20, wrongBits: 3, sequences: 50)
        #expect(h.loss == [15] && h.wrong == [2] && h.lossPoints == [15])
        h.add(lossBits: .nan, wrongBits: 0, sequences: 100)
        #expect(h.sequencesCovered == 100, "a NaN batch is skipped")
    }

    @Test func mergingKeepsTheWholeRunAndItsMean() {
        var h = TrainingHistory(firstSequence: 500, bucketSize: 10, capacity: 8)
        for i in 0..<1000 { h.add(lossBits: Double(i % 7), wrongBits: 0, sequences: 1) }
        #expect(h.loss.count <= 8)
        #expect(h.bucketSize > 10)
        #expect(h.sequencesCovered == 1000)
        #expect(h.firstSequence == 500)
        let mean = h.loss.reduce(0, +) * Double(h.bucketSize) / Double(h.loss.count * h.bucketSize)
        let exact = Double((0..<(h.loss.count * h.bucketSize)).map { $0 % 7 }.reduce(0, +)) / Double(h.loss.count * h.bucketSize)
        #expect(abs(mean - exact) < 1e-9)
    }

    @Test func downsampleAveragesRunsOfNeighbours() {
        #expect(TrainingHistory.downsample([1, 2, 3], to: 5) == [1, 2, 3])
        #expect(TrainingHistory.downsample([1, 3, 5, 7], to: 2) == [2, 6])
        #expect(TrainingHistory.downsample([1, 2], to: 0) == [])
    }
}

@Suite("Log chart and count formatting")
struct LogChartTests {
    @Test func decadesCoverTheValuesAndTheFloor() {
        #expect(LogChart(values: [0.3, 75], mode: .none).decades == -1...2)
        #expect(LogChart(values: [0, 5], floor: 0.01, mode: .none).decades == -2...1)
        #expect(LogChart(values: [30, 70], mode: .none).decades == 1...2)
        #expect(LogChart(values: [0.01, 100], mode: .none).decades == -2...2)
        #expect(LogChart(values: [], mode: .none).decades == 0...1)
    }

    @Test func decadeLabels() {
        #expect([-5, -2, -1, 0, 1, 2, 3, 4, 6].map(LogChart.decadeLabel)
                == ["1e-5", "0.01", "0.1", "1", "10", "100", "1k", "10k", "1e6"])
    }

    @Test func chartDrawsLabelsAtDecadesAndDotsRightOfTheAxis() {
        var screen = Screen(width: 20, height: 4)
        LogChart(values: [100, 10, 1], mode: .none).render(into: &screen, rect: screen.bounds)
        let rows = screen.plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows[0].hasPrefix("100┤"))
        #expect(rows[3].hasPrefix("  1┤"))
        #expect(rows.allSatisfy { $0.count <= 4 || $0.dropFirst(4).allSatisfy { $0 == " " || ("\u{2800}"..."\u{28FF}").contains($0) } })
    }

    @Test func counts() {
        #expect(NumberFormat.short(9_999) == "9999")
        #expect(NumberFormat.short(12_345) == "12.3k")
        #expect(NumberFormat.short(123_456) == "123k")
        #expect(NumberFormat.short(2_500_000) == "2.5M")
        #expect(NumberFormat.duration(61.5) == "1:01")
        #expect(NumberFormat.duration(3725) == "1:02:05")
        #expect(NumberFormat.duration(.infinity) == "–")
        // Issue 12, item 7: --sequences 99999999999999 gave a negative ETA (an Int32 format of the minutes).
        #expect(NumberFormat.eta(99_999_999_999_999 / 150.0) == "> 99 h")
        #expect(NumberFormat.eta(.infinity) == "> 99 h")
        #expect(NumberFormat.eta(99 * 3600 + 59 * 60) == "99:59:00")
        #expect(NumberFormat.eta(-5) == "0:00")
        #expect(NumberFormat.eta(nil) == "–")
        #expect(NumberFormat.eta(.nan) == "–")
    }
}
