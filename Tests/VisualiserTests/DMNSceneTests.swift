import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Viewing
import Visualiser

/// A small untrained DMN+ (D = 16, H = 80 as the default, so the memory rows are pooled at 80 columns)
/// with a fixed seed, for the dmn scene.
enum DMNFixture {
    static let task = TaskConfig(BabiTask())
    static let model: DMN<BabiSample> = {
        var rng = SeededRNG(seed: 5)
        return DMN(config: DMNConfig(vocabularySize: BabiTask.vocabulary.count, answerCount: BabiTask.answers.count,
                                     embeddingSize: 16, hiddenSize: 80), rng: &rng)
    }()
    static let learner = ReadThenAnswerLearner(model: model, task: BabiTask())
    static var effects: ViewerEffects { ViewerEffects(learners: [learner], task: task) }

    /// The viewer on a story of bAbI task `length` drawn from `seed`, at `step` (default: the answer).
    static func state(task length: Int = 1, seed: UInt64 = 1, width: Int = 80, height: Int = 24, step: Int = 2) -> ViewerState {
        var s = try! Registry.viewer([("test-dmn", learner)], task: task, length: length, seed: seed).0
        s.width = width
        s.height = height
        s.go(to: step)
        return s
    }

    /// A qa3 story longer than the memory's 50 statements.
    static let longSeed: UInt64 = {
        for seed in UInt64(1)...200 {
            let s = state(task: 3, seed: seed)
            if let sample = s.episode.sample as? BabiSample, sample.sentenceIds.count > 50 { return seed }
        }
        fatalError("no qa3 story over 50 statements in 200 seeds")
    }()
}

@Suite("DMN scene")
struct DMNSceneTests {
    static let sizes = [(80, 24), (120, 40), (160, 48), (200, 60)]

    func scene(_ s: ViewerState) -> DMNScene { s.models[0].scene.base as! DMNScene }
    func layout(_ s: ViewerState) -> DMNLayout { DMNLayout(scene(s), s.context(0)) }
    func snapshot(_ s: ViewerState, _ t: Int) -> DMNSnapshot { s.episode[t].snapshot as! DMNSnapshot }

