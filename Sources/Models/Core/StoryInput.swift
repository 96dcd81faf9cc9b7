import Engine

/// What a memory network reads: a story's sentences and a question, as word ids of one vocabulary, and
/// which of those words can be answers. Tasks' samples conform where the registry pairs them.
public protocol StoryInput: Sendable {
    /// The story's statements, oldest first, each as word ids.
    var sentenceIds: [[Int]] { get }
    var questionIds: [Int] { get }
}

/// Position encoding of a sentence's words (Sukhbaatar et al. 2015, eq. 1 of docs/models/memn2n.md; eq. 2
/// of docs/models/dmn.md): l_kj = (1 − j/J) − (k/d)(1 − 2j/J) for word j = 1 … J of a sentence of J words,
/// component k = 1 … d.
public enum PositionEncoding {
    public static func weights(word j: Int, of total: Int, d: Int) -> [Float] {
        let jj = Float(j), big = Float(total), dd = Float(d)
        return (1...d).map { k in (1 - jj / big) - (Float(k) / dd) * (1 - 2 * jj / big) }
    }
}
