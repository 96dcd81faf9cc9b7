/// "Did you mean …?" for a mistyped name on the command line.
public enum NameSuggestion {
    /// The name among `names` nearest to `typed` in edit distance (the earlier one on a tie), or nil when
    /// even that one is too far to be a typo: more than 2 edits, or more than half of `typed`.
    public static func closest(to typed: String, among names: [String]) -> String? {
        let target = Array(typed.lowercased())
        var best: String?, bestDistance = Int.max
        for name in names {
            let d = Vocabulary.editDistance(Array(name.lowercased()), target)
            if d < bestDistance { (best, bestDistance) = (name, d) }
        }
        guard bestDistance <= min(2, max(1, target.count / 2)) else { return nil }
        return best
    }
}
