import Episodes
import Foundation
import Registry
import Tasks
import Testing
import Visualiser

/// The LSTM that translates without attention (`demos/lstm-translate`) in the viewer: the sequence panel
/// shows the words it read, should write and wrote, and beside the attention model (`--compare`) the two
/// step together, aligned on where they start writing.
@Suite struct TokenSequenceTests {
    static func load(_ name: String) throws -> LoadedModel {
        try LoadedModel.load(NTMScreenTests.demos.appendingPathComponent(name).path, catalog: Registry.catalog)
    }

    @Test func theSequencePanelShowsTheWordsReadWantedAndWritten() throws {
        let model = try Self.load("lstm-translate")
        var s = try Registry.viewer([model]).0
        let pair = try #require(s.episode.sample(as: TranslationPair.self))
        let n = pair.sourceTokens.count
        s.go(to: n + 1)                                  // the second word written
        let text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        let lines = text.split(separator: "\n").map(String.init)
        let read = try #require(lines.first { $0.contains("│read ") })
        let want = try #require(lines.first { $0.contains("│want ") })
        let wrote = try #require(lines.first { $0.contains("│wrote") })
        for word in pair.sourceWords { #expect(read.contains(" \(word) "), "\(word) is not on the read row: \(read)") }
        #expect(read.contains("<bos>"))
        #expect(want.contains(" \(pair.targetWords[0]) ") && want.contains(" \(pair.targetWords[1]) "))
        // Written up to the current step only.
        #expect(wrote.contains(" \(pair.targetWords[0]) ") && !wrote.contains(pair.targetWords.last! + " "),
                "wrote row: \(wrote)")
        #expect(text.contains("read \(n) words, then write"))
    }

    @Test func attentionAndNoAttentionStepTogetherFromWhereTheyStartWriting() throws {
        let translate = try Self.load("translate"), lstm = try Self.load("lstm-translate")
        var s = try Registry.viewer([translate, lstm]).0
        let pair = try #require(s.episode.sample(as: TranslationPair.self))
        let n = pair.sourceTokens.count
        #expect(s.offset(0) == n && s.offset(1) == 0, "the encoder–decoder starts when the LSTM has read the sentence")
        #expect(s.lastStep == Swift.max(n + s.models[0].episode.count, s.models[1].episode.count) - 1)
        s.go(to: n - 1)
        #expect(s.step(of: 0) == 0 && s.step(of: 1) == n - 1)
        var text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(text.contains("starts at step \(n + 1)") && text.contains("waiting"))
        s.go(to: n + 2)
        #expect(s.step(of: 0) == 2 && s.step(of: 1) == n + 2, "both write their third word at the same step")
        text = Viewer.view(s, width: 160, height: 48, mode: .none).plainText()
        #expect(!text.contains("starts at step"))
        // The demo pair opens on the example of the first model (translate: 12 words, seed 3), which the
        // LSTM gets wrong: the wrong words are marked.
        s.go(to: s.lastStep)
        if s.models[1].episode.score.wrong > 0 {
            #expect(Viewer.view(s, width: 160, height: 48, mode: .none).plainText().contains("×"))
        }
    }

    /// A frame's wrong words are the episode's: none on any frame of a right translation (a trace once
    /// said 1 wrong on every frame of one), some on the frames of a wrong one.
    @Test(arguments: ["translate", "translate-dot", "lstm-translate"])
    func framesCountTheWrongWordsOfTheirEpisode(_ name: String) throws {
        let model = try Self.load(name)
        var wrongEpisodes = 0
        for seed in UInt64(1)...12 {
            let (state, _) = try Registry.viewer([model], length: 12, seed: seed)
            let e = state.episode
            let framesWrong = e.frames.reduce(0) { $0 + $1.wrong }
            if e.score.wrong == 0 {
                #expect(framesWrong == 0, "\(name) seed \(seed): a right translation with \(framesWrong) wrong on its frames")
            } else {
                wrongEpisodes += 1
                #expect(framesWrong > 0 && framesWrong <= e.score.wrong, "\(name) seed \(seed): \(framesWrong) vs \(e.score.wrong)")
            }
            #expect(e.score.unit == "words" && e.score.scored == e.sample(as: TranslationPair.self)!.targetTokens.count + 1)
        }
        if name == "lstm-translate" { #expect(wrongEpisodes > 0, "the LSTM without attention got every 12-word sentence right") }
    }
}
