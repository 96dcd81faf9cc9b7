import Engine
import Episodes
import Foundation
import Models
import Tasks
import Registry
import Testing
import Viewing
import Visualiser

/// The translation scene: goldens at 80×24 and 160×48, the cursor, typing a sentence and unknown words.
@Suite("Seq2seq scene")
struct Seq2SeqSceneTests {
    func check(_ screen: Screen, _ name: String) throws { try ViewerGoldenTests().check(screen, name) }

    func run(_ state: ViewerState, _ events: [Event]) -> ViewerState {
        var s = state
        for event in events {
            var (next, command) = Viewer.update(s, event)
            while let c = command, let result = Seq2SeqFixture.effects.perform(c, for: next) {
                (next, command) = Viewer.update(next, result)
            }
            s = next
        }
        return s
    }

    func scene(_ s: ViewerState) -> Seq2SeqScene { s.models[0].scene.base as! Seq2SeqScene }

    /// Compared decoders that stop after a different number of words on an example are both shown: the
    /// player runs to the end of the longer, and the one that stopped sooner holds its last word (such
    /// examples were refused before; before that, the shorter episode was indexed past its end).
    @Test func comparedDecodersOfDifferentLengthsAreBothShownTheShorterHoldingItsLastWord() throws {
        var rng = SeededRNG(seed: 77)
        let other = Seq2Seq(config: Seq2SeqFixture.model.config, rng: &rng)
        let effects = ViewerEffects(learners: [Seq2SeqFixture.learner, try EncoderDecoderLearner(model: other, task: TranslationTask())],
                                    task: Seq2SeqFixture.task)
        var differing = 0
        for seed in UInt64(1)...40 {
            guard case let .episodes(episodes, _, _, _)? = effects.perform(.runExample(length: 8, seed: seed)) else {
                Issue.record("seed \(seed): no episodes")
                continue
            }
            guard episodes[0].count != episodes[1].count else { continue }
            differing += 1
            let shown = try episodes.enumerated().map { i, e in ShownModel(name: "m\(i)", episode: e, scene: try Registry.scene(e.kind).make(e)) }
            var s = ViewerState(models: shown, task: Seq2SeqFixture.task, length: 8, seed: seed)
            s.go(to: s.lastStep)
            #expect(s.lastStep == episodes.map(\.count).max()! - 1, "seed \(seed): the player ends with the longer episode")
            let shorter = episodes[0].count < episodes[1].count ? 0 : 1
            #expect(s.step(of: shorter) == episodes[shorter].count - 1, "seed \(seed): the shorter holds its last frame")
            #expect(s.offset(0) == 0 && s.offset(1) == 0, "two decoders start together")
            let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
            #expect(text.contains("m0") && text.contains("m1"))
        }
        #expect(differing > 0, "two untrained decoders never disagreed on length in 40 examples")
    }

    @Test func at80x24MidSentence() throws {
        var s = Seq2SeqFixture.state()
        s.go(to: 3)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "seq2seq-80x24-step4")
    }

    @Test func at160x48WithTheCursorOnACell() throws {
        var s = Seq2SeqFixture.state(width: 160, height: 48)
        s.go(to: 3)
        s = run(s, [.key(.up), .key(.right)])
        let screen = Viewer.view(s, width: 160, height: 48, mode: .none)
        try check(screen, "seq2seq-160x48-step4-cursor")
        let c = scene(s).cursor!
        let weight = (s.episode[c.row].snapshot as! Seq2SeqSnapshot).weights[c.column]
        #expect(screen.plainText().contains("attention on \"\(scene(s).sourceWords[c.column])\" \(NumberFormat.fixed(weight, decimals: 4))"))
    }

    @Test func theSentencesShowSourceOutputAndReference() {
        let s = Seq2SeqFixture.state(width: 160, height: 48)
        let pair = s.episode.sample as! TranslationPair
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains(pair.sourceWords.joined(separator: " ")))
        #expect(text.contains(pair.targetWords.joined(separator: " ")))
        #expect(scene(s).decodedWords.count == s.episode.count)
    }

    @Test func typingASentenceTranslatesItAndUnknownWordsAreNamed() {
        var s = Seq2SeqFixture.state()
        s = run(s, [.key(.char("t"))] + "the small cats".map { .key(.char($0)) } + [.key(.enter)])
        #expect(s.prompt == nil && s.edited)
        #expect((s.episode.sample as! TranslationPair).sourceWords == ["the", "small", "cats"])
        #expect(s.episode.score.scored == 0)        // a typed sentence has no reference to score
        // An unknown word: no model runs, the prompt stays open with the word underlined and the closest
        // known word in the status bar.
        let before = s.episode.sample as! TranslationPair
        s = run(s, [.key(.char("t"))] + "the cta".map { .key(.char($0)) } + [.key(.enter)])
        #expect(s.prompt == "the cta" && s.promptUnknown == ["cta"])
        #expect(s.promptProblem == "unknown word \"cta\" (closest known word: \"cat\")")
        #expect(s.episode.sample as! TranslationPair == before)
        let screen = Viewer.view(s, width: 80, height: 24, mode: .none)
        #expect(screen.plainText().contains("closest known word: \"cat\""))
        let info = screen.plainText().components(separatedBy: "\n")[22]
        let x = info.distance(from: info.startIndex, to: info.range(of: "cta")?.lowerBound ?? info.startIndex)
        #expect(x > 0 && screen[x, 22].style.attributes.contains(.underline))
        #expect(!screen[x - 4, 22].style.attributes.contains(.underline))   // "the" is known
        s = run(s, [.key(.escape), .key(.char("t")), .key(.enter)])
        #expect(s.promptProblem?.hasPrefix("type a sentence") == true)
    }
}
