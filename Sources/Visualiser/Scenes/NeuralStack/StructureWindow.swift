/// One line of the structure panel, top to bottom: a row of the structure, or a run of rows not shown
/// (`┊ 12 rows not shown`), lowest and highest row index.
package enum StructureLine: Hashable, Sendable {
    case row(Int)
    case hidden(ClosedRange<Int>)
}

/// Which rows of a structure with more rows than lines are shown: the rows that matter now (the cursor's,
/// each head's read region, the rows each head pushes) and as many around them as fit, each run of rows
/// left out taking one line that says how many. The structure keeps every row it was ever given, so a
/// stack that has read a long input has far more rows than a terminal has lines.
package enum StructureWindow {
    /// The lines, top (row n − 1) to bottom (row 0), for `rows` rows in `capacity` lines. Promises:
    /// - every row when they fit;
    /// - otherwise at most `capacity` lines, each hidden run one line between shown rows (or at an end);
    /// - `anchors` are taken in order, each as far as it fits, one row at a time in its own order (put the
    ///   row that matters most first), then the top row; then every shown run grows by a row above and
    ///   below in turn until the lines are used up.
    package static func lines(rows n: Int, capacity: Int, anchors: [[Int]]) -> [StructureLine] {
        guard n > 0, capacity > 0 else { return [] }
        if n <= capacity { return (0..<n).reversed().map { .row($0) } }
        var shown = [Bool](repeating: false, count: n)
        func cost() -> Int {
            var lines = 0, hiddenRun = false
            for s in shown {
                if s { lines += 1; hiddenRun = false } else if !hiddenRun { lines += 1; hiddenRun = true }
            }
            return lines
        }
        func tryShow(_ r: Int) -> Bool {
            guard r >= 0, r < n, !shown[r] else { return false }
            shown[r] = true
            if cost() <= capacity { return true }
            shown[r] = false
            return false
        }
        for anchor in anchors + [[n - 1]] {
            for r in anchor where r >= 0 && r < n && !shown[r] {
                if !tryShow(r) { break }
            }
        }
        var grew = true
        while grew {
            grew = false
            // The rows just below and just above each shown run, taken from the top.
            var candidates: [Int] = []
            for r in stride(from: n - 1, through: 0, by: -1) where shown[r] {
                if r + 1 < n && !shown[r + 1] { candidates.append(r + 1) }
                if r > 0 && !shown[r - 1] { candidates.append(r - 1) }
            }
            for r in candidates where tryShow(r) { grew = true }
        }
        var out: [StructureLine] = []
        var r = n - 1
        while r >= 0 {
            if shown[r] {
                out.append(.row(r))
                r -= 1
            } else {
                var lo = r
                while lo > 0 && !shown[lo - 1] { lo -= 1 }
                out.append(.hidden(lo...r))
                r = lo - 1
            }
        }
        return out
    }
}
