import Testing
import Tasks

/// Issue 12 (10): `arnn trian` should suggest `train`, not complain about `--task`.
@Suite("Name suggestion")
struct NameSuggestionTests {
    let names = ["view", "render", "record", "train", "eval", "trace", "bench", "models", "translate", "ntm-copy"]

    @Test func aTypoSuggestsTheNearestName() {
        #expect(NameSuggestion.closest(to: "trian", among: names) == "train")
        #expect(NameSuggestion.closest(to: "evl", among: names) == "eval")
        #expect(NameSuggestion.closest(to: "ntm-cpoy", among: names) == "ntm-copy")
        #expect(NameSuggestion.closest(to: "Bench", among: names) == "bench")
    }

    @Test func aNameFarFromEveryOneSuggestsNothing() {
        #expect(NameSuggestion.closest(to: "frobnicate", among: names) == nil)
        #expect(NameSuggestion.closest(to: "xy", among: names) == nil)
    }
}
