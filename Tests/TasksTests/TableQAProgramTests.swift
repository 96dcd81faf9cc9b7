import Engine
import Foundation
import Tasks
import Testing

/// Programs and answers (docs/tasks/table-qa.md, "Operations", "The grammar"): every answer the task gives
/// equals one computed here straight from the question's parts, without `TableProgram`.
@Suite struct TableQAProgramTests {
    /// The answer to `q` about `t`, computed directly: the rows the conditions keep, then the template's
    /// sum, count, difference or the row holding the extreme value.
    static func directAnswer(_ q: TableQuestion, _ t: Table) -> Answer {
        func column(_ name: String) -> [Double] {
            let c = t.columns.firstIndex(of: name)!
            return t.rows.map { $0[c] }
        }
        func holds(_ c: TableCondition, _ row: Int) -> Bool {
            let v = column(c.column)[row]
            return c.comparison == .greater ? v > c.pivot : v < c.pivot
        }
        let kept = t.rows.indices.filter { row in
            switch q.kind {
            case .countWhere, .sumWhere: holds(q.conditions[0], row)
            case .countAnd, .sumAnd: holds(q.conditions[0], row) && holds(q.conditions[1], row)
            case .countOr, .sumOr: holds(q.conditions[0], row) || holds(q.conditions[1], row)
            default: true
            }
        }
        switch q.kind {
        case .sum, .sumWhere, .sumAnd, .sumOr:
            return .number(kept.map { column(q.target!)[$0] }.reduce(0, +))
        case .count, .countWhere, .countAnd, .countOr:
            return .number(Double(kept.count))
        case .difference:
            return .number(column(q.target!).first! - column(q.target!).last!)
        case .greatest, .lowest, .lookupGreatest, .lookupLowest:
            let key = column(q.key ?? q.target!)
            let greatest = q.kind == .greatest || q.kind == .lookupGreatest
            let row = key.indices.first { key[$0] == (greatest ? key.max()! : key.min()!) }!
            return .cell(row: row, column: t.columns.firstIndex(of: q.target!)!)
        }
    }

    @Test func everyTemplatesAnswerEqualsADirectComputation() {
        var seen = Set<TableQuestionKind>()
        for columns in [1, 3, 5] {
            var rng = SeededRNG(seed: UInt64(30 + columns))
            let task = TableQATask(minRows: 2, maxRows: 20, columns: columns)
            for _ in 0..<1500 {
                let s = task.sample(rng: &rng, length: nil)
                seen.insert(s.kind)
                #expect(s.answer == Self.directAnswer(s.question, s.table), "\(s.text) \(s.table)")
            }
        }
        #expect(seen == Set(TableQuestionKind.allCases))
    }

    static let handTable = Table(columns: ["price", "weight", "age"],
                                 rows: [[10, 50, 30], [40, 20, 60], [25, 70, 15], [5, 35, 45]])

    @Test func onAHandMadeTableEveryTemplateGivesTheAnswerWorkedOutByHand() throws {
        let cases: [(String, Answer)] = [
            ("what is the sum of price ?", .number(80)),
            ("how many rows are there ?", .number(4)),
            ("what is the difference between the price of the first row and the last row ?", .number(5)),
            ("what is the greatest weight ?", .cell(row: 2, column: 1)),
            ("what is the lowest age ?", .cell(row: 2, column: 2)),
            ("how many rows have price greater than 20 ?", .number(2)),                        // 40, 25
            ("what is the sum of weight where age less than 50 ?", .number(155)),              // 50 + 70 + 35
            ("how many rows have price greater than 5 and weight less than 60 ?", .number(2)), // rows 1, 2
            ("how many rows have price less than 10 or age greater than 50 ?", .number(2)),    // rows 4, 2
            ("what is the sum of age where price greater than 5 and price less than 30 ?", .number(45)), // 30 + 15
            ("what is the sum of price where weight greater than 60 or age greater than 40 ?", .number(70)), // 40 + 25 + 5
            ("what is the price where age is greatest ?", .cell(row: 1, column: 0)),
            ("what is the weight where price is lowest ?", .cell(row: 3, column: 1)),
        ]
        #expect(Set(cases.map { TableQuestionGrammar.question(TableQAInput.tokens($0.0))!.kind }) == Set(TableQuestionKind.allCases))
        for (question, answer) in cases {
            let s = try TableQATask().sample(table: Self.handTable, question: question)
            #expect(s.answer == answer, "\(question)")
        }
    }

    @Test func aRunKeepsEachStepsSelectionAndScalar() throws {
        let s = try TableQATask().sample(table: Self.handTable, question: "how many rows have price greater than 5 and weight less than 60 ?")
        #expect(s.program == TableProgram([.greater(column: 0, pivot: 5), .lesser(column: 1, pivot: 60), .and, .count]))
        let run = s.program.run(on: Self.handTable)
        #expect(run.selections == [[true, true, true, false], [true, true, false, true], [true, true, false, false], [true, true, false, false]])
        #expect(run.scalars == [nil, nil, nil, 2])
        #expect(run.result == .scalar(2))
        #expect(s.program.description == "greater(0, 5) → lesser(1, 60) → and → count")
    }

    @Test func differenceSubtractsTheScalarOfTheStepBeforeFromTheOneThreeStepsBefore() {
        let run = TableProgram([.sum(column: 0), .reset, .count, .difference]).run(on: Self.handTable)
        #expect(run.result == .scalar(80 - 4))
        let firstLast = TableProgram([.first, .sum(column: 2), .last, .sum(column: 2), .difference]).run(on: Self.handTable)
        #expect(firstLast.scalars == [nil, 30, nil, 45, -15])
    }

    @Test func selectingOperationsLookAtTheWholeTableAndPrintAtTheRowsBefore() {
        // `greatest` after `greater` still finds the table's greatest row; `print` reads the selection before it.
        let run = TableProgram([.greater(column: 0, pivot: 30), .greatest(column: 1), .print(column: 0)]).run(on: Self.handTable)
        #expect(run.selections[1] == [false, false, true, false])
        #expect(run.result == .cells([TableCell(row: 2, column: 0)]))
        let or = TableProgram([.first, .last, .or, .print(column: 2)]).run(on: Self.handTable)
        #expect(or.result == .cells([TableCell(row: 0, column: 2), TableCell(row: 3, column: 2)]))
    }

    @Test func aTypedLookupWhoseRowsTieHasNoAnswer() throws {
        let tied = Table(columns: ["price", "age"], rows: [[7, 1], [9, 2], [9, 3]])
        let s = try TableQATask().sample(table: tied, question: "what is the age where price is greatest ?")
        #expect(s.answer == nil)
        #expect(s.program.run(on: tied).result == .cells([TableCell(row: 1, column: 1), TableCell(row: 2, column: 1)]))
    }

    @Test func aCellAnswerIsRightOnlyOnItsOwnCell() {
        let right = AnswerStep.Given.cell(row: 2, column: 1)
        #expect(AnswerStep(phase: .answer, given: .cell(row: 2, column: 1), right: right).wrong(output: []) == 0)
        #expect(AnswerStep(phase: .answer, given: .cell(row: 2, column: 0), right: right).wrong(output: []) == 1)
        #expect(AnswerStep(phase: .answer, given: .number(2), right: right).wrong(output: []) == 1)
    }
}
