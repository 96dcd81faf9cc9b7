import Engine

/// `arnn bench engine`: the engine's hot paths at the default memory model's sizes (an LSTMCell with input 29 and
/// hidden 100, whose gate product is a 400×129 matrix times a vector), at batch 1 and batch 32.
public enum EngineBenchmark {
    public static func run() -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        var rng = SeededRNG(seed: 1)
        let input = 29, hidden = 100, gatesOut = 4 * hidden, k = input + hidden

        // The bare gate product W[400, 129] · x.
        let w = rng.uniformTensor([gatesOut, k], -0.1, 0.1)
        for batch in [1, 32] {
            let x = rng.uniformTensor([batch, k], -1, 1)
            var y = [Float](repeating: 0, count: batch * gatesOut)
            let us = w.data.withUnsafeBufferPointer { wp in
                x.data.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        medianMicroseconds {
                            Kernels.gemm(transA: false, transB: true, m: batch, n: gatesOut, k: k,
                                         xp.baseAddress!, wp.baseAddress!, yp.baseAddress!, accumulate: false)
                        }
                    }
                }
            }
            rows.append(BenchmarkRow(name: "gate product 400×129 · x, batch \(batch)", value: us,
                                     flops: Double(2 * batch * gatesOut * k),
                                     target: batch == 32 ? "≥ 20 GFLOP/s" : nil))
        }

        // The three products of a linear layer over many rows (a transformer's feed-forward block at the sort
        // demos' sizes, 32 sequences of 64 tokens): forward x·Wᵀ, the input's gradient dY·W and the weight's
        // gradient dYᵀ·x, which sums over all 2,048 rows.
        let rowsN = 2048, inF = 64, outF = 256
        let xs = rng.uniformTensor([rowsN, inF], -1, 1), ws = rng.uniformTensor([outF, inF], -0.1, 0.1)
        let dys = rng.uniformTensor([rowsN, outF], -1, 1)
        let products: [(String, Bool, Bool, Int, Int, Int, Tensor, Tensor)] = [
            ("x·Wᵀ, x [2048, 64], W [256, 64]", false, true, rowsN, outF, inF, xs, ws),
            ("dY·W, dY [2048, 256], W [256, 64]", false, false, rowsN, inF, outF, dys, ws),
            ("dYᵀ·x, dY [2048, 256], x [2048, 64]", true, false, outF, inF, rowsN, dys, xs),
        ]
        for (name, tA, tB, m, n, kk, a, b) in products {
            var c = [Float](repeating: 0, count: m * n)
            let us = a.data.withUnsafeBufferPointer { ap in
                b.data.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        medianMicroseconds {
                            Kernels.gemm(transA: tA, transB: tB, m: m, n: n, k: kk, ap.baseAddress!, bp.baseAddress!,
                                         cp.baseAddress!, accumulate: true)
                        }
                    }
                }
            }
            rows.append(BenchmarkRow(name: "linear \(name)", value: us, flops: Double(2 * m * n * kk)))
        }

        // The whole-tensor sum (`Graph.sum`, a loss's root) of [32, 15, 128].
        var big = rng.uniformTensor([32, 15, 128], -1, 1).data
        var total: Float = 0
        // Each call's first element depends on the last result, so no call can be hoisted or skipped.
        let sumUs = big.withUnsafeMutableBufferPointer { p in
            medianMicroseconds { p[0] = total * 1e-9; total += Kernels.sum(p.baseAddress!, p.count) }
        }
        precondition(total.isFinite)
        rows.append(BenchmarkRow(name: "sum of all of [32, 15, 128]", value: sumUs, flops: Double(big.count)))

        // The whole LSTMCell through the graph: forward only (viewer) and forward + backward (training).
        let cell = LSTMCell("controller", inputSize: input, hiddenSize: hidden, rng: &rng)
        for batch in [1, 32] {
            let x = rng.uniformTensor([batch, input], -1, 1)
            let h = rng.uniformTensor([batch, hidden], -1, 1), c = rng.uniformTensor([batch, hidden], -1, 1)
            let flops = Double(2 * batch * gatesOut * k)
            let g = Graph()
            let fwd = medianMicroseconds {
                g.reset()
                _ = cell(g, g.constant(x), h: g.constant(h), c: g.constant(c))
            }
            rows.append(BenchmarkRow(name: "LSTMCell(29, 100) forward, batch \(batch)", value: fwd,
                                     flops: flops, target: batch == 1 ? "≤ 5 µs" : nil))
            let tg = Graph(recording: true)
            let fb = medianMicroseconds {
                tg.reset()
                let (h2, c2) = cell(tg, tg.variable(x), h: tg.variable(h), c: tg.variable(c))
                tg.backward(tg.add(tg.sum(h2), tg.sum(c2)))
            }
            rows.append(BenchmarkRow(name: "LSTMCell(29, 100) forward+backward, batch \(batch)", value: fb,
                                     flops: 3 * flops))
        }
        cell.parameters.zeroGrad()
        return rows
    }
}
