/// Where the DNC scene's parts go: the sequence panel on top; below it the memory panel (one text row a
/// slot: the slot number, its memory row, then one coloured column each for usage, allocation, write
/// weighting, precedence and every read head) beside the link panel (the N×N link matrix in half blocks
/// with the precedence under it) over the heads panel (gates and read-mode triplets). When the memory
/// panel has room under its slots (a small memory), every slot's usage over the episode's steps goes
/// there, one row a slot.
package struct DNCLayout {
    package var bordered: Bool
    var seq = SequenceLayout()
    package var memory = Rect.zero
    /// The rows the slots are drawn on, from `firstSlot`, and where a row's parts start.
    package var slotRows = Rect.zero
    package var firstSlot = 0
    package var memoryX = 0
    package var memoryCellWidth = 1
    package var columnsX = 0
    /// Usage over time: one row a slot, one column per `usagePool` steps (nil without room).
    package var usageMap: Rect?
    package var usagePool = 1
    package var usageCellWidth = 1
    package var links = Rect.zero
    /// The link heatmap: `pool` slots per pixel each way, from (`firstRow`, `firstColumn`).
    package var linkMap = Rect.zero
    package var linkPool = 1
    package var linkCellWidth = 1
    package var firstRow = 0, firstColumn = 0
    package var linkRows = 0, linkColumns = 0
    package var precedenceRow = Rect.zero
    package var heads = Rect.zero
    package var legends: Rect?

    package static let slotLabelWidth = 4
    package static let columnWidth = 3
    /// The weighting columns beside memory, before the read heads'.
    package static let columnNames = ["u", "a", "w", "p"]

    package init(_ scene: DNCScene, _ context: SceneContext, sequence: Bool = true) {
        bordered = context.kind == .rich
        let border = bordered ? 1 : 0
        var body = context.rect
        if sequence {
            let (s, rest) = SequenceLayout.place(in: body, context: context, kind: context.kind)
            seq = s
            body = rest
        }
        if bordered && body.height > 12 {
            let (rest, bottom) = body.splitBottom(1)
            legends = bottom
            body = rest
        }
        let snap = scene.snapshots[context.step]
        let n = snap.usage.count, width = snap.memoryAfter.shape[1], headCount = snap.readHeads.count
        let columns = (Self.columnNames.count + headCount) * Self.columnWidth
        func memoryWidth(_ cw: Int) -> Int { 2 * border + Self.slotLabelWidth + width * cw + 1 + columns }
        memoryCellWidth = memoryWidth(2) <= body.width * 11 / 20 ? 2 : 1
        let parts = body.split(.horizontal, [.length(Swift.min(memoryWidth(memoryCellWidth), body.width * 3 / 5)), .fill(1)],
                               spacing: bordered ? 0 : 1)
        memory = parts[0]
        let memInner = bordered ? memory.inset(by: 1) : memory.inset(top: 1)
        // A heading row, then one row per slot (scrolled to keep the cursor in view).
        slotRows = Rect(x: memInner.x, y: memInner.y + 1, width: memInner.width, height: Swift.max(0, Swift.min(n, memInner.height - 1)))
        if let c = scene.cursor, slotRows.height > 0 {
            firstSlot = Swift.max(0, Swift.min(n - slotRows.height, c - slotRows.height / 2))
        }
        memoryX = memInner.x + Self.slotLabelWidth
        columnsX = memoryX + width * memoryCellWidth + 1
        // A caption under the slots (after a blank row when there is room), then one row a slot, when
        // every slot fits.
        let under = memInner.maxY - slotRows.maxY
        let steps = scene.snapshots.count
        if slotRows.height == n && under >= n + 1 {
            let room = Swift.max(1, memInner.maxX - memoryX)
            usagePool = Swift.max(1, (steps + room - 1) / room)
            let columns = (steps + usagePool - 1) / usagePool
            usageCellWidth = Swift.max(1, Swift.min(3, room / columns))
            usageMap = Rect(x: memoryX, y: slotRows.maxY + (under >= n + 2 ? 2 : 1), width: Swift.min(room, columns * usageCellWidth), height: n)
        }

        let right = parts[1]
        let headsHeight = 2 * border + (bordered ? 0 : 1) + 1 + headCount
        let split = right.split(.vertical, [.fill(1), .length(headsHeight)])
        links = split[0]
        heads = split[1]
        let linkInner = bordered ? links.inset(by: 1) : links.inset(top: 1)
        // Row labels on the left, the precedence (a caption and a row) at the bottom.
        let area = Rect(x: linkInner.x + Self.slotLabelWidth, y: linkInner.y, width: Swift.max(1, linkInner.width - Self.slotLabelWidth),
                        height: Swift.max(1, linkInner.height - 2))
        precedenceRow = Rect(x: area.x, y: area.maxY + 1, width: area.width, height: 1)
        if scene.zoomed {
            linkPool = 1
            linkCellWidth = area.width >= 2 * Swift.min(n, area.width) ? 2 : 1
            linkRows = Swift.min(n, 2 * area.height)
            linkColumns = Swift.min(n, area.width / linkCellWidth)
            let focus = scene.cursor ?? 0
            firstRow = Swift.max(0, Swift.min(n - linkRows, focus - linkRows / 2))
            firstColumn = Swift.max(0, Swift.min(n - linkColumns, focus - linkColumns / 2))
        } else {
            linkPool = Swift.max(1, Swift.max((n + 2 * area.height - 1) / (2 * area.height), (n + area.width - 1) / area.width))
            let pooled = (n + linkPool - 1) / linkPool
            linkCellWidth = Swift.max(1, Swift.min(3, area.width / pooled))
            linkRows = pooled
            linkColumns = pooled
        }
        linkMap = Rect(x: area.x, y: area.y, width: linkColumns * linkCellWidth, height: (linkRows + 1) / 2)
    }

    /// The slot a pixel row or column of the link map starts at.
    package func linkSlot(row r: Int) -> Int { firstRow + r * linkPool }
    package func linkSlot(column c: Int) -> Int { firstColumn + c * linkPool }
}
