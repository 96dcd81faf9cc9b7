/// Where the dynamic memory network's scene draws: the question row on top; the story (one row per kept
/// sentence: its number, its words, one gate cell per pass and, where there is room, the attention GRU's
/// state after it) beside the answers; and the episodic memory underneath, one row of cells per vector.
/// `view` draws from it and `click` hit-tests against it.
package struct DMNLayout {
    /// A row of the memory panel: the question q = m⁰, or pass t's episode cᵗ or memory mᵗ (t from 0).
    package enum MemoryRow: Equatable {
        case question
        case episode(Int)
        case memory(Int)

        /// The pass whose step shows the row (q: the first).
        package var pass: Int {
            switch self {
            case .question: 0
            case .episode(let t), .memory(let t): t
            }
        }
    }

    /// Units of a vector drawn in a row of cells: `columns` cells of `cellWidth` from x, each the
    /// largest-magnitude of `pool` units.
    package struct Cells: Equatable {
        package var x = 0
        package var pool = 1
        package var columns = 0
        package var cellWidth = 1

        /// `units` fitted into `width` columns: one cell per unit (two columns wide where that fits), or
        /// pooled.
        init(x: Int, width: Int, units: Int) {
            self.x = x
            let room = Swift.max(1, width)
            pool = Swift.max(1, (units + room - 1) / room)
            columns = (units + pool - 1) / pool
            cellWidth = Swift.max(1, Swift.min(2, room / Swift.max(1, columns)))
        }

        init() {}

        package var width: Int { columns * cellWidth }
    }

    package var bordered: Bool
    package var question = Rect.zero
    package var story = Rect.zero
    package var answers = Rect.zero
    package var memory = Rect.zero

    /// The story's rows in view: the first sentence shown and how many.
    package var firstSentence = 0
    package var rows = 0
    package var rowsArea = Rect.zero
    /// Where the sentences' words go, and how wide they may be.
    package var textX = 0
    package var textWidth = 0
    /// The pass columns: where the first starts, and each one's width.
    package var passesX = 0
    package var passWidth = 7
    package var passes = 0
    /// The AttnGRU's state h_i after each sentence in the current pass, beside its gates (nil: no room).
    package var states: Cells?

    /// The memory panel's rows in view, from `memoryArea.y` down.
    package var memoryRows: [MemoryRow] = []
    package var memoryArea = Rect.zero
    /// Label column, then the cells, then the change of m at `statX`.
    package var labelWidth = 6
    package var cells = Cells()
    package var statX = 0

    static let statWidth = 9
    /// bAbI's longest statement, "sandra discarded the football there", is 35 columns.
    static let sentenceWidth = 36

    package init(_ scene: DMNScene, _ context: SceneContext) {
        bordered = context.kind == .rich
        passes = scene.snapshots.count
        let units = scene.snapshots.first?.memory.count ?? 0
        let rect = context.rect
        let questionHeight = bordered ? 3 : 2
        // The memory panel: q, then mᵗ per pass, with cᵗ before each where the story keeps a dozen rows
        // beyond them (not at 80×24).
        let chrome = bordered ? 2 : 1
        let storyRoom = rect.height - questionHeight
        let full: [MemoryRow] = [.question] + (0..<passes).flatMap { [MemoryRow.episode($0), .memory($0)] }
        let short: [MemoryRow] = [.question] + (0..<passes).map { MemoryRow.memory($0) }
        var wanted = storyRoom - 14 >= full.count + chrome ? full : short
        let minimumStory = 6
        if wanted.count + chrome > storyRoom - minimumStory {
            // More passes than fit: the rows up to the current pass's memory, latest last.
            let fit = Swift.max(1, storyRoom - minimumStory - chrome)
            let end = (wanted.firstIndex(of: .memory(Swift.min(context.step, Swift.max(0, passes - 1)))) ?? 0) + 1
            let start = Swift.max(0, Swift.min(end, wanted.count) - fit)
            wanted = Array(wanted[start..<Swift.min(wanted.count, start + fit)])
        }
        memoryRows = wanted
        // The story as tall as its sentences (with the answers' five and each pass's top answer beside it),
        // the memory right under it; what is left stays below.
        let storyChrome = bordered ? 3 : 2
        let answersNeed = 5 + 2 + passes + (bordered ? 2 : 1)
        let middleHeight = Swift.max(scene.sentences.count + storyChrome, answersNeed, 8)
        let parts = rect.split(.vertical, [.length(questionHeight), .length(middleHeight), .length(wanted.count + chrome), .fill(1)])
        question = parts[0]
        memory = parts[2]
        var middleRect = parts[1]
        if memory.height < wanted.count + chrome {
            // A tall story: it gives way, and the memory sits at the bottom.
            let squeezed = rect.split(.vertical, [.length(questionHeight), .fill(1), .length(wanted.count + chrome)])
            middleRect = squeezed[1]
            memory = squeezed[2]
        }

        let answerWidth = Swift.min(32, Swift.max(20, rect.width / 4))
        let middle = middleRect.split(.horizontal, [.fill(1), .length(answerWidth)], spacing: 1)
        story = middle[0]
        answers = middle[1]
        let inner = bordered ? story.inset(by: 1) : story.inset(top: 1)
        rowsArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: Swift.max(0, inner.height - 1))
        rows = Swift.min(scene.sentences.count, rowsArea.height)
        textX = inner.x + 5
        // A column a pass, 7 wide where the sentences keep their width, else 6; the AttnGRU's states after
        // them where at least 16 columns are left.
        let longest = Swift.min(Self.sentenceWidth, (scene.sentences.map(\.unicodeScalars.count).max() ?? 0) + 1)
        passWidth = inner.width - 5 - Self.sentenceWidth >= 7 * passes ? 7 : 6
        let statesRoom = inner.maxX - (textX + longest + passes * passWidth + 2)
        if statesRoom >= 16 && units > 0 {
            textWidth = longest
            passesX = textX + longest
            states = Cells(x: passesX + passes * passWidth + 2, width: Swift.min(statesRoom, 2 * units), units: units)
        } else {
            passesX = rowsArea.maxX - passes * passWidth
            textWidth = Swift.max(0, passesX - textX - 1)
            states = nil
        }
        // Keep the cursor's sentence, else the one this pass's gates open most, in view.
        let focus = scene.cursor ?? (scene.snapshots.isEmpty ? 0 : scene.strongestSentence(context.step))
        firstSentence = Swift.max(0, Swift.min(scene.sentences.count - rows, focus - rows / 2))

        let memoryInner = bordered ? memory.inset(by: 1) : memory.inset(top: 1)
        memoryArea = memoryInner
        cells = Cells(x: memoryInner.x + labelWidth, width: memoryInner.width - labelWidth - Self.statWidth - 1, units: units)
        statX = cells.x + cells.width + 1
    }

    /// The sentence drawn at row y (anywhere on its row), or nil.
    package func sentence(atY y: Int, x: Int) -> Int? {
        guard rowsArea.contains(x: x, y: y), y - rowsArea.y < rows else { return nil }
        return firstSentence + (y - rowsArea.y)
    }

    /// The pass whose column holds x (in the story's rows or its header), or nil.
    package func pass(atX x: Int, y: Int) -> Int? {
        guard x >= passesX, x < passesX + passes * passWidth, y >= rowsArea.y - 1, y < rowsArea.y + rows else { return nil }
        return (x - passesX) / passWidth
    }

    /// The pass of the memory row at y, or nil.
    package func memoryPass(atY y: Int) -> Int? {
        let i = y - memoryArea.y
        guard memoryArea.contains(x: memoryArea.x, y: y), i >= 0, i < memoryRows.count else { return nil }
        return memoryRows[i].pass
    }
}
