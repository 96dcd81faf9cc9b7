import Engine
import Foundation
import Tasks
import Testing

/// The SVO → SOV grammar of Grefenstette et al. 2015 (§4.2, Appendix C; docs/tasks/transduction.md).
@Suite struct SVOToSOVTaskTests {
    /// Source → target, written out by hand from the rules: only the main verb moves.
    static let golden: [(source: String, target: String, categories: [String])] = [
        ("si1 vi2 oi3", "so1 oo3 vo2", ["noClause"]),
        ("si4 si2 vi1 oi3 oi3", "so4 so2 oo3 oo3 vo1", ["noClause"]),
        // A clause in the subject: its verb vi1 stays, the main verb vi2 moves past the object.
        ("si1 rpi si2 vi1 vi2 oi3", "so1 rpo so2 vo1 oo3 vo2", ["subjectClause"]),
        // A clause inside a clause: vi1 closes the inner one, vi2 the outer, vi3 is the main verb.
        ("si1 rpi si2 rpi si3 vi1 vi2 vi3 oi1", "so1 rpo so2 rpo so3 vo1 vo2 oo1 vo3", ["subjectClause", "nestedClause"]),
        // Clauses on both sides of the main verb; an object may be a clause headed by subjects.
        ("si1 si2 rpi si3 vi1 vi2 oi1 si4 rpi si1 vi3", "so1 so2 rpo so3 vo1 oo1 so4 rpo so1 vo3 vo2",
         ["subjectClause", "objectClause"]),
        // Two clauses in a row on one head are not nested (one open at a time).
        ("si1 vi4 si2 rpi si3 vi1 rpi si4 vi2", "so1 so2 rpo so3 vo1 rpo so4 vo2 vo4", ["objectClause"]),
    ]

    @Test func typedSentencesAreParsedAndReorderedAsTheRulesSay() throws {
        let task = SVOToSOVTask()
        for (source, target, categories) in Self.golden {
            let pair = try task.sample(text: source)
            #expect(pair.targetWords.joined(separator: " ") == target, "\(source)")
            #expect(pair.categories == categories, "\(source)")
            #expect(pair.targetWords.count == pair.sourceWords.count)
        }
        #expect(try task.sample(text: "SI1, VI2, OI3").targetWords == ["so1", "oo3", "vo2"])
    }

    @Test func thePapersExampleWithItsThirtyThreeWordsPerClass() throws {
        let task = SVOToSOVTask(wordsPerClass: 33)
        let pair = try task.sample(text: "si1 vi28 oi5 oi7 si15 rpi si19 vi16 oi10 oi24")
        #expect(pair.targetWords.joined(separator: " ") == "so1 oo5 oo7 so15 rpo so19 vo16 oo10 oo24 vo28")
        #expect(pair.verb == 1 && pair.categories == ["objectClause"])
        // A source word and its target word have the same id.
        #expect(pair.targetTokens == [pair.sourceTokens[0]] + pair.sourceTokens.dropFirst(2) + [pair.sourceTokens[1]])
    }

    @Test func vocabulariesAreTheClassesWordsThenRpi() {
        let task = SVOToSOVTask(wordsPerClass: 2)
        #expect(Array(task.sourceVocabulary.words) == ["si1", "si2", "vi1", "vi2", "oi1", "oi2", "rpi"])
        #expect(Array(task.targetVocabulary.words) == ["so1", "so2", "vo1", "vo2", "oo1", "oo2", "rpo"])
        #expect(SVOToSOVTask().sourceVocabulary.count == 4 + 13)
    }

    @Test func everySampleHasItsLengthAndParsesToTheVerbItWasDrawnWith() throws {
        let task = SVOToSOVTask()
        var rng = SeededRNG(seed: 11)
        for n in [3, 4, 5, 8, 17, 33, 64, 128, 256] {
            for _ in 0..<20 {
                let pair = task.sample(rng: &rng, length: n)
                #expect(pair.sourceWords.count == n && pair.targetWords.count == n)
                let typed = try task.sample(text: pair.sourceWords.joined(separator: " "))
                #expect(typed == pair)
                #expect(pair.sourceTokens.allSatisfy { $0 >= 4 && $0 < task.sourceVocabulary.count })
            }
        }
    }

