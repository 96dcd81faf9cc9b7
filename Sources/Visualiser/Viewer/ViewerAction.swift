/// What a key asks the viewer to do. `ViewerKeys.main` binds keys to these; `update` has one case for each.
public enum ViewerAction: Hashable, Sendable {
    case togglePlay
    case stepForward, stepBack
    /// `→`/`←`: step, or move the memory cursor's column while it is shown in the memory panel.
    case right, left
    case cursorUp, cursorDown
    case hideCursor
    case first, last
    case faster, slower
    case nextFocus, previousFocus
    case toggleWriteDiff
    case newExample
    case shorter, longer
    case edit
    case help
    case quit
}

/// What a key does inside the bit editor (`e`).
public enum EditAction: Hashable, Sendable {
    case up, down, left, right
    case toggle
    case run
    case cancel
    case help
    case quit
}

/// The viewer's key maps: the single table that `update` dispatches on and that help and the status bar
/// print, so the three can never disagree.
public enum ViewerKeys {
    public static let main = KeyMap<ViewerAction>([
        .init([.char(" ")], .togglePlay, "play / pause (at the end: replay from the start)", status: "play"),
        .init([.right], .right, "next step (moves the memory cursor when it is shown)", status: "step"),
        .init([.left], .left, "previous step (moves the memory cursor when it is shown)"),
        .init([.char("l")], .stepForward, "next step"),
        .init([.char("h")], .stepBack, "previous step"),
        .init([.char("g"), .home], .first, "first step"),
        .init([.char("G"), .end], .last, "last step"),
        .init([.char("+"), .char("=")], .faster, "play faster", status: "speed"),
        .init([.char("-"), .char("_")], .slower, "play slower"),
        .init([.up, .char("k")], .cursorUp, "cursor up a memory row (shows the cell's exact value)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a memory row"),
        .init([.escape], .hideCursor, "hide the cursor (memory follows the write head again)"),
        .init([.tab], .nextFocus, "next panel / head (memory, history, addressing)", status: "panel"),
        .init([.backTab], .previousFocus, "previous panel / head"),
        .init([.char("w")], .toggleWriteDiff, "memory: values / this step's change (write-diff)", status: "diff"),
        .init([.char("n")], .newExample, "new random example", status: "new"),
        .init([.char("[")], .shorter, "shorter sequence"),
        .init([.char("]")], .longer, "longer sequence (beyond training length too)"),
        .init([.char("e")], .edit, "edit the input bits, then run them", status: "edit"),
        .init([.char("?"), .function(1)], .help, "this help", status: "help"),
        .init([.char("q"), .ctrl("c")], .quit, "quit", status: "quit"),
    ])

    public static let editor = KeyMap<EditAction>([
        .init([.up, .char("k")], .up, "previous bit"),
        .init([.down, .char("j")], .down, "next bit"),
        .init([.left, .char("h")], .left, "previous input vector"),
        .init([.right, .char("l")], .right, "next input vector"),
        .init([.char(" "), .char("x")], .toggle, "toggle the bit under the cursor", status: "toggle"),
        .init([.enter, .char("e")], .run, "run the model on the edited input", status: "run"),
        .init([.escape], .cancel, "leave the editor without running", status: "cancel"),
        .init([.char("?"), .function(1)], .help, "this help", status: "help"),
        .init([.char("q"), .ctrl("c")], .quit, "quit", status: "quit"),
    ])

    /// Mouse actions, listed in help after the keys (they have no key to bind).
    public static let mouseHelp: [HelpEntry] = [
        HelpEntry(keys: "click", description: "pick a memory cell, a history step/row, a pipeline row or a step"),
        HelpEntry(keys: "wheel", description: "step back / forward"),
    ]
}
