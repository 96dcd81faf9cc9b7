/// What a timestep of an example is for. The viewer colours and labels steps by phase; only `.answer`
/// steps are scored (see `Example.mask`).
public enum Phase: String, Codable, Sendable, CaseIterable {
    /// A data vector the model must remember (copy, repeat copy, priority sort, a stored recall item).
    case input
    /// A step whose only content is a delimiter flag: end of the input sequence, or an item boundary.
    case delimiter
    /// Repeat copy: the step carrying the normalised repeat count on its own channel.
    case repeatCount
    /// Associative recall: a vector of the query item.
    case query
    /// A step whose target is scored; the input is all zero for the copy-like tasks (parity's one step
    /// carries its vector).
    case answer
}
