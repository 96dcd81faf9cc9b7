import Engine
import Foundation

/// The Neural Programmer (Neelakantan, Le and Sutskever 2016) on tables of numbers
/// (docs/models/neural-programmer.md): a question RNN, a history RNN over T steps, and at each step a soft
/// choice of one operation and one column, whose results are mixed by their weights.
public final class NeuralProgrammer<Input: TableQuestionInput>: ReadThenAnswerModel, @unchecked Sendable {
    public typealias Sample = Input
    public static var kind: String { "np" }
    public let config: NeuralProgrammerConfig
    /// 𝐕 [V, d] (row 0, padding, zero), U [O, d], W^q [d, 2d], W^h [d, 3d], W^op [d, 2d], W^col [d, 2d],
    /// W^β [d, d].
    public let words: Parameter
    public let operations: Parameter
    public let question: Parameter
    public let history: Parameter
    public let operationSelector: Parameter
    public let columnSelector: Parameter
    public let pivotSelector: Parameter
    public var parameters: [Parameter] { [words, operations, question, history, operationSelector, columnSelector, pivotSelector] }

    static var operationCount: Int { ProgrammerOperation.allCases.count }

    /// The word embeddings and U from N(0, 0.1²); the two RNNs' matrices uniform in ±√(3/d), so that their
    /// recurrent part keeps a state's size from word to word (spectral radius near 1), and the selectors'
    /// uniform in ±1/√(fan-in) (the doc's "Initialisation").
    public init(config: NeuralProgrammerConfig, rng: inout SeededRNG) {
        self.config = config
        let v = config.vocabularySize, d = config.embeddingSize
        var w = rng.normalTensor([v, d], mean: 0, std: 0.1)
        for j in 0..<d { w.data[j] = 0 }
        words = Parameter("words.weight", w)
        operations = Parameter("operations.weight", rng.normalTensor([Self.operationCount, d], mean: 0, std: 0.1))
        func matrix(_ name: String, _ inputs: Int, bound: Float? = nil) -> Parameter {
            let a = bound ?? 1 / Float(inputs).squareRoot()
            return Parameter(name, rng.uniformTensor([d, inputs], -a, a))
        }
        let recurrent = (3 / Float(d)).squareRoot()
        question = matrix("question.weight", 2 * d, bound: recurrent)
        history = matrix("history.weight", 3 * d, bound: recurrent)
        operationSelector = matrix("operationSelector.weight", 2 * d)
        columnSelector = matrix("columnSelector.weight", 2 * d)
        pivotSelector = matrix("pivotSelector.weight", d)
    }

    /// How a step's choices are made: the softmaxes (training), their argmax (evaluation and the viewer),
    /// or a given program (tests: every example runs it).
    public enum Selection: Sendable {
        case soft
        case hard
        case program([ProgramStep])
    }

    /// One step of a given program: the operation, the column and the question's number it compares with.
    public struct ProgramStep: Sendable, Equatable {
        public var operation: ProgrammerOperation
        public var column: Int
        public var number: Int

        public init(_ operation: ProgrammerOperation, column: Int = 0, number: Int = 0) {
            self.operation = operation
            self.column = column
            self.number = number
        }
    }

    /// What the answer record holds, per example, in order: s_T, α^op_T(print), the number of the table's
    /// cells, then lookup_T over maxRows × maxColumns cells (row by row; cells outside the table 0).
    public static var answerHeader: Int { 3 }

    public struct Hop: HopVars {
        var operationWeights: Var, columnWeights: Var, usedOperations: Var, usedColumns: Var
        var greaterWeights: Var, lesserWeights: Var, usedGreater: Var, usedLesser: Var
        var rowsBefore: Var, rows: Var, scalar: Var, lookup: Var, history: Var
        var shape: [(rows: Int, columns: Int, numbers: Int)]
        var numberValues: [[Double]]
        var hard: Bool
        var answer: Var?