    /// At every size, for a short qa1 story and a qa3 story the memory cut to its last 50, nothing is cut
    /// off: the question, every sentence drawn in full with a gate per pass, five answers, and the memory
    /// rows q = m⁰, m¹, m², m³ (with c¹ … c³ where there is room).
    @Test(arguments: [(1, UInt64(1)), (3, DMNFixture.longSeed)])
    func atEverySizeNothingIsCutOff(_ story: (task: Int, seed: UInt64)) throws {
        for (w, h) in Self.sizes {
            let s = DMNFixture.state(task: story.task, seed: story.seed, width: w, height: h)
            let screen = Viewer.view(s, width: w, height: h, mode: .none)
            let text = screen.plainText()
            let where_ = "qa\(story.task) at \(w)×\(h)"
            #expect(!text.contains("too small"), "\(where_)")
            #expect(!text.contains("…"), "\(where_): something is cut:\n\(text)")
            let scene = scene(s), layout = layout(s)
            #expect(text.contains(scene.question.prefix(1).uppercased() + scene.question.dropFirst()), "\(where_): no question")
            for t in 1...3 { #expect(text.contains("pass\(t)"), "\(where_): no pass \(t) column") }
            // Every sentence in view, whole, with its number and three gate values.
            #expect(layout.rows >= min(scene.sentences.count, 10), "\(where_): only \(layout.rows) sentences in view")
            for r in 0..<layout.rows {
                let i = layout.firstSentence + r
                let row = screen.rowText(layout.rowsArea.y + r)
                #expect(row.contains(" \(scene.dropped + i + 1)  \(scene.sentences[i])"), "\(where_): row \(r): \(row)")
                for t in 0..<3 { #expect(row.contains(NumberFormat.fixed(snapshot(s, t).gates[i], decimals: 2))) }
            }
            // Five answers with their probabilities.
            let answerRows = (0..<5).map { screen.rowText(layout.answers.y + (layout.bordered ? 1 : 1) + $0) }
            let top = snapshot(s, 2).output.indices.sorted { snapshot(s, 2).output[$0] > snapshot(s, 2).output[$1] }.prefix(5)
            for (row, a) in zip(answerRows, top) { #expect(row.contains(BabiTask.answers[a]), "\(where_): \(row)") }
            for label in ["m⁰=q", "m¹", "m²", "m³"] { #expect(text.contains(label), "\(where_): no \(label) row") }
            if h >= 40 { for label in ["c¹", "c²", "c³"] { #expect(text.contains(label), "\(where_): no \(label) row") } }
            // The memory rows fill their cells: q's row has ink or colour in most of its columns.
            let qRow = layout.memoryArea.y + layout.memoryRows.firstIndex(of: .question)!
            #expect(layout.cells.width >= min(80, (w - 16) / 2), "\(where_): \(layout.cells.columns) cells")
            // From 120 columns, each sentence's row also shows the AttnGRU's state after it.
            if w >= 120 {
                let states = try #require(layout.states, "\(where_): no AttnGRU states")
                #expect(text.contains("hᵢ") && states.width >= 16 && states.x + states.width <= layout.story.maxX)
            }
            #expect(qRow < layout.memory.maxY)
            if story.task == 3 {
                #expect(text.contains("last 50 of \(scene.dropped + 50) sentences kept"), "\(where_): the drop is not said")
            }
        }
    }

    /// Each scale has a legend (the gates', the GRU states' q, c and h, the memory's): on the panel borders in
    /// rich layouts, on the info row in compact ones.
    @Test func everyScaleHasALegend() {
        for (w, h) in [(80, 24), (160, 48)] {
            let text = Viewer.view(DMNFixture.state(width: w, height: h), width: w, height: h, mode: .none).plainText()
            for legend in ["gate g 0", "q, c, h -1", "m 0.00"] { #expect(text.contains(legend), "\(w)×\(h): no \(legend):\n\(text)") }
        }
    }

    /// Stepping moves through the passes: pass 1 shows one gate column and the memory up to m¹; the next
    /// step fills pass 2; the answer panel says what the model would answer if it stopped there.
    @Test func steppingFillsInOnePassAtATime() {
        var s = DMNFixture.state(task: 2, seed: 4, width: 120, height: 40, step: 0)
        var screen = Viewer.view(s, width: 120, height: 40, mode: .none)
        let l = layout(s)
        let firstRow = screen.rowText(l.rowsArea.y)
        let x = l.passesX
        func cell(_ row: String, _ t: Int) -> String {
            String(row.unicodeScalars.dropFirst(x + t * l.passWidth + 2).prefix(4).map(Character.init))
        }
        #expect(cell(firstRow, 0) == NumberFormat.fixed(snapshot(s, 0).gates[l.firstSentence], decimals: 2))
        #expect(cell(firstRow, 1).trimmingCharacters(in: .whitespaces).isEmpty, "pass 2 drawn at pass 1: \(firstRow)")
        #expect(screen.plainText().contains("If it stopped at pass 1"))
        #expect(screen.plainText().contains("pass 1 of 3"))
        let m2 = l.memoryArea.y + l.memoryRows.firstIndex(of: .memory(1))!
        #expect(!screen.rowText(m2).contains("Δ"), "m² drawn at pass 1")
        s = Viewer.update(s, .key(.right)).0
        screen = Viewer.view(s, width: 120, height: 40, mode: .none)
        #expect(s.step == 1)
        #expect(screen.rowText(m2).contains("Δ"))
        let l2 = layout(s)
        #expect(cell(screen.rowText(l2.rowsArea.y), 1) == NumberFormat.fixed(snapshot(s, 1).gates[l2.firstSentence], decimals: 2))
    }

    /// The cursor reads a sentence's exact gate at every pass, whole on the 80-column info row.
    @Test func theCursorReadsTheGateAtEveryPass() throws {
        let s0 = DMNFixture.state(task: 3, seed: DMNFixture.longSeed)
        let s = Viewer.update(s0, .key(.up)).0
        let scene = scene(s)
        let c = try #require(scene.cursor)
        let readout = try #require(s.models[0].scene.readout(s.context(0)))
        for t in 0..<3 { #expect(readout.contains(NumberFormat.fixed(snapshot(s, t).gates[c], decimals: 3)), "\(readout)") }
        #expect(readout.contains("sentence \(scene.dropped + c + 1) "))
        let screen = Viewer.view(s, width: 80, height: 24, mode: .none)
        var info = screen.rowText(22)
        while info.hasSuffix(" ") { info.removeLast() }
        #expect(info == " " + readout, "the readout is cut: \(info)")
    }

    /// A click on a pass's column or memory row goes to that pass; on a sentence puts the cursor there.
    @Test func clicksPickPassesAndSentences() {
        let s = DMNFixture.state(task: 1, seed: 2, width: 160, height: 48, step: 2)
        var scene = scene(s)
        let l = layout(s)
        #expect(scene.click(x: l.passesX + 1, y: l.rowsArea.y, s.context(0)) == .go(0))
        #expect(scene.cursor == l.firstSentence)
        let m1 = l.memoryArea.y + l.memoryRows.firstIndex(of: .memory(1))!
        #expect(scene.click(x: l.memoryArea.x + 2, y: m1, s.context(0)) == .go(1))
    }
}
