import Engine
import Foundation
import Tasks
import Testing

/// The generated stories keep bAbI's rules (docs/tasks/babi.md, section 4) and read back through bAbI's
/// own format.
@Suite struct BabiGeneratorTests {
    static func stories(_ task: String, _ n: Int, seed: UInt64 = 1) -> [[BabiLine]] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in BabiGenerator.story(task, rng: &rng) }
    }

    @Test(arguments: BabiGenerator.tasks)
    func everyStoryReadsBackThroughBabisOwnFormat(_ task: String) throws {
        for story in Self.stories(task, 50) {
            let text = BabiGenerator.text(story)
            let read = try BabiFile.parse(text, path: "\(task).txt", task: task)
            #expect(read == BabiGenerator.questions(story, task: task))
            #expect(read.count == BabiGenerator.questionsPerStory(task))
        }
    }

    @Test func qa1IsTwoMovesThenAQuestionFiveTimesAndTheAnswerIsTheLatestMove() {
        for story in Self.stories("qa1", 100) {
            #expect(story.count == 15)
            var place: [String: String] = [:]
            for (i, line) in story.enumerated() {
                switch line {
                case let .statement(w):
                    #expect(i % 3 != 2)
                    #expect(place[w[0]] != w.last!, "a move to the place the actor is in: \(w)")
                    place[w[0]] = w.last!
                case let .question(q, answer, _):
                    #expect(i % 3 == 2 && place[q[2]] == answer)
                }
            }
        }
    }

    @Test func qa15FactsComeBeforeTheirUseAndAnswersAreSingular() {
        for story in Self.stories("qa15", 100) {
            #expect(story.count == 12)
            var fears: [String: String] = [:], species: [String: String] = [:]
            for line in story {
                switch line {
                case let .statement(w) where w[1] == "are":
                    #expect(w[0] != w[4], "a species that fears itself")
                    fears[w[0]] = w[4]
                case let .statement(w):
                    let plural = BabiWords.species.first { $0.0 == w[3] }!.1
                    #expect(fears[plural] != nil, "\(w[0]) is named before her species' fear")
                    species[w[0]] = plural
                case let .question(q, answer, _):
                    let feared = fears[species[q[2]]!]!
                    #expect(BabiWords.species.first { $0.1 == feared }!.0 == answer)
                }
            }
        }
        let text = BabiGenerator.text(Self.stories("qa15", 1)[0])
        #expect(text.contains(" is a ") && text.contains("What is ") && !text.contains("What is G"))
    }

    /// qa2 as its test file asks it (docs/tasks/babi.md, 4.2), checked by replaying each story's words: only
    /// about an object got or dropped in the last five statements, answered by its holder's place or where
    /// it was dropped; a slot where some object qualifies holds a question about two times in three, and
    /// one where none does never.
    @Test func qa2AsksOnlyAboutAnObjectGotOrDroppedInTheLastFiveStatements() {
        var questions = 0, qualifyingSlots = 0, filledSlots = 0
        for story in Self.stories("qa2", 400, seed: 5) {
            var statements = 0
            var place: [String: String] = [:], holder: [String: String] = [:]
            var lying: [String: String] = [:], touched: [String: Int] = [:]     // no entry: unknown
            func whereIs(_ o: String) -> String? {
                guard let t = touched[o], statements - t <= 5 else { return nil }
                if let a = holder[o] { return place[a] }
                return lying[o]
            }
            for (n, line) in story.enumerated() {
                switch line {
                case let .statement(words):
                    let actor = words[0]
                    statements += 1
                    if BabiWords.locations.contains(words.last!) {
                        place[actor] = words.last!
                    } else if let o = words.first(where: { BabiWords.objects.contains($0) }) {
                        touched[o] = statements - 1
                        if holder[o] == actor { holder[o] = nil; lying[o] = place[actor] } else { holder[o] = actor; lying[o] = nil }
                    }
                    if statements % 2 == 0 && BabiWords.objects.contains(where: { whereIs($0) != nil }) {
                        qualifyingSlots += 1
                        if n + 1 < story.count, case .question = story[n + 1] { filledSlots += 1 }
                    }
                case let .question(words, answer, _):
                    questions += 1
                    #expect(whereIs(words[3]) == answer, "\(words.joined(separator: " ")) \(answer)")
                }
            }
        }
        #expect(filledSlots == questions, "every question in a slot where an object qualifies")
        // The test file: 1,000 of 1,495 such slots filled.
        #expect((0.58...0.76).contains(Double(filledSlots) / Double(qualifyingSlots)))
    }

    /// qa3 as its training file asks it (docs/tasks/babi.md, 4.3), checked by replaying each story's words:
    /// the object was got or dropped in the last five statements; the answer is where its holder carried it
    /// from when last arriving in L, both moves after that holder's latest get of it; the three supports are
    /// the object's latest get or drop, the move into L and the move into the answer, by one actor; a slot
    /// is filled whenever such a question exists; about a quarter of the questions repeat the one before.
    @Test func qa3AsksAboutAnObjectJustGotOrDroppedAndWhereItsHolderCarriedIt() {
        var questions = 0, repeats = 0, latest = 0, slotsWithAQuestion = 0, openSlotsSkipped = 0
        for story in Self.stories("qa3", 400, seed: 5) {
            var statements: [[String]] = []
            var place: [String: String] = [:]                 // actor -> place
            var holder: [String: String] = [:]                // object -> actor
            var touched: [String: Int] = [:]                   // object -> its latest get or drop
            var carried: [String: [(place: String, move: Int)]] = [:]   // object -> moves since its get
            var previous: BabiLine?
            func askable() -> [String: [Int]] {                // object -> arrivals it can be asked about
                var out: [String: [Int]] = [:]
                for (o, t) in touched where statements.count - t <= 5 {
                    let h = carried[o] ?? []
                    let arrivals = h.indices.dropFirst().filter { i in !h[(i + 1)...].contains { $0.place == h[i].place } }
                    if !arrivals.isEmpty { out[o] = arrivals }
                }
                return out
            }
            for (n, line) in story.enumerated() {
                switch line {
                case let .statement(words):
                    let actor = words[0], index = statements.count
                    statements.append(words)
                    if words.count >= 4, words[words.count - 2] == "the", BabiWords.locations.contains(words.last!) {
                        place[actor] = words.last!
                        for (o, a) in holder where a == actor { carried[o, default: []].append((words.last!, index)) }
                    } else if let o = words.first(where: { BabiWords.objects.contains($0) }) {
                        touched[o] = index
                        if holder[o] == actor { holder[o] = nil } else { holder[o] = actor; carried[o] = [] }
                    }
                    // A slot after every second statement: filled whenever a question can be asked.
                    if statements.count % 2 == 0 && !askable().isEmpty {
                        let next = n + 1 < story.count ? story[n + 1] : nil
                        if case .question = next { slotsWithAQuestion += 1 } else { openSlotsSkipped += 1 }
                    }
                case let .question(words, answer, supporting):
                    questions += 1
                    if line == previous { repeats += 1 }
                    previous = line
                    let o = words[3], l = words[6]
                    guard let arrivals = askable()[o], let h = carried[o],
                          let i = arrivals.first(where: { h[$0].place == l }) else {
                        Issue.record("\(words.joined(separator: " ")): not an object just got or dropped and carried into \(l)")
                        continue
                    }
                    if i == h.count - 1 { latest += 1 }
                    #expect(answer == h[i - 1].place)
                    #expect(supporting == [touched[o]!, h[i].move, h[i - 1].move])
                    #expect(Set(supporting.map { statements[$0][0] }).count == 1, "three supports by one actor")
                }
            }
        }
        print("qa3: \(questions) questions, \(repeats) repeats, \(latest) about the latest arrival; slots filled \(slotsWithAQuestion), skipped \(openSlotsSkipped)")
        #expect(openSlotsSkipped == 0)
        // The training file: 257 repeats and 793 latest arrivals in 1,000 questions.
        #expect((0.20...0.31).contains(Double(repeats) / Double(questions)))
        #expect((0.70...0.86).contains(Double(latest) / Double(questions)))
    }

    /// Story lengths beside the released files' (docs/tasks/babi.md, 4.2 and 4.3): qa2's median 25 lines;
    /// qa3's median 70-73 with most over 50 lines (arnn's run longer in the tail); qa6 mostly 15 lines.
    @Test func storyLengthsAreBabis() {
        func lengths(_ task: String) -> [Int] { Self.stories(task, 400, seed: 7).map(\.count).sorted() }
        let qa2 = lengths("qa2"), qa3 = lengths("qa3"), qa6 = lengths("qa6")
        print("qa2 lines: median \(qa2[200]), p10 \(qa2[40]), p90 \(qa2[360]), max \(qa2.last!)")
        print("qa3 lines: median \(qa3[200]), p10 \(qa3[40]), p90 \(qa3[360]), max \(qa3.last!), over 50: \(qa3.filter { $0 > 50 }.count)/400")
        print("qa6 lines: 15: \(qa6.filter { $0 == 15 }.count)/400, max \(qa6.last!)")
        // The files: qa2 median 25, p90 35; qa3 median 70 (training) and 73 (test), p10 39 and 43, p90 127,
        // 73 % over 50 lines; qa6 89.5 % at 15. arnn's qa3 (seed 7): median 67, p10 33, p90 157, 63 % over 50.
        #expect((23...29).contains(qa2[200]) && (31...39).contains(qa2[360]), "qa2 median \(qa2[200]), p90 \(qa2[360])")
        #expect((60...80).contains(qa3[200]) && (120...180).contains(qa3[360]), "qa3 median \(qa3[200]), p90 \(qa3[360])")
        #expect((220...300).contains(qa3.filter { $0 > 50 }.count))
        #expect(qa6.filter { $0 == 15 }.count >= 320)
    }
}

extension BabiGeneratorTests {
    /// Every story has its full number of questions, however long it runs (a qa3 story once reached the
    /// 400-statement cap without any and crashed training).
    @Test(arguments: BabiGenerator.tasks)
    func everyStoryHasItsQuestions(_ task: String) {
        for story in Self.stories(task, 2000, seed: 11) {
            let asked = story.filter { if case .question = $0 { true } else { false } }.count
            #expect(asked == BabiGenerator.questionsPerStory(task))
        }
    }
}
