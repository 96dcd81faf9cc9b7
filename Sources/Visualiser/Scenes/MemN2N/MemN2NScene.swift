import Episodes
import Models
import Tasks

/// What a key asks of the memory network's scene.
public enum MemN2NAction: Hashable, Sendable {
    case cursorUp, cursorDown
    case hideCursor
}

/// The end-to-end memory network's scene (docs/models/memn2n.md): the question and the answer it gave
/// beside the right one, the story's kept sentences as rows with one column per hop holding that hop's
/// attention p (eq. 1) as a coloured cell and its value, filled in hop by hop as the player steps, and the
/// answer distribution (top 5) once the last hop is reached. The cursor picks a sentence and reads its
/// attention at every hop.
public struct MemN2NScene: Scene {
    public static let kind = "memn2n"
    public static let minimumWidth = 60
    public static let minimumHeight = 14

    static let scale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)
    static let signedScale = ColorScale.blueWhiteRed

    public private(set) var snapshots: [MemN2NSnapshot]
    /// The kept sentences (the last ones the memory holds), the question, and the answers by id.
    public private(set) var sentences: [String]
    public private(set) var question: String
    public private(set) var answerWords: [String]
    /// The sentences the story told before the ones the memory kept (the memory holds the last M).
    public private(set) var dropped = 0
    /// One symmetric range for every vector of the episode (u, o, m, c), so colours compare across hops.
    public private(set) var vectorRange = ValueRange.symmetric(1)
    /// The sentence under the cursor (an index into `sentences`); nil hides it.
    public var cursor: Int?

    public static let keys = KeyMap<MemN2NAction>([
        .init([.up, .char("k")], .cursorUp, "cursor up a sentence (its attention at every hop below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a sentence"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.cursorUp, .cursorDown, "cursor up / down a sentence (its attention at every hop below)")])
    }

    public init(episode: Episode) {
        snapshots = []; sentences = []; question = ""; answerWords = []
        load(episode)
    }

    mutating func load(_ episode: Episode) {
        snapshots = episode.snapshots(MemN2NSnapshot.self, scene: Self.kind)
        let text = StoryText(episode, kept: snapshots.first?.attention.count ?? 0)
        sentences = text.sentences
        dropped = text.dropped
        question = text.question
        answerWords = text.answerWords
        vectorRange = .covering(snapshots.flatMap { s in
            s.query + s.read + zip(s.query, s.read).map { $0 + $1 } + s.memories.joined() + s.outputs.joined()
        }, symmetric: true)
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        load(context.episode)
        cursor = cursor.map { Swift.min($0, sentences.count - 1) }
    }

    public mutating func perform(_ action: MemN2NAction, _ context: SceneContext) -> SceneReply {
        guard !sentences.isEmpty else { return .none }
        let strongest = strongestSentence(context.step)
        switch action {
        case .cursorUp: cursor = StoryText.movedCursor(cursor, by: -1, count: sentences.count, strongest: strongest)
        case .cursorDown: cursor = StoryText.movedCursor(cursor, by: 1, count: sentences.count, strongest: strongest)
        case .hideCursor: cursor = nil
        }
        return .none
    }

    /// The sentence the hop attends to most.
    func strongestSentence(_ hop: Int) -> Int {
        StoryText.strongest(snapshots[hop].attention)
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = MemN2NLayout(self, context)
        if let row = layout.sentence(atY: y, x: x) { cursor = row }
        if let hop = layout.hop(atX: x, y: y) { return .go(hop) }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = MemN2NLayout(self, context)
        drawQuestion(context, layout, &screen)
        drawStory(context, layout, mode, &screen)
        drawAnswers(context, layout, mode, &screen)
        drawVectors(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let c = cursor, c < sentences.count else { return nil }
        let values = snapshots.enumerated().map { k, s in
            "hop \(k + 1) \(k <= context.step ? NumberFormat.fixed(s.attention[c], decimals: 3) : "–")"
        }
        return "sentence \(dropped + c + 1) \"\(sentences[c])\": " + values.joined(separator: "  ")
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        Legend(title: "attention p", scale: Self.scale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: Rect(x: rect.x, y: rect.y, width: Swift.min(40, rect.width), height: 1))
    }

    public func statusNote(_ context: SceneContext) -> String {
        // Short enough for 80 columns beside the player's own status.
        "hop \(context.step + 1)/\(snapshots.count)" + (dropped > 0 ? " · memory: last \(sentences.count) of \(dropped + sentences.count)" : "")
            + (cursor.map { " · sentence \(dropped + $0 + 1)" } ?? "")
    }
}
