/// What a key asks the training watch to do.
public enum TrainingWatchAction: Hashable, Sendable {
    case stop
    case help
}

/// The training watch's keys: the one table `update` dispatches on and help and the status bar print.
public enum TrainingWatchKeys {
    public static let main = KeyMap<TrainingWatchAction>([
        .init([.char("q"), .ctrl("c")], .stop, "stop training, save the checkpoint and quit", status: "stop & save"),
        .init([.char("?"), .function(1)], .help, "this help", status: "help"),
    ])

    /// What the panels show, listed in help below the keys.
    public static let panelHelp: [HelpEntry] = [
        HelpEntry(keys: "loss", description: "mean loss per sequence (bits), log scale, whole run"),
        HelpEntry(keys: "wrong", description: "mean wrong output bits per sequence, log scale (from 110 columns)"),
        HelpEntry(keys: "sample", description: "the model now on one fixed example, rerun every 3 s:"),
        HelpEntry(keys: "", description: "memory after the last step, weightings over time"),
        HelpEntry(keys: "", description: "a second Ctrl-C ends at once, without saving"),
    ]
}
