import Engine
import Foundation
import Tasks
import Testing

/// The grammar read back, and a user's own table and question (docs/tasks/table-qa.md, "The grammar",
/// "Typed tables and questions"): read whole, or refused in one line that names the problem.
@Suite struct TableQAInputTests {
    static let table = Table(columns: ["price", "weight", "age"], rows: [[10, 50, 30], [40, 20, 60], [25, 70, 15], [5, 35, 45]])

    /// The one-line refusal of `question` about `table`, or nil when it is read.
    func message(_ question: String, table: Table = Self.table) -> String? {
        do {
            _ = try TableQATask().sample(table: table, question: question)
            return nil
        } catch let e as ArnnError {
            #expect(!e.message.contains("\n"))
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func everyKindHasOneTemplateAndEachReadsAsDocumented() {
        #expect(TableQuestionGrammar.templates.map(\.kind) == TableQuestionKind.allCases)
        let examples: [(String, TableQuestion)] = [
            ("what is the sum of price ?", TableQuestion(.sum, target: "price")),
            ("how many rows are there ?", TableQuestion(.count)),
            ("what is the difference between the age of the first row and the last row ?", TableQuestion(.difference, target: "age")),
            ("what is the greatest weight ?", TableQuestion(.greatest, target: "weight")),
            ("what is the lowest age ?", TableQuestion(.lowest, target: "age")),
            ("how many rows have weight greater than 40 ?", TableQuestion(.countWhere, conditions: [.init("weight", .greater, 40)])),
            ("what is the sum of price where age less than 30 ?",
             TableQuestion(.sumWhere, target: "price", conditions: [.init("age", .less, 30)])),
            ("how many rows have weight greater than 40 and age less than 20 ?",
             TableQuestion(.countAnd, conditions: [.init("weight", .greater, 40), .init("age", .less, 20)])),
            ("how many rows have price less than 10 or price greater than 90 ?",
             TableQuestion(.countOr, conditions: [.init("price", .less, 10), .init("price", .greater, 90)])),
            ("what is the sum of age where price greater than 5 and weight less than 60 ?",
             TableQuestion(.sumAnd, target: "age", conditions: [.init("price", .greater, 5), .init("weight", .less, 60)])),
            ("what is the sum of price where weight greater than 60 or age greater than 40 ?",
             TableQuestion(.sumOr, target: "price", conditions: [.init("weight", .greater, 60), .init("age", .greater, 40)])),
            ("what is the age where price is greatest ?", TableQuestion(.lookupGreatest, target: "age", key: "price")),
            ("what is the weight where age is lowest ?", TableQuestion(.lookupLowest, target: "weight", key: "age")),
        ]
        for (text, question) in examples {
            #expect(question.text == text)
            #expect(TableQuestionGrammar.question(TableQAInput.tokens(text)) == question, "\(text)")
        }
        #expect(Set(examples.map(\.1.kind)) == Set(TableQuestionKind.allCases))
    }

    @Test func everyGeneratedQuestionReadsBackAsItselfWithTheSameProgram() throws {
        var rng = SeededRNG(seed: 23)
        for columns in 1...5 {
            let task = TableQATask(columns: columns)
            for _ in 0..<400 {
                let s = task.sample(rng: &rng, length: nil)
                let typed = try task.sample(table: s.table, question: s.text)
                #expect(typed == s, "\(s.text)")
                #expect(typed.program == s.program)
            }
        }
    }

    @Test func typedQuestionsMayUseCapitalsAnyWhiteSpaceAndLeaveOutTheQuestionMark() throws {
        let plain = try TableQATask().sample(table: Self.table, question: "what is the sum of price ?")
        for variant in ["What is the SUM of Price?", "  what is the sum  of price\t?", "what is the sum of price"] {
            #expect(try TableQATask().sample(table: Self.table, question: variant) == plain, "\(variant)")
        }
        #expect(TableQAInput.tokens("how many rows are there??") == ["how", "many", "rows", "are", "there", "?", "?"])
        #expect(message("how many rows are there ? ?") != nil)
    }

    @Test func numbersMayBeNegativeOrFractionalAndAreListedWithTheirPositions() throws {
        let s = try TableQATask().sample(table: Self.table, question: "how many rows have price greater than -2.5 and age less than 45 ?")
        #expect(s.numbers == [QuestionNumber(value: -2.5, position: 7), QuestionNumber(value: 45, position: 12)])
        #expect(s.answer == .number(2))        // rows 1 and 3 (ages 30 and 15)
        #expect(s.text == "how many rows have price greater than -2.5 and age less than 45 ?")
        #expect(TableQAVocabulary.number("007") == 7 && TableQAVocabulary.number("1e3") == nil && TableQAVocabulary.number("5.") == nil)
        #expect(TableQAVocabulary.number("-") == nil && TableQAVocabulary.number("٣") == nil)
    }

    @Test func aQuestionIsRefusedInOneLineNamingTheProblem() {
        #expect(message("") == "the question is empty; ask e.g. \"what is the sum of price ?\"")
        #expect(message("  ? ")?.hasPrefix("no template asks \"?\"") == true)
        #expect(message("what is the summ of price ?") == "unknown word \"summ\" in the question (closest known word: \"sum\")")
        #expect(message("what is the sum of prise ?") == "unknown word \"prise\" in the question (closest known word: \"price\")")
        #expect(message("how many zebras are there ?") == "unknown word \"zebras\" in the question")
        #expect(message("what is the sum of price, ?") == "unknown word \"price,\" in the question (closest known word: \"price\")")
        #expect(message("what is the sum of height ?") == "column \"height\" is not in the table; its columns are price, weight, age")
        #expect(message("how many rows have price greater than 20000 ?") == "the number 20000 in the question is beyond ±10000")
        #expect(message("what is price ?") == "no template asks \"what is price ?\"; ask e.g. \"what is the sum of price ?\", "
                + "\"how many rows have price greater than 50 ?\" or \"what is the price where weight is greatest ?\"")
        #expect(message("how many rows have price greater than age ?")?.hasPrefix("no template asks") == true)
        #expect(message("what is the sum of 40 ?")?.hasPrefix("no template asks") == true)
        // The first problem found is named: unknown words before columns, columns before numbers.
        #expect(message("what is the sum of height where foo greater than 99999 ?")?.hasPrefix("unknown word \"foo\"") == true)
        #expect(message("what is the sum of height where price greater than 99999 ?")?.hasPrefix("column \"height\"") == true)
    }

    @Test func aTableIsRefusedInOneLineNamingTheProblem() {
        let row: [Double] = [1, 2, 3]
        #expect(message("how many rows are there ?", table: Table(columns: ["price", "weight", "age"], rows: Array(repeating: row, count: 33)))
                == "the table has 33 rows; table-qa reads at most 32")
        let wide = ["price", "weight", "age", "score", "height", "speed"]
        #expect(message("how many rows are there ?", table: Table(columns: wide, rows: [Array(repeating: 1, count: 6)]))
                == "the table has 6 columns; table-qa reads at most 5")
        #expect(message("how many rows are there ?", table: Table(columns: ["prise", "age"], rows: [[1, 2]]))
                == "the table's column \"prise\" is not a column name table-qa knows (closest: \"price\"); the names are "
                + "price, weight, height, age, score, length, width, speed, distance, volume")
        #expect(message("how many rows are there ?", table: Table(columns: ["Price", "price"], rows: [[1, 2]]))
                == "the table names column \"price\" twice")
        #expect(message("how many rows are there ?", table: Table(columns: ["price", "age"], rows: [[1, 2], [3, -20000]]))
                == "the table's cell in row 2, column age is -20000, beyond ±10000")
    }

    @Test func aTypedTableKeepsItsCellsLowerCasesItsNamesAndMayBeSmall() throws {
        let given = try TableFile.parse("Price,AGE\n1.5,-3\n", path: "t.csv")
        let s = try TableQATask().sample(table: given, question: "what is the sum of age where price greater than 1 ?")
        #expect(s.table == Table(columns: ["price", "age"], rows: [[1.5, -3]]))
        #expect(s.answer == .number(-3))
        #expect(try TableQATask().sample(table: given, question: "what is the difference between the price of the first row and the last row ?").answer == .number(0))
    }

    @Test func theVocabularyHoldsEveryTemplateWordOnceAndNoColumnNameIsAGrammarWord() {
        let templateWords = Set(TableQuestionGrammar.templates.flatMap { $0.pattern.split(separator: " ").map(String.init) }
            .filter { !$0.hasPrefix("{") }).union(["greater", "less", "than"])
        #expect(templateWords == Set(TableQAVocabulary.grammarWords))
        #expect(Set(TableQAVocabulary.words).count == TableQAVocabulary.words.count)
        #expect(Set(TableQAVocabulary.columnNames).isDisjoint(with: TableQAVocabulary.grammarWords))
        #expect(Array(TableQAVocabulary.words.prefix(3)) == ["<pad>", "<unk>", "<number>"])
    }

    @Test func theTaskConfigurationDecodesWithDefaultsAndRefusesBadFieldsByName() throws {
        let t = try TableQATask.decode(json: Data(#"{"name": "table-qa", "columns": 5}"#.utf8))
        #expect(t == TableQATask(columns: 5))
        try t.validate()
        func problem(_ task: TableQATask) -> String? {
            do { try task.validate(); return nil } catch let e as ArnnError { return e.message } catch { return "\(error)" }
        }
        #expect(problem(TableQATask(columns: 6)) == "table-qa: columns must be at most 5, got 6")
        #expect(problem(TableQATask(minRows: 1)) == "table-qa: minRows must be at least 2 (the first and the last row must differ), got 1")
        #expect(problem(TableQATask(maxRows: 40)) == "table-qa: maxRows must be at most 32, got 40")
        #expect(problem(TableQATask(minRows: 12, maxRows: 10)) == "table-qa: maxRows (10) must not be less than minRows (12)")
        #expect(problem(TableQATask(kinds: ["countWere"]))?.hasPrefix("table-qa: unknown kind \"countWere\" (closest: countWhere); the kinds are sum, count,") == true)
        #expect(problem(TableQATask(columns: 1, kinds: ["lookupGreatest"]))
                == "table-qa: kinds must name at least one kind a table of 1 column can ask (lookupGreatest and lookupLowest need 2 columns)")
        #expect(try TableQATask().withLengthRange(4...20).lengthRange == 4...20)
        #expect(TableQATask().evaluationLengths == [8, 12, 16])
    }
}
