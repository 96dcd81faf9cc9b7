import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Viewing
import Visualiser

/// A small untrained Neural Programmer with a fixed seed, for the np scene (no demo needed).
enum NeuralProgrammerFixture {
    static let task = TaskConfig(TableQATask(columns: 4))
    static let model: NeuralProgrammer<TableQASample> = {
        var rng = SeededRNG(seed: 3)
        return NeuralProgrammer(config: NeuralProgrammerConfig(vocabularySize: TableQAVocabulary.words.count, embeddingSize: 8,
                                                               maxRows: TableQATask.mostRows, maxColumns: TableQATask.mostColumns),
                                rng: &rng)
    }()
    static let learner = ReadThenAnswerLearner(model: model, task: TableQATask(columns: 4),
                                               objective: TableAnswerObjective(columns: TableQATask.mostColumns, lookupWeight: 50, delta: 10))

    /// The viewer on a table of `rows` rows drawn from `seed`, at `step` (default: the answer).
    static func state(rows: Int = 12, seed: UInt64 = 1, width: Int = 80, height: Int = 24, step: Int = 4) -> ViewerState {
        var s = try! Registry.viewer([("test-np", learner)], task: task, length: rows, seed: seed).0
        s.width = width
        s.height = height
        s.go(to: step)
        return s
    }
}

@Suite("Neural Programmer scene")
struct NeuralProgrammerSceneTests {
    static let sizes = [(80, 24), (120, 40), (160, 48), (200, 60)]

    func scene(_ s: ViewerState) -> NeuralProgrammerScene { s.models[0].scene.base as! NeuralProgrammerScene }

    /// At every size: the question, every column's name, the program's five steps with every operation it
    /// used, and as many of the table's rows as fit (all 12 from 120×40 on), with the answer at the last step.
    @Test func atEverySizeTheQuestionTheTableAndTheProgramShow() {
        for (w, h) in Self.sizes {
            let s = NeuralProgrammerFixture.state(width: w, height: h)
            let text = Viewer.view(s, width: w, height: h, mode: .none).plainText()
            let scene = scene(s), at = "\(w)×\(h)"
            #expect(!text.contains("too small"), "\(at)")
            #expect(text.contains(scene.words.prefix(4).joined(separator: " ")), "\(at): no question")
            for name in scene.columns { #expect(text.contains(name), "\(at): no column \(name)") }
            #expect(text.contains("▼5"), "\(at): the step marker")
            for snapshot in scene.snapshots { #expect(text.contains(snapshot.operation.name), "\(at): no row for \(snapshot.operation.name)") }
            #expect(text.contains("answered "), "\(at): no answer at the last step")
            let rows = NeuralProgrammerLayout(scene, s.context(0)).rows
            #expect(rows == (h >= 40 ? 12 : min(12, rows)) && rows >= 10, "\(at): \(rows) rows in view")
        }
    }

    /// Under the table, where there is room, the program so far as text: one line per step up to this one.
    @Test func theProgramSoFarIsListedUnderTheTable() {
        let s = NeuralProgrammerFixture.state(width: 160, height: 48, step: 2)
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        let scene = scene(s)
        #expect(text.contains("The program so far"))
        for t in 0...2 { #expect(text.contains("\(t + 1)  \(scene.stepText(scene.snapshots[t]))"), "step \(t + 1)") }
        #expect(!text.contains("4  \(scene.stepText(scene.snapshots[3]))"), "no line for a step not reached")
    }

    /// The cursor reads a row: its cells by column and its selection after every step so far.
    @Test func theCursorReadsARowsCellsAndSelections() throws {
        var s = NeuralProgrammerFixture.state(width: 160, height: 48, step: 1)
        s = Viewer.update(s, .key(.down)).0
        let scene = scene(s)
        let readout = try #require(scene.readout(s.context(0)))
        let cells = zip(scene.columns, scene.cells[0]).map { "\($0) \(Table.text($1))" }.joined(separator: ", ")
        #expect(readout.hasPrefix("row 1 (\(cells)) · selected after step 1: "))
        #expect(readout.contains("2: ") && !readout.contains("3: "))
    }

    /// The numbers of the question are drawn reversed: they are what the comparisons read.
    @Test func theQuestionsNumbersAreMarked() {
        var seed: UInt64 = 1
        var s = NeuralProgrammerFixture.state(seed: seed, width: 160, height: 48)
        while scene(s).numberPositions.isEmpty && seed < 50 {
            seed += 1
            s = NeuralProgrammerFixture.state(seed: seed, width: 160, height: 48)
        }
        let scene = scene(s)
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        let number = scene.words[scene.numberPositions[0]]
        let y = (0..<48).first { screen.rowText($0).contains(scene.words.prefix(3).joined(separator: " ")) }!
        let x = screen.rowText(y).range(of: " \(number) ").map { screen.rowText(y).distance(from: screen.rowText(y).startIndex, to: $0.lowerBound) + 1 }!
        #expect(screen[x, y].attributes.contains(.reverse))
    }
}
