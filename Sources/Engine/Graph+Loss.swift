#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Losses, each a one-element value, computed from logits in their numerically stable forms.

extension Graph {
    /// Σ w · [max(x, 0) − x t + log(1 + e^{−|x|})]: binary cross-entropy of `targets` under sigmoid(`logits`),
    /// summed (PyTorch's `binary_cross_entropy_with_logits(reduction: "sum")`). Optional `weights` of the
    /// same shape (0/1 masks of the scored steps).
    public func bceWithLogits(_ logits: Var, targets: Var, weights: Var? = nil) -> Var {
        let xn = node(logits), tn = node(targets)
        precondition(xn.shape == tn.shape, "bceWithLogits of logits \(xn.shape) and targets \(tn.shape)")
        let wv = weights.map { w -> UnsafeMutablePointer<Float> in
            precondition(node(w).shape == xn.shape, "bceWithLogits weights \(node(w).shape) for logits \(xn.shape)")
            return node(w).value
        }
        let out = makeNode(Shape([]), needsGrad: xn.grad != nil)
        let yn = node(out)
        let n = xn.shape.count, x = xn.value, t = tn.value
        var s: Float = 0
        for i in 0..<n {
            let l = max(x[i], 0) - x[i] * t[i] + log1pf(expf(-abs(x[i])))
            s += (wv?[i] ?? 1) * l
        }
        yn.value[0] = s
        if let gx = xn.grad, let gy = yn.grad {
            record {
                let g = gy[0]
                for i in 0..<n {
                    let p = 1 / (1 + expf(-x[i]))
                    gx[i] += g * (wv?[i] ?? 1) * (p - t[i])
                }
            }
        }
        return out
    }

    /// How a loss over a batch is reduced: summed, averaged, or one loss per row (PyTorch's
    /// `reduction="none"`).
    public enum Reduction: Sendable { case sum, mean, none }

    /// −log softmax(logits)[target] for logits [N, C] and N class indices (PyTorch's `cross_entropy`,
    /// mean by default). Rows whose target is `ignoreIndex` (padding) contribute nothing, as PyTorch's
    /// `ignore_index`: `.mean` averages over the other rows, `.none` gives [N] with 0 at ignored rows.
    /// When every row is ignored `.mean` gives 0 with no gradient (PyTorch gives NaN).
    public func crossEntropy(_ logits: Var, targets: [Int], ignoreIndex: Int? = nil,
                             reduction: Reduction = .mean) -> Var {
        let xn = node(logits)
        precondition(xn.shape.rank == 2 && xn.shape[0] == targets.count,
                     "crossEntropy of logits \(xn.shape) with \(targets.count) targets")
        let batch = xn.shape[0], c = xn.shape[1]
        var counted = 0
        for t in targets where t != ignoreIndex {
            precondition(t >= 0 && t < c, "crossEntropy target \(t) outside 0..<\(c)")
            counted += 1
        }
        let lsm = logSoftmax(logits, axis: 1)
        let ln = node(lsm)
        let out = makeNode(reduction == .none ? Shape(batch) : Shape([]), needsGrad: ln.grad != nil)
        let yn = node(out)
        let lv = ln.value, yv = yn.value
        if reduction == .none {
            for b in 0..<batch { yv[b] = targets[b] == ignoreIndex ? 0 : -lv[b * c + targets[b]] }
            if let gl = ln.grad, let gy = yn.grad {
                record { for b in 0..<batch where targets[b] != ignoreIndex { gl[b * c + targets[b]] -= gy[b] } }
            }
            return out
        }
        let scale: Float = reduction == .mean ? 1 / Float(max(counted, 1)) : 1
        var s: Float = 0
        for b in 0..<batch where targets[b] != ignoreIndex { s -= lv[b * c + targets[b]] }
        yv[0] = s * scale
        if let gl = ln.grad, let gy = yn.grad {
            record {
                let d = gy[0] * scale
                for b in 0..<batch where targets[b] != ignoreIndex { gl[b * c + targets[b]] -= d }
            }
        }
        return out
    }

    /// The Huber loss of predictions x [N] against `targets` (N numbers), one value per row [N]:
    /// ½ (x − y)² where |x − y| ≤ δ, else δ (|x − y| − ½ δ) (PyTorch's `huber_loss(reduction="none")`):
    /// quadratic near the answer, linear far from it, so a wild prediction cannot swamp a batch.
    public func huber(_ x: Var, targets: [Float], delta: Float) -> Var {
        let xn = node(x)
        precondition(xn.shape.count == targets.count, "huber of \(xn.shape) predictions with \(targets.count) targets")
        precondition(delta > 0, "huber needs a positive delta, got \(delta)")
        let n = targets.count
        let out = makeNode(Shape(n), needsGrad: xn.grad != nil)
        let yn = node(out)
        let xv = xn.value, yv = yn.value
        for i in 0..<n {
            let d = xv[i] - targets[i]
            yv[i] = abs(d) <= delta ? 0.5 * d * d : delta * (abs(d) - 0.5 * delta)
        }
        if let gx = xn.grad, let gy = yn.grad {
            record {
                for i in 0..<n {
                    let d = xv[i] - targets[i]
                    gx[i] += gy[i] * (abs(d) <= delta ? d : (d > 0 ? delta : -delta))
                }
            }
        }
        return out
    }
}
