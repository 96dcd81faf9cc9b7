import Models

/// A run of memory rows that may wrap round from row N − 1 to row 0, as the NTM's circular shift does
/// (docs/models/ntm.md eq. 10): the copy demo writes rows 0, 127, 126, …, so the rows it uses are one run
/// across the wrap, not two far apart.
public struct RowWindow: Sendable, Hashable {
    /// The first row of the run, how many rows it has, and N.
    public var start: Int
    public var count: Int
    public var rows: Int

    public init(start: Int, count: Int, rows: Int) {
        precondition(rows > 0 && count >= 0 && count <= rows, "a window holds 0…N rows")
        self.start = ((start % rows) + rows) % rows
        self.count = count
        self.rows = rows
    }

    /// Every row, 0 … N − 1.
    public static func all(_ rows: Int) -> RowWindow { RowWindow(start: 0, count: rows, rows: rows) }

    public var isAll: Bool { count == rows }
    public var last: Int { row(Swift.max(0, count - 1)) }

    /// The memory row at position `i` of the window.
    public func row(_ i: Int) -> Int { (start + i) % rows }

    /// The position of memory row `row` in the window, or nil when it is outside.
    public func index(of row: Int) -> Int? {
        let i = ((row - start) % rows + rows) % rows
        return i < count ? i : nil
    }

    /// `rows 114–3` (a wrapping run names its first and last row), or `rows 0–127`.
    public var label: String { "rows \(start)–\(last)" }

    /// The rows some head weights above `threshold` at some step of the episode (where a head focuses, not
    /// the faint spread of a diffuse weighting), as the shortest circular
    /// run that holds them all (the complement of the widest gap between them), widened by `margin` rows
    /// each side. When nothing is weighted, or the run would cover more than three quarters of memory
    /// anyway, every row.
    public static func inUse(_ snapshots: [NTMSnapshot], threshold: Float = 0.25, margin: Int = 2) -> RowWindow {
        guard let first = snapshots.first else { return .all(1) }
        let n = first.memoryAfter.shape[0]
        var used = [Bool](repeating: false, count: n)
        for s in snapshots {
            for head in s.heads {
                for (i, w) in head.weighting.enumerated() where w > threshold { used[i] = true }
            }
        }
        let rows = used.indices.filter { used[$0] }
        guard let lowest = rows.first, let highest = rows.last else { return .all(n) }
        // The widest run of `gap` unused rows, going round; the run in use starts right after it.
        var gap = lowest + n - highest - 1, runStart = lowest
        for (a, b) in zip(rows, rows.dropFirst()) where b - a - 1 > gap {
            gap = b - a - 1
            runStart = b
        }
        let count = n - gap + 2 * margin
        if count * 4 > n * 3 { return .all(n) }
        return RowWindow(start: runStart - margin, count: count, rows: n)
    }
}
