import Engine
import Testing
import Tasks

@Suite struct ReproducibilityTests {
    @Test(arguments: TaskConfig.names)
    func theSameSeedGivesTheSameExamples(name: String) throws {
        let task = try TaskConfig(name: name)
        #expect(examples(task, seed: 42, count: 20) == examples(task, seed: 42, count: 20))
    }

    @Test(arguments: TaskConfig.names)
    func differentSeedsGiveDifferentExamples(name: String) throws {
        let task = try TaskConfig(name: name)
        let a = examples(task, seed: 1, count: 5), b = examples(task, seed: 2, count: 5)
        for (x, y) in zip(a, b) { #expect(x.inputs != y.inputs) }
    }

    @Test(arguments: TaskConfig.names)
    func everyExampleAnswersFromMemoryAndScoresOnlyItsAnswerPhase(name: String) throws {
        let task = try TaskConfig(name: name)
        for ex in examples(task, seed: 7, count: 50) {
            #expect(ex.inputs.shape == [ex.steps, task.inputWidth])
            #expect(ex.targets.shape == [ex.steps, task.outputWidth])
            #expect(ex.task == task)
            for t in 0..<ex.steps {
                #expect(ex.mask[t] == (ex.phases[t] == .answer))
                if ex.mask[t] {
                    #expect(row(ex.inputs, t) == zeros(task.inputWidth), "step \(t) answers from memory")
                } else {
                    #expect(row(ex.targets, t) == zeros(task.outputWidth), "step \(t) has no target")
                }
            }
            #expect(ex.answerSteps > 0)
            #expect(ex.mask.lastIndex(of: false)! < ex.mask.firstIndex(of: true)!, "the answer phase comes last")
        }
    }

    /// Pins the exact stream so that a change to the generators (or to SeededRNG) that would silently change
    /// every trained demo's data is noticed. Update deliberately, never to make the test pass.
    @Test func theCopyStreamForSeedOneIsPinned() {
        var rng = SeededRNG(seed: 1)
        let ex = CopyTask().example(rng: &rng, length: nil)
        let firstRow = row(ex.inputs, 0, 0..<8).map { Int($0) }
        #expect("\(ex.steps) \(firstRow)" == Self.pinnedCopySeedOne)
    }

    static let pinnedCopySeedOne = "37 [0, 0, 1, 0, 1, 1, 1, 0]"
}
