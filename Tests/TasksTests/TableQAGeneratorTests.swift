import Engine
import Foundation
import Tasks
import Testing

/// Generated tables and questions (docs/tasks/table-qa.md, "Tables", "Choosing columns and pivots",
/// "Proportions").
@Suite struct TableQAGeneratorTests {
    static func samples(_ task: TableQATask = TableQATask(), seed: UInt64, count: Int, rows: Int? = nil) -> [TableQASample] {
        var rng = SeededRNG(seed: seed)
        return (0..<count).map { _ in task.sample(rng: &rng, length: rows) }
    }

    static func table(_ csv: String) -> Table { try! TableFile.parse(csv, path: "golden") }

    @Test func seed21GivesTheseTablesQuestionsAndAnswers() {
        let golden: [(table: String, question: String, answer: Answer, numbers: [Double])] = [
            ("length,volume,width\n83,48,82\n3,24,31\n56,69,30\n63,67,88\n46,46,2\n11,43,30\n72,89,4\n25,49,73",
             "what is the length where volume is greatest ?", .cell(row: 6, column: 0), []),
            ("age,width,length\n66,74,97\n85,5,79\n62,27,57\n79,79,6\n41,61,77\n75,96,18\n18,3,11\n74,93,56",
             "what is the lowest age ?", .cell(row: 6, column: 0), []),
            ("length,score,height\n52,85,0\n25,4,32\n64,53,93\n73,10,9\n0,21,55\n55,68,49\n44,56,10\n53,75,68",
             "how many rows have length greater than 37 or length less than 18 ?", .number(7), [37, 18]),
            ("distance,volume,weight\n5,39,19\n70,2,44\n95,70,90\n86,28,66\n5,44,8\n78,93,91\n83,9,51\n52,63,16",
             "what is the weight where distance is greatest ?", .cell(row: 2, column: 2), []),
            ("volume,score,distance\n78,81,41\n63,79,90\n3,75,64\n53,59,79\n98,24,59\n11,43,62\n25,7,12\n32,41,65",
             "what is the sum of distance where volume greater than 95 or score greater than 72 ?", .number(254), [95, 72]),
        ]
        let drawn = Self.samples(seed: 21, count: golden.count, rows: 8)
        for (s, g) in zip(drawn, golden) {
            #expect(s.table == Self.table(g.table))
            #expect(s.text == g.question)
            #expect(s.answer == g.answer, "\(g.question)")
            #expect(s.numbers.map(\.value) == g.numbers)
        }
    }

