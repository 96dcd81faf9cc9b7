import Engine
import Tasks
import Testing

/// bAbI's own format, from small files written for these tests in its layout.
@Suite struct BabiFileTests {
    static let qa1 = """
    1 Mary moved to the bathroom.
    2 John went to the hallway.
    3 Where is Mary? \tbathroom\t1
    4 Daniel went back to the hallway.
    5 Sandra moved to the garden.
    6 Where is Daniel? \thallway\t4
    1 Sandra travelled to the office.
    2 Where is Sandra? \toffice\t1

    """

    @Test func eachQuestionCarriesTheStoryToldBeforeIt() throws {
        let qs = try BabiFile.parse(Self.qa1, path: "qa1_single-supporting-fact_test.txt", task: "qa1")
        #expect(qs.count == 3)
        #expect(qs[0].sentences == [["mary", "moved", "to", "the", "bathroom"], ["john", "went", "to", "the", "hallway"]])
        #expect(qs[0].question == ["where", "is", "mary"] && qs[0].answerWord == "bathroom" && qs[0].supporting == [0])
        // Line 4 is the third statement (line 3 was a question).
        #expect(qs[1].sentences.count == 4 && qs[1].supporting == [2] && qs[1].answerWord == "hallway")
        // A new story starts at 1 and forgets the last one.
        #expect(qs[2].sentences == [["sandra", "travelled", "to", "the", "office"]] && qs[2].task == "qa1")
    }

    @Test func twoSupportingFactsAndCRLFLines() throws {
        let text = "1 John picked up the milk.\r\n2 John went to the garden.\r\n3 Where is the milk?\tgarden\t2 1\r\n"
        let qs = try BabiFile.parse(text, path: "t", task: "qa2")
        #expect(qs[0].supporting == [1, 0] && qs[0].answerWord == "garden")
    }

    @Test func aFileNameNamesItsTask() {
        #expect(BabiFile.task(ofFile: "qa15_basic-deduction_test.txt") == "qa15")
        #expect(BabiFile.task(ofFile: "qa1_single-supporting-fact_train.txt") == "qa1")
        #expect(BabiFile.task(ofFile: "readme.txt") == nil)
    }

    @Test func malformedLinesAreNamedInOneLine() {
        func message(_ text: String) -> String? {
            do { _ = try BabiFile.parse(text, path: "f.txt", task: "qa1"); return nil } catch let e as ArnnError { return e.message } catch { return "\(error)" }
        }
        #expect(message("Mary went home.\n") == "f.txt:1: a line starts with its number and a space")
        #expect(message("1 Mary went to the office.\n3 Where is Mary?\toffice\t1\n") == "f.txt:2: line number 3 after 1 (a story counts 1, 2, 3, …)")
        #expect(message("1 Mary went to the office.\n2 Where is Mary?\t\t1\n") == "f.txt:2: a question needs an answer after a tab")
        #expect(message("1 Mary went to the office.\n2 Where is Mary?\toffice\t2\n") == "f.txt:2: supporting fact \"2\" is not a statement of this story")
        #expect(message("1 Mary went to the office.\n") == "f.txt: holds no question (a line with a tab, then the answer)")
    }
}
