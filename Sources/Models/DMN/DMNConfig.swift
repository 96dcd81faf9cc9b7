import Engine

/// The sizes of a dynamic memory network (DMN+; docs/models/dmn.md, "Sizes").
public struct DMNConfig: ModelConfig {
    /// Words V (ids 0 … V−1; 0 is padding) and the number of answers A (rows of the answer layer, eq. 14),
    /// both set by the task.
    public var vocabularySize: Int
    public var answerCount: Int
    /// Embedding size D, hidden size H, passes T, and the memory: the last `memorySize` statements (N_max).
    public var embeddingSize: Int = 80
    public var hiddenSize: Int = 80
    public var memorySize: Int = 50
    public var passes: Int = 3
    /// Dropout in training (the paper's, which keeps 0.9): the share of each fact F_i (6) and of the answer
    /// module's m^T (14) zeroed, the rest scaled by 1 / (1 − dropout); 0: none. Evaluation never drops.
    public var dropout: Float = 0

    public init(vocabularySize: Int, answerCount: Int, embeddingSize: Int = 80, hiddenSize: Int = 80, memorySize: Int = 50,
                passes: Int = 3) {
        self.vocabularySize = vocabularySize
        self.answerCount = answerCount
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.memorySize = memorySize
        self.passes = passes
    }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "DMN", field, expected, value)
        }
        try check(vocabularySize >= 2, "vocabularySize", "at least 2", vocabularySize)
        try check(answerCount >= 1 && answerCount <= 100_000, "answerCount", "in 1...100000", answerCount)
        try check(embeddingSize >= 1 && embeddingSize <= 1024, "embeddingSize", "in 1...1024", embeddingSize)
        try check(hiddenSize >= 1 && hiddenSize <= 1024, "hiddenSize", "in 1...1024", hiddenSize)
        try check(memorySize >= 1 && memorySize <= 500, "memorySize", "in 1...500", memorySize)
        try check(passes >= 1 && passes <= 10, "passes", "in 1...10", passes)
        try check(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout)
    }
}

extension DMNConfig {
    public static let defaults = DMNConfig(vocabularySize: 0, answerCount: 0)
    public static let requiredFields = ["vocabularySize", "answerCount"]
}
