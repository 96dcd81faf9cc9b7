import Episodes
import Models
import Tasks

/// What a key asks of the transformer scene.
public enum TransformerAction: Hashable, Sendable {
    case cursorUp, cursorDown
    /// `→`/`←`: move the cursor's column while it is shown, else step.
    case right, left
    case hideCursor
    /// `tab`/shift-`tab`: the next or previous head (after a layer's last head, the next layer's first).
    case nextHead, previousHead
    /// `m`: cross-attention → encoder self-attention → decoder self-attention.
    case nextMap
    /// `a`: under Linformer or Performer, the approximation's map → exact attention's → their difference.
    case nextComparison
    /// `[`/`]`: under Linformer or Performer, k or m down or up a power of two, on the same input.
    case fewerRows, moreRows
}

/// The transformer's scene (docs/models/transformer.md): the source, what the decoder has written and the
/// target; one attention map enlarged (a layer's head of the cross-attention, the encoder's or the
/// decoder's self-attention), filling in as the decoder steps; every layer's and head's map of the same
/// attention beside it as small multiples; and this step's most likely next tokens. Its state is the map
/// and head in focus and a cursor on a cell of the enlarged map; the player owns time.
public struct TransformerScene: Scene {
    public static let kind = "transformer"
    public static let minimumWidth = 72
    public static let minimumHeight = 20

    static let weightScale = ColorScale.magma
    static let unitRange = ValueRange(min: 0, max: 1)
    static let differenceScale = ColorScale.blueWhiteRed
    static let differenceRange = ValueRange.symmetric(1)
    /// The scale and range of what the maps show now.
    var scale: ColorScale { showsDifference ? Self.differenceScale : Self.weightScale }
    var range: ValueRange { showsDifference ? Self.differenceRange : Self.unitRange }

    /// Which of the model's attentions the maps show.
    public enum Map: Int, CaseIterable, Sendable {
        case cross, encoder, decoder

        var title: String {
            switch self {
            case .cross: "cross-attention · decoded × source"
            case .encoder: "encoder self-attention · source × source"
            case .decoder: "decoder self-attention · decoded × earlier positions"
            }
        }

        var shortName: String {
            switch self {
            case .cross: "cross"
            case .encoder: "encoder self"
            case .decoder: "decoder self"
            }
        }
    }

    /// What an approximated attention's maps show: the map the approximation implies (eqs. 15, 19), exact
    /// softmax attention on the same queries and keys, or the difference Â − A.
    public enum Comparison: Int, CaseIterable, Sendable {
        case approximation, exact, difference

        var title: String {
            switch self {
            case .approximation: "approximation Â"
            case .exact: "exact A on the same Q, K"
            case .difference: "difference Â − A"
            }
        }
    }

    public private(set) var map: Map = .cross
    public private(set) var comparison: Comparison = .approximation
    /// The head in focus, as layer · heads + head.
    public private(set) var focus = 0
    /// A cell of the enlarged map (query row, key column); nil hides it.
    public var cursor: GridPosition?
    public private(set) var snapshots: [TransformerSnapshot]
    public private(set) var sourceWords: [String]
    public private(set) var referenceWords: [String]
    public private(set) var decodedWords: [String]

