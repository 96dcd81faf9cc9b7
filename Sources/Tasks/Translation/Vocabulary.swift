/// The words of one side of a translation task, numbered: `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3, then
/// the words in the order given (duplicates keep their first id).
public struct Vocabulary: Sendable, Equatable {
    public static let pad = 0, bos = 1, eos = 2, unk = 3
    public static let specialTokens = ["<pad>", "<bos>", "<eos>", "<unk>"]

    /// Every token, specials first; a token's id is its index.
    public let tokens: [String]
    private let ids: [String: Int]

    public init(words: [String]) {
        var tokens = Self.specialTokens
        var ids: [String: Int] = [:]
        for (i, t) in tokens.enumerated() { ids[t] = i }
        for w in words where ids[w] == nil {
            ids[w] = tokens.count
            tokens.append(w)
        }
        self.tokens = tokens
        self.ids = ids
    }

    /// Tokens, specials included.
    public var count: Int { tokens.count }
    /// The words, without the special tokens.
    public var words: ArraySlice<String> { tokens[Self.specialTokens.count...] }

    /// The id of `word`, or nil if it is not in the vocabulary.
    public func id(of word: String) -> Int? { ids[word] }

    /// The token with id `id`; an id out of range is a programmer error.
    public func word(at id: Int) -> String {
        precondition(tokens.indices.contains(id), "token id \(id) is outside the vocabulary of \(count)")
        return tokens[id]
    }

    /// Unknown words become `<unk>`.
    public func encode(_ words: [String]) -> [Int] { words.map { ids[$0] ?? Self.unk } }

    public func decode(_ ids: [Int]) -> [String] { ids.map(word(at:)) }

    /// The known word (no special token) nearest to `word` in edit distance, the earlier one on a tie: what
    /// the viewer suggests for a word it does not know.
    public func closest(to word: String) -> String {
        let target = Array(word)
        var best = words.first!, bestDistance = Int.max
        for w in words {
            let d = Self.editDistance(Array(w), target)
            if d < bestDistance { (best, bestDistance) = (w, d) }
        }
        return best
    }

    /// Edit distance over characters (optimal string alignment): insertions, deletions, substitutions and
    /// swaps of two neighbours cost 1, so the typo `cta` is one edit from `cat`.
    package static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // d[i][j]: distance between the first i characters of a and the first j of b.
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), d[i - 1][j] + 1, d[i][j - 1] + 1)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
