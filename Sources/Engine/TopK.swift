// The k largest entries of a vector, for greedy and beam decoding (not differentiable, not in the graph).

extension Kernels {
    /// The `k` largest values with their indices, largest first; equal values come in index order, and NaN
    /// ranks below every number (−∞ included), so a model that diverged still decodes deterministically.
    ///
    /// One pass that keeps the best k so far in order: an entry that does not beat the k-th best costs one
    /// comparison, which is nearly every entry of a vocabulary when k is a beam width. Above k = 64 a full
    /// sort of the indices is cheaper than insertion.
    public static func topK(_ values: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, value: Float)] {
        precondition(k >= 0 && k <= values.count, "topK of \(k) from \(values.count) values")
        // Whether (i, a) ranks before (j, b): larger first, NaN last, ties by lower index.
        @inline(__always) func before(_ i: Int, _ a: Float, _ j: Int, _ b: Float) -> Bool {
            if a.isNaN || b.isNaN { return a.isNaN == b.isNaN ? i < j : b.isNaN }
            return a > b || (a == b && i < j)
        }
        if k == 0 { return [] }
        if k > 64 {
            let order = (0..<values.count).sorted { before($0, values[$0], $1, values[$1]) }
            return order.prefix(k).map { (index: $0, value: values[$0]) }
        }
        var best: [(index: Int, value: Float)] = []
        best.reserveCapacity(k + 1)
        for i in 0..<values.count {
            let v = values[i]
            // Entries come in index order, so a later entry never wins a tie against a kept one.
            if best.count == k {
                let last = best[k - 1]
                if !before(i, v, last.index, last.value) { continue }
                best.removeLast()
            }
            var p = best.count
            while p > 0 && before(i, v, best[p - 1].index, best[p - 1].value) { p -= 1 }
            best.insert((i, v), at: p)
        }
        return best
    }

    /// `topK` of an array.
    public static func topK(_ values: [Float], k: Int) -> [(index: Int, value: Float)] {
        values.withUnsafeBufferPointer { topK($0, k: k) }
    }
}
