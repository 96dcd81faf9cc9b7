import Engine

/// A sample answered once: by one word of its task's answer vocabulary (a bAbI answer), by a number (a
/// table's sum), or by a cell of its table (a table lookup).
public protocol AnswerSample: Sendable {
    /// The right answer: a word's id in the task's `answerWords`, the number (as a Double) for tasks
    /// that answer with numbers, or a table's cell; nil when unknown (typed input).
    var answer: Answer? { get }
}

/// One right answer.
public enum Answer: Sendable, Equatable {
    case word(Int)
    case number(Double)
    /// A cell of the sample's table, row and column from 0 (the Neural Programmer's lookup answers).
    case cell(row: Int, column: Int)
}

/// A task whose samples are answered once. Its answers are the words of `answerWords` (by id), or
/// numbers when that list is empty.
public protocol AnswerTask: TaskGenerator where Sample: AnswerSample {
    var answerWords: [String] { get }
}

extension AnswerTask {
    /// True when the task answers with numbers, not with words.
    public var answersWithNumbers: Bool { answerWords.isEmpty }
}

/// A step of a read-then-answer episode: a hop (phase `hop`), or the answer (phase `answer`, the last
/// step), which alone is scored.
public struct AnswerStep: StepData, Equatable {
    public var phase: Phase
    /// The answer given at this step (the last one only), and the right one (nil where unknown).
    public var given: Given?
    public var right: Given?
    /// A number is right when within `tolerance` of the right one.
    public var tolerance: Double

    /// An answer: a word (with its id), a number, or a table's cell (row and column from 0).
    public enum Given: Equatable, Sendable {
        case word(id: Int, word: String)
        case number(Double)
        case cell(row: Int, column: Int)
    }

    public init(phase: Phase, given: Given? = nil, right: Given? = nil, tolerance: Double = 0) {
        self.phase = phase
        self.given = given
        self.right = right
        self.tolerance = tolerance
    }

    public var isScored: Bool { given != nil && right != nil }

    public func wrong(output _: [Float]) -> Int {
        guard let given, let right else { return 0 }
        switch (given, right) {
        case let (.word(a, _), .word(b, _)): return a == b ? 0 : 1
        case let (.number(a), .number(b)): return abs(a - b) <= tolerance ? 0 : 1
        case let (.cell(r, c), .cell(s, d)): return r == s && c == d ? 0 : 1
        default: return 1
        }
    }

    public func encodeFields(to c: inout KeyedEncodingContainer<FieldKey>, output _: [Float]) throws {
        func put(_ g: Given?, _ name: String) throws {
            switch g {
            case let .word(id, word)?:
                try c.encode(id, forKey: FieldKey(name + "Token"))
                try c.encode(word, forKey: FieldKey(name + "Word"))
            case let .number(x)?:
                try c.encode(x, forKey: FieldKey(name + "Number"))
            case let .cell(row, column)?:
                try c.encode(row, forKey: FieldKey(name + "Row"))
                try c.encode(column, forKey: FieldKey(name + "Column"))
            case nil: break
            }
        }
        try put(given, "answer")
        try put(right, "right")
        try c.encode(wrong(output: []), forKey: FieldKey("wrongAnswers"))
    }
}

extension Phase {
    /// A memory network's pass over the story, or a program step.
    public static let hop = Phase("hop", letter: "h")
}
