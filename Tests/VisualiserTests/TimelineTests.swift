import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Viewing
import Testing
import Training
import Visualiser

/// A real short training run of a small NTM on copy (lengths 1–3), keeping a snapshot every 100 sequences:
/// written once to a temporary folder and shared by the tests, which only read it.
enum SnapshotRunFixture {
    static var directory: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("arnn-timeline-\(getpid())").path
    }

    static let path: String = {
        let dir = directory
        try? FileManager.default.removeItem(atPath: dir)
        // The folder lives as long as the test process (tests share it) and goes with it.
        atexit { try? FileManager.default.removeItem(atPath: SnapshotRunFixture.directory) }
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = (dir as NSString).appendingPathComponent("run.safetensors")
        let task = try! TaskConfig(CopyTask(bitWidth: 4, minLength: 1, maxLength: 3)).withLengthRange(1...3)
        var rng = SeededRNG(seed: 3)
        let ntm = NTM(config: NTMConfig(inputSize: 5, outputSize: 4, memoryRows: 8, memoryWidth: 6, controllerSize: 24), rng: &rng)
        var options = TrainingOptions()
        options.sequences = 300
        options.learningRate = 3e-3
        options.checkpointEvery = 0
        options.keepEvery = 100
        let run = TrainingRun(trainer: Trainer(learner: try! RecurrentLearner(model: ntm, task: task), options: options),
                              outputPath: out, metadata: [CheckpointMetadataKey.task: task.name,
                                                          CheckpointMetadataKey.taskConfig: jsonString(task),
                                                          CheckpointMetadataKey.run: "timeline-test"])
        let folder = try! SnapshotFolder.create(at: SnapshotFolder.path(forCheckpoint: out),
                                                index: SnapshotIndex(run: "timeline-test", kind: "ntm", task: task.name, keepEvery: 100))
        run.snapshots = SnapshotKeeper(folder: folder, every: 100)
        _ = try! run.run(shouldStop: { false }, progress: { _ in })
        return out
    }()

    /// The viewer on the run (one model, or the run beside itself), at `width × height`, length 3, seed 5.
    static func viewer(models: Int = 1, width: Int = 100, height: Int = 30) throws -> (ViewerState, ViewerEffects) {
        let loaded = try (0..<models).map { _ in try LoadedModel.load(path, catalog: Registry.catalog).withSnapshots() }
        var (state, effects) = try Registry.viewer(loaded, length: 3, seed: 5)
        state.width = width
        state.height = height
        return (state, effects)
    }
}

@Suite(.serialized) struct TimelineTests {
    @Test func theViewerOpensAtTheCheckpointsMomentOfTheRun() throws {
        let (state, _) = try SnapshotRunFixture.viewer()
        let timeline = try #require(state.models[0].timeline)
        #expect(timeline.sequences == [0, 100, 200, 300])
        #expect(timeline.position == 3)
        #expect(timeline.losses[0] == nil && timeline.losses[1] != nil)
    }

