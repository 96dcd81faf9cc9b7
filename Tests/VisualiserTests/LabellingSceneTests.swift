import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Viewing
import Visualiser

/// A labelling episode (Dyck-2, issue 20) in the scenes that share the sequence panel: the brackets read,
/// the labels wanted and the labels written, one column a step, with nothing in a scene knowing the task.
@Suite struct LabellingSceneTests {
    static let task = Dyck2Task()
    static let taskConfig = TaskConfig(task)

    static func learner<M: RecurrentModel>(_ make: (Int, Int, inout SeededRNG) -> M) -> any Learner {
        var rng = SeededRNG(seed: 8)
        let (x, y) = RecurrentLabellingLearner<M, Dyck2Task>.widths(task)
        return try! RecurrentLabellingLearner(model: make(x, y, &rng), task: task)
    }

    static let stack = learner { x, y, rng in
        NeuralStack<ContinuousStack>(config: NeuralStackConfig(inputSize: x, outputSize: y, hiddenSize: 12, valueSize: 6), rng: &rng)
    }
    static let lstm = learner { x, y, rng in LSTMModel(config: LSTMConfig(inputSize: x, outputSize: y, hiddenSize: 12), rng: &rng) }

    /// The viewer on typed brackets, at the last step.
    static func state(_ models: [(String, any Learner)], text: String = "( [ ] ) [ ( ) ]", width: Int, height: Int) throws -> ViewerState {
        var s = try Registry.viewer(models, task: taskConfig, length: 8, seed: 1).0
        let effects = ViewerEffects(learners: models.map(\.1), task: taskConfig)
        s = ViewerFixture.run(s, [.key(.char("t"))] + text.map { .key(.char($0)) } + [.key(.enter)], effects: effects).0
        s.width = width
        s.height = height
        return s
    }

    static func rows(_ s: ViewerState) -> (read: String, want: String, wrote: String)? {
        let lines = Viewer.view(s, width: s.width, height: s.height, mode: .none).plainText().components(separatedBy: "\n")
        func row(_ label: String) -> String? { lines.first { $0.contains(label) } }
        guard let read = row("read  "), let want = row("want  "), let wrote = row("wrote ") else { return nil }
        return (read, want, wrote)
    }

    @Test(arguments: [("stack", 120, 40), ("stack", 80, 24), ("lstm", 120, 40), ("lstm", 80, 24)])
    func theSequencePanelShowsBracketsReadLabelsWantedAndWritten(kind: String, width: Int, height: Int) throws {
        let learner = kind == "stack" ? Self.stack : Self.lstm
        var s = try Self.state([("test-\(kind)", learner)], width: width, height: height)
        #expect(s.episode.count == 8 && s.step == s.lastStep)
        let (read, want, wrote) = try #require(Self.rows(s))
        #expect(read.split(separator: " ") == ["read", "(", "[", "]", ")", "[", "(", ")", "]"], "\(read)")
        #expect(want.split(separator: " ") == ["want", ")", "]", ")", "none", "]", ")", "]", "none"], "\(want)")
        let written = s.episode.frames.compactMap { $0.data(as: TokenStep.self)?.output }
        let marked = zip(written, s.episode.sample(as: BracketString.self)!.labels).map { ($0.id == $1 ? "" : "×") + $0.word }
        #expect(wrote.split(separator: " ").map(String.init) == ["wrote"] + marked, "\(wrote)")
        // One column a step: each label starts where its bracket does.
        func starts(_ row: String) -> [Int] {
            let chars = Array(row)
            return chars.indices.filter { $0 > 0 && chars[$0] != " " && chars[$0 - 1] == " " }
        }
        #expect(starts(read) == starts(want), "\(read)\n\(want)")
        #expect(!Viewer.view(s, width: width, height: height, mode: .none).plainText().contains("too small"))
        // Written up to the current step only: at step 3 the fourth label is not there yet.
        s.go(to: 2)
        let early = try #require(Self.rows(s)).wrote
        #expect(early.split(separator: " ").count == 4, "\(early)")
    }

    @Test func theRichLayoutSaysALabelIsWrittenAtEveryStep() throws {
        let s = try Self.state([("test-stack", Self.stack)], width: 160, height: 48)
        // Typed brackets have their labels: the message scores them.
        #expect(s.message?.hasPrefix("your input (8 brackets): \(s.episode.score.wrong) of 8 labels wrong") == true, "\(s.message ?? "")")
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("Sequence · one label written at every step"))
        #expect(text.contains("× wrote a label that is not the one wanted"))
        // The stack's step panel names the output distribution's labels.
        #expect(text.contains("p(y) ") && text.contains("none "))
        #expect(!text.contains("unscored while reading"))
    }

    /// `--compare`: the stack beside the LSTM on the same brackets, stepping together from the first step.
    @Test func theStackBesideTheLSTMStepsTogether() throws {
        var s = try Self.state([("test-stack", Self.stack), ("test-lstm", Self.lstm)], width: 160, height: 48)
        #expect(s.offset(0) == 0 && s.offset(1) == 0)
        s.go(to: 3)
        #expect(s.step(of: 0) == 3 && s.step(of: 1) == 3)
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("Stack after step 4") && text.contains("hidden state h"))
        #expect(!text.contains("too small"))
    }

    @Test func typedBracketsThatCloseNothingKeepThePromptOpen() throws {
        var s = try Registry.viewer([("test-stack", Self.stack)], task: Self.taskConfig, length: 8, seed: 1).0
        s = ViewerFixture.run(s, [.key(.char("t"))] + "( ] )".map { .key(.char($0)) } + [.key(.enter)],
                              effects: ViewerEffects(learners: [Self.stack], task: Self.taskConfig)).0
        #expect(s.prompt == "( ] )" && s.promptProblem?.contains("does not close") == true)
    }
}
