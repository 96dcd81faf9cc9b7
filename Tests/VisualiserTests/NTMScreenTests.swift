import Episodes
import Foundation
import Models
import Registry
import Testing
import Visualiser

/// The NTM scene on the shipped demos, as a user sees it: what each size shows, that nothing essential is
/// cut at 80×24, and that big terminals are used rather than left blank. Golden files of every NTM demo at
/// 80×24, 120×40, 160×48 and 200×60 are in `ViewerGoldenTests`.
@Suite("NTM screens")
struct NTMScreenTests {
    static let demos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("demos")
    /// The demos in `demos/` (folders with a demo.json), sorted.
    static func shippedDemos() -> [String] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: demos.path)) ?? []
        return names.filter { fm.fileExists(atPath: demos.appendingPathComponent("\($0)/demo.json").path) }.sorted()
    }

    /// The shipped demos of the NTM (their demo.json names the model).
    static let ntmDemos: [String] = shippedDemos().filter { name in
        guard let data = FileManager.default.contents(atPath: demos.appendingPathComponent("\(name)/demo.json").path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return json["model"] as? String == "ntm"
    }
    static let sizes = [(80, 24), (120, 40), (160, 48), (200, 60)]

    /// The demo at its own length and seed, at three quarters of its episode (mid-answer), laid out for
    /// `width × height`.
    static func demo(_ name: String, width: Int, height: Int) throws -> ViewerState {
        let model = try LoadedModel.load(demos.appendingPathComponent(name).path, catalog: Registry.catalog)
        var s = try Registry.viewer([model]).0
        s.width = width
        s.height = height
        s.go(to: s.episode.count * 3 / 4)
        return s
    }

    static func text(_ s: ViewerState, mode: ColorMode = .none) -> String {
        Viewer.view(s, width: s.width, height: s.height, mode: mode).plainText()
    }

    @Test(arguments: ntmDemos)
    func at80x24TheTargetGammaAndEveryTitleAreWhole(_ name: String) throws {
        let s = try Self.demo(name, width: 80, height: 24)
        let screen = Viewer.view(s, width: 80, height: 24, mode: .none)
        let text = screen.plainText()
        #expect(text.contains("\ntgt "), "\(name): no target strip at 80×24")
        #expect(text.contains("γ "), "\(name): γ is cut at 80×24")
        #expect(!text.contains("…"), "\(name): something is cut at 80×24:\n\(text)")
        let layout = s.ntmLayout
        #expect(layout.target != nil)
        #expect(layout.pipelineBlocks.count >= 1 && layout.pipelineBlocks.allSatisfy { layout.pipeline.contains(x: $0.weights.x, y: $0.weights.maxY - 1) },
                "\(name): the four weighting rows do not fit at 80×24")
        // The head columns beside memory are named.
        let labels = screen.rowText(layout.memoryHeadLabels.y)
        #expect(layout.memoryHeadLabels.height >= 1 && labels.contains("rw"), "\(name): head columns unlabelled: \(labels)")
    }

    /// Every cursor readout fits the 80-column info row, with all its numbers.
    @Test(arguments: ntmDemos)
    func at80x24EveryCursorReadoutIsWhole(_ name: String) throws {
        let s0 = try Self.demo(name, width: 80, height: 24)
        // Memory, then (tab past every head's history) the history and the pipeline.
        let heads = s0.ntmView.headCount
        let walks: [([Event], String)] = [
            ([.key(.up)], "memory row"),
            ([.key(.tab), .key(.up)], "weighting, row"),
            (Array(repeating: Event.key(.tab), count: 1 + heads) + [.key(.up)], "→ w "),
        ]
        for (keys, expected) in walks {
            let s = ViewerFixture.run(s0, keys).0
            let readout = try #require(s.readout)
            #expect(readout.contains(expected), "\(name): \(readout)")
            var info = Viewer.view(s, width: 80, height: 24, mode: .none).rowText(22)
            while info.hasSuffix(" ") { info.removeLast() }
            #expect(info == " " + readout, "\(name): the readout is cut: \(info)")
            #expect(!readout.contains("…"))
        }
    }

    /// At 200×60 each panel is drawn across most of its width and height: the charts span their panel and
    /// no panel leaves its lower half blank.
    @Test(arguments: ntmDemos)
    func at200x60EveryPanelUsesItsRoom(_ name: String) throws {
        let s = try Self.demo(name, width: 200, height: 60)
        let screen = Viewer.view(s, width: 200, height: 60, mode: .truecolor)
        let layout = s.ntmLayout
        #expect(layout.kind == .rich)
        #expect(!layout.controller.isEmpty, "\(name): no controller panel at 200×60")
        #expect(layout.pipelineBlocks.count == s.ntmView.headCount, "\(name): not every head's addressing is shown")
        #expect(layout.historyMaps.count == s.ntmView.headCount)
        let panels: [(String, Rect, Double, Double)] = [
            ("sequence", layout.sequence, 0.78, 0.85), ("memory", layout.memory, 0.9, 0.9),
            ("history", layout.history, 0.75, 0.8), ("addressing", layout.pipeline, 0.85, 0.75),
            ("controller", layout.controller, 0.8, 0.9),
        ]
        for (panel, rect, widthBar, heightBar) in panels {
            let (columns, rows) = Self.drawnFractions(screen, rect.inset(by: 1))
            #expect(columns >= widthBar, "\(name) \(panel): \(Int(columns * 100)) % of its columns drawn")
            #expect(rows >= heightBar, "\(name) \(panel): \(Int(rows * 100)) % of its rows drawn")
        }
    }

    /// Every colour scale on a rich screen has a legend: bits, memory, weights (and erase), key/read, add,
    /// and the controller's state.
    @Test func richScreensHaveALegendForEveryScale() throws {
        let text = Self.text(try Self.demo("ntm-copy", width: 160, height: 48))
        // A legend is its title, then its minimum or (a narrow one) the first glyph of its scale.
        for title in ["bit/output", "weight", "weight/erase", "key/read", "add", "h/c", "memory"] {
            #expect(["0", "-", "≡"].contains { text.contains("\(title) \($0)") }, "no legend \(title)")
        }
        #expect(text.contains("read head") && text.contains("write head"), "not every head's addressing")
        #expect(text.contains("×(1−w·e)") && text.contains("+ w·a"), "no erase/add effect")
    }

    /// The history and the memory zoom on the rows the heads use: the copy demo writes rows 0, 127, 126, …,
    /// so the run in use wraps round from 127 to 0, and both panels show it whole at 160×48.
    @Test func historyAndMemoryZoomOnTheRowsInUseAcrossTheWrap() throws {
        let s = try Self.demo("ntm-copy", width: 160, height: 48)
        let inUse = s.ntmScene.stats.rowsInUse
        #expect(!inUse.isAll && inUse.count < 48, "rows in use: \(inUse)")
        #expect(inUse.index(of: 0) != nil && inUse.index(of: 127) != nil, "the run should wrap: \(inUse)")
        let layout = s.ntmLayout
        #expect(layout.historyRows.index(of: 0) != nil && layout.historyRows.index(of: 127) != nil)
        #expect(layout.historyRows.count < 128 && layout.historyPool <= 3)
        #expect(layout.memoryShowsRowsInUse)
        // Every row some head weights above ½ at this step is on screen in the memory panel.
        for head in s.ntmView.snap.heads {
            #expect(layout.memoryWindow.index(of: head.weighting.argmax) != nil)
        }
    }

    /// A click on a history map picks the row drawn there, across the wrap.
    @Test func clickingTheZoomedHistoryPicksTheRowDrawnThere() throws {
        let s0 = try Self.demo("ntm-copy", width: 160, height: 48)
        let layout = s0.ntmLayout
        let map = try #require(layout.historyMaps.last)
        let y = map.rect.y + 1
        let x = try #require(layout.historyTime.x(of: 3))
        let s = ViewerFixture.run(s0, [.mouse(x: x, y: y, button: .left)]).0
        #expect(s.focus == .history && s.selectedHead == map.head && s.step == 3)
        #expect(s.cursorRow == layout.historyRows.row(2 * layout.historyPool))
    }

    /// Share of the columns and of the rows of `rect` with at least one drawn cell (a character or a
    /// background colour).
    static func drawnFractions(_ screen: Screen, _ rect: Rect) -> (Double, Double) {
        guard !rect.isEmpty else { return (0, 0) }
        var columns = Set<Int>(), rows = Set<Int>()
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX {
                let cell = screen[x, y]
                if cell.char != " " || cell.bg != .default {
                    columns.insert(x)
                    rows.insert(y)
                }
            }
        }
        return (Double(columns.count) / Double(rect.width), Double(rows.count) / Double(rect.height))
    }
}

