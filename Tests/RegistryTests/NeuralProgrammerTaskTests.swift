import Engine
import Episodes
import Models
import Registry
import Tasks
import Testing

/// The Neural Programmer on the `table-qa` task: every question kind's own program, run by the model's
/// operations with its choices given, answers it as the task's interpreter does (so T = 5 steps and the
/// model's operations can express every question), and its objective scores that answer right.
@Suite struct NeuralProgrammerTaskTests {
    typealias NP = NeuralProgrammer<TableQASample>

    static func model(seed: UInt64 = 1) -> NP {
        var rng = SeededRNG(seed: seed)
        return NP(config: NeuralProgrammerConfig(vocabularySize: TableQAVocabulary.words.count, embeddingSize: 8,
                                                 maxRows: TableQATask.mostRows, maxColumns: TableQATask.mostColumns), rng: &rng)
    }

    /// The task's program as the model's steps, after leading resets up to `steps`.
    static func program(_ sample: TableQASample, steps: Int) -> [NP.ProgramStep] {
        let values = sample.numberValues
        let converted = sample.program.steps.map { op -> NP.ProgramStep in
            let column = op.column ?? 0
            let number = op.pivot.flatMap { p in values.firstIndex(of: p) } ?? 0
            let kind: ProgrammerOperation = switch op {
            case .reset: .reset
            case .greater: .greater
            case .lesser: .lesser
            case .greatest: .greatest
            case .lowest: .lowest
            case .first: .first
            case .last: .last
            case .and: .and
            case .or: .or
            case .sum: .sum
            case .count: .count
            case .difference: .difference
            case .print: .print
            }
            return NP.ProgramStep(kind, column: column, number: number)
        }
        precondition(converted.count <= steps, "a program of \(converted.count) steps")
        return [NP.ProgramStep](repeating: NP.ProgramStep(.reset), count: steps - converted.count) + converted
    }

    @Test(arguments: TableQuestionKind.allCases)
    func everyKindsProgramRunsOnTheModelToTheTasksAnswer(_ kind: TableQuestionKind) throws {
        let m = Self.model()
        let task = TableQATask(columns: 4, kinds: [kind.rawValue])
        var rng = SeededRNG(seed: 11)
        let objective = TableAnswerObjective(columns: m.config.maxColumns, lookupWeight: 50, delta: 10)
        for _ in 0..<25 {
            let s = task.sample(rng: &rng, length: nil)
            let g = Graph()
            let answer = m.answer(g, [s], selection: .program(Self.program(s, steps: m.config.steps))).answer
            let scored = objective.score(g, answer: answer, rights: [s.answer], lossScale: nil)
            #expect(scored[0][TableAnswerObjective.accuracy] == 1, "\(s.text) on \(s.table.rows): \(s.program)")
            switch s.answer {
            case let .number(y)?: #expect(objective.given(g, answer: answer, example: 0) == .number(y))
            case let .cell(row, column)?: #expect(objective.given(g, answer: answer, example: 0) == .cell(row: row, column: column))
            default: Issue.record("a generated question without an answer")
            }
        }
    }

    @Test func theQuestionItReadsHasNoNumbersAndEachNumberKnowsTheWordBeforeIt() {
        var rng = SeededRNG(seed: 3)
        let s = TableQATask(kinds: ["countAnd"]).sample(rng: &rng, length: 8)
        // "how many rows have A greater than 40 and B less than 20 ?": numbers after words 7 and 11.
        #expect(s.wordIds.count == s.questionIds.count - 2)
        #expect(s.numberContexts == [7, 11] && s.numberValues == s.numbers.map(\.value))
        #expect(s.columnNameIds.map { TableQAVocabulary.words[$0] } == s.table.columns)
    }
}
