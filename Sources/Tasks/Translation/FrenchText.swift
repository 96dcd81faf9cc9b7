/// French words written out as a sentence.
public enum FrenchText {
    /// The words separated by single spaces, except that an elided word (one ending in an apostrophe, `'`
    /// or `’`) is written against the next word: `["il", "n'", "a", "pas", "vu", "l'", "homme"]` →
    /// `il n'a pas vu l'homme`. The tokens keep the apostrophe on the elided word (`l'`, `n'`, `j'`), so
    /// `TranslationTask.tokenize(_:language: .french)` splits the sentence back into the same words.
    public static func join(_ words: [String]) -> String {
        var text = ""
        for (i, word) in words.enumerated() {
            if i > 0, !endsElided(words[i - 1]) { text += " " }
            text += word
        }
        return text
    }

    private static func endsElided(_ word: String) -> Bool { word.hasSuffix("'") || word.hasSuffix("’") }
}
