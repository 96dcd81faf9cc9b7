/// What a timestep is for. The set is open: each task declares the phases its steps go through (as
/// `static let`s in an extension, like the bit tasks' below), and the viewer labels a step with its
/// phase's `name` and, where a ruler has one column per step, its `letter`. Whether a step is scored is the
/// task's step data's business (`StepData.isScored`), not the phase's.
public struct Phase: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The phase's name, as traces and the status bar show it (`input`, `answer`, `source`).
    public let name: String
    /// One character for rulers (`i`, `a`, `s`).
    public let letter: Character

    public init(_ name: String, letter: Character) {
        self.name = name
        self.letter = letter
    }

    /// The name, as traces have always written it.
    public var rawValue: String { name }
    public var description: String { name }

    // A phase is its name: two tasks that both say "answer" mean the same thing.
    public static func == (a: Phase, b: Phase) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self.init(name, letter: name.first ?? "?")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// The phases of the bit-sequence tasks (copy, repeat copy, associative recall, priority sort, parity).
extension Phase {
    /// A data vector the model must remember (copy, repeat copy, priority sort, a stored recall item).
    public static let input = Phase("input", letter: "i")
    /// A step whose only content is a delimiter flag: end of the input sequence, or an item boundary.
    public static let delimiter = Phase("delimiter", letter: "d")
    /// Repeat copy: the step carrying the normalised repeat count on its own channel.
    public static let repeatCount = Phase("repeatCount", letter: "r")
    /// Associative recall: a vector of the query item.
    public static let query = Phase("query", letter: "q")
    /// A step whose target is scored; the input is all zero for the copy-like tasks (parity's one step
    /// carries its vector).
    public static let answer = Phase("answer", letter: "a")
}
