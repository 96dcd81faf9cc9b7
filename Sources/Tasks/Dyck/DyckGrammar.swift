import Engine
import Foundation

/// The probabilistic grammar of Dyck-2 strings (Suzgun et al. 2019; docs/tasks/dyck.md):
///
///     S → ( S )  with p/2      S → [ S ]  with p/2      S → S S  with q      S → ε  with e = 1 − p − q
///
/// drawn *conditioned on the string's length*: a draw of n pairs is exactly what drawing from the grammar
/// until a string of n pairs comes out would give, without the rejections (the grammar of p = 0.5,
/// q = 0.25 yields 64 pairs about once in 1,300 draws, some of the others huge trees).
///
/// Z(n), the probability that S derives a string of n pairs, follows from the rules (eq. (1) in the doc):
///
///     Z(0) = e + q·Z(0)²                                           (the smaller root)
///     Z(n) = p·Z(n−1) + q·Σ_{k=0…n} Z(k)·Z(n−k)                    (n ≥ 1)
///
/// The two terms of the sum with an empty side (k = 0, k = n) give the same strings as S itself, so the
/// string of n ≥ 1 pairs is drawn from the other choices, in proportion (eq. (2)):
///
///     wrap:  p·Z(n−1)  (then ( or [ with ½ each)         split at k = 1 … n−1:  q·Z(k)·Z(n−k)
///
/// and Z(n)·(1 − 2q·Z(0)) is their sum. The weights are kept as Z(n)·cⁿ with c the grammar's radius of
/// convergence (eq. (3)): that leaves every ratio above unchanged (both choices of n pairs gain cⁿ) and
/// keeps the numbers near 1 at any length instead of underflowing for small p.
struct DyckGrammar: Sendable {
    let p: Double
    let q: Double

    /// Z(0): the probability that S derives the empty string.
    var emptyWeight: Double {
        let e = 1 - p - q
        return q == 0 ? e : (1 - (1 - 4 * q * e).squareRoot()) / (2 * q)
    }

    /// c = (1 − 2√(q·e)) / p, where the generating function of Z has its singularity (eq. (3)).
    var scale: Double { (1 - 2 * (q * (1 - p - q)).squareRoot()) / p }

    /// Z(k)·cᵏ for k = 0 … n.
    func weights(upTo n: Int) -> [Double] {
        let z0 = emptyWeight, pc = p * scale
        let loop = 1 - 2 * q * z0
        var z = [z0]
        z.reserveCapacity(n + 1)
        for m in stride(from: 1, through: n, by: 1) {
            var s = pc * z[m - 1]
            for k in stride(from: 1, to: m, by: 1) { s += q * z[k] * z[m - k] }
            z.append(s / loop)
        }
        return z
    }

    /// A string of `pairs` pairs as symbol ids (`(` 0, `)` 1, `[` 2, `]` 3). Random draws, depth first,
    /// left to right: at each S of n ≥ 1 pairs one uniform number picks wrap or the split point, and a
    /// wrap draws its kind.
    func sample(pairs: Int, rng: inout SeededRNG) -> [Int] {
        let z = weights(upTo: pairs)
        let pc = p * scale
        var out: [Int] = []
        out.reserveCapacity(2 * pairs)
        func emit(_ n: Int) {
            guard n > 0 else { return }
            let wrap = pc * z[n - 1]
            var total = wrap
            for k in stride(from: 1, to: n, by: 1) { total += q * z[k] * z[n - k] }
            var u = rng.uniformDouble() * total
            if u < wrap || n == 1 {
                let kind = rng.int(below: 2)
                out.append(2 * kind)
                emit(n - 1)
                out.append(2 * kind + 1)
                return
            }
            u -= wrap
            var k = 1
            while k < n - 1 {
                u -= q * z[k] * z[n - k]
                if u < 0 { break }
                k += 1
            }
            emit(k)
            emit(n - k)
        }
        emit(pairs)
        return out
    }
}
