import Engine
import Foundation

/// Reads bAbI's own files (`--data DIR`): numbered lines, the numbering starting again at 1 with each
/// story; a statement is `N text.`; a question is `N text?<TAB>answer<TAB>supporting line numbers`
/// (space-separated). Each question becomes one `StoryQuestion` whose story is the statements of its
/// story before it (docs/tasks/babi.md, "bAbI's files").
///
/// Errors are one line naming the file and line, e.g. `qa1_train.txt:7: a question needs an answer after a tab`.
public enum BabiFile {
    public static func load(path: String, task: String) throws -> [StoryQuestion] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ArnnError.file(path, "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw ArnnError.file(path, "is not UTF-8 text") }
        return try parse(text, path: path, task: task)
    }

    /// The task a file of bAbI's belongs to, from its name: `qa15_basic-deduction_test.txt` → `qa15`; nil
    /// for other names.
    public static func task(ofFile name: String) -> String? {
        guard name.hasPrefix("qa"), let underscore = name.firstIndex(of: "_") else { return nil }
        let number = name[name.index(name.startIndex, offsetBy: 2)..<underscore]
        return Int(number) != nil ? "qa\(number)" : nil
    }

    public static func parse(_ text: String, path: String, task: String) throws -> [StoryQuestion] {
        var questions: [StoryQuestion] = []
        var statements: [[String]] = []
        var lineOfStatement: [Int: Int] = [:]          // a line number of the story → its statement's index
        var previous = 0
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let here = "\(path):\(index + 1)"
            guard let space = line.firstIndex(of: " "), let number = Int(line[..<space]), number >= 1 else {
                throw ArnnError("\(here): a line starts with its number and a space")
            }
            if number == 1 {
                statements = []
                lineOfStatement = [:]
            } else if number != previous + 1 {
                throw ArnnError("\(here): line number \(number) after \(previous) (a story counts 1, 2, 3, …)")
            }
            previous = number
            let fields = line[line.index(after: space)...].split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 1 {
                lineOfStatement[number] = statements.count
                statements.append(StoryQuestion.words(String(fields[0])))
                continue
            }
            guard fields.count >= 2, !fields[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ArnnError("\(here): a question needs an answer after a tab")
            }
            var supporting: [Int] = []
            if fields.count >= 3 {
                for item in fields[2].split(separator: " ") {
                    guard let n = Int(item), let s = lineOfStatement[n] else {
                        throw ArnnError("\(here): supporting fact \"\(item)\" is not a statement of this story")
                    }
                    supporting.append(s)
                }
            }
            questions.append(StoryQuestion(sentences: statements, question: StoryQuestion.words(String(fields[0])),
                                           answerWord: fields[1].trimmingCharacters(in: .whitespaces).lowercased(),
                                           supporting: supporting, task: task))
        }
        guard !questions.isEmpty else { throw ArnnError.file(path, "holds no question (a line with a tab, then the answer)") }
        return questions
    }
}
