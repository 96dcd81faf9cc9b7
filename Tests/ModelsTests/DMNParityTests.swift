import Engine
import Foundation
import Models
import Testing

/// DMN+ (docs/models/dmn.md) against arnn_torch's, written from the same doc (Tests/Fixtures/
/// make_dmn_fixture.py): three stories of 2, 6 and 3 statements under a memory of 4, every bias and the
/// scorer's weights enlarged so that every path carries weight.
@Suite struct DMNParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/dmn_parity.safetensors").path

    struct Story: StoryInput {
        var sentenceIds: [[Int]]
        var questionIds: [Int]
    }

    @Test func matchesArnnTorchOnABatchOfStoriesLongerAndShorterThanTheMemory() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let stories: [[[Int]]] = try fixture.metadata("stories")
        let questions: [[Int]] = try fixture.metadata("questions")
        let answers: [Int] = try fixture.metadata("answers")
        // The fixture's config has no answer count (arnn_torch fixes it at the task's 12); arnn's takes it.
        var weights = fixture.weights
        var config = try JSONSerialization.jsonObject(with: Data(weights.metadata["arnn.config"]!.utf8)) as! [String: Any]
        config["answerCount"] = 12
        weights.metadata["arnn.config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        let model = try DMN<Story>(checkpoint: weights)
        #expect(model.config.memorySize < stories.map(\.count).max()!, "one story must overflow the memory")

        let g = Graph(recording: true)
        let batch = zip(stories, questions).map { Story(sentenceIds: $0, questionIds: $1) }
        let (passes, logits) = model.answer(g, batch)
        let loss = g.crossEntropy(logits, targets: answers)                 // (15): the mean over the batch
        g.backward(loss)

        fixture.expectClose(g.value(logits).data, "reference.logits")
        fixture.expectClose([g.scalar(loss)], "reference.loss")
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "gradient")
        }
        // Per pass and story: the gates over the kept facts (10), the episode (12) and the memory (13);
        // once per story: q (3) and the facts F_i (6). The fixture's slots are N = 4 wide, facts first.
        let n = 4, h = model.config.hiddenSize
        let kept = stories.map { min($0.count, n) }
        let gates = fixture.reference["reference.gates"]!.data, facts = fixture.reference["reference.facts"]!.data
        var mine: [Float] = [], theirs: [Float] = [], episodes: [Float] = [], memories: [Float] = []
        for (t, pass) in passes.enumerated() {
            for b in 0..<batch.count {
                let s = pass.snapshot(g, example: b)
                mine += s.gates
                let start: Int = (t * batch.count + b) * n
                theirs += Array(gates[start..<(start + kept[b])])
                episodes += s.episode
                memories += s.memory
            }
        }
        #expect(mine.count == theirs.count)
        #expect(zip(mine, theirs).allSatisfy { abs($0 - $1) <= 1e-5 }, "gates: \(mine) vs \(theirs)")
        fixture.expectClose(episodes, "reference.episodes")
        fixture.expectClose(memories, "reference.memories")
        var question: [Float] = [], myFacts: [Float] = [], theirFacts: [Float] = []
        for b in 0..<batch.count {
            let once = passes[0].snapshot(g, example: b).once
            question += once.question
            myFacts += once.facts.joined()
            let start: Int = b * n * h, end: Int = (b * n + kept[b]) * h
            theirFacts += Array(facts[start..<end])
        }
        fixture.expectClose(question, "reference.question")
        #expect(zip(myFacts, theirFacts).allSatisfy { abs($0 - $1) <= 1e-5 } && myFacts.count == theirFacts.count, "facts")
        fixture.printWorst()
    }
}
