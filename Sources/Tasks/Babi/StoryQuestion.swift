import Foundation

/// A sample that holds a story and its question (what a story scene shows, whatever the task).
public protocol StorySample: Sendable {
    var story: StoryQuestion { get }
}

/// One question about a story (bAbI): the statements told before it, the question, its answer and the
/// statements that support the answer. Words are lower-case, without the full stop or question mark.
public struct StoryQuestion: Sendable, Equatable {
    /// The statements before the question, oldest first, each as its words.
    public var sentences: [[String]]
    public var question: [String]
    /// The answer word (nil for a typed question).
    public var answerWord: String?
    /// The statements the answer rests on, as indices into `sentences`.
    public var supporting: [Int]
    /// Which task the question belongs to (`qa1`, `qa15`...).
    public var task: String

    public init(sentences: [[String]], question: [String], answerWord: String?, supporting: [Int], task: String) {
        self.sentences = sentences
        self.question = question
        self.answerWord = answerWord
        self.supporting = supporting
        self.task = task
    }

    /// The words of a line of text: lower-case, split at spaces, with a final `.` or `?` dropped.
    public static func words(_ text: String) -> [String] {
        var t = text.trimmingCharacters(in: .whitespaces)
        while let last = t.last, last == "." || last == "?" { t.removeLast() }
        return t.split(separator: " ").map { $0.lowercased() }
    }
}