        public func snapshot(_ g: Graph, example b: Int) -> NeuralProgrammerSnapshot {
            let (m, c, n) = shape[b]
            let columns = g.shape(columnWeights)[1]
            let opRow = g.row(usedOperations, example: b), colRow = g.row(usedColumns, example: b)
            let gw = Array(g.row(greaterWeights, example: b).prefix(n)), lw = Array(g.row(lesserWeights, example: b).prefix(n))
            func pivot(_ v: Var) -> Float { zip(g.row(v, example: b), numberValues[b]).reduce(0) { $0 + $1.0 * Float($1.1) } }
            let lookupRow = g.row(lookup, example: b)
            return NeuralProgrammerSnapshot(
                operationWeights: g.row(operationWeights, example: b),
                columnWeights: Array(g.row(columnWeights, example: b).prefix(c)),
                operation: ProgrammerOperation(rawValue: opRow.indices.max { opRow[$0] < opRow[$1] } ?? 0) ?? .sum,
                column: Array(colRow.prefix(c)).indices.max { colRow[$0] < colRow[$1] } ?? 0,
                greaterPivotWeights: gw, lesserPivotWeights: lw, greaterPivot: pivot(usedGreater), lesserPivot: pivot(usedLesser),
                rowsBefore: Array(g.row(rowsBefore, example: b).prefix(m)), rows: Array(g.row(rows, example: b).prefix(m)),
                scalar: g.row(scalar, example: b)[0],
                lookup: (0..<m).map { i in Array(lookupRow[(i * columns)..<(i * columns + c)]) },
                history: g.row(history, example: b), hard: hard,
                answer: answer.map { Array(g.row($0, example: b).prefix(2)) } ?? [])
        }
    }

    public func answer(_ g: Graph, _ samples: [Input]) -> (hops: [Hop], answer: Var) {
        answer(g, samples, selection: .hard)
    }

    public func answer(_ g: Graph, _ samples: [Input], training: TrainingContext?) -> (hops: [Hop], answer: Var) {
        answer(g, samples, selection: training == nil ? .hard : .soft)
    }

    /// One-hot rows [B, width] at `index[b]`.
    func oneHot(_ g: Graph, _ index: [Int], width: Int) -> Var {
        var t = Tensor(shape: [index.count, width], data: [Float](repeating: 0, count: index.count * width))
        for (b, i) in index.enumerated() { t.data[b * width + i] = 1 }
        return g.constant(t)
    }

    /// The argmax of each row of `v` [B, width] among the entries `allowed` (all when nil).
    func argmax(_ g: Graph, _ v: Var, allowed: [Int]? = nil) -> [Int] {
        let width = g.shape(v)[1]
        return g.withValue(v) { x in
            (0..<g.shape(v)[0]).map { b in
                let n = allowed?[b] ?? width
                var best = 0
                for i in 1..<max(n, 1) where x[b * width + i] > x[b * width + best] { best = i }
                return best
            }
        }
    }

    /// One question's inputs, read once: a sample may compute them (a task's sample turns its words into ids
    /// on each access), and the model reads them many times.
    struct Reading {
        var words: [Int], values: [Double], contexts: [Int], cells: [[Double]], names: [Int]
        init(_ s: Input) {
            words = s.wordIds
            values = s.numberValues
            contexts = s.numberContexts
            cells = s.cells
            names = s.columnNameIds
        }
    }

