import Engine
import Models
import Testing
import TestSupport

/// The Neural Programmer's operations by hand on a small table, with programs given step by step
/// (docs/models/neural-programmer.md, eqs. 9–15), its soft forward against finite differences, and
/// batching that changes nothing.
@Suite struct NeuralProgrammerTests {
    /// A question as the model reads it (the parity fixture's metadata uses these field names).
    struct Question: TableQuestionInput, Decodable {
        var wordIds: [Int]
        var numberValues: [Double]
        var numberContexts: [Int]
        var cells: [[Double]]
        var columnNameIds: [Int]
    }

    typealias NP = NeuralProgrammer<Question>
    typealias Step = NP.ProgramStep

    /// Three rows, two columns; the question's numbers 2 (after its second word) and 4 (after its third).
    static let question = Question(wordIds: [3, 4, 5], numberValues: [2, 4], numberContexts: [2, 3],
                                   cells: [[3, 1], [0, 2], [5, 4]], columnNameIds: [6, 7])

    static func model(d: Int = 6, steps: Int = 5, rows: Int = 4, columns: Int = 3, seed: UInt64 = 1) -> NP {
        var rng = SeededRNG(seed: seed)
        return NP(config: NeuralProgrammerConfig(vocabularySize: 9, embeddingSize: d, steps: steps, maxRows: rows, maxColumns: columns),
                  rng: &rng)
    }

    /// The answer record of `program` on `question`: s_T, α(print), the cell count, the lookup rows.
    func run(_ program: [Step], on question: Question = Self.question) -> (scalar: Float, print: Float, cells: Float, lookup: [[Float]]) {
        let m = Self.model(steps: program.count)
        let g = Graph()
        let record = g.value(m.answer(g, [question], selection: .program(program)).answer).data
        let c = m.config.maxColumns
        let lookup = (0..<m.config.maxRows).map { i in Array(record[(3 + i * c)..<(3 + (i + 1) * c)]) }
        return (record[0], record[1], record[2], lookup)
    }

    @Test func sumCountAndDifferenceReadTheRowsSelectedBefore() {
        #expect(run([Step(.reset), Step(.sum, column: 0)]).scalar == 8)                      // 3 + 0 + 5
        #expect(run([Step(.greater, column: 0, number: 0), Step(.count)]).scalar == 2)        // 3 and 5 exceed 2
        #expect(run([Step(.lesser, column: 1, number: 1), Step(.sum, column: 0)]).scalar == 3)   // rows 0, 1: 3 + 0
        // first minus last of column 1: 1 − 4, the scalars three steps and one step before.
        let difference = run([Step(.first), Step(.sum, column: 1), Step(.last), Step(.sum, column: 1), Step(.difference)])
        #expect(difference.scalar == -3 && difference.print == 0)
    }

    @Test func andAndOrCombineTheTwoSelectionsBefore() {
        // column 0 > 2: rows 0, 2; column 1 < 4: rows 0, 1.
        #expect(run([Step(.greater, column: 0, number: 0), Step(.lesser, column: 1, number: 1), Step(.and), Step(.count)]).scalar == 1)
        #expect(run([Step(.greater, column: 0, number: 0), Step(.lesser, column: 1, number: 1), Step(.or), Step(.count)]).scalar == 3)
    }

    @Test func printLooksUpTheChosenColumnOfTheSelectedRows() {
        // The row where column 1 is greatest (row 2), its column 0.
        let r = run([Step(.greatest, column: 1), Step(.print, column: 0)])
        #expect(r.print == 1 && r.cells == 6)
        #expect(r.lookup == [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0]])
        let lowest = run([Step(.lowest, column: 0), Step(.print, column: 1)])
        #expect(lowest.lookup[1] == [0, 1, 0] && lowest.lookup.joined().reduce(0, +) == 1)
    }

    @Test func aStepOfOneKindWritesNothingToTheOthers() {
        // After a sum the row selector is empty, so a count right after it counts nothing.
        #expect(run([Step(.sum, column: 0), Step(.count)]).scalar == 0)
        #expect(run([Step(.sum, column: 0), Step(.reset), Step(.count)]).scalar == 3)
        // A lookup's step gives no number; a number's step no cells.
        let printed = run([Step(.print, column: 0)])
        #expect(printed.scalar == 0 && printed.lookup.joined().reduce(0, +) == 3)
    }

    @Test func theSoftForwardMatchesFiniteDifferences() {
        let m = Self.model(d: 4)
        let other = Question(wordIds: [4, 3], numberValues: [1], numberContexts: [0], cells: [[1, 2, 0], [2, 0, 1]],
                             columnNameIds: [7, 8, 6])
        checkParameterGradients(m.parameters) { g in m.answer(g, [Self.question, other], selection: .soft).answer }
    }

    @Test func anAnswerIsTheSameAloneAndInABatchOfLargerTables() {
        let m = Self.model()
        let larger = Question(wordIds: [4, 3, 5, 4], numberValues: [1, 3, 0], numberContexts: [0, 1, 4],
                              cells: [[1, 2, 0], [2, 0, 1], [3, 3, 3], [0, 1, 2]], columnNameIds: [7, 8, 6])
        for selection in [NP.Selection.soft, .hard] {
            let g = Graph()
            let alone = g.value(m.answer(g, [Self.question], selection: selection).answer).data
            let batched = g.value(m.answer(g, [larger, Self.question], selection: selection).answer).data
            let width = alone.count
            for (a, b) in zip(alone, batched[width..<(2 * width)]) { #expect(abs(a - b) < 1e-5) }
        }
    }

    @Test func hardSelectionChoosesOneOperationAndOneColumnPerStep() {
        let m = Self.model()
        let g = Graph()
        let hops = m.answer(g, [Self.question], selection: .hard).hops
        for hop in hops {
            let s = hop.snapshot(g, example: 0)
            #expect(s.hard && s.columnWeights.count == 2 && s.rows.count == 3)
            #expect(abs(s.operationWeights.reduce(0, +) - 1) < 1e-5 && abs(s.columnWeights.reduce(0, +) - 1) < 1e-5)
            #expect(s.operation.rawValue == s.operationWeights.indices.max { s.operationWeights[$0] < s.operationWeights[$1] })
            #expect(s.rows.allSatisfy { $0 == 0 || $0 == 1 })
        }
    }
}
