import Episodes
import Models
import Tasks

/// What a key asks of the Neural Programmer's scene.
public enum NeuralProgrammerAction: Hashable, Sendable {
    case cursorUp, cursorDown
    case hideCursor
}

/// The Neural Programmer's scene (docs/models/neural-programmer.md): the question with its numbers
/// marked and the answer beside the right one; the table, with the column the current step chose
/// highlighted, the cells a lookup picks, and beside the rows the row selector after every step so far;
/// and the program: operations × steps and columns × steps as heatmaps of α^op and α^col with the choice
/// of each step marked, the scalar each step left and the numbers the comparisons picked. The cursor
/// picks a row of the table.
public struct NeuralProgrammerScene: Scene {
    public static let kind = "np"
    public static let minimumWidth = 64
    public static let minimumHeight = 16

    static let scale = ColorScale.viridis
    static let unitRange = ValueRange(min: 0, max: 1)

    public private(set) var snapshots: [NeuralProgrammerSnapshot]
    public private(set) var columns: [String]
    public private(set) var cells: [[Double]]
    /// The question's words (numbers as digits) and which of them are numbers.
    public private(set) var words: [String]
    public private(set) var numberPositions: [Int]
    /// The table row under the cursor; nil hides it.
    public var cursor: Int?

    public static let keys = KeyMap<NeuralProgrammerAction>([
        .init([.up, .char("k")], .cursorUp, "cursor up a row (its cells and its selection at every step below)"),
        .init([.down, .char("j")], .cursorDown, "cursor down a row"),
        .init([.escape], .hideCursor, "hide the cursor"),
    ])

    public static var helpEntries: [HelpEntry] {
        keys.helpEntries(pairing: [(.cursorUp, .cursorDown, "cursor up / down a row (its cells and its selection at every step below)")])
    }

    public init(episode: Episode) {
        snapshots = []; columns = []; cells = []; words = []; numberPositions = []
        load(episode)
    }

    mutating func load(_ episode: Episode) {
        snapshots = episode.snapshots(NeuralProgrammerSnapshot.self, scene: Self.kind)
        if let s = episode.sample as? any TableQuestionSample {
            columns = s.table.columns
            cells = s.table.rows
            words = s.questionWords
            numberPositions = s.numberPositions
        } else {
            let first = snapshots.first
            columns = (0..<(first?.columnWeights.count ?? 0)).map { "column \($0 + 1)" }
            cells = (0..<(first?.rows.count ?? 0)).map { _ in columns.map { _ in 0 } }
            words = []
            numberPositions = []
        }
    }

    public mutating func episodeChanged(_ context: SceneContext) {
        load(context.episode)
        cursor = cursor.map { Swift.min($0, cells.count - 1) }
    }

    public mutating func perform(_ action: NeuralProgrammerAction, _ context: SceneContext) -> SceneReply {
        guard !cells.isEmpty else { return .none }
        switch action {
        case .cursorUp: cursor = Swift.max(0, (cursor ?? 1) - 1)
        case .cursorDown: cursor = Swift.min(cells.count - 1, (cursor ?? -1) + 1)
        case .hideCursor: cursor = nil
        }
        return .none
    }

    public mutating func click(x: Int, y: Int, _ context: SceneContext) -> SceneReply {
        let layout = NeuralProgrammerLayout(self, context)
        if let row = layout.row(atY: y, x: x) { cursor = row }
        if let step = layout.step(atX: x, y: y) { return .go(step) }
        return .none
    }

    public func view(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let layout = NeuralProgrammerLayout(self, context)
        drawQuestion(context, layout, &screen)
        drawTable(context, layout, mode, &screen)
        drawProgram(context, layout, mode, &screen)
    }

    public func readout(_ context: SceneContext) -> String? {
        guard let c = cursor, c < cells.count else { return nil }
        let values = zip(columns, cells[c]).map { "\($0) \(Table.text($1))" }.joined(separator: ", ")
        let selected = snapshots.prefix(context.step + 1).enumerated().map { t, s in
            "\(t + 1): \(NumberFormat.fixed(c < s.rows.count ? s.rows[c] : 0, decimals: 2))"
        }
        return "row \(c + 1) (\(values)) · selected after step " + selected.joined(separator: "  ")
    }

    public func drawLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        Legend(title: "weight", scale: Self.scale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: Rect(x: rect.x, y: rect.y, width: Swift.min(40, rect.width), height: 1))
    }

    public func statusNote(_ context: SceneContext) -> String {
        guard context.step < snapshots.count else { return "" }
        return "step \(context.step + 1)/\(snapshots.count): \(stepText(snapshots[context.step]))"
            + (cursor.map { " · row \($0 + 1)" } ?? "")
    }

    /// `greater(price, 40)`, `count`, `print(age)`: the choice a step used, as a call.
    package func stepText(_ s: NeuralProgrammerSnapshot) -> String {
        let op = s.operation
        var arguments: [String] = []
        if op.readsColumn && s.column < columns.count { arguments.append(columns[s.column]) }
        if op == .greater { arguments.append(Table.text(Double(s.greaterPivot))) }
        if op == .lesser { arguments.append(Table.text(Double(s.lesserPivot))) }
        return op.name + (arguments.isEmpty ? "" : "(" + arguments.joined(separator: ", ") + ")")
    }

    /// The answer the last step gives, in words.
    func answerText(_ s: NeuralProgrammerSnapshot) -> String {
        guard s.answer.count == 2 else { return "" }
        if s.answer[1] < 0.5 { return NumberFormat.fitting(s.answer[0], width: 9, maxDecimals: 2) }
        var best = (0, 0, Float(-1))
        for (i, row) in s.lookup.enumerated() { for (j, x) in row.enumerated() where x > best.2 { best = (i, j, x) } }
        return cellText(row: best.0, column: best.1)
    }

    package func cellText(row: Int, column: Int) -> String {
        guard row < cells.count, column < columns.count else { return "row \(row + 1), column \(column + 1)" }
        return "\(Table.text(cells[row][column])) (\(columns[column]), row \(row + 1))"
    }
}
