import Engine
import Foundation
import Models
import Testing

/// The Neural Programmer (docs/models/neural-programmer.md) against arnn_torch's, written from the same doc
/// (Tests/Fixtures/make_np_fixture.py): three questions about tables of 3 × 2, 4 × 3 and 2 × 1 cells, with no
/// number, two numbers, and one number before the first word, at soft and at hard selection.
@Suite struct NeuralProgrammerParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/np_parity.safetensors").path

    /// A question as the model reads it; the fixture's metadata holds them under its field names.
    typealias Question = NeuralProgrammerTests.Question

    typealias NP = NeuralProgrammer<Question>

    /// Every step's snapshot for every question, laid out as the fixture's [T, B, …] tensors: per-question
    /// lists padded with zeros to the model's maxRows, maxColumns and the batch's most numbers.
    struct Steps {
        var operationWeights: [Float] = [], columnWeights: [Float] = [], rowsBefore: [Float] = [], rows: [Float] = []
        var scalar: [Float] = [], lookup: [Float] = [], history: [Float] = []
        var operations: [Int] = [], columns: [Int] = []
        var greaterWeights: [Float] = [], lesserWeights: [Float] = []

        init(_ g: Graph, _ hops: [NP.Hop], batch: Int, config: NeuralProgrammerConfig, numbers: Int) {
            func pad(_ x: [Float], _ width: Int) -> [Float] { x + [Float](repeating: 0, count: width - x.count) }
            let r = config.maxRows, c = config.maxColumns
            for hop in hops {
                for b in 0..<batch {
                    let s = hop.snapshot(g, example: b)
                    operationWeights += s.operationWeights
                    columnWeights += pad(s.columnWeights, c)
                    rowsBefore += pad(s.rowsBefore, r)
                    rows += pad(s.rows, r)
                    scalar.append(s.scalar)
                    lookup += pad(s.lookup.flatMap { pad($0, c) }, r * c)
                    history += s.history
                    operations.append(s.operation.rawValue)
                    columns.append(s.column)
                    // β (7) at this step; the fixture's is 0 past a question's numbers.
                    greaterWeights += pad(s.greaterPivotWeights, numbers)
                    lesserWeights += pad(s.lesserPivotWeights, numbers)
                }
            }
        }

        func compare(with fixture: inout ParityFixture, _ prefix: String) {
            fixture.expectClose(operationWeights, prefix + "operation_weights")
            fixture.expectClose(columnWeights, prefix + "column_weights")
            fixture.expectClose(rowsBefore, prefix + "rows_before")
            fixture.expectClose(rows, prefix + "rows")
            fixture.expectClose(scalar, prefix + "scalar")
            fixture.expectClose(lookup, prefix + "lookup")
            fixture.expectClose(history, prefix + "history")
            fixture.expectClose(greaterWeights, prefix + "greater_weights")
            fixture.expectClose(lesserWeights, prefix + "lesser_weights")
        }
    }

    /// The argmax of each row of a [T, B, width] reference.
    static func argmaxes(_ fixture: ParityFixture, _ name: String) -> [Int] {
        let t = fixture.reference[name]!, width = t.shape[2]
        return (0..<(t.shape[0] * t.shape[1])).map { k in
            let row = t.data[(k * width)..<((k + 1) * width)]
            return row.indices.max { row[$0] < row[$1] }! - k * width
        }
    }

    @Test func matchesArnnTorchOnABatchOfTablesOfDifferentSizesAtSoftSelection() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let questions: [Question] = try fixture.metadata("questions")
        let rightNumbers: [Double?] = try fixture.metadata("right_numbers")
        let rightCells: [[Int]?] = try fixture.metadata("right_cells")
        let model = try NP(checkpoint: fixture.weights)
        let config = model.config
        #expect(config.lookupWeight == 2 && config.huberDelta == 1 && config.steps == 5)
        #expect(questions.map(\.numberValues.count) == [0, 2, 1] && questions.map(\.cells.count) == [3, 4, 2])

        let g = Graph(recording: true)
        let (hops, answer) = model.answer(g, questions, selection: .soft)
        let b = questions.count, width = g.shape(answer)[1], cells = width - NP.answerHeader

        // The loss as TableAnswerObjective (Sources/Episodes) computes it: ModelsTests cannot import Episodes,
        // so its graph operations are repeated here. (16) on the number questions.
        let isNumber = rightNumbers.map { $0 == nil ? Float(0) : 1 }
        let isCell = rightCells.map { $0 == nil ? Float(0) : 1 }
        let scalar = g.reshape(g.slice(answer, axis: 1, start: 0, count: 1), [b])
        let numberLoss = g.mul(g.huber(scalar, targets: rightNumbers.map { Float($0 ?? 0) }, delta: config.huberDelta),
                               g.constant(Tensor(shape: [b], data: isNumber)))
        // (17) on the cell question: the objective sums the log loss over the record's maxRows × maxColumns cells
        // and divides by the table's M·C; cells outside the table are 0, clamped to 1e-6.
        var wanted = [Float](repeating: 0, count: b * cells)
        for (i, cell) in rightCells.enumerated() {
            if let cell { wanted[i * cells + cell[0] * config.maxColumns + cell[1]] = 1 }
        }
        let lookup = g.clamp(g.slice(answer, axis: 1, start: NP.answerHeader, count: cells), min: 1e-6, max: 1 - 1e-6)
        let y = g.constant(Tensor(shape: [b, cells], data: wanted))
        let logLoss = g.neg(g.add(g.mul(y, g.log(lookup)), g.mul(g.oneMinus(y), g.log(g.oneMinus(lookup)))))
        let tableCells = questions.map { Float($0.cells.count * $0.columnNameIds.count) }
        let perCell = (0..<b).map { isCell[$0] * config.lookupWeight / tableCells[$0] }
        let losses = g.add(numberLoss, g.mul(g.sum(logLoss, axis: 1), g.constant(Tensor(shape: [b], data: perCell))))
        let loss = g.sum(losses)
        g.backward(loss)

        fixture.expectClose(g.value(answer).data, "reference.answer")
        Steps(g, hops, batch: b, config: config, numbers: fixture.reference["reference.greater_weights"]!.shape[2])
            .compare(with: &fixture, "reference.")
        // The doc's (17) is the mean over the table's own M × C cells; the objective's sum also takes the cells
        // outside the table, each −log(1 − 1e-6) at the clamp. That is the whole difference between the two.
        let atClamp = -log(1 - Float(1e-6))
        let padding = (0..<b).map { perCell[$0] * (Float(cells) - tableCells[$0]) * atClamp }
        let objectiveLosses = g.value(losses).data, docLosses = zip(objectiveLosses, padding).map { $0 - $1 }
        fixture.expectClose(docLosses, "reference.losses")
        // That term (1e-5 on the cell question here) is what the objective adds, to float32 rounding of the loss
        // (1e-6 of its size).
        let reference = fixture.reference["reference.losses"]!.data
        for i in 0..<b where isCell[i] == 1 {
            #expect(abs(objectiveLosses[i] - reference[i] - padding[i]) < 0.05 * padding[i] + 1e-6 * max(1, abs(reference[i])))
        }
        fixture.expectClose([docLosses.reduce(0, +)], "reference.loss")
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "gradient")
        }
        fixture.printWorst()
    }

    @Test func hardSelectionRunsTheSameProgramsAndGivesTheSameAnswersAsArnnTorch() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let questions: [Question] = try fixture.metadata("questions")
        let model = try NP(checkpoint: fixture.weights)
        let g = Graph()
        let (hops, answer) = model.answer(g, questions, selection: .hard)
        let steps = Steps(g, hops, batch: questions.count, config: model.config,
                          numbers: fixture.reference["reference.hard.greater_weights"]!.shape[2])
        // One operation and one column per step, the argmax of the softmaxes. The fixture's run answers question 0
        // with the number 0 (its last step a comparison), question 1 with a count (1) and question 2 with cells.
        #expect(steps.operations == Self.argmaxes(fixture, "reference.hard.used_operations"))
        #expect(steps.columns == Self.argmaxes(fixture, "reference.hard.used_columns"))
        fixture.expectClose(g.value(answer).data, "reference.hard.answer")
        steps.compare(with: &fixture, "reference.hard.")
        fixture.printWorst()
    }
}