    @Test func snapshotKeysChangeTheWeightsButKeepTheExampleTheStepAndTheScene() throws {
        var (state, effects) = try SnapshotRunFixture.viewer()
        state.go(to: 5)  // an answer step: 3 inputs, the delimiter, then the answer
        state = ViewerFixture.run(state, ViewerFixture.keys("w"), effects: effects).0
        #expect(state.writeDiff)
        let late = state.episode[5].output
        let (early, commands) = ViewerFixture.run(state, ViewerFixture.keys("{{{"), effects: effects)
        #expect(commands == [.loadSnapshot(model: 0, position: 2, from: 3), .loadSnapshot(model: 0, position: 1, from: 2),
                             .loadSnapshot(model: 0, position: 0, from: 1)])
        #expect(early.models[0].timeline?.current == 0)
        #expect(early.step == 5 && early.seed == 5 && early.length == 3)
        #expect(early.episode.frames.map { $0.data(as: BitStep.self)!.input } == state.episode.frames.map { $0.data(as: BitStep.self)!.input })
        #expect(early.writeDiff, "the scene keeps its own state")
        #expect(early.episode[5].output != late, "the untrained model answers otherwise")
        let (back, _) = ViewerFixture.run(early, ViewerFixture.keys("}}}"), effects: effects)
        #expect(back.models[0].timeline?.current == 300)
        #expect(back.step == 5)
        #expect(back.episode[5].output == late)
    }

    @Test func movingPastEitherEndSaysSoAndRunsNothing() throws {
        let (state, effects) = try SnapshotRunFixture.viewer()
        let (atEnd, none) = ViewerFixture.run(state, ViewerFixture.keys("}"), effects: effects)
        #expect(none.isEmpty)
        #expect(atEnd.message == "the last snapshot of the run: after 300 sequences")
        let (atStart, _) = ViewerFixture.run(state, ViewerFixture.keys("{{{{"), effects: effects)
        #expect(atStart.message == "the first snapshot of the run: after 0 sequences")
        _ = ViewerFixture.run(atStart, ViewerFixture.keys("}}}"), effects: effects)  // the shared learner back at 300
    }

    @Test func theStatusBarAndTheStripSayTheMoment() throws {
        let (state, effects) = try SnapshotRunFixture.viewer()
        let (early, _) = ViewerFixture.run(state, ViewerFixture.keys("{{"), effects: effects)
        defer { _ = ViewerFixture.run(early, ViewerFixture.keys("}}"), effects: effects) }
        let screen = Viewer.view(early, width: 100, height: 30, mode: .none)
        #expect(screen.rowText(29).contains("step 1/7 input · after 100 sequences"))
        #expect(screen.rowText(27).hasPrefix(" training "))
        #expect(screen.rowText(27).contains("after 100 of 300 seq · loss "))
        #expect(early.message?.hasPrefix("run.safetensors after 100 sequences: ") == true)
    }

    @Test func helpListsTheKeysOnlyWhenThereAreSnapshots() throws {
        let (state, _) = try SnapshotRunFixture.viewer()
        let line = HelpEntry(keys: "{ }", description: "earlier / later in training (same example and step)")
        #expect(Viewer.helpEntries(state).contains(line))
        #expect(!Viewer.helpEntries(ViewerFixture.state()).contains(line))
        let (plain, _) = ViewerFixture.run(ViewerFixture.state(), ViewerFixture.keys("{"))
        #expect(plain.message == "no snapshots to move through: train with --keep-every K to keep them")
    }

    @Test func theStripTakesASpareRowOnlyWhereTheScenesLeaveOne() throws {
        #expect(PlayerLayout(try SnapshotRunFixture.viewer().0, width: 80, height: 24).timelineRect == Rect(x: 0, y: 21, width: 80, height: 1))
        #expect(PlayerLayout(ViewerFixture.state(), width: 80, height: 24).timelineRect == nil)
        // Two moments compared: one at a time at 80×24 (no row to spare; the captions say the moment).
        let compared = try SnapshotRunFixture.viewer(models: 2, width: 80, height: 24).0
        #expect(PlayerLayout(compared, width: 80, height: 24).timelineRect == nil)
        #expect(PlayerLayout(compared, width: 160, height: 48).timelineRect == Rect(x: 0, y: 45, width: 160, height: 1))
        let screen = Viewer.view(compared, width: 80, height: 24, mode: .none)
        #expect(screen.rowText(1).contains("run.safetensors (ntm) · after 300 sequences"))
    }

    @Test func comparedMomentsMoveOneAtATime() throws {
        let (state, effects) = try SnapshotRunFixture.viewer(models: 2, width: 160, height: 48)
        let (s, _) = ViewerFixture.run(state, ViewerFixture.keys("o{{{"), effects: effects)
        #expect(s.models.map { $0.timeline?.current } == [300, 0])
        #expect(s.models[0].episode[5].output != s.models[1].episode[5].output)
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        #expect(screen.rowText(0).hasPrefix(" arnn · run.safetensors after 300 vs 0 seq · copy length 3"))
        #expect(screen.plainText().contains("after 0 sequences"))
        #expect(screen.plainText().contains("after 300 sequences"))
    }

    /// The strip at 70 columns (golden): 13 columns of curve for moments 0…5,000 on a log scale, the loss
    /// at the current moment, the current column in reverse and the compared one in dim reverse.
    /// A click on the strip reads the moment the same way the strip draws it: the marked columns give back
    /// their moments, and the label and the text beside the curve pick nothing.
    @Test func aClickOnTheStripPicksTheMomentDrawnThere() throws {
        let timeline = TrainingTimeline(sequences: [0, 1000, 2000, 3000, 4000, 5000], losses: [nil, 30, 10, 1, 0.1, 0.01],
                                        position: 2, run: "r", lossName: "loss", lossUnit: "bits/seq")
        let strip = TimelineStrip(timeline: timeline, mode: .none), rect = Rect(x: 0, y: 0, width: 70, height: 1)
        #expect(strip.position(atColumn: 14, in: rect) == 2)    // the column drawn in reverse in the golden below
        #expect(strip.position(atColumn: 22, in: rect) == 5)    // the compared moment's column
        #expect(strip.position(atColumn: 10, in: rect) == 0)
        #expect(strip.position(atColumn: 3, in: rect) == nil)   // " training "
        #expect(strip.position(atColumn: 40, in: rect) == nil)  // "after 2,000 of …"

        let (state, effects) = try SnapshotRunFixture.viewer()
        let layout = PlayerLayout(state, width: 100, height: 30)
        let stripRect = try #require(layout.timelineRect)
        let shown = TimelineStrip(timeline: try #require(state.models[0].timeline), mode: .none)
        let first = try #require((stripRect.x..<stripRect.maxX).first { shown.position(atColumn: $0, in: stripRect) == 0 })
        let (early, commands) = ViewerFixture.run(state, [.mouse(x: first, y: stripRect.y, button: .left)], effects: effects)
        #expect(commands == [.loadSnapshot(model: 0, position: 0, from: 3)])
        #expect(early.models[0].timeline?.current == 0 && early.step == state.step)
        let (back, again) = ViewerFixture.run(early, [.mouse(x: stripRect.maxX - 1, y: stripRect.y, button: .left)], effects: effects)
        #expect(again.isEmpty, "the text right of the curve is not a moment")
        _ = ViewerFixture.run(back, ViewerFixture.keys("}}}"), effects: effects)  // the shared learner back at 300
    }

    @Test func stripGolden() {
        let timeline = TrainingTimeline(sequences: [0, 1000, 2000, 3000, 4000, 5000], losses: [nil, 30, 10, 1, 0.1, 0.01],
                                        position: 2, run: "r", lossName: "loss", lossUnit: "bits/seq")
        var screen = Screen(width: 70, height: 1)
        TimelineStrip(timeline: timeline, others: [5], mode: .none).render(into: &screen, rect: screen.bounds)
        #expect(screen.plainText() == " training ··██▇▇▇▅▅▃▃▁▁ after 2,000 of 5,000 seq · loss 10.0 bits/seq")
        #expect(screen[14, 0].attributes.contains(.reverse))
        #expect(screen[22, 0].attributes.contains([.reverse, .dim]))
        #expect(!screen[13, 0].attributes.contains(.reverse))
        // Narrower: the loss goes before the place does.
        var narrow = Screen(width: 46, height: 1)
        TimelineStrip(timeline: timeline, mode: .none).render(into: &narrow, rect: narrow.bounds)
        #expect(narrow.plainText() == " training ·██▇▇▅▅▃▃▁ after 2,000 of 5,000 seq")
    }
}
