import Engine
import Foundation
import Testing
import Tasks

@Suite struct TaskConfigTests {
    @Test(arguments: TaskConfig.names)
    func everyCommandLineNameBuildsThatTask(name: String) throws {
        #expect(try TaskConfig(name: name).name == name)
    }

    @Test func theCommandLineNamesAreTheDocumentedOnes() {
        #expect(TaskConfig.names == ["copy", "repeat-copy", "assoc-recall", "priority-sort"])
    }

    @Test func anUnknownTaskNameListsTheKnownOnes() {
        let error = #expect(throws: ArnnError.self) { try TaskConfig(name: "sort") }
        #expect(error?.message == "unknown task 'sort'; expected one of copy, repeat-copy, assoc-recall, priority-sort")
    }

    @Test func widthsFollowTheDocumentedEncodings() throws {
        let widths = try TaskConfig.names.map { try TaskConfig(name: $0) }.map { [$0.inputWidth, $0.outputWidth] }
        #expect(widths == [[9, 8], [10, 9], [8, 6], [10, 8]])
        for name in TaskConfig.names {
            let t = try TaskConfig(name: name)
            #expect(t.bits!.inputChannelNames.count == t.inputWidth && t.bits!.outputChannelNames.count == t.outputWidth)
        }
    }

    @Test(arguments: TaskConfig.names)
    func configsSurviveAJSONRoundTrip(name: String) throws {
        let task = try TaskConfig(name: name).withLengthRange(3...5)
        let json = try JSONEncoder().encode(task)
        #expect(try testCatalog.decode(json) == task)
    }

    @Test func theJSONFormIsFlatWithTheName() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(TaskConfig.copy(CopyTask())), as: UTF8.self)
        #expect(json == #"{"bitWidth":8,"maxLength":20,"minLength":1,"name":"copy"}"#)
    }

    @Test func missingFieldsTakeTheDefaults() throws {
        let task = try testCatalog.decode(Data(#"{"name":"assoc-recall","maxItems":12}"#.utf8))
        #expect(task == TaskConfig(AssociativeRecallTask(maxItems: 12)))
    }

    @Test func decodingABadConfigNamesTheField() {
        let json = Data(#"{"name":"copy","minLength":0}"#.utf8)
        let error = #expect(throws: ArnnError.self) { try testCatalog.decode(json) }
        #expect(error?.message == "copy: minLength must be at least 1, got 0")
    }

    @Test func aLengthRangeCanBeChangedButNotToAnInvalidOne() throws {
        let copy = try TaskConfig(name: "copy").withLengthRange(1...40)
        #expect(copy.lengthRange == 1...40)
        let error = #expect(throws: ArnnError.self) { try TaskConfig(name: "assoc-recall").withLengthRange(1...6) }
        #expect(error?.message == "assoc-recall: minItems must be at least 2 (the query needs an item after it), got 1")
    }

    @Test func checkedExamplesRejectBadLengthsInsteadOfStopping() throws {
        var rng = SeededRNG(seed: 1)
        let task = try TaskConfig(name: "priority-sort")
        let error = #expect(throws: ArnnError.self) { try task.checkedExample(rng: &rng, length: -1) }
        #expect(error?.message == "priority-sort: inputs must be at least 1, got -1")
        #expect(try task.checkedExample(rng: &rng, length: 4).steps == 9)
        #expect(task.lengthName == "inputs")
    }

    /// Issue 12 (13): `arnn eval` said "200 sequences per items".
    @Test func aLengthSettingReadsInASentence() throws {
        #expect(try TaskConfig(name: "copy").lengthSettingName == "length")
        #expect(try TaskConfig(name: "assoc-recall").lengthSettingName == "number of items")
        #expect(try TaskConfig(name: "priority-sort").lengthSettingName == "number of inputs")
    }
}
