import Engine

/// The sizes of an end-to-end memory network (docs/models/memn2n.md).
public struct MemN2NConfig: ModelConfig {
    /// Words V (ids 0 … V−1; 0 is padding) and the vocabulary ids of the A answers, in answer order.
    public var vocabularySize: Int
    public var answerWords: [Int]
    /// Embedding size d, hops K, and the memory: the last `memorySize` sentences.
    public var embeddingSize: Int = 50
    public var hops: Int = 3
    public var memorySize: Int = 50
    /// Linear start (LS): for the first `linearStart` sequences of training, the hops' softmax (8) is left
    /// out (0: no LS). Evaluation and viewing always use the softmax.
    public var linearStart: Int = 0
    /// Random time noise (RN, eq. 3′) in training.
    public var timeNoise: Bool = true
    /// Empty memories (no words, no time vector, score 0) that every story has besides its sentences: a
    /// share of each hop's attention that reads nothing (0: none, the paper's equations).
    public var emptySlots: Int = 0

    public init(vocabularySize: Int, answerWords: [Int], embeddingSize: Int = 50, hops: Int = 3, memorySize: Int = 50,
                linearStart: Int = 0, timeNoise: Bool = true) {
        self.vocabularySize = vocabularySize
        self.answerWords = answerWords
        self.embeddingSize = embeddingSize
        self.hops = hops
        self.memorySize = memorySize
        self.linearStart = linearStart
        self.timeNoise = timeNoise
    }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "MemN2N", field, expected, value)
        }
        try check(vocabularySize >= 2, "vocabularySize", "at least 2", vocabularySize)
        try check(!answerWords.isEmpty && answerWords.allSatisfy { (1..<vocabularySize).contains($0) }, "answerWords",
                  "ids of the vocabulary", answerWords)
        try check(embeddingSize >= 1 && embeddingSize <= 1024, "embeddingSize", "in 1...1024", embeddingSize)
        try check(hops >= 1 && hops <= 10, "hops", "in 1...10", hops)
        try check(memorySize >= 1 && memorySize <= 500, "memorySize", "in 1...500", memorySize)
        try check(linearStart >= 0, "linearStart", "0 or more sequences", linearStart)
        try check(emptySlots >= 0 && emptySlots <= 100, "emptySlots", "in 0...100", emptySlots)
    }
}

extension MemN2NConfig {
    public static let defaults = MemN2NConfig(vocabularySize: 0, answerWords: [])
    public static let requiredFields = ["vocabularySize", "answerWords"]
}
