import Engine
import Foundation
import Testing

/// arnn against values PyTorch computed (Tests/Fixtures/make_parity_fixture.py): layers forward and
/// backward (a bidirectional GRU over a short sequence among them), optimiser steps, clipping and losses,
/// each to 1e-5.
@Suite struct PyTorchParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch_parity.safetensors").path
    let ref: Checkpoint
    let tolerance: Float = 1e-5

    init() throws { ref = try Checkpoint.read(from: Self.fixturePath) }

    func t(_ name: String) -> Tensor { ref[name]! }
    func meta(_ key: String) -> Float { Float(ref.metadata[key]!)! }

    func expectClose(_ a: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let b = t(name)
        #expect(a.shape == b.shape, "\(name): shape \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
        guard a.shape == b.shape else { return }
        let d = a.maxAbsDifference(b)
        #expect(d <= tolerance, "\(name): max difference \(d)", sourceLocation: sourceLocation)
    }

    @Test func linearForwardAndBackward() {
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let layer = Linear("linear", inFeatures: 5, outFeatures: 4, rng: &rng)
        layer.weight.tensor = t("linear.weight")
        layer.bias!.tensor = t("linear.bias")
        let g = Graph(recording: true)
        let x = g.variable(t("linear.x"))
        let y = layer(g, x)
        g.backward(g.sum(g.mul(y, g.constant(t("linear.dy")))))
        expectClose(g.value(y), "linear.y")
        expectClose(g.grad(x), "linear.grad.x")
        expectClose(layer.weight.gradTensor, "linear.grad.weight")
        expectClose(layer.bias!.gradTensor, "linear.grad.bias")
    }

    @Test func lstmCellForwardAndBackward() {
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let cell = LSTMCell("lstm", inputSize: 5, hiddenSize: 6, rng: &rng)
        cell.weightIH.tensor = t("lstm.weight_ih"); cell.weightHH.tensor = t("lstm.weight_hh")
        cell.biasIH.tensor = t("lstm.bias_ih"); cell.biasHH.tensor = t("lstm.bias_hh")
        let g = Graph(recording: true)
        let x = g.variable(t("lstm.x")), h0 = g.variable(t("lstm.h0")), c0 = g.variable(t("lstm.c0"))
        let (h1, c1) = cell(g, x, h: h0, c: c0)
        let loss = g.add(g.sum(g.mul(h1, g.constant(t("lstm.dh")))), g.sum(g.mul(c1, g.constant(t("lstm.dc")))))
        g.backward(loss)
        expectClose(g.value(h1), "lstm.h1")
        expectClose(g.value(c1), "lstm.c1")
        expectClose(g.grad(x), "lstm.grad.x")
        expectClose(g.grad(h0), "lstm.grad.h0")
        expectClose(g.grad(c0), "lstm.grad.c0")
        expectClose(cell.weightIH.gradTensor, "lstm.grad.weight_ih")
        expectClose(cell.weightHH.gradTensor, "lstm.grad.weight_hh")
        expectClose(cell.biasIH.gradTensor, "lstm.grad.bias_ih")
        expectClose(cell.biasHH.gradTensor, "lstm.grad.bias_hh")
    }

    @Test func gruCellForwardAndBackward() {
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let cell = GRUCell("gru", inputSize: 5, hiddenSize: 6, rng: &rng)
        cell.weightIH.tensor = t("gru.weight_ih"); cell.weightHH.tensor = t("gru.weight_hh")
        cell.biasIH.tensor = t("gru.bias_ih"); cell.biasHH.tensor = t("gru.bias_hh")
        let g = Graph(recording: true)
        let x = g.variable(t("gru.x")), h0 = g.variable(t("gru.h0"))
        let h1 = cell(g, x, h: h0)
        g.backward(g.sum(g.mul(h1, g.constant(t("gru.dh")))))
        expectClose(g.value(h1), "gru.h1")
        expectClose(g.grad(x), "gru.grad.x")
        expectClose(g.grad(h0), "gru.grad.h0")
        expectClose(cell.weightIH.gradTensor, "gru.grad.weight_ih")
        expectClose(cell.weightHH.gradTensor, "gru.grad.weight_hh")
        expectClose(cell.biasIH.gradTensor, "gru.grad.bias_ih")
        expectClose(cell.biasHH.gradTensor, "gru.grad.bias_hh")
    }

    @Test func bidirectionalGRUOverThreeStepsMatchesNNGRU() {
        // Two GRUCells named as nn.GRU names its directions: one reads x_0...x_2, the other x_2...x_0;
        // y_t is [forward h_t, backward h_t] and h_n stacks the two final states.
        let steps = 3, batch = 2, hidden = 3
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let cells = ["_l0", "_l0_reverse"].map { GRUCell("bigru", suffix: $0, inputSize: 4, hiddenSize: hidden, rng: &rng) }
        for c in cells { for p in c.parameters { p.tensor = t(p.name) } }
        let g = Graph(recording: true)
        let x = g.variable(t("bigru.x")), h0 = g.variable(t("bigru.h0"))
        var outputs = [[Var]](repeating: [], count: 2), finals: [Var] = []
        for (d, cell) in cells.enumerated() {
            var h = g.reshape(g.slice(h0, axis: 0, start: d, count: 1), [batch, hidden])
            var out = [Var?](repeating: nil, count: steps)
            for step in (d == 0 ? Array(0..<steps) : (0..<steps).reversed()) {
                h = cell(g, g.reshape(g.slice(x, axis: 0, start: step, count: 1), [batch, 4]), h: h)
                out[step] = h
            }
            outputs[d] = out.map { $0! }
            finals.append(h)
        }
        let y = g.reshape(g.concat((0..<steps).map { g.concat([outputs[0][$0], outputs[1][$0]], axis: 1) }, axis: 0),
                          [steps, batch, 2 * hidden])
        let hn = g.reshape(g.concat(finals, axis: 0), [2, batch, hidden])
        g.backward(g.add(g.sum(g.mul(y, g.constant(t("bigru.dy")))), g.sum(g.mul(hn, g.constant(t("bigru.dh"))))))
        expectClose(g.value(y), "bigru.y")
        expectClose(g.value(hn), "bigru.hn")
        expectClose(g.grad(x), "bigru.grad.x")
        expectClose(g.grad(h0), "bigru.grad.h0")
        for c in cells { for p in c.parameters { expectClose(p.gradTensor, "bigru.grad.\(p.name.dropFirst("bigru.".count))") } }
    }

    /// Runs three steps of an optimiser from `group.p0` with gradients `group.g1...g3`.
    func checkOptimizer(_ group: String, _ make: ([Parameter]) -> Optimizer, sourceLocation: SourceLocation = #_sourceLocation) {
        let p = Parameter("p", t("\(group).p0"))
        let opt = make([p])
        for k in 1...3 {
            p.zeroGrad()
            let g = t("\(group).g\(k)")
            for i in 0..<p.count { p.grad[i] = g.data[i] }
            opt.step()
            expectClose(p.tensor, "\(group).p\(k)", sourceLocation: sourceLocation)
        }
    }

    @Test func rmspropMatchesTorch() {
        checkOptimizer("rmsprop") {
            RMSprop($0, learningRate: meta("rmsprop.lr"), alpha: meta("rmsprop.alpha"), eps: meta("rmsprop.eps"),
                    momentum: meta("rmsprop.momentum"), centered: false)
        }
        checkOptimizer("rmsprop_centered") {
            RMSprop($0, learningRate: meta("rmsprop_centered.lr"), alpha: meta("rmsprop_centered.alpha"),
                    eps: meta("rmsprop_centered.eps"), momentum: meta("rmsprop_centered.momentum"), centered: true)
        }
    }

    @Test func adamMatchesTorch() {
        for group in ["adam", "adam_wd"] {
            checkOptimizer(group) {
                Adam($0, learningRate: meta("\(group).lr"), beta1: meta("\(group).beta1"), beta2: meta("\(group).beta2"),
                     eps: meta("\(group).eps"), weightDecay: meta("\(group).weight_decay"))
            }
        }
    }

    @Test func sgdMatchesTorch() {
        checkOptimizer("sgd") { SGD($0, learningRate: meta("sgd.lr"), momentum: meta("sgd.momentum")) }
        checkOptimizer("sgd_nesterov") {
            SGD($0, learningRate: meta("sgd_nesterov.lr"), momentum: meta("sgd_nesterov.momentum"), nesterov: true)
        }
    }

    @Test func gradientClippingMatchesTorch() {
        let names = ["a", "b", "c"]
        func params() -> [Parameter] {
            names.map { n in
                let p = Parameter(n, Tensor(shape: t("clip.g.\(n)").shape))
                for (i, v) in t("clip.g.\(n)").data.enumerated() { p.grad[i] = v }
                return p
            }
        }
        let byNorm = params()
        let total = byNorm.clipGradNorm(meta("clip.max_norm"))
        #expect(abs(total - t("clip.total_norm").data[0]) <= tolerance)
        for (p, n) in zip(byNorm, names) { expectClose(p.gradTensor, "clip.norm.\(n)") }
        let byValue = params()
        byValue.clipGradValue(meta("clip.clip_value"))
        for (p, n) in zip(byValue, names) { expectClose(p.gradTensor, "clip.value.\(n)") }
    }

    @Test func lossesMatchTorch() {
        let g = Graph(recording: true)
        let logits = g.variable(t("bce.logits"))
        let bce = g.bceWithLogits(logits, targets: g.constant(t("bce.targets")))
        g.backward(bce)
        #expect(abs(g.scalar(bce) - t("bce.loss").data[0]) <= tolerance * max(1, abs(g.scalar(bce))))
        expectClose(g.grad(logits), "bce.grad.logits")

        let g2 = Graph(recording: true)
        let ceLogits = g2.variable(t("ce.logits"))
        let ce = g2.crossEntropy(ceLogits, targets: t("ce.targets").data.map { Int($0) })
        g2.backward(ce)
        #expect(abs(g2.scalar(ce) - t("ce.loss").data[0]) <= tolerance)
        expectClose(g2.grad(ceLogits), "ce.grad.logits")

        let g3 = Graph(recording: true)
        let padded = g3.variable(t("ce_ignore.logits"))
        let targets = t("ce_ignore.targets").data.map { Int($0) }
        let ignore = Int(meta("ce_ignore.ignore_index"))
        let mean = g3.crossEntropy(padded, targets: targets, ignoreIndex: ignore)
        g3.backward(mean)
        #expect(abs(g3.scalar(mean) - t("ce_ignore.loss").data[0]) <= tolerance)
        expectClose(g3.grad(padded), "ce_ignore.grad.logits")
        expectClose(g3.value(g3.crossEntropy(padded, targets: targets, ignoreIndex: ignore, reduction: .none)), "ce_ignore.losses")
    }
}
