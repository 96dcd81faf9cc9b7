import Engine
import Foundation
import Models
import Testing

/// The end-to-end memory network (docs/models/memn2n.md) against arnn_torch's, written from the same doc
/// (Tests/Fixtures/make_memn2n_fixture.py): three stories of 2, 6 and 3 statements under a memory of 4.
@Suite struct MemN2NParityTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/memn2n_parity.safetensors").path

    /// A story as word ids, which is all the model reads.
    struct Story: StoryInput {
        var sentenceIds: [[Int]]
        var questionIds: [Int]
    }

    @Test func matchesArnnTorchOnABatchOfStoriesLongerAndShorterThanTheMemory() throws {
        var fixture = try ParityFixture(path: Self.fixturePath)
        let stories: [[[Int]]] = try fixture.metadata("stories")
        let questions: [[Int]] = try fixture.metadata("questions")
        let answers: [Int] = try fixture.metadata("answers")
        let model = try MemN2N<Story>(checkpoint: fixture.weights)
        #expect(model.config.memorySize < stories.map(\.count).max()!, "one story must overflow the memory")

        let g = Graph(recording: true)
        let (hops, logits) = model.answer(g, zip(stories, questions).map { Story(sentenceIds: $0, questionIds: $1) })
        let loss = g.crossEntropy(logits, targets: answers)                  // (12): the mean over the batch
        g.backward(loss)

        fixture.expectClose(g.value(logits).data, "reference.logits")
        fixture.expectClose([g.scalar(loss)], "reference.loss")
        // (8) per hop over the memory's slots, the kept sentences right-aligned (the fixture's slots are M wide).
        fixture.expectClose(hops.flatMap { g.value($0.attention).data }, "reference.attention")
        for p in model.parameters {
            fixture.expectClose(p.gradTensor.data, "reference.grad.\(p.name)", label: "gradient")
        }
        fixture.printWorst()
    }
}
