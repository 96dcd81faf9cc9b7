/// What a key asks the player to do. `ViewerKeys.main` binds keys to these; `update` has one case for
/// each. The scenes' own keys come first: a scene may bind `→`/`←` to move its cursor, for example.
public enum ViewerAction: Hashable, Sendable {
    case togglePlay
    case stepForward, stepBack
    case first, last
    case faster, slower
    case newExample
    case shorter, longer
    case edit
    /// Type a sentence and run the models on it (tasks that read text).
    case typeText
    /// Switch how episodes are run (greedy decoding / beam search), for models that have variants.
    case nextVariant
    /// Move the active model's weights to its run's previous / next snapshot (`arnn train --keep-every`).
    case earlierSnapshot, laterSnapshot
    /// With two models compared: send the scene keys to (or, when only one fits, show) the other one.
    case otherModel
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

/// The player's key maps: the single table that `update` dispatches on and that help and the status bar
/// print, so the three can never disagree.
public enum ViewerKeys {
    public static let main = KeyMap<ViewerAction>([
        .init([.char(" ")], .togglePlay, "play / pause (at the end: replay from the start)", status: "play"),
        .init([.right, .char("l")], .stepForward, "next step", status: "step"),
        .init([.left, .char("h")], .stepBack, "previous step"),
        .init([.char("g"), .home], .first, "first step"),
        .init([.char("G"), .end], .last, "last step"),
        .init([.char("+"), .char("=")], .faster, "play faster", status: "speed"),
        .init([.char("-"), .char("_")], .slower, "play slower"),
        .init([.char("n")], .newExample, "new random example", status: "new"),
        .init([.char("["), .char("<")], .shorter, "shorter sequence"),
        .init([.char("]"), .char(">")], .longer, "longer sequence (beyond training length too)"),
        .init([.char("e")], .edit, "edit the input, entry by entry", status: "edit"),
        .init([.char("t")], .typeText, "type your own input, then run it (a sentence to translate, a story and its question, symbols or brackets)", status: "type"),
        .init([.char("b")], .nextVariant, "decoding: greedy / beam search (shows the beams)", status: "beam"),
        .init([.char("{")], .earlierSnapshot, "earlier snapshot of training (same example, same step)"),
        .init([.char("}")], .laterSnapshot, "later snapshot of training"),
        .init([.char("o")], .otherModel, "compare: the other model gets the scene keys (or is shown)", status: "other"),
        .init([.char("?"), .function(1)], .help, "this help", status: "help"),
        .init([.char("q"), .ctrl("c")], .quit, "quit", status: "quit"),
    ])

    public static let editor = KeyMap<EditAction>([
        .init([.up, .char("k")], .up, "previous entry (bit)"),
        .init([.down, .char("j")], .down, "next entry (bit)"),
        .init([.left, .char("h")], .left, "previous input vector (entry, for a one-vector input)"),
        .init([.right, .char("l")], .right, "next input vector (entry, for a one-vector input)"),
        .init([.char(" "), .char("x")], .toggle, "move the entry under the cursor to the task's next value (a bit: 0/1)", status: "toggle"),
        .init([.enter, .char("e")], .run, "run the model on the edited input (or close an editor that ran at once)", status: "run"),
        .init([.escape], .cancel, "leave the editor; the input goes back to how it was", status: "cancel"),
        .init([.char("?"), .function(1)], .help, "this help", status: "help"),
        .init([.char("q"), .ctrl("c")], .quit, "quit", status: "quit"),
    ])

    /// The status bar while typing an input (`t`): the keys `ViewerUpdate.type` handles; any other key is
    /// text.
    public static let promptHints: [HelpEntry] = [
        HelpEntry(keys: "enter", description: "run"),
        HelpEntry(keys: "esc", description: "cancel"),
        HelpEntry(keys: "ctrl-c", description: "quit"),
        HelpEntry(keys: "backspace", description: "delete"),
    ]

    /// Mouse actions, listed in help after the keys (they have no key to bind).
    public static let mouseHelp: [HelpEntry] = [
        HelpEntry(keys: "click", description: "pick what is under it: a cell, a step, a row, a moment"),
        HelpEntry(keys: "wheel", description: "step back / forward"),
    ]

    /// Opposite actions shown as one help line.
    static let helpPairs: [(ViewerAction, ViewerAction, String)] = [
        (.stepForward, .stepBack, "next / previous step"),
        (.first, .last, "first / last step"),
        (.faster, .slower, "play faster / slower"),
        (.shorter, .longer, "shorter / longer sequence (beyond training too)"),
        (.earlierSnapshot, .laterSnapshot, "earlier / later in training (same example and step)"),
    ]

    /// The actions that move through time: the status bar lists them before the scene's keys.
    static let timeActions: Set<ViewerAction> = [.togglePlay, .stepForward, .stepBack, .first, .last, .faster, .slower]

    /// `main`'s help with each pair of opposite actions on one line, leaving out what this view cannot do.
    static func pairedHelp(unavailable: Set<ViewerAction>) -> [HelpEntry] {
        main.helpEntries(pairing: helpPairs, skipping: unavailable)
    }
}
