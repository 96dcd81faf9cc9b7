import Episodes
import Models
import Tasks

/// Where the Neural Programmer's scene draws: the question on top, then the table (its rows, and the
/// row selector after each step beside them) beside the program (operations, columns and scalars by
/// step). `view` draws from it and `click` hit-tests against it.
package struct NeuralProgrammerLayout {
    package var bordered: Bool
    package var question = Rect.zero
    package var table = Rect.zero
    package var program = Rect.zero
    /// The table's rows in view (the first shown and how many), where they start, and the columns' x.
    package var firstRow = 0
    package var rows = 0
    package var rowsY = 0
    package var columnX: [Int] = []
    package var columnWidth = 6
    /// The row selector's step columns beside the table: where they start, and each one's width.
    package var selectorX = 0
    package var selectorWidth = 3
    /// The program's step columns: where they start, each one's width, and the header row.
    package var stepsX = 0
    package var stepWidth = 5
    package var stepsHeaderY = 0
    package var steps = 0
    /// The program as text under the table's rows, one line per step so far; zero-sized without room.
    package var listing = Rect.zero

    static let labelWidth = 11

    package init(_ scene: NeuralProgrammerScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        steps = scene.snapshots.count
        let parts = context.rect.split(.vertical, [.length(bordered ? 4 : 2), .fill(1)])
        question = parts[0]
        let programWidth = Self.labelWidth + steps * stepWidth + (bordered ? 2 : 0)
        let lower = parts[1].split(.horizontal, [.fill(1), .length(programWidth)], spacing: 1)
        table = lower[0]
        program = lower[1]
        let inner = bordered ? table.inset(by: 1) : table.inset(top: 1)
        // The cells' width: the longest name (at least a 3-digit number and a space), narrowed to fit.
        let selectorArea = steps * selectorWidth + 1
        let rowLabel = 4
        let room = Swift.max(0, inner.width - rowLabel - selectorArea)
        let wanted = (scene.columns.map(\.count).max() ?? 4) + 2
        columnWidth = scene.columns.isEmpty ? 6 : Swift.max(4, Swift.min(wanted, room / scene.columns.count))
        columnX = scene.columns.indices.map { inner.x + rowLabel + $0 * columnWidth }
        selectorX = inner.x + rowLabel + scene.columns.count * columnWidth + 1
        rowsY = inner.y + 1
        rows = Swift.min(scene.cells.count, Swift.max(0, inner.maxY - rowsY))
        // Room under the rows for the program as text (a blank line, a title, a line per step).
        let under = inner.maxY - (rowsY + rows) - (bordered ? 1 : 0)
        if under >= steps + 2 {
            listing = Rect(x: inner.x, y: rowsY + rows + 1, width: inner.width, height: steps + 1)
        }
        let focus = scene.cursor ?? 0
        firstRow = Swift.max(0, Swift.min(scene.cells.count - rows, focus - rows / 2))
        let programInner = bordered ? program.inset(by: 1) : program.inset(top: 1)
        stepsX = programInner.x + Self.labelWidth
        stepsHeaderY = programInner.y
    }

    /// The table row drawn at y, or nil.
    package func row(atY y: Int, x: Int) -> Int? {
        guard table.contains(x: x, y: y), y >= rowsY, y < rowsY + rows else { return nil }
        return firstRow + (y - rowsY)
    }

    /// The step whose column holds x, in the program or beside the table, or nil.
    package func step(atX x: Int, y: Int) -> Int? {
        if program.contains(x: x, y: y), x >= stepsX, x < stepsX + steps * stepWidth { return (x - stepsX) / stepWidth }
        if table.contains(x: x, y: y), x >= selectorX, x < selectorX + steps * selectorWidth, y >= rowsY - 1 {
            return (x - selectorX) / selectorWidth
        }
        return nil
    }
}

