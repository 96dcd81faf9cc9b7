/// What a task says about one step of an episode: the phase, what the model was given and asked for,
/// and how to score and trace what it did. Each shape of task has its own (bits, tokens, one answer);
/// a frame holds it beside the model's snapshot, so nothing below the task knows its shape.
public protocol StepData: Sendable {
    /// What the step is for (the task's own phases).
    var phase: Phase { get }
    /// Whether the model's output at this step counts.
    var isScored: Bool { get }
    /// The units of this step the model got wrong, given its output at the step (0 on unscored steps):
    /// bits on the wrong side of 0.5, a word that is not the target's, a wrong answer.
    func wrong(output: [Float]) -> Int
    /// This step's own fields in a trace (docs/trace.md): `input`, `target` and `wrongBits` for bits,
    /// the tokens and words for token tasks.
    func encodeFields(to container: inout KeyedEncodingContainer<FieldKey>, output: [Float]) throws
    /// True for a step that only reads the input and writes nothing (a recurrent model reading its source
    /// sentence word by word). Compared models line up on their first step that is not.
    var onlyReads: Bool { get }
}

extension StepData {
    public var onlyReads: Bool { false }
}

/// A coding key made from any string: a trace field, a model kind, a metric name.
public struct FieldKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ s: String) { stringValue = s }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

/// A step of a bit-sequence task: the input and target vectors of one timestep.
public struct BitStep: StepData, Equatable {
    public var phase: Phase
    public var input: [Float]
    /// Zeros where the step is not scored.
    public var target: [Float]
    public var isScored: Bool

    public init(phase: Phase, input: [Float], target: [Float], scored: Bool) {
        self.phase = phase
        self.input = input
        self.target = target
        isScored = scored
    }

    /// Output bits on the other side of 0.5 from the target's (the output is σ(logits)).
    public func wrong(output: [Float]) -> Int {
        guard isScored else { return 0 }
        var n = 0
        for (o, y) in zip(output, target) where (o >= 0.5) != (y >= 0.5) { n += 1 }
        return n
    }

    public func encodeFields(to c: inout KeyedEncodingContainer<FieldKey>, output: [Float]) throws {
        try c.encode(input, forKey: FieldKey("input"))
        try c.encode(target, forKey: FieldKey("target"))
        try c.encode(wrong(output: output), forKey: FieldKey("wrongBits"))
    }
}

extension Example {
    /// Step t as a frame's step data.
    public func step(_ t: Int) -> BitStep {
        BitStep(phase: phases[t], input: Array(input(at: t)), target: Array(target(at: t)), scored: mask[t])
    }
}

/// A step of a token task: the token the model read, the token it wrote (greedy or beam's choice), and
/// the token it should have written. Words travel with the ids so a trace reads on its own.
public struct TokenStep: StepData, Equatable {
    /// A token and its word.
    public struct Token: Equatable, Sendable {
        public var id: Int
        public var word: String
        public init(id: Int, word: String) {
            self.id = id
            self.word = word
        }
    }

    public var phase: Phase
    /// What the model read at this step: a source word, or the word it wrote one step before (`<bos>` first).
    public var input: Token
    /// What it wrote (nil on a step that writes nothing, such as reading the source).
    public var output: Token?
    /// What it should have written (nil where there is no reference: a typed sentence, a reading step,
    /// or a step after the reference ended).
    public var target: Token?

    public init(phase: Phase, input: Token, output: Token?, target: Token?) {
        self.phase = phase
        self.input = input
        self.output = output
        self.target = target
    }

    public var isScored: Bool { target != nil && output != nil }
    public var onlyReads: Bool { output == nil }

    /// 1 when the written word is not the target's (the model's output vector is not needed: the token
    /// was chosen when the step ran).
    public func wrong(output _: [Float]) -> Int {
        guard let target, let output else { return 0 }
        return output.id == target.id ? 0 : 1
    }

    public func encodeFields(to c: inout KeyedEncodingContainer<FieldKey>, output _: [Float]) throws {
        try c.encode(input.id, forKey: FieldKey("inputToken"))
        try c.encode(input.word, forKey: FieldKey("inputWord"))
        try c.encodeIfPresent(output?.id, forKey: FieldKey("outputToken"))
        try c.encodeIfPresent(output?.word, forKey: FieldKey("outputWord"))
        try c.encodeIfPresent(target?.id, forKey: FieldKey("targetToken"))
        try c.encodeIfPresent(target?.word, forKey: FieldKey("targetWord"))
        try c.encode(wrong(output: []), forKey: FieldKey("wrongWords"))
    }
}

/// The phase of token tasks besides `answer` (writing a target word).
extension Phase {
    /// Reading a source word (a recurrent model reads the whole sentence before it writes).
    public static let source = Phase("source", letter: "s")
}
