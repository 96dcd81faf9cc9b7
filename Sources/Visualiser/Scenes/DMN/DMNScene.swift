import Episodes
import Models
import Tasks

/// What a key asks of the dynamic memory network's scene.
public enum DMNAction: Hashable, Sendable {
    case cursorUp, cursorDown
    case hideCursor
}

/// The dynamic memory network's scene (DMN+, docs/models/dmn.md): the question and the answer it gave
/// beside the right one; the story's kept sentences as rows with one column per pass holding that pass's
/// attention gate g (eq. 10) as a coloured cell and its value, filled in pass by pass as the player steps;
/// the answer distribution (top 5) after the pass; and the episodic memory, q = m⁰ and each pass's mᵗ
/// (eq. 13) as a row of coloured cells (with the episode cᵗ, eq. 12, where there is room). The cursor picks
/// a sentence and reads its gate at every pass.
public struct DMNScene: Scene {
    public static let kind = "dmn"
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    static let gateScale = ColorScale.magma
    /// GRU states (q, cᵗ, the AttnGRU's h_i) lie in (−1, 1); the ReLU memory mᵗ (t ≥ 1) in [0, ∞).
    static let stateScale = ColorScale.blueWhiteRed
    static let stateRange = ValueRange.symmetric(1)
    static let memoryScale = ColorScale.viridis
    static let unitRange = ValueRange(min: 0, max: 1)

    public private(set) var snapshots: [DMNSnapshot]
    /// The kept sentences (the last ones the memory holds), the question, and the answers by id.
    public private(set) var sentences: [String]
    public private(set) var question: String
    public private(set) var answerWords: [String]
    /// The sentences the story told before the ones the memory kept (it holds the last N_max).
    public private(set) var dropped = 0
    /// One colour range for the memory mᵗ of every pass of the episode, so passes compare.
    public private(set) var memoryRange = ValueRange(min: 0, max: 1)
    /// The sentence under the cursor (an index into `sentences`); nil hides it.
    public var cursor: Int?

    public static let keys = KeyMap<DMNAction>([
        .init([.up, .char("k")], .cursorUp, "cursor up a sentence (its gate at every pass below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a sentence"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.cursorUp, .cursorDown, "cursor up / down a sentence (its gate at every pass below)")])
    }

    public init(episode: Episode) {
        snapshots = []; sentences = []; question = ""; answerWords = []
        load(episode)
    }

    mutating func load(_ episode: Episode) {
        snapshots = episode.snapshots(DMNSnapshot.self, scene: Self.kind)
        let text = StoryText(episode, kept: snapshots.first?.gates.count ?? 0)
        sentences = text.sentences
        dropped = text.dropped
        question = text.question
        answerWords = text.answerWords
        let largest = snapshots.flatMap(\.memory).filter(\.isFinite).max() ?? 0
        memoryRange = ValueRange(min: 0, max: Swift.max(largest, 1e-3))
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        load(context.episode)
        cursor = cursor.map { Swift.min($0, sentences.count - 1) }
    }

    public mutating func perform(_ action: DMNAction, _ context: SceneContext) -> SceneReply {
        guard !sentences.isEmpty else { return .none }
        let strongest = strongestSentence(context.step)
        switch action {
        case .cursorUp: cursor = StoryText.movedCursor(cursor, by: -1, count: sentences.count, strongest: strongest)
        case .cursorDown: cursor = StoryText.movedCursor(cursor, by: 1, count: sentences.count, strongest: strongest)
        case .hideCursor: cursor = nil
        }
        return .none
    }

    /// The sentence the pass's gates open most.
    func strongestSentence(_ pass: Int) -> Int {
        StoryText.strongest(snapshots[pass].gates)
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = DMNLayout(self, context)
        if let row = layout.sentence(atY: y, x: x) { cursor = row }
        if let pass = layout.pass(atX: x, y: y) { return .go(pass) }
        if let pass = layout.memoryPass(atY: y) { return .go(pass) }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = DMNLayout(self, context)
        drawQuestion(context, layout, &screen)
        drawStory(context, layout, mode, &screen)
        drawAnswers(context, layout, mode, &screen)
        drawMemory(context, layout, mode, &screen)
    }

    /// The cursor's sentence and its gate at every pass (the current one marked).
    public func readout(_ context: SceneContext) -> String? {
        guard let c = cursor, c < sentences.count else { return nil }
        let values = snapshots.enumerated().map { t, s in
            (t == context.step ? "▶" : "") + NumberFormat.fixed(s.gates[c], decimals: 3)
        }
        let tail = ": gate g per pass " + values.joined(separator: "  ")
        let head = "sentence \(dropped + c + 1) "
        // The sentence gives way first, so the numbers always fit an 80-column info row.
        let room = Swift.max(8, 78 - head.count - tail.count - 2)
        return head + "\"" + sentences[c].fitted(to: room) + "\"" + tail
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let parts = rect.split(.horizontal, [.fill(1), .fill(1), .fill(1)], spacing: 2).map { Rect(x: $0.x, y: $0.y, width: Swift.min(32, $0.width), height: 1) }
        legends(mode).enumerated().forEach { $1.render(into: &screen, rect: parts[$0]) }
    }

    /// The gate's scale, the GRU states' (q, cᵗ, h_i) and the memory's.
    func legends(_ mode: ColorMode) -> [Legend] {
        [Legend(title: "gate g", scale: Self.gateScale, range: Self.unitRange, mode: mode, decimals: 0),
         Legend(title: "q, c, h", scale: Self.stateScale, range: Self.stateRange, mode: mode, decimals: 0),
         Legend(title: "m", scale: Self.memoryScale, range: memoryRange, mode: mode, decimals: 2)]
    }

    /// Short enough for the status bar at 80 columns beside the player's own words (the cursor's sentence
    /// is named by the readout on the info row).
    public func statusNote(_ context: SceneContext) -> String {
        "pass \(context.step + 1)/\(snapshots.count)" + (dropped > 0 ? " · kept last \(sentences.count) of \(dropped + sentences.count)" : "")
    }
}
