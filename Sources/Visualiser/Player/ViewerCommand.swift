import Episodes

/// Work `update` asks the app loop to do, because it is not pure: running the models takes milliseconds
/// and quitting ends the loop. The loop does it and feeds the result back as a `ViewerMessage`.
public enum ViewerCommand: Hashable, Sendable {
    /// Run every model shown on a new example of `length` drawn from `seed`.
    case runExample(length: Int, seed: UInt64)
    /// Run every model shown on these edited input vectors (tasks whose input can be edited).
    case runInput([[Float]])
    /// Run every model shown on text the user typed (a sentence, for tasks that read text).
    case runText(String)
    /// Run the current sample again, the way `variant` names (`beam 4`; nil: the default way).
    case rerun(variant: String?, seed: UInt64, edited: Bool)
    /// Load the weights of snapshot `position` of model `model`'s run and run every model on the current
    /// example again; `from` is where it is now (to go back to if that fails).
    case loadSnapshot(model: Int, position: Int, from: Int)
    case quit
}

/// What `update` receives: an input event, or the result of a command.
public enum ViewerMessage: Sendable {
    case event(Event)
    /// A `.runExample`, `.runInput` or `.runText` finished: one episode per model shown, on the same input.
    case episodes([Episode], length: Int, seed: UInt64, edited: Bool)
    /// A `.loadSnapshot` finished: model `model` is at `position` of its timeline, and these are every
    /// model's episodes on the same example.
    case snapshotLoaded(model: Int, position: Int, episodes: [Episode])
    /// A command failed; the text says why in one line.
    case failed(String)
}