/// The scene with several write heads (the paper's priority sort used 8 read and 8 write heads): every
/// head has a labelled column beside memory, and the panels draw without assuming one write head.
@Suite("NTM scene with many heads")
struct NTMManyHeadsTests {
    /// The fixture's episode with its heads copied into 8 read and 8 write heads.
    static func sixteenHeads() -> Episode {
        var episode = ViewerFixture.state().episode
        for i in episode.frames.indices {
            var snap = episode.frames[i].snapshot as! NTMSnapshot
            let read = snap.heads.first { !$0.isWrite }!, write = snap.heads.first { $0.isWrite }!
            snap.heads = Array(repeating: read, count: 8) + Array(repeating: write, count: 8)
            snap.reads = Array(repeating: snap.reads[0], count: 8)
            episode.frames[i].snapshot = snap
        }
        return episode
    }

    @Test(arguments: NTMScreenTests.sizes)
    func everyHeadIsLabelledAndDrawn(_ size: (Int, Int)) {
        let episode = Self.sixteenHeads()
        let scene = NTMScene(episode: episode)
        let frame = SceneFrame(width: size.0, height: size.1)
        let context = SceneContext(episode: episode, step: 5, rect: frame.body, kind: frame.kind)
        var screen = Screen(width: size.0, height: size.1)
        scene.view(context, into: &screen, mode: .none)
        let view = NTMView(scene, context)
        let layout = NTMLayout(state: view, rect: frame.body, kind: frame.kind)
        #expect(layout.memoryWeightColumns.count == 16)
        #expect(view.headName(0) == "read 1" && view.headName(8) == "write 1" && view.headName(15) == "write 8")
        if layout.memoryHeadLabels.height == 2 {
            let x = layout.memoryWeightColumns[0].x
            let letters = String(screen.rowText(layout.memoryHeadLabels.y).unicodeScalars.dropFirst(x).prefix(16))
            let numbers = String(screen.rowText(layout.memoryHeadLabels.y + 1).unicodeScalars.dropFirst(x).prefix(16))
            #expect(letters == "rrrrrrrrwwwwwwww" && numbers == "1234567812345678")
        } else {
            Issue.record("\(size): the head columns of 16 heads need two label rows")
        }
        // The pipeline shows the selected head, and its blocks stay inside the panel without overlapping.
        let blocks = layout.pipelineBlocks
        #expect(blocks.contains { $0.head == scene.selectedHead })
        for (a, b) in zip(blocks, blocks.dropFirst()) { #expect(a.rect.maxY <= b.rect.y) }
        #expect(blocks.allSatisfy { layout.pipeline.contains(x: $0.rect.x, y: $0.rect.maxY - 1) })
    }
}

@Suite("Row window")
struct RowWindowTests {
    @Test func positionsWrapRoundTheLastRow() {
        let w = RowWindow(start: 120, count: 12, rows: 128)
        #expect((0..<12).map(w.row) == [120, 121, 122, 123, 124, 125, 126, 127, 0, 1, 2, 3])
        #expect(w.index(of: 0) == 8 && w.index(of: 119) == nil && w.index(of: 4) == nil && w.last == 3)
        #expect(w.label == "rows 120–3" && !w.isAll)
        #expect(RowWindow.all(16).label == "rows 0–15")
    }

    @Test func rowsInUseOfTheCopyDemoFormOneRunAcrossTheWrap() throws {
        let s = try NTMScreenTests.demo("ntm-copy", width: 80, height: 24)
        let window = RowWindow.inUse(s.ntmScene.snapshots, margin: 0)
        // Every row some head focuses on is inside, and the run is far shorter than memory.
        for snap in s.ntmScene.snapshots {
            for head in snap.heads where head.weighting.max()! > 0.25 {
                #expect(window.index(of: head.weighting.argmax) != nil)
            }
        }
        #expect(window.start > 64 && window.index(of: 0) != nil && window.count < 40, "\(window)")
    }

    @Test func aDiffuseEpisodeUsesEveryRow() {
        // The untrained fixture spreads its weightings thinly: no row stands out, so all are shown.
        let s = ViewerFixture.state()
        #expect(RowWindow.inUse(s.ntmScene.snapshots, threshold: 0.99).isAll)
    }
}
