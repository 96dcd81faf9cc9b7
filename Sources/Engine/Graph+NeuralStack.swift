// The strength arithmetic of the continuous stack, queue and double-ended queue of Grefenstette et al.
// 2015 (docs/models/neural-stack.md): a pop that removes up to u of strength from one end, and the read
// weights that take at most depth 1 from one end. Rows run oldest first (row 0 the bottom); `end` names
// the end that is popped or read. Values are pushed by `concat`; the reads are `weightedSum`.
//
// At a tie of max or min, the derivative is the left argument's (the paper's footnote 1): max(0, x) at
// x = 0 passes no gradient, and min(s, b) at s = b passes it to s.

/// The end of a continuous stack that an operation works on.
public enum StackEnd: String, Sendable, Codable, CaseIterable {
    /// The newest row (the last): a stack's pop and read, a deque's top.
    case top
    /// The oldest row (the first): a queue's pop and read, a deque's bottom.
    case bottom
}

extension Graph {
    /// The rows' strengths after a pop of `amount` from `end`, for strengths s [B, N] and amount u [B, 1]:
    /// out_i = max(0, s_i − max(0, u − Σ_{j nearer the end than i} s_j)) (docs/models/neural-stack.md,
    /// eqs. (2) and (5)). N may be 0.
    public func neuralPop(_ strengths: Var, amount: Var, from end: StackEnd) -> Var {
        let sn = node(strengths), un = node(amount)
        let b = sn.shape[0], n = sn.shape.rank == 2 ? sn.shape[1] : -1
        precondition(sn.shape.rank == 2 && un.shape == Shape(b, 1),
                     "neuralPop of strengths \(sn.shape) by amount \(un.shape): needs [B, N] and [B, 1]")
        let out = makeNode(sn.shape, needsGrad: sn.grad != nil || un.grad != nil)
        let yv = node(out).value, sv = sn.value, uv = un.value
        // The order from `end` inwards: position k is row order(k).
        let order: (Int) -> Int = end == .top ? { n - 1 - $0 } : { $0 }
        for bt in 0..<b {
            let s = sv + bt * n, y = yv + bt * n, u = uv[bt]
            var above: Float = 0
            for k in 0..<n {
                let i = order(k)
                y[i] = max(0, s[i] - max(0, u - above))
                above += s[i]
            }
        }
        if let gy = node(out).grad {
            let gs = sn.grad, gu = un.grad
            record {
                var gc = [Float](repeating: 0, count: n)
                for bt in 0..<b {
                    let s = sv + bt * n, g = gy + bt * n, u = uv[bt], gsb = gs.map { $0 + bt * n }
                    // Per row (from the end inwards): y = max(0, x), x = s − p, p = max(0, a), a = u − c,
                    // c the strength nearer the end; gc[k] is the gradient reaching c at position k.
                    var above: Float = 0
                    var dU: Float = 0
                    for k in 0..<n {
                        let i = order(k)
                        let a = u - above, x = s[i] - max(0, a)
                        let gx: Float = x > 0 ? g[i] : 0
                        gsb?[i] += gx
                        let ga: Float = a > 0 ? -gx : 0
                        dU += ga
                        gc[k] = -ga
                        above += s[i]
                    }
                    // c_k = Σ_{k' < k} s at position k': the row at k' gets Σ_{k > k'} gc[k].
                    var reach: Float = 0
                    for k in stride(from: n - 1, through: 0, by: -1) {
                        gsb?[order(k)] += reach
                        reach += gc[k]
                    }
                    gu?[bt] += dU
                }
            }
        }
        return out
    }

    /// The read weights at `end`, for strengths s [B, N]: w_i = min(s_i, max(0, 1 − Σ_{j nearer the end
    /// than i} s_j)), so the read Σ_i w_i v_i takes at most depth 1 (docs/models/neural-stack.md, eqs. (3)
    /// and (6)).
    public func neuralReadWeights(_ strengths: Var, from end: StackEnd) -> Var {
        let sn = node(strengths)
        precondition(sn.shape.rank == 2, "neuralReadWeights of strengths \(sn.shape): needs [B, N]")
        let b = sn.shape[0], n = sn.shape[1]
        let out = makeNode(sn.shape, needsGrad: sn.grad != nil)
        let yv = node(out).value, sv = sn.value
        let order: (Int) -> Int = end == .top ? { n - 1 - $0 } : { $0 }
        for bt in 0..<b {
            let s = sv + bt * n, y = yv + bt * n
            var above: Float = 0
            for k in 0..<n {
                let i = order(k)
                y[i] = min(s[i], max(0, 1 - above))
                above += s[i]
            }
        }
        if let gy = node(out).grad, let gs = sn.grad {
            record {
                var gc = [Float](repeating: 0, count: n)
                for bt in 0..<b {
                    let s = sv + bt * n, g = gy + bt * n, gsb = gs + bt * n
                    var above: Float = 0
                    for k in 0..<n {
                        let i = order(k)
                        let room = 1 - above, bound = max(0, room)
                        gc[k] = 0
                        if s[i] <= bound {
                            gsb[i] += g[i]          // min's tie goes to its left argument, s_i
                        } else if room > 0 {
                            gc[k] = -g[i]           // through max(0, 1 − c): ∂/∂c = −1
                        }
                        above += s[i]
                    }
                    var reach: Float = 0
                    for k in stride(from: n - 1, through: 0, by: -1) {
                        gsb[order(k)] += reach
                        reach += gc[k]
                    }
                }
            }
        }
        return out
    }
}