extension NeuralProgrammerScene {
    /// The question with its numbers in reverse (the comparisons read them), and what the program answers.
    func drawQuestion(_ context: SceneContext, _ layout: NeuralProgrammerLayout, _ screen: inout Screen) {
        // Bordered: a panel with the question and the answer line; compact: the two lines alone.
        let inner = layout.bordered
            ? ScenePanel.open("Question · numbers marked are the pivots the comparisons may read", layout.question, bordered: true, &screen)
            : layout.question
        var x = inner.x
        for (i, word) in words.enumerated() {
            let style = numberPositions.contains(i) ? Style([.reverse, .bold]) : Style.bold
            x = screen.put(word, x: x, y: inner.y, style: style, clip: inner)
            x = screen.put(" ", x: x, y: inner.y, clip: inner)
        }
        guard inner.height >= 2 else { return }
        let line = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1)
        if context.step == context.lastStep, let s = snapshots.last, let step = context.episode.frames.last?.data as? AnswerStep {
            var text = "answered \(answerText(s))"
            switch step.right {
            case let .number(y)?: text += step.wrong(output: []) > 0 ? "  ×  right: \(Table.text(y))" : "  (right)"
            case let .cell(r, c)?: text += step.wrong(output: []) > 0 ? "  ×  right: \(cellText(row: r, column: c))" : "  (right)"
            default: break
            }
            screen.put(text.fitted(to: line.width), in: line, style: .bold)
        } else if context.step < snapshots.count {
            let text = "step \(context.step + 1) of \(snapshots.count): \(stepText(snapshots[context.step])) · the answer is the last step's output"
            screen.put(text.fitted(to: line.width), in: line, style: .dim)
        }
    }

    /// The table: a header of column names (the column this step chose in reverse), one line per row with
    /// its cells (the cells a lookup picks in reverse), and beside each row the selector after every step
    /// so far as coloured cells.
    func drawTable(_ context: SceneContext, _ layout: NeuralProgrammerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let title = "Table · \(cells.count) rows · selected after each step"
        let inner = ScenePanel.open(title, layout.table, bordered: layout.bordered, focused: context.active && cursor != nil, &screen)
        guard context.step < snapshots.count else { return }
        let s = snapshots[context.step]
        let chosen = s.operation.readsColumn ? s.column : nil
        let header = layout.rowsY - 1
        screen.put("row", x: inner.x, y: header, style: .dim, clip: inner)
        for (j, name) in columns.enumerated() {
            let style = j == chosen ? Style([.reverse, .bold]) : Style.bold
            screen.put(name.fitted(to: layout.columnWidth - 1), x: layout.columnX[j], y: header, style: style, clip: inner)
        }
        for t in 0..<layout.steps {
            let label = t == context.step ? "▼\(t + 1)" : " \(t + 1)"
            screen.put(label, x: layout.selectorX + t * layout.selectorWidth, y: header, style: t == context.step ? .bold : .dim, clip: inner)
        }
        for r in 0..<layout.rows {
            let i = layout.firstRow + r, y = layout.rowsY + r
            let selected = cursor == i
            screen.put(String(i + 1).fitted(to: 3), x: inner.x, y: y, style: selected ? Style([.reverse]) : .dim, clip: inner)
            for (j, value) in cells[i].enumerated() {
                let picked = i < s.lookup.count && j < s.lookup[i].count && s.lookup[i][j] >= 0.5
                let style = picked ? Style([.reverse, .bold]) : (j == chosen ? Style.bold : (selected ? Style.plain : Style.dim))
                let text = Table.text(value)
                let pad = String(repeating: " ", count: Swift.max(0, layout.columnWidth - 2 - text.count))
                screen.put((pad + text).fitted(to: layout.columnWidth - 1), x: layout.columnX[j], y: y, style: style, clip: inner)
            }
            for t in 0...Swift.min(context.step, layout.steps - 1) where i < snapshots[t].rows.count {
                let cell = Self.scale.cell(at: snapshots[t].rows[i], mode: mode)
                for c in 0..<(layout.selectorWidth - 1) { screen[layout.selectorX + t * layout.selectorWidth + c, y] = cell }
            }
        }
        if layout.rows < cells.count, inner.height > 0 {
            let note = "rows \(layout.firstRow + 1)–\(layout.firstRow + layout.rows) of \(cells.count)"
            screen.put(note.fitted(to: inner.width), x: inner.x, y: inner.maxY - 1, style: .dim, clip: inner)
        }
        drawListing(context, layout, &screen)
        if layout.bordered {
            let legend = Rect(x: layout.table.x + 2, y: layout.table.maxY - 1, width: Swift.min(40, layout.table.width - 4), height: 1)
            Legend(title: "weight", scale: Self.scale, range: Self.unitRange, mode: mode, decimals: 0).render(into: &screen, rect: legend)
        }
    }

    /// The program so far as text: each step's call, and what it left (a number, the rows it selected, or
    /// the cells it looked up).
    func drawListing(_ context: SceneContext, _ layout: NeuralProgrammerLayout, _ screen: inout Screen) {
        let area = layout.listing
        guard area.height > 0 else { return }
        screen.put("The program so far (the choices each step used)".fitted(to: area.width), x: area.x, y: area.y, style: .bold, clip: area)
        for t in 0...Swift.min(context.step, snapshots.count - 1) where t + 1 < area.height {
            let s = snapshots[t]
            var result: String
            switch s.operation.output {
            case .scalar: result = "= " + NumberFormat.fitting(s.scalar, width: 9, maxDecimals: 2)
            case .rows:
                let picked = s.rows.indices.filter { s.rows[$0] >= 0.5 }.map { String($0 + 1) }
                result = picked.isEmpty ? "no rows" : picked.count == s.rows.count ? "every row"
                    : "row\(picked.count == 1 ? "" : "s") " + picked.joined(separator: ", ")
            case .lookup:
                let cells = s.lookup.enumerated().flatMap { i, row in row.enumerated().filter { $0.element >= 0.5 }.map { (i, $0.offset) } }
                result = cells.isEmpty ? "no cells" : "looks up " + cells.prefix(4).map { cellText(row: $0.0, column: $0.1) }.joined(separator: ", ")
                    + (cells.count > 4 ? ", …" : "")
            }
            let line = "\(t + 1)  " + stepText(s).padding(toLength: 22, withPad: " ", startingAt: 0) + " " + result
            screen.put(line.fitted(to: area.width), x: area.x, y: area.y + 1 + t, style: t == context.step ? .bold : .dim, clip: area)
        }
    }

    /// The operations that get a row in the program panel when `room` rows are left for them: all, or
    /// the ones some step used and then the heaviest at the current step, in the operations' order.
    func operationRows(room: Int, step: Int) -> [ProgrammerOperation] {
        let all = ProgrammerOperation.allCases
        guard room < all.count else { return all }
        var keep = Set(snapshots.prefix(step + 1).map(\.operation))
        let weights = snapshots[step].operationWeights
        for op in all.sorted(by: { weights[$0.rawValue] > weights[$1.rawValue] }) where keep.count < room { keep.insert(op) }
        return all.filter { keep.contains($0) }.prefix(Swift.max(room, 0)).map { $0 }
    }

    /// Operations × steps and columns × steps, each cell the weight's colour with the step's choice marked
    /// ◀; then the scalar each step left and the numbers its comparisons read.
    func drawProgram(_ context: SceneContext, _ layout: NeuralProgrammerLayout, _ mode: ColorMode, _ screen: inout Screen) {
        let inner = ScenePanel.open("Program · α per step", layout.program, bordered: layout.bordered, &screen)
        guard context.step < snapshots.count, inner.height > 2 else { return }
        let last = Swift.min(context.step, layout.steps - 1)
        var y = layout.stepsHeaderY
        screen.put("step", x: inner.x, y: y, style: .dim, clip: inner)
        for t in 0..<layout.steps {
            screen.put(t == context.step ? "▼\(t + 1)" : " \(t + 1)", x: layout.stepsX + t * layout.stepWidth, y: y,
                       style: t == context.step ? .bold : .dim, clip: inner)
        }
        y += 1
        func weightRow(_ label: String, _ weight: (Int) -> Float, _ chosen: (Int) -> Bool, bold: Bool) {
            guard y < inner.maxY else { return }
            screen.put(label.fitted(to: NeuralProgrammerLayout.labelWidth - 1), x: inner.x, y: y, style: bold ? .bold : .dim, clip: inner)
            for t in 0...last {
                let x = layout.stepsX + t * layout.stepWidth
                let cell = Self.scale.cell(at: weight(t), mode: mode)
                for c in 0..<3 { screen[x + c, y] = cell }
                if chosen(t) { screen.put("◀", x: x + 3, y: y, style: .bold, clip: inner) }
            }
            y += 1
        }
        let tail = 2 + columns.count + 1                     // the column rows, their caption, s, the pivots
        let ops = operationRows(room: inner.maxY - y - tail, step: last)
        let current = snapshots[context.step]
        for op in ops {
            weightRow(op.name, { snapshots[$0].operationWeights[op.rawValue] }, { snapshots[$0].operation == op },
                      bold: current.operation == op)
        }
        if y < inner.maxY {
            screen.put("columns".fitted(to: inner.width), x: inner.x, y: y, style: .dim, clip: inner)
            y += 1
        }
        for (j, name) in columns.enumerated() {
            weightRow(name, { j < snapshots[$0].columnWeights.count ? snapshots[$0].columnWeights[j] : 0 },
                      { snapshots[$0].operation.readsColumn && snapshots[$0].column == j },
                      bold: current.operation.readsColumn && current.column == j)
        }
        if y < inner.maxY {
            screen.put("scalar s", x: inner.x, y: y, style: .dim, clip: inner)
            for t in 0...last {
                let text = NumberFormat.fitting(snapshots[t].scalar, width: layout.stepWidth - 1, maxDecimals: 1)
                screen.put(text, x: layout.stepsX + t * layout.stepWidth, y: y, style: t == context.step ? .bold : .dim, clip: inner)
            }
            y += 1
        }
        if y < inner.maxY, current.operation.readsNumber {
            let pivot = current.operation == .greater ? current.greaterPivot : current.lesserPivot
            let weights = current.operation == .greater ? current.greaterPivotWeights : current.lesserPivotWeights
            let text = "\(current.operation.name) than \(Table.text(Double(pivot))) (β "
                + weights.map { NumberFormat.fixed($0, decimals: 2) }.joined(separator: " ") + ")"
            screen.put(text.fitted(to: inner.width), x: inner.x, y: y, style: .dim, clip: inner)
        }
    }
}