    public func answer(_ g: Graph, _ samples: [Input], selection: Selection) -> (hops: [Hop], answer: Var) {
        let bs = samples.count, d = config.embeddingSize, o = Self.operationCount
        let r = config.maxRows, c = config.maxColumns
        let read = samples.map(Reading.init)
        let rowCounts = read.map(\.cells.count), columnCounts = read.map(\.names.count)
        precondition(rowCounts.allSatisfy { (1...r).contains($0) } && columnCounts.allSatisfy { (1...c).contains($0) },
                     "tables of 1…\(r) rows and 1…\(c) columns (the task refuses others)")
        precondition(read.allSatisfy { s in s.cells.allSatisfy { $0.count == s.names.count } }, "one cell per column in every row")
        let numberCounts = read.map(\.values.count)
        let n = max(numberCounts.max() ?? 0, 1)
        let q = max(read.map(\.words.count).max() ?? 0, 1)
        let numberValues = read.map(\.values)

        // The padded table M [B, R, C] and its masks; comparisons with every number, and the hard row
        // selections of greatest, lowest, first and last (eqs. 11, 12): constants, no gradient.
        var table = [Float](repeating: 0, count: bs * r * c)
        var rowMask = [Float](repeating: 0, count: bs * r)
        var columnMask = [Bool](repeating: false, count: bs * c)
        var greaterCells = [Float](repeating: 0, count: bs * n * r * c), lesserCells = greaterCells
        var greatestRows = [Float](repeating: 0, count: bs * r * c), lowestRows = greatestRows
        var firstRow = [Float](repeating: 0, count: bs * r), lastRow = firstRow
        var numberMask = [Bool](repeating: false, count: bs * n)
        var contexts = [Float](repeating: 0, count: bs * n * (q + 1))
        for (b, s) in read.enumerated() {
            let m = rowCounts[b], cc = columnCounts[b]
            for i in 0..<m {
                rowMask[b * r + i] = 1
                for j in 0..<cc { table[(b * r + i) * c + j] = Float(s.cells[i][j]) }
            }
            for j in 0..<cc {
                columnMask[b * c + j] = true
                let column = (0..<m).map { s.cells[$0][j] }
                let top = column.max()!, bottom = column.min()!
                for i in 0..<m {
                    if column[i] == top { greatestRows[(b * r + i) * c + j] = 1 }
                    if column[i] == bottom { lowestRows[(b * r + i) * c + j] = 1 }
                }
            }
            firstRow[b * r] = 1
            lastRow[b * r + m - 1] = 1
            for (k, value) in s.values.enumerated() {
                numberMask[b * n + k] = true
                contexts[(b * n + k) * (q + 1) + min(s.contexts[k], s.words.count)] = 1
                for i in 0..<m {
                    for j in 0..<cc {
                        let cell = s.cells[i][j], at = ((b * n + k) * r + i) * c + j
                        if cell > value { greaterCells[at] = 1 }
                        if cell < value { lesserCells[at] = 1 }
                    }
                }
            }
            if numberCounts[b] == 0 { numberMask[b * n] = true }   // a softmax needs one entry; it compares with nothing
        }
        let tableVar = g.constant(Tensor(shape: [bs, r, c], data: table))
        let rowMaskVar = g.constant(Tensor(shape: [bs, r], data: rowMask))
        let greaterVar = g.constant(Tensor(shape: [bs, n, r * c], data: greaterCells))
        let lesserVar = g.constant(Tensor(shape: [bs, n, r * c], data: lesserCells))
        let greatestVar = g.constant(Tensor(shape: [bs, r, c], data: greatestRows))
        let lowestVar = g.constant(Tensor(shape: [bs, r, c], data: lowestRows))
        let firstVar = g.constant(Tensor(shape: [bs, r], data: firstRow))
        let lastVar = g.constant(Tensor(shape: [bs, r], data: lastRow))

        let vocabulary = g.param(words), u = g.param(operations)
        let wq = g.param(question), wh = g.param(history), wop = g.param(operationSelector), wcol = g.param(columnSelector)
        let wpiv = g.param(pivotSelector)

        // Eqs. (1), (2): the question RNN over each question's own words; a shorter question keeps its last
        // state through the padding.
        var ids = [Int](repeating: 0, count: bs * q)
        var present = [Float](repeating: 0, count: bs * q)
        for (b, s) in read.enumerated() {
            for (i, id) in s.words.enumerated() {
                ids[b * q + i] = id
                present[b * q + i] = 1
            }
        }
        let embedded = g.reshape(g.embedding(vocabulary, ids: ids), [bs, q, d])
        let zero = g.constant(Tensor(shape: [bs, d], data: [Float](repeating: 0, count: bs * d)))
        var z = zero
        var states = [g.reshape(zero, [bs, 1, d])]
        for i in 0..<q {
            let x = g.reshape(g.slice(embedded, axis: 1, start: i, count: 1), [bs, d])
            let next = g.tanh(g.linear(g.concat([z, x], axis: 1), weight: wq, bias: nil))
            let keep = g.constant(Tensor(shape: [bs, 1], data: (0..<bs).map { present[$0 * q + i] }))
            z = g.add(g.mul(keep, next), g.mul(g.oneMinus(keep), z))
            states.append(g.reshape(z, [bs, 1, d]))
        }
        let qVec = z
        // Z_k: the state after the word left of number k (eq. 7), [B, N, d].
        let zk = g.matmul(g.constant(Tensor(shape: [bs, n, q + 1], data: contexts)), g.concat(states, axis: 1))
        let pColumns = g.reshape(g.embedding(vocabulary, ids: read.flatMap { s in
            s.names + [Int](repeating: 0, count: c - s.names.count)
        }), [bs, c, d])                                                                     // P [B, C, d]

        var hops: [Hop] = []
        var h = zero
        var previous: (operations: Var, columns: Var)?
        var rs1 = rowMaskVar, rs2 = rowMaskVar                   // rs_{t−1}, rs_{t−2} (rs₀ = rs₋₁ = 1)
        let scalarZero = g.constant(Tensor(shape: [bs, 1], data: [Float](repeating: 0, count: bs)))
        var scalars = [scalarZero, scalarZero, scalarZero]       // s_{t−1}, s_{t−2}, s_{t−3}
        var lookup = g.constant(Tensor(shape: [bs, r, c], data: [Float](repeating: 0, count: bs * r * c)))
        var usedPrint = scalarZero
        let shapes = (0..<bs).map { (rowCounts[$0], columnCounts[$0], numberCounts[$0]) }
        for t in 1...config.steps {
            // Eqs. (3), (4): the history RNN reads the last step's choices.
            let ct: Var
            if let previous {
                let opPart = g.matmul(previous.operations, u)                                            // [B, d]
                let colPart = g.reshape(g.matmul(g.reshape(previous.columns, [bs, 1, c]), pColumns), [bs, d])
                ct = g.concat([opPart, colPart], axis: 1)
            } else {
                ct = g.constant(Tensor(shape: [bs, 2 * d], data: [Float](repeating: 0, count: bs * 2 * d)))
            }
            h = g.tanh(g.linear(g.concat([ct, h], axis: 1), weight: wh, bias: nil))
            let qh = g.concat([qVec, h], axis: 1)
            // Eqs. (5), (6).
            let alphaOp = g.softmax(g.matmul(g.tanh(g.linear(qh, weight: wop, bias: nil)), u, transposeB: true), axis: -1)
            let colKey = g.reshape(g.tanh(g.linear(qh, weight: wcol, bias: nil)), [bs, d, 1])
            let alphaCol = g.maskedSoftmax(g.reshape(g.matmul(pColumns, colKey), [bs, c]), mask: columnMask)
            // Eq. (7): β of greater and lesser at this step, the operation's embedding plus W^β h_t attending
            // over the numbers' left contexts (two conditions of one comparison read two numbers).
            let stepKey = g.linear(h, weight: wpiv, bias: nil)                                        // [B, d]
            func pivotWeights(_ op: ProgrammerOperation) -> Var {
                let key = g.reshape(g.add(stepKey, g.embedding(u, ids: [op.rawValue])), [bs, d, 1])
                return g.maskedSoftmax(g.reshape(g.matmul(zk, key), [bs, n]), mask: numberMask)
            }
            let betaGreater = pivotWeights(.greater), betaLesser = pivotWeights(.lesser)
            var opUse = alphaOp, colUse = alphaCol, betaG = betaGreater, betaL = betaLesser
            switch selection {
            case .soft: break
            case .hard:
                opUse = oneHot(g, argmax(g, alphaOp), width: o)
                colUse = oneHot(g, argmax(g, alphaCol, allowed: columnCounts), width: c)
                betaG = oneHot(g, argmax(g, betaGreater, allowed: numberCounts.map { max($0, 1) }), width: n)
                betaL = oneHot(g, argmax(g, betaLesser, allowed: numberCounts.map { max($0, 1) }), width: n)
            case let .program(steps):
                let step = steps[t - 1]
                opUse = oneHot(g, [Int](repeating: step.operation.rawValue, count: bs), width: o)
                colUse = oneHot(g, [Int](repeating: step.column, count: bs), width: c)
                betaG = oneHot(g, [Int](repeating: step.number, count: bs), width: n)
                betaL = betaG
            }
            func weight(_ op: ProgrammerOperation) -> Var { g.slice(opUse, axis: 1, start: op.rawValue, count: 1) }   // [B, 1]
            let colColumn = g.reshape(colUse, [bs, c, 1])
            func byColumn(_ cells: Var) -> Var { g.reshape(g.matmul(cells, colColumn), [bs, r]) }           // Σ_j α^col(j) x_ij
            // Eq. (9).
            let sum = g.reshape(g.matmul(g.matmul(g.reshape(rs1, [bs, 1, r]), tableVar), colColumn), [bs, 1])
            let count = g.sum(rs1, axis: 1, keepAxis: true)
            let difference = g.sub(scalars[2], scalars[0])
            // Eqs. (10), (11), (12).
            let gap = g.absolute(g.sub(rs1, rs2)), both = g.add(rs1, rs2)
            let andRows = g.scale(g.sub(both, gap), 0.5), orRows = g.scale(g.add(both, gap), 0.5)
            func compared(_ cells: Var, _ beta: Var) -> Var {
                byColumn(g.reshape(g.matmul(g.reshape(beta, [bs, 1, n]), cells), [bs, r, c]))
            }
            let greaterRows = compared(greaterVar, betaG), lesserRows = compared(lesserVar, betaL)
            // Eqs. (13)–(15).
            let scalar = g.add(g.add(g.mul(weight(.sum), sum), g.mul(weight(.count), count)), g.mul(weight(.difference), difference))
            usedPrint = weight(.print)
            lookup = g.mul(g.reshape(usedPrint, [bs, 1, 1]), g.mul(g.reshape(rs1, [bs, r, 1]), g.reshape(colUse, [bs, 1, c])))
            let terms: [(ProgrammerOperation, Var)] = [
                (.greater, greaterRows), (.lesser, lesserRows), (.and, andRows), (.or, orRows), (.reset, rowMaskVar),
                (.greatest, byColumn(greatestVar)), (.lowest, byColumn(lowestVar)), (.first, firstVar), (.last, lastVar),
            ]
            var rows = g.mul(weight(terms[0].0), terms[0].1)
            for (op, value) in terms.dropFirst() { rows = g.add(rows, g.mul(weight(op), value)) }
            hops.append(Hop(operationWeights: alphaOp, columnWeights: alphaCol, usedOperations: opUse, usedColumns: colUse,
                            greaterWeights: betaGreater, lesserWeights: betaLesser, usedGreater: betaG, usedLesser: betaL, rowsBefore: rs1, rows: rows, scalar: scalar,
                            lookup: g.reshape(lookup, [bs, r * c]), history: h, shape: shapes,
                            numberValues: numberValues, hard: { if case .soft = selection { false } else { true } }()))
            previous = (opUse, colUse)
            rs2 = rs1
            rs1 = rows
            scalars = [scalar, scalars[0], scalars[1]]
        }
        let cells = g.constant(Tensor(shape: [bs, 1], data: (0..<bs).map { Float(rowCounts[$0] * columnCounts[$0]) }))
        let answer = g.concat([scalars[0], usedPrint, cells, g.reshape(lookup, [bs, r * c])], axis: 1)
        hops[hops.count - 1].answer = answer
        return (hops, answer)
    }
}