    @Test func theSameSeedGivesTheSameSamplesAndAnotherSeedOthers() {
        let a = Self.samples(seed: 7, count: 40), b = Self.samples(seed: 7, count: 40), c = Self.samples(seed: 8, count: 40)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a.map(\.text)).count > 20)
    }

    @Test func tablesHaveTheConfiguredShapeDistinctKnownNamesAndIntegersFrom0To99() {
        for columns in [1, 3, 5] {
            let task = TableQATask(minRows: 8, maxRows: 16, columns: columns)
            var rowCounts = Set<Int>()
            for s in Self.samples(task, seed: 3, count: 300) {
                rowCounts.insert(s.table.rows.count)
                #expect(s.table.columns.count == columns)
                #expect(Set(s.table.columns).count == columns)
                #expect(s.table.columns.allSatisfy(TableQAVocabulary.columnNames.contains))
                #expect(s.table.rows.joined().allSatisfy { $0 == $0.rounded() && (0...99).contains($0) })
            }
            #expect(rowCounts == Set(8...16))
        }
        // An explicit length is the number of rows, inside the training range or not.
        #expect(Self.samples(seed: 3, count: 5, rows: 32).allSatisfy { $0.table.rows.count == 32 })
    }

    @Test func kindsAreDrawnUniformlyFromTheConfiguredOnes() {
        var counts: [TableQuestionKind: Int] = [:]
        for s in Self.samples(seed: 5, count: 6500) { counts[s.kind, default: 0] += 1 }
        // 13 kinds, 500 each ± 5 standard deviations (108).
        #expect(Set(counts.keys) == Set(TableQuestionKind.allCases))
        #expect(counts.values.allSatisfy { abs($0 - 500) < 108 }, "\(counts)")

        let some = TableQATask(kinds: ["sum", "lookupLowest"])
        #expect(Set(Self.samples(some, seed: 5, count: 200).map(\.kind)) == [.sum, .lookupLowest])
        // One column: the keyed lookups need a second one, and are left out.
        let narrow = TableQATask(columns: 1)
        #expect(!narrow.usableKinds.contains(.lookupGreatest) && narrow.usableKinds.count == 11)
        #expect(Self.samples(narrow, seed: 5, count: 300).allSatisfy { !$0.kind.hasKey && $0.question.isSingleColumn })
    }

    @Test func aboutHalfTheQuestionsNameOneColumn() {
        let drawn = Self.samples(seed: 5, count: 5000)
        let single = Double(drawn.filter(\.question.isSingleColumn).count) / 5000
        #expect(single > 0.45 && single < 0.58, "\(single)")
        for s in drawn {
            #expect(s.categories == [s.kind.rawValue, s.question.isSingleColumn ? "singleColumn" : "multiColumn"])
        }
        #expect(drawn.filter { $0.kind == .sum }.allSatisfy { $0.question.isSingleColumn })
        #expect(drawn.filter { $0.kind.hasKey }.allSatisfy { !$0.question.isSingleColumn })
    }

    @Test func aLookupNeverFindsTwoRows() {
        let task = TableQATask(kinds: ["greatest", "lowest", "lookupGreatest", "lookupLowest"])
        for s in Self.samples(task, seed: 11, count: 1000) {
            guard case let .cell(row, column)? = s.answer else {
                Issue.record("\(s.text) has no cell for an answer")
                continue
            }
            let keyName = s.question.key ?? s.question.target!
            let key = s.table.columns.firstIndex(of: keyName)!
            let values = s.table.rows.map { $0[key] }
            let best = s.kind == .greatest || s.kind == .lookupGreatest ? values.max()! : values.min()!
            #expect(values.filter { $0 == best }.count == 1)
            #expect(values[row] == best && s.table.columns[column] == s.question.target)
        }
    }

    @Test func mostConditionsSelectSomeRowsButNotAllAndBothConditionsMatter() {
        func selection(_ c: TableCondition, _ t: Table) -> Set<Int> {
            let k = t.columns.firstIndex(of: c.column)!
            return Set(t.rows.indices.filter { c.comparison == .greater ? t.rows[$0][k] > c.pivot : t.rows[$0][k] < c.pivot })
        }
        let drawn = Self.samples(TableQATask(kinds: ["countWhere", "sumWhere", "countAnd", "countOr", "sumAnd", "sumOr"]),
                                 seed: 13, count: 3000)
        var proper = 0, trivial = 0
        for s in drawn {
            let all = Set(s.table.rows.indices)
            let sets = s.question.conditions.map { selection($0, s.table) }
            var both = sets[0]
            if sets.count == 2 { both = s.kind == .countOr || s.kind == .sumOr ? sets[0].union(sets[1]) : sets[0].intersection(sets[1]) }
            let fine = (sets + [both]).allSatisfy { !$0.isEmpty && $0 != all } && (sets.count == 1 || (both != sets[0] && both != sets[1]))
            if fine { proper += 1 }
            if (sets + [both]).contains(where: { $0.isEmpty || $0 == all }) { trivial += 1 }
        }
        // At least the 90 % drawn to be non-trivial (less 5 standard deviations); a few of the rest are not.
        #expect(Double(proper) / 3000 > 0.9 - 5 * 0.0055, "\(proper)")
        #expect(trivial > 0 && Double(trivial) / 3000 < 0.1, "\(trivial)")
    }

    @Test func eachSampleListsTheNumbersOfItsQuestionWithTheirPositions() {
        let number = TableQAVocabulary.id(TableQAVocabulary.numberToken)
        for s in Self.samples(seed: 17, count: 500) {
            #expect(s.numbers.count == s.question.conditions.count)
            #expect(s.numbers.map(\.value) == s.question.conditions.map(\.pivot))
            for n in s.numbers {
                #expect(s.words[n.position] == String(Int(n.value)))
                #expect(s.questionIds[n.position] == number)
            }
            #expect(s.questionIds.count == s.words.count && !s.questionIds.contains(1))
            #expect(s.words.enumerated().allSatisfy { i, w in s.numbers.contains { $0.position == i } || TableQAVocabulary.words[s.questionIds[i]] == w })
            #expect(s.words.last == "?" && s.words.allSatisfy { $0 == $0.lowercased() })
        }
    }
}