    public static let keys = KeyMap<TransformerAction>([
        .init([.tab], .nextHead, "next head (then the next layer's heads)", status: "head"),
        .init([.backTab], .previousHead, "previous head"),
        .init([.char("m")], .nextMap, "next attention: cross / encoder self / decoder self", status: "map"),
        .init([.char("a")], .nextComparison, "Linformer / Performer: the approximation / exact attention / their difference",
              status: "exact"),
        .init([.char("[")], .fewerRows, "Linformer k / Performer m: halve it and run the same input again", status: "k/m"),
        .init([.char("]")], .moreRows, "Linformer k / Performer m: double it and run the same input again"),
        .init([.up, .char("k")], .cursorUp, "cursor up a row of the enlarged map (exact weight below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a row"),
        .init([.right], .right, "next step (moves the cursor's column when it is shown)"),
        .init([.left], .left, "previous step (moves the cursor's column when it is shown)"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [
            (.nextHead, .previousHead, "next / previous head (layer by layer)"),
            (.cursorUp, .cursorDown, "cursor up / down a row of the enlarged map (exact weight below)"),
            (.right, .left, "next / previous step (move the cursor's column when shown)"),
            (.fewerRows, .moreRows, "Linformer k / Performer m: halve / double, same input (exact attention: shorter / longer)"),
        ])
    }

    public init(episode: Episode) {
        snapshots = []; sourceWords = []; referenceWords = []; decodedWords = []
        load(episode)
    }

    mutating func load(_ episode: Episode) {
        snapshots = episode.snapshots(TransformerSnapshot.self, scene: Self.kind)
        let pair = episode.sample as? any TokenPairSample
        sourceWords = pair?.sourceWords ?? []
        referenceWords = pair?.targetWords ?? []
        let vocabulary = episode.task.outputNames ?? []
        decodedWords = snapshots.map { s in s.token < vocabulary.count ? vocabulary[s.token] : "#\(s.token)" }
        focus = Swift.min(focus, Swift.max(0, layers * heads - 1))
    }

    /// Layers of the attention shown and heads per layer.
    var layers: Int {
        guard let s = snapshots.first else { return 0 }
        return map == .encoder ? s.encoderAttention.count : s.crossAttention.count
    }
    var heads: Int { snapshots.first?.crossAttention.first?.count ?? 0 }
    public var focusLayer: Int { heads == 0 ? 0 : focus / heads }
    public var focusHead: Int { heads == 0 ? 0 : focus % heads }

    /// Rows and columns of `map`'s matrix: decoder steps or source positions × source or decoder positions.
    func size(_ map: Map) -> (rows: Int, columns: Int) {
        switch map {
        case .cross: (snapshots.count, sourceWords.count)
        case .encoder: (sourceWords.count, sourceWords.count)
        case .decoder: (snapshots.count, snapshots.count)
        }
    }

    /// The weight of query `row` on key `column` in layer `l`'s head `j` of `map`, as of step `now`: nil
    /// where nothing was computed yet (later decoder steps) or where a query cannot look (a later position).
    public func weight(_ map: Map, layer l: Int, head j: Int, row: Int, column: Int, now: Int) -> Float? {
        guard compares(map) else { return implied(map, layer: l, head: j, row: row, column: column, now: now) }
        switch comparison {
        case .approximation: return implied(map, layer: l, head: j, row: row, column: column, now: now)
        case .exact: return exact(map, layer: l, head: j, row: row, column: column, now: now)
        case .difference:
            guard let a = implied(map, layer: l, head: j, row: row, column: column, now: now),
                  let e = exact(map, layer: l, head: j, row: row, column: column, now: now) else { return nil }
            return a - e
        }
    }

    /// True when the episode carries exact attention beside an approximation's for `map`.
    public func compares(_ map: Map) -> Bool {
        guard let s = snapshots.first else { return false }
        switch map {
        case .cross: return !s.exactCrossAttention.isEmpty
        case .encoder: return !s.exactEncoderAttention.isEmpty
        case .decoder: return false
        }
    }

    /// Whether the values drawn are signed differences (a blue–red scale) rather than weights.
    var showsDifference: Bool { comparison == .difference && compares(map) }

    /// Exact attention's weight where the episode has it.
    func exact(_ map: Map, layer l: Int, head j: Int, row: Int, column: Int, now: Int) -> Float? {
        switch map {
        case .cross:
            guard row <= now, row < snapshots.count, l < snapshots[row].exactCrossAttention.count else { return nil }
            let w = snapshots[row].exactCrossAttention[l][j]
            return column < w.count ? w[column] : nil
        case .encoder:
            guard let e = snapshots.first?.exactEncoderAttention, l < e.count, row < e[l][j].count else { return nil }
            let w = e[l][j][row]
            return column < w.count ? w[column] : nil
        case .decoder:
            return nil
        }
    }

    /// The weight the model used: exact attention's, or the map an approximation implies.
    func implied(_ map: Map, layer l: Int, head j: Int, row: Int, column: Int, now: Int) -> Float? {
        switch map {
        case .cross:
            guard row <= now, row < snapshots.count else { return nil }
            let w = snapshots[row].crossAttention[l][j]
            return column < w.count ? w[column] : nil
        case .encoder:
            guard let e = snapshots.first?.encoderAttention, row < e[l][j].count else { return nil }
            let w = e[l][j][row]
            return column < w.count ? w[column] : nil
        case .decoder:
            guard row <= now, row < snapshots.count else { return nil }
            let w = snapshots[row].selfAttention[l][j]
            return column < w.count ? w[column] : nil
        }
    }

    /// Row and column labels of `map`: decoded tokens, source words, and for the decoder's keys the token
    /// each position read (`<bos>`, then what was written before it).
    func labels(_ map: Map) -> (rows: [String], columns: [String]) {
        switch map {
        case .cross: (decodedWords, sourceWords)
        case .encoder: (sourceWords, sourceWords)
        case .decoder: (decodedWords, ["<bos>"] + decodedWords.dropLast())
        }
    }

    /// The row the enlarged map's cursor starts on: this step's, or the first source word's.
    func currentRow(_ context: SceneContext) -> Int { map == .encoder ? 0 : context.step }

    public mutating func episodeChanged(_ context: SceneContext) {
        load(context.episode)
        clampCursor(context)
    }

    mutating func clampCursor(_ context: SceneContext) {
        guard let c = cursor else { return }
        let (rows, columns) = size(map)
        let lastRow = map == .encoder ? rows - 1 : Swift.min(context.step, rows - 1)
        cursor = GridPosition(row: Swift.max(0, Swift.min(c.row, lastRow)), column: Swift.max(0, Swift.min(c.column, columns - 1)))
    }

    public mutating func perform(_ action: TransformerAction, _ context: SceneContext) -> SceneReply {
        let (rows, columns) = size(map)
        guard rows > 0, columns > 0 else { return action == .right ? .stepForward : action == .left ? .stepBack : .none }
        let lastRow = map == .encoder ? rows - 1 : Swift.min(context.step, rows - 1)
        let start: GridPosition = {
            let r = Swift.min(currentRow(context), lastRow)
            let best = (0..<columns).max { (weight(map, layer: focusLayer, head: focusHead, row: r, column: $0, now: context.step) ?? -1)
                < (weight(map, layer: focusLayer, head: focusHead, row: r, column: $1, now: context.step) ?? -1) } ?? 0
            return GridPosition(row: r, column: best)
        }()
        switch action {
        case .cursorUp:
            let c = cursor ?? GridPosition(row: start.row + 1, column: start.column)
            cursor = GridPosition(row: Swift.max(0, c.row - 1), column: c.column)
        case .cursorDown:
            let c = cursor ?? GridPosition(row: start.row - 1, column: start.column)
            cursor = GridPosition(row: Swift.min(lastRow, c.row + 1), column: c.column)
        case .right:
            guard var c = cursor else { return .stepForward }
            c.column = Swift.min(columns - 1, c.column + 1)
            cursor = c
        case .left:
            guard var c = cursor else { return .stepBack }
            c.column = Swift.max(0, c.column - 1)
            cursor = c
        case .hideCursor:
            cursor = nil
        case .nextHead, .previousHead:
            let count = Swift.max(1, layers * heads)
            focus = (focus + (action == .nextHead ? 1 : count - 1)) % count
            return .message("\(map.shortName) attention: layer \(focusLayer + 1) of \(layers), head \(focusHead + 1) of \(heads)")
        case .nextComparison:
            guard compares(.cross) else { return .message("this model's attention is exact: nothing to compare") }
            comparison = Comparison(rawValue: (comparison.rawValue + 1) % Comparison.allCases.count)!
            return .message(compares(map) ? "showing the \(comparison.title)"
                            : "showing the \(comparison.title) (the decoder's self-attention is exact: press m)")
        case .fewerRows, .moreRows:
            guard compares(.cross) else { return .playerKey }
            return .adjustSetting(steps: action == .fewerRows ? -1 : 1)
        case .nextMap:
            map = Map(rawValue: (map.rawValue + 1) % Map.allCases.count)!
            focus = Swift.min(focus, Swift.max(0, layers * heads - 1))
            cursor = nil
            return .message("showing the \(map.title)")
        }
        return .none
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = TransformerLayout(self, context)
        if let cell = layout.cell(atX: x, y: y), weight(map, layer: focusLayer, head: focusHead, row: cell.row,
                                                          column: cell.column, now: context.step) != nil {
            cursor = cell
            return .none
        }
        if let index = layout.smallMultiple(atX: x, y: y) {
            focus = index
            return .message("\(map.shortName) attention: layer \(focusLayer + 1), head \(focusHead + 1)")
        }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = TransformerLayout(self, context)
        drawSentences(context, layout, &screen)
        drawEnlarged(context, layout, mode, &screen)
        drawSmallMultiples(context, layout, mode, &screen)
        drawStep(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let c = cursor,
              let w = weight(map, layer: focusLayer, head: focusHead, row: c.row, column: c.column, now: context.step) else { return nil }
        let (rows, columns) = labels(map)
        let query = c.row < rows.count ? rows[c.row] : "#\(c.row)", key = c.column < columns.count ? columns[c.column] : "#\(c.column)"
        let what = map == .encoder ? "source \(c.row + 1) \"\(query)\"" : "step \(c.row + 1) (wrote \"\(query)\")"
        return "layer \(focusLayer + 1) head \(focusHead + 1) \(map.shortName): \(what) on \(c.column + 1) \"\(key)\" "
            + NumberFormat.fixed(w, decimals: 4)
    }

    public func statusNote(_ context: SceneContext) -> String {
        let shown = compares(map) ? " · \(comparison == .approximation ? "approx" : comparison == .exact ? "exact" : "Â−A")" : ""
        return "\(map.shortName) L\(focusLayer + 1) H\(focusHead + 1)\(shown)"
    }

    public func offers(_ action: TransformerAction) -> Bool {
        switch action {
        case .nextComparison, .fewerRows, .moreRows: compares(.cross)
        default: true
        }
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        if showsDifference {
            Legend(title: "Â − A", scale: Self.differenceScale, range: Self.differenceRange, mode: mode, decimals: 1)
                .render(into: &screen, rect: Rect(x: rect.x, y: rect.y, width: Swift.min(rect.width, 48), height: rect.height))
            return
        }
        Legend(title: "attention weight", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 1)
            .render(into: &screen, rect: Rect(x: rect.x, y: rect.y, width: Swift.min(rect.width, 48), height: rect.height))
    }
}
