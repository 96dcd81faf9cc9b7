import Engine
import Models
import Testing

/// The NTM's addressing stages by hand (docs/models/ntm.md, eqs. (8)–(13)).
@Suite struct AddressingTests {
    /// Head parameters for one example, as constants.
    func head(_ g: Graph, key: [Float], beta: Float, gate: Float, shift: [Float], gamma: Float) -> HeadParameterVars {
        HeadParameterVars(key: g.constant(Tensor(shape: [1, key.count], data: key)),
                          beta: g.constant(Tensor(shape: [1, 1], data: [beta])),
                          gate: g.constant(Tensor(shape: [1, 1], data: [gate])),
                          shift: g.constant(Tensor(shape: [1, shift.count], data: shift)),
                          gamma: g.constant(Tensor(shape: [1, 1], data: [gamma])))
    }

    /// A 6×4 memory whose rows point in clearly different directions.
    let memory = Tensor(shape: [1, 6, 4], data: [
        1, 0, 0, 0,   0, 1, 0, 0,   0, 0, 1, 0,
        0, 0, 0, 1,   1, 1, 0, 0,   0, 1, 1, 1,
    ])

    func oneHot(_ i: Int, _ n: Int = 6) -> Tensor {
        var t = Tensor(shape: [1, n])
        t.data[i] = 1
        return t
    }

    @Test func keyEqualToARowWithLargeBetaPicksThatRow() {
        let g = Graph()
        let p = head(g, key: [0, 0, 1, 0], beta: 50, gate: 1, shift: [0, 1, 0], gamma: 1)
        let a = Addressing.address(g, memory: g.constant(memory), previous: g.constant(oneHot(0)), head: p)
        let w = g.value(a.weighting).data
        #expect(w[2] > 0.99, "weighting \(w)")
        #expect(w.enumerated().allSatisfy { $0.offset == 2 || $0.element < 0.01 })
    }

    @Test func gateZeroKeepsThePreviousWeighting() {
        let g = Graph()
        let previous = Tensor(shape: [1, 6], data: [0.1, 0.2, 0.3, 0.25, 0.1, 0.05])
        let p = head(g, key: [1, 0, 0, 0], beta: 20, gate: 0, shift: [0, 1, 0], gamma: 1)
        let a = Addressing.address(g, memory: g.constant(memory), previous: g.constant(previous), head: p)
        #expect(g.value(a.weighting).maxAbsDifference(previous) < 1e-6)
    }

    @Test func shiftOfPlusOneMovesAOneHotWeightingOneRowWithWrapAround() {
        for start in [0, 3, 5] {
            let g = Graph()
            let p = head(g, key: [1, 0, 0, 0], beta: 1, gate: 0, shift: [0, 0, 1], gamma: 1)
            let a = Addressing.address(g, memory: g.constant(memory), previous: g.constant(oneHot(start)), head: p)
            #expect(g.value(a.weighting).maxAbsDifference(oneHot((start + 1) % 6)) < 1e-6, "from row \(start)")
        }
        let g = Graph()
        let p = head(g, key: [1, 0, 0, 0], beta: 1, gate: 0, shift: [1, 0, 0], gamma: 1)
        let a = Addressing.address(g, memory: g.constant(memory), previous: g.constant(oneHot(0)), head: p)
        #expect(g.value(a.weighting).maxAbsDifference(oneHot(5)) < 1e-6, "a shift of −1 from row 0 wraps to row 5")
    }

    @Test func gammaSharpens() {
        let g = Graph()
        let previous = Tensor(shape: [1, 6], data: [0.1, 0.2, 0.4, 0.2, 0.05, 0.05])
        let soft = Addressing.address(g, memory: g.constant(memory), previous: g.constant(previous),
                                      head: head(g, key: [1, 0, 0, 0], beta: 1, gate: 0, shift: [0, 1, 0], gamma: 1))
        let sharp = Addressing.address(g, memory: g.constant(memory), previous: g.constant(previous),
                                       head: head(g, key: [1, 0, 0, 0], beta: 1, gate: 0, shift: [0, 1, 0], gamma: 3))
        let ws = g.value(soft.weighting).data, wh = g.value(sharp.weighting).data
        #expect(wh[2] > ws[2] + 0.2, "γ = 3 concentrates the peak: \(ws[2]) → \(wh[2])")
        // γ = 3 is exactly w³ normalised.
        let cubes = previous.data.map { $0 * $0 * $0 }, total = cubes.reduce(0, +)
        for i in 0..<6 { #expect(abs(wh[i] - cubes[i] / total) < 1e-5) }
    }

    @Test func eraseOneWithAddZeroClearsExactlyTheWeightedRow() {
        let g = Graph()
        let written = Addressing.write(g, memory: g.constant(memory), weighting: g.constant(oneHot(5)),
                                       erase: g.constant(Tensor(shape: [1, 4], repeating: 1)),
                                       add: g.constant(Tensor(shape: [1, 4])))
        let m = g.value(written)
        for col in 0..<4 { #expect(m[0, 5, col] == 0) }
        for row in 0..<5 { for col in 0..<4 { #expect(m[0, row, col] == memory[0, row, col]) } }
    }

    @Test func readIsTheWeightedSumOfRows() {
        let g = Graph()
        let w = Tensor(shape: [1, 6], data: [0.5, 0, 0, 0, 0.5, 0])
        let r = g.value(Addressing.read(g, memory: g.constant(memory), weighting: g.constant(w)))
        #expect(r.data == [1, 0.5, 0, 0])
    }

    @Test func weightingsStayNormalisedAndFiniteOnDegenerateMemoryAndKeys() {
        // All-equal memory (here the constant initial memory) and a zero key: no NaN, sums to 1.
        var rng = SeededRNG(seed: 5)
        for trial in 0..<20 {
            let g = Graph()
            let constant = Tensor(shape: [1, 6, 4], repeating: trial % 2 == 0 ? 1e-6 : 0)
            let key = trial % 3 == 0 ? [Float](repeating: 0, count: 4) : (0..<4).map { _ in rng.normal() }
            var shift = (0..<3).map { _ in rng.uniform() }
            let total = shift.reduce(0, +)
            shift = shift.map { $0 / total }
            var prev = (0..<6).map { _ in rng.uniform() }
            let pt = prev.reduce(0, +)
            prev = prev.map { $0 / pt }
            let p = head(g, key: key, beta: rng.uniform(0, 30), gate: rng.uniform(), shift: shift, gamma: 1 + rng.uniform(0, 20))
            let a = Addressing.address(g, memory: g.constant(constant), previous: g.constant(Tensor(shape: [1, 6], data: prev)), head: p)
            for stage in [a.content, a.gated, a.shifted, a.weighting] {
                let w = g.value(stage).data
                #expect(w.allSatisfy { $0.isFinite && $0 >= 0 }, "trial \(trial): \(w)")
                #expect(abs(w.reduce(0, +) - 1) < 1e-4, "trial \(trial): sums to \(w.reduce(0, +))")
            }
        }
    }
}
