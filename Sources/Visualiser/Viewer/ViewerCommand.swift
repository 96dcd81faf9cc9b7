import Episodes

/// Work `update` asks the app loop to do, because it is not pure: running the model takes milliseconds and
/// quitting ends the loop. The loop does it and feeds the result back as a `ViewerMessage`.
public enum ViewerCommand: Hashable, Sendable {
    /// Run the model on a new example of `length` vectors drawn from `seed`.
    case runExample(length: Int, seed: UInt64)
    /// Run the model on these input vectors (copy task).
    case runBits([[Bool]])
    case quit
}

/// What `update` receives: an input event, or the result of a command.
public enum ViewerMessage: Sendable {
    case event(Event)
    /// A `.runExample` or `.runBits` finished.
    case episode(Episode, length: Int, seed: UInt64, edited: Bool)
    /// A command failed; the text says why in one line.
    case failed(String)
}
