/// Which way a rectangle is cut: `.vertical` stacks pieces top to bottom, `.horizontal` side by side.
public enum Axis: Sendable { case horizontal, vertical }

/// How long one piece of a split should be along the split axis.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less only when the space runs out).
    case length(Int)
    /// `p` percent of the space (after spacing), rounded down.
    case percentage(Int)
    /// A share of what is left after lengths, percentages and minimums, in proportion to `weight`.
    case fill(Int)
    /// At least `n` cells, and a share (weight 1) of what is left like `.fill(1)`.
    case min(Int)
}

extension Rect {
    /// Cuts this rectangle along `axis` into one piece per constraint, in order, with `spacing` empty cells
    /// between neighbours. Promises:
    /// - the pieces tile the rectangle without overlap, in order, each spanning its full cross-axis size;
    /// - when everything fits, lengths, percentages and minimums get exactly what they ask and the space left
    ///   is shared among `.fill` and `.min` pieces by weight, leftover cells going to the earliest of them;
    /// - when it does not fit, pieces are shortened from the last one backwards, down to zero.
    public func split(_ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        guard !constraints.isEmpty else { return [] }
        let extent = axis == .vertical ? height : width
        let gaps = Swift.max(0, spacing) * (constraints.count - 1)
        let total = Swift.max(0, extent - gaps)
        var sizes = constraints.map { c -> Int in
            switch c {
            case let .length(n): return Swift.max(0, n)
            case let .percentage(p): return total * Swift.max(0, Swift.min(100, p)) / 100
            case let .min(n): return Swift.max(0, n)
            case .fill: return 0
            }
        }
        var used = sizes.reduce(0, +)
        if used > total {
            // Shorten from the back until the pieces fit.
            var excess = used - total
            for i in sizes.indices.reversed() where excess > 0 {
                let cut = Swift.min(sizes[i], excess)
                sizes[i] -= cut
                excess -= cut
            }
            used = total
        }
        let weights = constraints.map { c -> Int in
            switch c {
            case let .fill(w): return Swift.max(0, w)
            case .min: return 1
            default: return 0
            }
        }
        let totalWeight = weights.reduce(0, +)
        let free = total - used
        if free > 0, totalWeight > 0 {
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                let share = free * weights[i] / totalWeight
                sizes[i] += share
                given += share
            }
            var rest = free - given
            for i in sizes.indices where weights[i] > 0 && rest > 0 {
                sizes[i] += 1
                rest -= 1
            }
        }
        var pieces: [Rect] = []
        pieces.reserveCapacity(sizes.count)
        var offset = axis == .vertical ? y : x
        let gap = Swift.max(0, spacing)
        for (i, size) in sizes.enumerated() {
            // Spacing is only given while there is room for it.
            let limit = axis == .vertical ? maxY : maxX
            let start = Swift.min(offset, limit)
            let length = Swift.min(size, limit - start)
            switch axis {
            case .vertical: pieces.append(Rect(x: x, y: start, width: width, height: length))
            case .horizontal: pieces.append(Rect(x: start, y: y, width: length, height: height))
            }
            offset = start + length + (i < sizes.count - 1 ? gap : 0)
        }
        return pieces
    }
}
