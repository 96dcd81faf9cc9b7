import Engine
import Episodes
import Foundation
import Models
import Registry
import Tasks
import Testing
import Viewing
import Visualiser

/// A small untrained transformer with a fixed seed, on translation and on sorting.
enum TransformerFixture {
    static func learner<T: TokenTask>(_ task: T, seed: UInt64 = 9, attention: TransformerAttention = .softmax)
        -> EncoderDecoderLearner<Transformer, T> {
        var rng = SeededRNG(seed: seed)
        var config = TransformerConfig(sourceVocabulary: task.sourceVocabulary.size, targetVocabulary: task.targetVocabulary.size,
                                       modelSize: 16, heads: 4, feedForwardSize: 16, encoderLayers: 2, decoderLayers: 2)
        config.attention = attention
        config.projection = 4
        config.maxSourceLength = task.maxSourceWords
        let model = Transformer(config: config, rng: &rng)
        return try! EncoderDecoderLearner(model: model, task: task)
    }

    static func state<T: TokenTask>(_ task: T, length: Int = 8, seed: UInt64 = 1, width: Int = 80, height: Int = 24,
                                    attention: TransformerAttention = .softmax) -> ViewerState {
        var s = try! Registry.viewer([("test-transformer", learner(task, attention: attention))], task: TaskConfig(task),
                                     length: length, seed: seed).0
        s.width = width
        s.height = height
        return s
    }

    static func effects<T: TokenTask>(_ task: T, attention: TransformerAttention = .softmax) -> ViewerEffects {
        ViewerEffects(learners: [learner(task, attention: attention)], task: TaskConfig(task))
    }
}

