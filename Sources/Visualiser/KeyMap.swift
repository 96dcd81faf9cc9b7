/// One line of help: the keys as written (`←/h`) and what they do.
public struct HelpEntry: Hashable, Sendable {
    public var keys: String
    public var description: String

    public init(keys: String, description: String) {
        self.keys = keys
        self.description = description
    }
}

/// The keys of a scene in one place: each binding names its keys, the action they trigger, and the help
/// text. `update` asks `action(for:)`; the help overlay and the status bar read the same list, so help can
/// never drift from behaviour.
public struct KeyMap<Action: Hashable & Sendable>: Sendable {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var action: Action
        public var description: String
        /// A shorter label for the status bar; nil keeps the binding out of it.
        public var statusLabel: String?

        public init(_ keys: [Key], _ action: Action, _ description: String, status: String? = nil) {
            precondition(!keys.isEmpty, "a binding needs at least one key")
            self.keys = keys
            self.action = action
            self.description = description
            self.statusLabel = status
        }

        /// The keys as help writes them: `←/h`.
        public var keysLabel: String { keys.map(\.description).joined(separator: "/") }
    }

    public let bindings: [Binding]
    private let lookup: [Key: Action]

    /// A key map; a key bound twice is a programming error.
    public init(_ bindings: [Binding]) {
        self.bindings = bindings
        var lookup: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys {
                precondition(lookup[key] == nil, "key \(key) is bound twice")
                lookup[key] = binding.action
            }
        }
        self.lookup = lookup
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? { lookup[key] }

    /// Every binding as a help line, in order.
    public var helpEntries: [HelpEntry] { bindings.map { HelpEntry(keys: $0.keysLabel, description: $0.description) } }

    /// Every binding as a help line, except that each pair of opposite actions in `pairs` shares one line
    /// (`→/l ←/h  next / previous step`), so long key lists fit an 80×24 help box; `skipping` leaves
    /// actions out. Every other key still appears.
    public func helpEntries(pairing pairs: [(Action, Action, String)], skipping: Set<Action> = []) -> [HelpEntry] {
        var entries: [HelpEntry] = []
        var skip = skipping
        for binding in bindings where !skip.contains(binding.action) {
            if let pair = pairs.first(where: { $0.0 == binding.action || $0.1 == binding.action }),
               let a = bindings.first(where: { $0.action == pair.0 }),
               let b = bindings.first(where: { $0.action == pair.1 }) {
                entries.append(HelpEntry(keys: a.keysLabel + " " + b.keysLabel, description: pair.2))
                skip.insert(pair.0)
                skip.insert(pair.1)
            } else {
                entries.append(HelpEntry(keys: binding.keysLabel, description: binding.description))
            }
        }
        return entries
    }

    /// The bindings marked for the status bar, as `key label` hints (`q quit`).
    public var statusHints: [HelpEntry] { statusHints { _ in true } }

    /// The status bar hints of the bindings whose action passes `include`, in order.
    public func statusHints(_ include: (Action) -> Bool) -> [HelpEntry] {
        bindings.compactMap { b in
            include(b.action) ? b.statusLabel.map { HelpEntry(keys: b.keys[0].description, description: $0) } : nil
        }
    }
}
