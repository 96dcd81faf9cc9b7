import Engine

/// The sizes of a Neural Programmer (docs/models/neural-programmer.md, "Sizes and inputs").
public struct NeuralProgrammerConfig: ModelConfig {
    /// Words V (ids 0 … V−1; 0 is padding): the question words and the column names, set by the task.
    public var vocabularySize: Int
    /// Embedding size d, shared by the words, the operations, the question RNN and the history RNN.
    public var embeddingSize: Int = 64
    /// Program steps T (the paper's 4; 5 here, which the `difference` questions need).
    public var steps: Int = 5
    /// The largest table the model takes: rows M and columns C (a lookup answer has M × C cells).
    public var maxRows: Int = 32
    public var maxColumns: Int = 5
    /// λ, the weight of a lookup question's log loss (17) against a scalar question's Huber loss (16).
    public var lookupWeight: Float = 50
    /// δ of the Huber loss (16).
    public var huberDelta: Float = 10

    public init(vocabularySize: Int, embeddingSize: Int = 64, steps: Int = 5, maxRows: Int = 32, maxColumns: Int = 5) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.steps = steps
        self.maxRows = maxRows
        self.maxColumns = maxColumns
    }

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ expected: String, _ value: Any) throws {
            try checkConfigField(ok, model: "Neural Programmer", field, expected, value)
        }
        try check(vocabularySize >= 2, "vocabularySize", "at least 2", vocabularySize)
        try check(embeddingSize >= 1 && embeddingSize <= 1024, "embeddingSize", "in 1...1024", embeddingSize)
        try check(steps >= 1 && steps <= 16, "steps", "in 1...16", steps)
        try check(maxRows >= 1 && maxRows <= 256, "maxRows", "in 1...256", maxRows)
        try check(maxColumns >= 1 && maxColumns <= 32, "maxColumns", "in 1...32", maxColumns)
        try check(lookupWeight > 0 && lookupWeight.isFinite, "lookupWeight", "a positive number", lookupWeight)
        try check(huberDelta > 0 && huberDelta.isFinite, "huberDelta", "a positive number", huberDelta)
    }
}

extension NeuralProgrammerConfig {
    public static let defaults = NeuralProgrammerConfig(vocabularySize: 0)
    public static let requiredFields = ["vocabularySize"]
}
