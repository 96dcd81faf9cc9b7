import Testing
import Visualiser

@Suite("Keys and key maps")
struct InputTests {
    @Test func controlCharactersDecodeToNamedKeys() {
        #expect(Key(scalar: "\u{03}") == .ctrl("c"))
        #expect(Key(scalar: "\t") == .tab)
        #expect(Key(scalar: "\r") == .enter)
        #expect(Key(scalar: "\u{7F}") == .backspace)
        #expect(Key(scalar: "\u{1B}") == .escape)
        #expect(Key(scalar: " ") == .char(" "))
        #expect(Key(scalar: "G") == .char("G"))
    }

    @Test func keysDescribeThemselvesTheWayHelpWritesThem() {
        #expect([Key.char(" "), .left, .home, .ctrl("c"), .function(1)].map(\.description) == ["space", "←", "Home", "Ctrl-C", "F1"])
    }

    enum Action: Hashable, Sendable { case quit, back, help }

    let keys = KeyMap<Action>([
        .init([.char("q")], .quit, "quit", status: "quit"),
        .init([.left, .char("h")], .back, "step back"),
        .init([.char("?"), .function(1)], .help, "show this help", status: "help"),
    ])

    @Test func keyMapFindsTheActionOfEveryBoundKey() {
        #expect(keys.action(for: .char("h")) == .back)
        #expect(keys.action(for: .left) == .back)
        #expect(keys.action(for: .function(1)) == .help)
        #expect(keys.action(for: .char("x")) == nil)
    }

    @Test func helpAndStatusHintsComeFromTheSameBindings() {
        #expect(keys.helpEntries == [HelpEntry(keys: "q", description: "quit"),
                                     HelpEntry(keys: "←/h", description: "step back"),
                                     HelpEntry(keys: "?/F1", description: "show this help")])
        #expect(keys.statusHints == [HelpEntry(keys: "q", description: "quit"), HelpEntry(keys: "?", description: "help")])
    }
}
