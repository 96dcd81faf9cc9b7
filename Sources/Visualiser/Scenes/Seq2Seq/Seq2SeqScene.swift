import Episodes
import Models
import Tasks

/// What a key asks of the translation scene.
public enum Seq2SeqAction: Hashable, Sendable {
    case cursorUp, cursorDown
    /// `→`/`←`: move the cursor's source column while it is shown, else step.
    case right, left
    case hideCursor
}

/// The attention encoder–decoder's scene: the source sentence, what the decoder has written so far (and
/// the reference translation), the attention matrix (decoded words × source words) filling in as the
/// decoder steps, this step's weights as bars with exact numbers, the most likely next words, and the
/// encoder's annotations. Its state is the cursor on a cell of the matrix; the player owns time.
public struct Seq2SeqScene: Scene {
    public static let kind = "seq2seq"
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    static let weightScale = ColorScale.magma
    static let signedScale = ColorScale.blueWhiteRed
    static let unitRange = ValueRange(min: 0, max: 1)

    /// The cursor on the matrix: a decoder step (row) and a source position (column); nil hides it.
    public var cursor: GridPosition?
    public private(set) var snapshots: [Seq2SeqSnapshot]
    /// Source words, the reference translation (empty for a typed sentence) and the words decoded.
    public private(set) var sourceWords: [String]
    public private(set) var referenceWords: [String]
    public private(set) var decodedWords: [String]
    /// The largest |annotation| of the sentence, for the encoder heatmap's scale.
    public private(set) var annotationRange: ValueRange

    public static let keys = KeyMap<Seq2SeqAction>([
        .init([.up, .char("k")], .cursorUp, "cursor up a decoded word (exact weight below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a decoded word"),
        .init([.right], .right, "next step (moves the cursor's source word when it is shown)"),
        .init([.left], .left, "previous step (moves the cursor's source word when it is shown)"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [
            (.cursorUp, .cursorDown, "cursor up / down a decoded word (exact weight below)"),
            (.right, .left, "next / previous step (move the cursor along the source when shown)"),
        ])
    }

    public init(episode: Episode) {
        snapshots = []; sourceWords = []; referenceWords = []; decodedWords = []; annotationRange = .symmetric(1)
        load(episode)
    }

    mutating func load(_ episode: Episode) {
        snapshots = episode.snapshots(Seq2SeqSnapshot.self, scene: Self.kind)
        let pair = episode.sample as? any TokenPairSample
        sourceWords = pair?.sourceWords ?? []
        referenceWords = pair?.targetWords ?? []
        let vocabulary = episode.task.outputNames ?? []
        decodedWords = snapshots.map { s in
            let id = s.token
            return id < vocabulary.count ? vocabulary[id] : "#\(id)"
        }
        var m: Float = 0
        for row in snapshots.first?.annotations ?? [] { for v in row { m = Swift.max(m, abs(v)) } }
        annotationRange = .symmetric(m)
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        load(context.episode)
        if let c = cursor {
            cursor = GridPosition(row: Swift.min(c.row, snapshots.count - 1), column: Swift.min(c.column, sourceWords.count - 1))
        }
    }

    public mutating func perform(_ action: Seq2SeqAction, _ context: SceneContext) -> SceneReply {
        let start = GridPosition(row: context.step, column: snapshots[context.step].weights.argmax)
        switch action {
        case .cursorUp:
            let c = cursor ?? GridPosition(row: start.row + 1, column: start.column)
            cursor = GridPosition(row: Swift.max(0, c.row - 1), column: c.column)
        case .cursorDown:
            let c = cursor ?? GridPosition(row: start.row - 1, column: start.column)
            cursor = GridPosition(row: Swift.min(context.step, c.row + 1), column: c.column)
        case .right:
            guard var c = cursor else { return .stepForward }
            c.column = Swift.min(sourceWords.count - 1, c.column + 1)
            cursor = c
        case .left:
            guard var c = cursor else { return .stepBack }
            c.column = Swift.max(0, c.column - 1)
            cursor = c
        case .hideCursor:
            cursor = nil
        }
        return .none
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = Seq2SeqLayout(self, context)
        guard layout.matrix.contains(x: x, y: y) else { return .none }
        let row = layout.firstRow + (y - layout.matrix.y) / layout.rowHeight, column = (x - layout.matrix.x) / layout.columnWidth
        guard row <= context.step, column < sourceWords.count else { return .none }
        cursor = GridPosition(row: row, column: column)
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = Seq2SeqLayout(self, context)
        drawSentences(context, layout, &screen)
        drawMatrix(context, layout, mode, &screen)
        drawStep(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let c = cursor, c.row < snapshots.count, c.column < sourceWords.count else { return nil }
        let s = snapshots[c.row]
        return "step \(c.row + 1) wrote \"\(decodedWords[c.row])\": attention on \"\(sourceWords[c.column])\" "
            + "\(NumberFormat.fixed(s.weights[c.column], decimals: 4)) (score \(NumberFormat.fixed(s.scores[c.column], decimals: 3, plusSign: true)))"
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let halves = rect.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        Legend(title: " attention", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[0])
        Legend(title: "encoder a", scale: Self.signedScale, range: annotationRange, mode: mode, decimals: 1)
            .render(into: &screen, rect: halves[1])
    }

}