/// The transformer scene: goldens, the head in focus and its map, the cursor's exact value, typed input.
@Suite("Transformer scene")
struct TransformerSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }

    func run<T: TokenTask>(_ state: ViewerState, _ task: T, _ events: [Event], attention: TransformerAttention = .softmax) -> ViewerState {
        var s = state
        let effects = TransformerFixture.effects(task, attention: attention)
        for event in events {
            var (next, command) = Viewer.update(s, event)
            while let c = command, let result = effects.perform(c, for: next) {
                (next, command) = Viewer.update(next, result)
            }
            s = next
        }
        return s
    }

    func scene(_ s: ViewerState) -> TransformerScene { s.models[0].scene.base as! TransformerScene }

    @Test func translationAt80x24And160x48MidSentence() throws {
        for (w, h) in [(80, 24), (160, 48)] {
            var s = TransformerFixture.state(TranslationTask(), width: w, height: h)
            s.go(to: 3)
            try check(Viewer.view(s, width: w, height: h, mode: .none), "transformer-\(w)x\(h)-step4")
        }
    }

    @Test func sortingSixtyFourLettersAt120x40FitsTwoQueriesARow() throws {
        var s = TransformerFixture.state(TransductionTask<Sorting>(), length: 64, width: 120, height: 40)
        s.go(to: 20)
        let screen = Viewer.view(s, width: 120, height: 40, mode: .none)
        try check(screen, "transformer-sort-120x40-step21")
        // The encoder's map is 64 × 64: every source letter has a column.
        s = run(s, TransductionTask<Sorting>(), [.key(.char("m"))])
        #expect(scene(s).map == .encoder)
        let text = Viewer.view(s, width: 120, height: 40, mode: .none).plainText()
        #expect(text.contains("encoder self-attention"))
    }

    @Test func tabMovesTheFocusThroughEveryHeadOfEveryLayerAndTheCursorGivesTheExactWeight() throws {
        var s = TransformerFixture.state(TranslationTask(), width: 160, height: 48)
        s.go(to: 3)
        #expect(scene(s).focusLayer == 0 && scene(s).focusHead == 0)
        s = run(s, TranslationTask(), Array(repeating: .key(.tab), count: 5))
        #expect(scene(s).focusLayer == 1 && scene(s).focusHead == 1)
        s = run(s, TranslationTask(), Array(repeating: .key(.tab), count: 3) + [.key(.backTab)])
        #expect(scene(s).focusLayer == 1 && scene(s).focusHead == 3, "after the last head, the first, and back")
        s = run(s, TranslationTask(), [.key(.up), .key(.right)])
        let c = try #require(scene(s).cursor)
        let snapshot = s.episode[c.row].snapshot as! TransformerSnapshot
        let weight = snapshot.crossAttention[1][3][c.column]
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        try check(screen, "transformer-160x48-step4-cursor-L2H4")
        #expect(screen.plainText().contains("layer 2 head 4 cross: step \(c.row + 1)"))
        #expect(screen.plainText().contains(NumberFormat.fixed(weight, decimals: 4)))
    }

    @Test func theDecoderMapShowsOnlyPositionsUpToEachStep() {
        var s = TransformerFixture.state(TranslationTask(), width: 160, height: 48)
        s.go(to: 2)
        s = run(s, TranslationTask(), [.key(.char("m")), .key(.char("m"))])
        let sc = scene(s)
        #expect(sc.map == .decoder)
        #expect(sc.weight(.decoder, layer: 0, head: 0, row: 2, column: 2, now: 2) != nil)
        #expect(sc.weight(.decoder, layer: 0, head: 0, row: 2, column: 3, now: 2) == nil, "a later position does not exist yet")
        #expect(sc.weight(.decoder, layer: 0, head: 0, row: 3, column: 0, now: 2) == nil, "a later step has not run")
        let row = (0...2).compactMap { sc.weight(.decoder, layer: 1, head: 2, row: 2, column: $0, now: 2) }
        #expect(abs(row.reduce(0, +) - 1) < 1e-4, "step 3's weights over positions 0…2 sum to 1")
    }

    @Test func typedLettersAreSortedAndAnUnknownOneIsNamed() {
        var s = TransformerFixture.state(TransductionTask<Sorting>(), length: 40)
        s = run(s, TransductionTask<Sorting>(), [.key(.char("t"))] + "dcba".map { .key(.char($0)) } + [.key(.enter)])
        #expect((s.episode.sample as! SymbolPair).targetWords == ["a", "b", "c", "d"])
        s = run(s, TransductionTask<Sorting>(), [.key(.char("t"))] + "d1".map { .key(.char($0)) } + [.key(.enter)])
        #expect(s.promptProblem?.hasPrefix("unknown symbol \"d1\"") == true)
    }

    /// Under Linformer, `a` shows the approximation's map, exact attention's on the same queries and keys,
    /// then their difference; an exact model has nothing to compare and says so.
    @Test(arguments: [TransformerAttention.linformer, .performer])
    func anApproximationIsShownBesideExactAttentionAndTheirDifference(attention: TransformerAttention) throws {
        var s = TransformerFixture.state(TranslationTask(), width: 160, height: 48, attention: attention)
        s.go(to: 2)
        let snapshot = s.episode[2].snapshot as! TransformerSnapshot
        #expect(snapshot.exactCrossAttention.count == 2 && snapshot.exactEncoderAttention.count == 2)
        let implied = snapshot.crossAttention[0][0][1], exact = snapshot.exactCrossAttention[0][0][1]
        #expect(abs(implied - exact) > 1e-4, "the untrained approximation differs from exact attention")
        #expect(scene(s).weight(.cross, layer: 0, head: 0, row: 2, column: 1, now: 2) == implied)
        s = run(s, TranslationTask(), [.key(.char("a"))], attention: attention)
        #expect(scene(s).comparison == .exact)
        #expect(scene(s).weight(.cross, layer: 0, head: 0, row: 2, column: 1, now: 2) == exact)
        s = run(s, TranslationTask(), [.key(.char("a"))], attention: attention)
        #expect(scene(s).weight(.cross, layer: 0, head: 0, row: 2, column: 1, now: 2) == implied - exact)
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("difference Â − A"))
        if attention == .linformer { try check(Viewer.view(s, width: 160, height: 48, mode: .none), "transformer-linformer-160x48-difference") }
        // Exact rows sum to 1; the decoder's own attention is never approximated.
        let row = snapshot.exactEncoderAttention[1][2][0]
        #expect(abs(row.reduce(0, +) - 1) < 1e-4)
        #expect(!scene(s).compares(.decoder))
        var plain = TransformerFixture.state(TranslationTask(), width: 160, height: 48)
        plain = run(plain, TranslationTask(), [.key(.char("a"))])
        #expect(plain.message == "this model's attention is exact: nothing to compare")
    }

    /// `]` and `[` double and halve a Linformer's k or a Performer's m and run the same input again, on the
    /// same step: the episode is the adjusted model's own. Back at the trained value it is the first
    /// episode again. On an exact model `[` is the player's shorter sequence.
    @Test(arguments: [TransformerAttention.linformer, .performer])
    func bracketsChangeKOrMLiveOnTheSameInput(attention: TransformerAttention) throws {
        let task = TransductionTask<Sorting>()
        var s = TransformerFixture.state(task, length: 32, width: 160, height: 48, attention: attention)
        s = run(s, task, [.key(.right), .key(.right)], attention: attention)
        let first = s.episode, sample = s.episode.sample as! SymbolPair
        let (field, symbol, trained) = attention == .linformer ? ("projection", "k", 4) : ("features", "m", 64)
        #expect(s.liveSettings.map(\.field) == [field])
        #expect(Viewer.view(s, width: 160, height: 48, mode: .none).plainText().contains("\(symbol) \(trained)"))

        s = run(s, task, [.key(.char("]"))], attention: attention)
        #expect(s.settings == [field: 2 * trained] && s.step == 2)
        #expect((s.episode.sample as! SymbolPair).sourceWords == sample.sourceWords)
        #expect(s.message?.hasPrefix("\(symbol) = \(2 * trained) (trained at \(trained); ") == true)
        #expect(Viewer.view(s, width: 160, height: 48, mode: .none).plainText().contains("\(symbol) \(2 * trained)"))
        let adjusted = try TransformerFixture.learner(task, attention: attention).adjusted([field: 2 * trained]).episode(sample)
        let map = { (e: Episode) in (e[0].snapshot as! TransformerSnapshot).crossAttention }
        #expect(map(s.episode) == map(adjusted) && map(s.episode) != map(first))

        s = run(s, task, [.key(.char("["))], attention: attention)
        #expect(s.settings.isEmpty && map(s.episode) == map(first))
        #expect(s.message?.hasPrefix("\(symbol) = \(trained), as trained: ") == true)
        s = run(s, task, Array(repeating: .key(.char("[")), count: 8), attention: attention)
        #expect(s.settings == [field: 1] && s.message == "\(symbol) = 1 is the smallest offered")
        // `<` is the sequence's length still.
        s = run(s, task, [.key(.char(">"))], attention: attention)
        #expect(s.length == 33 && s.settings == [field: 1])

        var exact = TransformerFixture.state(task, length: 40)
        exact = run(exact, task, [.key(.char("["))])
        #expect(exact.length == 39 && exact.settings.isEmpty)
        #expect(exact.liveSettings.isEmpty)
    }
}
