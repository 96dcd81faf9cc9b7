extension Screen {
    /// The escape sequences that turn a terminal showing `previous` into one showing this screen: only the
    /// changed cells, with a cursor move (`ESC[row;colH`) wherever they are not contiguous, and styles
    /// written only when they change. With no previous screen (or another size) it clears and draws all.
    /// This is what a recording stores per frame and what `arnn bench viewer` counts as bytes per step.
    public func ansiUpdate(from previous: Screen?, mode: ColorMode) -> String {
        var out = ""
        var writer = SGRWriter(mode: mode)
        let full = previous == nil || previous?.width != width || previous?.height != height
        if full { out += "\u{1B}[0m\u{1B}[H\u{1B}[2J" }
        var nextX = -1, nextY = -1
        forEachChange(since: full ? nil : previous) { x, y, cell in
            if full && cell == .blank { return }
            if x != nextX || y != nextY { out += "\u{1B}[\(y + 1);\(x + 1)H" }
            writer.transition(to: cell.style, into: &out)
            out.unicodeScalars.append(cell.char)
            nextX = x + 1
            nextY = y
        }
        writer.reset(into: &out)
        return out
    }
}