    @Test func sameSeedSameSentencesAndTheDrawsArePinned() {
        let task = SVOToSOVTask()
        var a = SeededRNG(seed: 7), b = SeededRNG(seed: 7)
        for n in [nil, 12, 64] { #expect(task.sample(rng: &a, length: n) == task.sample(rng: &b, length: n)) }
        // The draws are arnn's contract with arnn_torch (python/tests/test_svo_sov.py pins the same words).
        var rng = SeededRNG(seed: 7)
        #expect(task.sample(rng: &rng, length: 12).sourceWords.joined(separator: " ") == Self.pinnedAt12)
        var training = SeededRNG(seed: 7)
        #expect(task.sample(rng: &training, length: nil).sourceWords.joined(separator: " ") == Self.pinnedTraining)
    }

    static let pinnedAt12 = "si1 rpi si3 si4 si4 vi2 rpi si1 vi2 si3 vi1 oi4"
    static let pinnedTraining = "si1 vi1 si1 rpi si4 rpi si2 si2 vi3 rpi si1 vi4 si1 rpi si3 si3 vi4 vi3"

    /// An independent sampler of the paper's grammar: each rule with its own probability, no lengths
    /// known in advance. Nil once a sentence passes `cap` words (it would be rejected anyway).
    static func paperSentence(rng: inout SeededRNG, cap: Int) -> [String]? {
        var out: [String] = []
        func node(_ subject: Bool) -> Bool {
            guard out.count <= cap else { return false }
            let u = rng.uniform()
            if u < 0.6 { out.append(subject ? "si1" : "oi1"); return true }
            if u < 0.8 { return node(subject) && node(subject) }
            guard node(true) else { return false }
            out.append("rpi")
            guard node(true) else { return false }
            out.append("vi1")
            return true
        }
        guard node(true) else { return nil }
        out.append("vi1")
        guard node(false), out.count <= cap else { return nil }
        return out
    }

    @Test func trainingLengthsAreThoseOfThePapersRejectionSampling() throws {
        let task = SVOToSOVTask()
        var rng = SeededRNG(seed: 4)
        let drawn = (0..<6000).map { _ in task.sample(rng: &rng, length: nil) }
        #expect(drawn.allSatisfy { (8...32).contains($0.ownLength) })
        #expect(Set(drawn.map(\.ownLength)) == Set(8...32))
        // The paper's way: sample the grammar, keep sentences of 8–32 words.
        var kept: [[String]] = []
        while kept.count < 6000 {
            if let s = Self.paperSentence(rng: &rng, cap: 32), s.count >= 8 { kept.append(s) }
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        let ours = mean(drawn.map { Double($0.ownLength) }), theirs = mean(kept.map { Double($0.count) })
        // Both about 15.1 words, with a standard error of 0.08 each.
        #expect(abs(ours - theirs) < 0.5, "mean length \(ours) here, \(theirs) by rejection")
        #expect(abs(ours - 15.12) < 0.4)
        let clauses = mean(drawn.map { $0.categories == ["noClause"] ? 0 : 1 })
        let theirClauses = mean(kept.map { $0.contains("rpi") ? 1 : 0 })
        #expect(abs(clauses - theirClauses) < 0.04, "share with a clause \(clauses) here, \(theirClauses) by rejection")
        // Length 8 is the likeliest: 8.8 % of the range's probability, against 1.1 % for 32.
        let eights = Double(drawn.filter { $0.ownLength == 8 }.count) / 6000
        #expect(abs(eights - 0.0877) < 0.02)
    }

    @Test func longSentencesAreDrawnInWellUnderAMillisecond() {
        let task = SVOToSOVTask()
        var rng = SeededRNG(seed: 5)
        let start = Date()
        for _ in 0..<200 {
            _ = task.sample(rng: &rng, length: 64)
            _ = task.sample(rng: &rng, length: 128)
        }
        // 400 sentences: under a second even on a busy machine (about 20 µs each when idle).
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func evaluationLengthsAreTwiceAndFourTimesTheLongestTrained() {
        #expect(SVOToSOVTask().evaluationLengths == [16, 32, 64, 128])
        #expect(SVOToSOVTask(minLength: 3, maxLength: 100).evaluationLengths == [6, 100, 200, 256])
    }

    /// The message `sample(text:)` throws for `text`.
    func message(_ text: String, _ task: SVOToSOVTask = SVOToSOVTask()) -> String {
        do {
            _ = try task.sample(text: text)
            return "accepted"
        } catch let e as ArnnError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func typedInputThatIsNotASentenceIsNamedInOneLine() {
        let cases: [(String, String)] = [
            ("oi1 vi1 si1", "not a sentence of the grammar: a sentence starts with a subject (si1–si4), got \"oi1\" (word 1)"),
            ("si1 oi1", "not a sentence of the grammar: expected the main verb (vi1–vi4) after the subject, got \"oi1\" (word 2)"),
            ("si1 vi1", "not a sentence of the grammar: expected an object (oi1–oi4, or a clause si… rpi si… vi…) after the main verb, but the sentence ends"),
            ("si1 vi1 oi1 vi2", "not a sentence of the grammar: a second main verb, \"vi2\" (word 4), after the object"),
            ("si1 vi1 oi1 rpi si2 vi2", "not a sentence of the grammar: \"rpi\" (word 4) after an object word: a relative clause's head is a subject (si…)"),
            ("si1 vi1 si2 oi1", "not a sentence of the grammar: \"si2\" (word 3) in the object belongs to no relative clause (an object is oi1–oi4 and clauses si… rpi si… vi…)"),
            ("si1 rpi vi1 vi2 oi1", "not a sentence of the grammar: \"rpi\" (word 2) must be followed by a subject (si1–si4), got \"vi1\" (word 3)"),
            ("si1 rpi si2 oi1", "not a sentence of the grammar: the relative clause from word 2 needs its verb (vi1–vi4) after its subject, got \"oi1\" (word 4)"),
            ("si1 vi9 oi1", "unknown word \"vi9\" (closest known word: \"vi1\"; the words are si1–si4, vi1–vi4, oi1–oi4 and rpi)"),
            ("so1 vi1 oi1", "unknown word \"so1\" (closest known word: \"si1\"; the words are si1–si4, vi1–vi4, oi1–oi4 and rpi)"),
            ("  ", "type a sentence: subject, verb, object, e.g. \"si1 vi2 oi3\" or \"si1 rpi si2 vi1 vi2 oi3 oi1\""),
            (String(repeating: "si1 ", count: 257), "the sentence has 257 words; the model reads at most 256"),
        ]
        for (text, expected) in cases {
            let got = message(text)
            #expect(got == expected)
            #expect(!got.contains("\n"))
        }
        #expect(SVOToSOVTask().unknownWords("si1 xx vi1 oi9") == ["xx", "oi9"])
    }

    @Test func invalidSettingsAndLengthsAreRefusedWithTheirField() {
        #expect(throws: ArnnError("svo-sov: wordsPerClass must be at most 33 (the paper's), got 34")) {
            try SVOToSOVTask(wordsPerClass: 34).validate()
        }
        #expect(throws: ArnnError.self) { try SVOToSOVTask(wordsPerClass: 0).validate() }
        #expect(throws: ArnnError("svo-sov: minLength must be at least 3 (subject, verb, object), got 2")) {
            try SVOToSOVTask(minLength: 2).validate()
        }
        #expect(throws: ArnnError.self) { try SVOToSOVTask(minLength: 9, maxLength: 8).validate() }
        #expect(throws: ArnnError.self) { try SVOToSOVTask().validate(length: 257) }
        #expect((try? SVOToSOVTask().validate(length: 3)) != nil)
    }

    @Test func theTaskRoundTripsThroughItsJSON() throws {
        let catalog = TaskCatalog([SVOToSOVTask.self])
        let task = try catalog.decode(#"{"name": "svo-sov", "wordsPerClass": 6}"#)
        #expect(task.task as? SVOToSOVTask == SVOToSOVTask(wordsPerClass: 6))
        #expect(try catalog.decode(JSONEncoder().encode(task)) == task)
        #expect(throws: ArnnError.self) { try catalog.decode(#"{"name": "svo-sov", "maxLength": 300}"#) }
    }
}
