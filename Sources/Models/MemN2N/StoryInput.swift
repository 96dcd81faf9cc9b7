import Engine

/// What a memory network reads: a story's sentences and a question, as word ids of one vocabulary, and
/// which of those words can be answers. Tasks' samples conform where the registry pairs them.
public protocol StoryInput: Sendable {
    /// The story's statements, oldest first, each as word ids.
    var sentenceIds: [[Int]] { get }
    var questionIds: [Int] { get }
}
