import Engine
import Foundation
import Tasks
import Testing

/// The bAbI-style task: its words cover every generated story, its training set is fixed, its held-out
/// stories are new, and a typed story is read or refused in one line.
@Suite struct BabiTaskTests {
    @Test func everyGeneratedWordAndAnswerIsKnown() {
        let task = BabiTask()
        var rng = SeededRNG(seed: 3)
        for number in BabiTask.knownTasks {
            for _ in 0..<300 {
                let s = task.sample(rng: &rng, length: number)
                #expect(!s.sentenceIds.joined().contains(1) && !s.questionIds.contains(1), "an unknown word in \(s.story)")
                guard case let .word(id)? = s.answer else { Issue.record("no answer: \(s.story)"); continue }
                #expect(BabiTask.answers[id] == s.story.answerWord && s.categories == ["qa\(number)"])
            }
        }
        #expect(BabiTask.answers.count == 12 && BabiTask.vocabulary.count == 56)
        #expect(BabiTask.answers.allSatisfy(BabiTask.vocabulary.contains), "every answer is a word")
    }

    @Test func trainingDrawsFromAFixedSetAndHeldOutStoriesAreOthers() {
        let task = BabiTask(tasks: [1, 15], trainingStories: 40)
        var rng = SeededRNG(seed: 4)
        var seen = Set<String>()
        for _ in 0..<600 { seen.insert(task.sample(rng: &rng, length: 1).story.sentences.map { $0.joined(separator: " ") }.joined(separator: ". ")) }
        // 40 stories of 5 questions: at most 200 distinct question contexts.
        #expect(seen.count <= 200 && seen.count > 100)
        let heldOut = task.forEvaluation()
        var fresh = 0
        for _ in 0..<100 {
            let s = heldOut.sample(rng: &rng, length: 1).story.sentences.map { $0.joined(separator: " ") }.joined(separator: ". ")
            if !seen.contains(s) { fresh += 1 }
        }
        #expect(fresh == 100, "held-out stories repeated training ones")
    }

    @Test func aTypedStoryIsReadAndItsQuestionNamesTheTask() throws {
        let s = try BabiTask().sample(text: "Mary moved to the bathroom. John went to the hallway. Where is Mary?")
        #expect(s.story.sentences.count == 2 && s.story.task == "qa1" && s.answer == nil)
        let d = try BabiTask().sample(text: "Sheep are afraid of wolves. Gertrude is a sheep. What is Gertrude afraid of?")
        #expect(d.story.task == "qa15" && d.questionIds.count == 5)
    }

    @Test func badTypedStoriesAreOneLine() {
        func message(_ text: String) -> String {
            do { _ = try BabiTask().sample(text: text); return "" } catch let e as ArnnError { return e.message } catch { return "\(error)" }
        }
        #expect(message("Mary moved to the bathrom. Where is Mary?") == "unknown word \"bathrom\" (closest known word: \"bathroom\")")
        #expect(message("Where is Mary?").hasPrefix("the story is empty"))
        #expect(message("Mary moved to the bathroom.").hasPrefix("no question"))
        #expect(message("Mary moved to the bathroom. Is the milk Mary?").hasPrefix("no task asks \"is the milk mary?\""))
        #expect(message("Mary moved to the bathroom. Where is Mary? John went to the office.") == "the question must come last (\"… Where is Mary?\")")
        #expect(message("Mary moved to the bathroom").hasPrefix("end the story's sentences"))
    }

    @Test func theConfigurationReadsOverItsDefaultsAndRefusesUnknownTasks() throws {
        let t = try BabiTask.decode(json: #"{"tasks": [1, 3]}"#)
        #expect(t.tasks == [1, 3] && t.trainingStories == 2000 && t.split == .train)
        do {
            try BabiTask(tasks: [4]).validate()
            Issue.record("task 4 was accepted")
        } catch let e as ArnnError {
            #expect(e.message == "babi: task 4 is not generated; the tasks are 1, 2, 3, 6 and 15")
        } catch { Issue.record("\(error)") }
    }
}
