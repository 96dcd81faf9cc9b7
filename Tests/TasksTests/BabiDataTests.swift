import Engine
import Foundation
import Tasks
import Testing

/// `--data DIR`: the babi task reading bAbI's own files (written here, in its layout) instead of
/// generating stories.
@Suite struct BabiDataTests {
    static let train = """
    1 Mary moved to the bathroom.
    2 John went to the hallway.
    3 Where is Mary? \tbathroom\t1
    1 Sandra travelled to the office.
    2 Where is Sandra? \toffice\t1

    """
    static let test = """
    1 Daniel went back to the kitchen.
    2 Where is Daniel? \tkitchen\t1
    3 Daniel journeyed to the garden.
    4 Where is Daniel? \tgarden\t3
    5 Mary went to the office.
    6 Where is Mary? \toffice\t5

    """

    /// A fresh folder holding `files` (name → text).
    static func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arnn-babi-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func trainingDrawsFromTheTrainFileAndEvaluationScoresTheTestFileInOrder() throws {
        let dir = try Self.folder(["qa1_single-supporting-fact_train.txt": Self.train, "qa1_single-supporting-fact_test.txt": Self.test])
        let task = try BabiTask().withData(directory: dir)
        #expect(task.tasks == [1], "only the tasks the folder holds")
        var rng = SeededRNG(seed: 3)
        let drawn = Set((0..<40).map { _ in task.sample(rng: &rng, length: nil).story.question })
        #expect(drawn == [["where", "is", "mary"], ["where", "is", "sandra"]])
        let set = try #require(task.forEvaluation().evaluationSet(length: 1))
        #expect(set.map(\.story.answerWord) == ["kitchen", "garden", "office"])
        #expect(set.map(\.categories) == [["qa1"], ["qa1"], ["qa1"]])
        #expect(set[1].sentenceIds.count == 2 && set[1].answer == .word(BabiTask.answers.firstIndex(of: "garden")!))
        #expect(BabiTask().evaluationSet(length: 1) == nil, "generated stories have no fixed test set")
    }

    @Test func aFolderWithoutTheFilesIsRefusedInOneLine() throws {
        let empty = try Self.folder([:])
        #expect(throws: ArnnError.self) { try BabiTask().withData(directory: empty) }
        #expect(throws: ArnnError.self) { try BabiTask().withData(directory: empty + "/missing") }
        // A training file without its test file.
        let half = try Self.folder(["qa1_single-supporting-fact_train.txt": Self.train])
        do {
            _ = try BabiTask().withData(directory: half)
            Issue.record("a task without its test file was accepted")
        } catch let e as ArnnError {
            #expect(e.message.contains("qa1_*_test.txt"), "\(e.message)")
        }
        // A malformed file names its line.
        let bad = try Self.folder(["qa1_train.txt": "1 Mary moved to the bathroom.\nWhere is Mary?\n", "qa1_test.txt": Self.test])
        do {
            _ = try BabiTask().withData(directory: bad)
            Issue.record("a malformed file was accepted")
        } catch let e as ArnnError {
            #expect(e.message.contains("qa1_train.txt:2"), "\(e.message)")
        }
    }
}
