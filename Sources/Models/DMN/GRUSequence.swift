import Engine

// The GRUs of DMN+ read whole sequences whose inputs are known up front (a question's words, a story's
// sentences, its facts in every pass), so the input half of each gate, W_i x + b_i, is one matrix product
// over the whole sequence instead of one per step; only W_h h + b_h is left inside the loop.

/// Initialisation of docs/models/dmn.md: Xavier-uniform with gain 1 over each [rows, columns] block.
func xavierUniform(_ rng: inout SeededRNG, blocks: Int = 1, rows: Int, columns: Int) -> Tensor {
    let bound = (6 / Float(rows + columns)).squareRoot()
    // The blocks are stacked along the rows and share one bound, so drawing them one after the other is
    // one draw of the whole [blocks·rows, columns] tensor in row-major order.
    return rng.uniformTensor([blocks * rows, columns], -bound, bound)
}

extension GRUCell {
    /// A GRU with the initialisation of docs/models/dmn.md: each [H, in] and [H, H] gate block of
    /// `weight_ih` and `weight_hh` Xavier-uniform, biases zero (nn.GRU's names, with `suffix`).
    static func dmn(_ name: String, suffix: String, inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) -> GRUCell {
        var unused = SeededRNG(seed: 0)
        let cell = GRUCell(name, suffix: suffix, inputSize: inputSize, hiddenSize: hiddenSize, rng: &unused)
        cell.weightIH.tensor = xavierUniform(&rng, blocks: 3, rows: hiddenSize, columns: inputSize)
        cell.weightHH.tensor = xavierUniform(&rng, blocks: 3, rows: hiddenSize, columns: hiddenSize)
        cell.biasIH.tensor = Tensor(shape: [3 * hiddenSize])
        cell.biasHH.tensor = Tensor(shape: [3 * hiddenSize])
        return cell
    }

    /// W_i x + b_i (gates r, z, n) for every row of x [rows, in]: [rows, 3H].
    func inputProjection(_ g: Graph, _ x: Var) -> Var {
        g.linear(x, weight: g.param(weightIH), bias: g.param(biasIH))
    }

    /// One nn.GRUCell step from the input's projection `gi` [B, 3H] (a row block of `inputProjection`).
    func step(_ g: Graph, projected gi: Var, h: Var) -> Var {
        let hs = hiddenSize
        let i = g.split(gi, sizes: [hs, hs, hs])
        let r_h = g.split(g.linear(h, weight: g.param(weightHH), bias: g.param(biasHH)), sizes: [hs, hs, hs])
        let r = g.sigmoid(g.add(i[0], r_h[0]))
        let z = g.sigmoid(g.add(i[1], r_h[1]))
        let n = g.tanh(g.add(i[2], g.mul(r, r_h[2])))
        // h′ = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
        return g.add(n, g.mul(z, g.sub(h, n)))
    }

    /// The states of a GRU from h = 0 over a packed sequence (`StoryPacking`): step i reads the a_i rows
    /// [o_i, o_i + a_i) of `projected` and gives the state of those a_i examples, [a_i, H]. Forward, the
    /// examples whose story has ended drop off the end of the block; `backward`, from the last statement
    /// to the first, each example joins with h = 0 at its own last statement.
    func run(_ g: Graph, projected: Var, packing p: StoryPacking, backward: Bool = false) -> [Var] {
        var states = [Var?](repeating: nil, count: p.count)
        var h: Var?
        for i in backward ? Array((0..<p.count).reversed()) : Array(0..<p.count) {
            let a = p.active[i]
            let previous: Var
            if let h {
                let had = g.shape(h)[0]
                if had > a {
                    previous = g.slice(h, axis: 0, start: 0, count: a)                      // a view
                } else if had < a {
                    previous = g.concat([h, g.constant(Shape(a - had, hiddenSize), repeating: 0)], axis: 0)
                } else {
                    previous = h
                }
            } else {
                previous = g.constant(Shape(a, hiddenSize), repeating: 0)
            }
            h = step(g, projected: g.slice(projected, axis: 0, start: p.offsets[i], count: a), h: previous)
            states[i] = h
        }
        return states.map { $0! }
    }

    /// The states of a GRU over `steps` inputs from h = 0 (a batch of questions), each step's inputs the
    /// row block [s·B, (s+1)·B) of `projected` (step-major). `lengths[b]` is how many steps example b has:
    /// its padded steps keep the state.
    func run(_ g: Graph, projected: Var, steps: Int, lengths: [Int]) -> [Var] {
        let b = lengths.count, shortest = lengths.min() ?? 0
        var h = g.constant(Shape(b, hiddenSize), repeating: 0)
        var states: [Var] = []
        for s in 0..<steps {
            let next = step(g, projected: g.slice(projected, axis: 0, start: s * b, count: b), h: h)
            if s < shortest {
                h = next
            } else {
                // h = h + mask ⊙ (h′ − h), mask 1 at real steps.
                let mask = g.constant(Tensor(shape: [b, 1], data: lengths.map { s < $0 ? 1 : 0 }))
                h = g.add(h, g.mul(mask, g.sub(next, h)))
            }
            states.append(h)
        }
        return states
    }
}
