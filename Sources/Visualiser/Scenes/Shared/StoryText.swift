import Episodes
import Tasks

/// What a story model's scene writes of its episode: the sentences its memory kept (the last `kept` of
/// the story), how many older ones it dropped, the question and the answer words by id.
public struct StoryText: Sendable, Equatable {
    public var sentences: [String] = []
    public var dropped = 0
    public var question = ""
    public var answerWords: [String] = []

    public init() {}

    /// The text of `episode`'s story with `kept` sentences in memory; a sample without a story gets
    /// numbered placeholders.
    public init(_ episode: Episode, kept: Int) {
        if let s = episode.sample as? any StorySample {
            sentences = s.story.sentences.suffix(kept).map { $0.joined(separator: " ") }
            dropped = s.story.sentences.count - sentences.count
            question = s.story.question.joined(separator: " ") + "?"
        } else {
            sentences = (0..<kept).map { "sentence \($0 + 1)" }
        }
        answerWords = (episode.task.task as? any AnswerTask)?.answerWords ?? []
    }

    /// The sentence a step weighs most (0 for none).
    public static func strongest(_ weights: [Float]) -> Int {
        weights.indices.max { weights[$0] < weights[$1] } ?? 0
    }

    /// A sentence cursor moved by `delta` among `count` sentences; a hidden one starts at `strongest`
    /// and takes its first step from there.
    public static func movedCursor(_ cursor: Int?, by delta: Int, count: Int, strongest: Int) -> Int {
        Swift.min(Swift.max((cursor ?? strongest - delta) + delta, 0), count - 1)
    }
}
