import Engine

/// The SVO → SOV inversion transduction grammar of Grefenstette et al. 2015 (§4.2, Appendix C; the rules
/// and arnn's changes are in docs/tasks/transduction.md, "SVO to SOV"). Source and target have the same
/// tree; only the main verb moves, A → S VT O | S O VT. Subjects and objects are runs of words and of
/// relative clauses `S rpi S VT`, which keep their order on both sides.
///
/// Sampling draws a sentence of an exact number of words from the grammar's own distribution conditioned
/// on that length, with no rejection: the inside probabilities (`Inside`: the chance that S, O or A
/// derives exactly n words) weigh every choice by how likely the rest of the tree is to fill the words
/// left over. The same weights, restricted to a range of lengths, give the paper's rejection sampling's
/// distribution of lengths.
public enum SVOGrammar {
    /// A word's class, by its prefix: `si3` is subject 3 on the source side, `so3` on the target side.
    public enum WordClass: CaseIterable, Sendable {
        case subject, verb, object, relative

        public var sourcePrefix: String {
            switch self {
            case .subject: "si"
            case .verb: "vi"
            case .object: "oi"
            case .relative: "rpi"
            }
        }

        public var targetPrefix: String {
            switch self {
            case .subject: "so"
            case .verb: "vo"
            case .object: "oo"
            case .relative: "rpo"
            }
        }

        /// The class of a source word (`si3`, `rpi`), nil for anything else.
        init?(sourceWord word: String) {
            if word == "rpi" { self = .relative; return }
            var bytes = word.utf8.makeIterator()
            switch (bytes.next(), bytes.next()) {
            case (UInt8(ascii: "s"), UInt8(ascii: "i")): self = .subject
            case (UInt8(ascii: "v"), UInt8(ascii: "i")): self = .verb
            case (UInt8(ascii: "o"), UInt8(ascii: "i")): self = .object
            default: return nil
            }
            // Then the index: one digit or more.
            var digits = 0
            while let b = bytes.next() {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { return nil }
                digits += 1
            }
            if digits == 0 { return nil }
        }
    }

    /// The probability of S → S S, S → S rpi S VT, O → O O and O → S rpi S VT (the paper's 1/5 each).
    static let branch = 0.2
    /// The probability of S → ST and O → OT (3/5).
    static let leaf = 0.6
    /// The longest sentence the tables cover.
    public static let longest = 256

    /// Inside probabilities up to `longest` words: index n is the chance that a subject (`subject`), an
    /// object, a sentence, or two subjects (objects) side by side derive exactly n words. Sums run over
    /// the split from the left, in order, so that every port computes the same doubles.
    struct Inside {
        var subject, object, subjects, objects, sentence: [Double]

        init(upTo longest: Int) {
            let zeros = [Double](repeating: 0, count: longest + 1)
            (subject, object, subjects, objects, sentence) = (zeros, zeros, zeros, zeros, zeros)
            for n in 1...longest {
                for a in stride(from: 1, to: n, by: 1) {
                    subjects[n] += subject[a] * subject[n - a]
                    objects[n] += object[a] * object[n - a]
                }
                // S → ST | S S | S rpi S VT; O → OT | O O | S rpi S VT (the clause adds 2 words).
                let clause = n >= 3 ? branch * subjects[n - 2] : 0
                subject[n] = (n == 1 ? leaf : 0) + branch * subjects[n] + clause
                object[n] = (n == 1 ? leaf : 0) + branch * objects[n] + clause
            }
            // A → S VT O.
            for n in stride(from: 3, through: longest, by: 1) {
                for a in 1...(n - 2) { sentence[n] += subject[a] * object[n - 1 - a] }
            }
        }
    }

    static let inside = Inside(upTo: longest)

    // MARK: Sampling

    /// A sentence length in `range` (within 3…`longest`), each with the grammar's probability of a sentence
    /// that long: the lengths rejection sampling outside `range` would leave. One draw.
    static func length(in range: ClosedRange<Int>, rng: inout SeededRNG) -> Int {
        range.lowerBound + pick(range.count, rng: &rng) { inside.sentence[range.lowerBound + $0] }
    }

    /// A sentence of exactly `n` words (3…`longest`), its words drawn from `wordsPerClass` per class: the
    /// source words and the position of the main verb. Draws, in order, depth first and left to right
    /// (the source's order): at each S or O of m words, the rule, then the split of its words between its
    /// parts, then its parts; at each terminal, its index. At A: the split, the subject, the main verb,
    /// the object.
    static func sentence(words n: Int, wordsPerClass: Int, rng: inout SeededRNG) -> (source: [String], verb: Int) {
        precondition(n >= 3 && n <= longest, "svo-sov: a sentence has 3…\(longest) words, got \(n)")
        let t = inside
        var writer = Writer(t: t, wordsPerClass: wordsPerClass)
        writer.out.reserveCapacity(n)
        // A → S VT O: a subject of a words, then the verb, then an object of n − 1 − a.
        let a = 1 + pick(n - 2, rng: &rng) { t.subject[1 + $0] * t.object[n - 2 - $0] }
        writer.phrase(.subject, a, rng: &rng)
        let verb = writer.out.count
        writer.word(.verb, rng: &rng)
        writer.phrase(.object, n - 1 - a, rng: &rng)
        return (writer.out, verb)
    }

    /// Appends the words of subtrees, drawing them as `sentence(words:wordsPerClass:rng:)` documents.
    private struct Writer {
        let t: Inside
        let wordsPerClass: Int
        var out: [String] = []

        mutating func word(_ c: WordClass, rng: inout SeededRNG) {
            out.append(c == .relative ? c.sourcePrefix : "\(c.sourcePrefix)\(1 + rng.int(below: wordsPerClass))")
        }

        /// S or O of m words (`c` is `.subject` or `.object`): ST/OT (m = 1 only), S S/O O, or S rpi S VT
        /// (m ≥ 4). The two nonterminals have the same three rules over their own tables.
        mutating func phrase(_ c: WordClass, _ m: Int, rng: inout SeededRNG) {
            let (n, pairs) = c == .subject ? (t.subject, t.subjects) : (t.object, t.objects)
            switch pick(3, rng: &rng, weight: { ruleWeight($0, m, pairs: pairs) }) {
            case 0:
                word(c, rng: &rng)
            case 1:
                let a = 1 + pick(m - 1, rng: &rng) { n[1 + $0] * n[m - 1 - $0] }
                phrase(c, a, rng: &rng)
                phrase(c, m - a, rng: &rng)
            default:
                clause(m, rng: &rng)
            }
        }

        /// S rpi S VT of m words: the split of the m − 2 words between the two subjects, the head subject,
        /// `rpi`, the clause's subject, its verb.
        mutating func clause(_ m: Int, rng: inout SeededRNG) {
            let s = t.subject
            let a = 1 + pick(m - 3, rng: &rng) { s[1 + $0] * s[m - 3 - $0] }
            phrase(.subject, a, rng: &rng)
            word(.relative, rng: &rng)
            phrase(.subject, m - 2 - a, rng: &rng)
            word(.verb, rng: &rng)
        }

        /// The weight of rule `r` (0: the terminal, 1: two of a kind, 2: the clause) for m words: its
        /// probability times the chance its parts fill exactly m words.
        private func ruleWeight(_ r: Int, _ m: Int, pairs: [Double]) -> Double {
            switch r {
            case 0: m == 1 ? leaf : 0
            case 1: branch * pairs[m]
            default: m >= 3 ? branch * t.subjects[m - 2] : 0
            }
        }
    }

    /// One choice among `count` options, option i with probability weight(i) / Σ weight: one
    /// `rng.uniformDouble()` u, even when only one option has weight; the first option whose running sum
    /// (added from the left) exceeds u × the total (added the same way).
    static func pick(_ count: Int, rng: inout SeededRNG, weight: (Int) -> Double) -> Int {
        var total = 0.0
        for i in 0..<count { total += weight(i) }
        let u = rng.uniformDouble() * total
        var sum = 0.0, last = 0
        for i in 0..<count {
            let w = weight(i)
            guard w > 0 else { continue }
            sum += w
            last = i
            if u < sum { return i }
        }
        return last
    }

    // MARK: Both sides

    /// The target of a source sentence whose main verb is at `verb`: every word for its target word (same
    /// class, same index), the main verb moved to the end.
    static func target(_ source: [String], verb: Int) -> [String] {
        var out = source.map { w -> String in
            guard let c = WordClass(sourceWord: w) else { return w }
            return c.targetPrefix + w.dropFirst(c.sourcePrefix.count)
        }
        out.append(out.remove(at: verb))
        return out
    }

    /// Where the sentence's relative clauses are: `noClause`, or any of `subjectClause` (one in the main
    /// subject), `objectClause` (one in the object) and `nestedClause` (a clause inside a clause's own
    /// subject, between its `rpi` and its verb: two clauses open at once).
    static func categories(_ source: [String], verb: Int) -> [String] {
        var open = 0, deepest = 0, inSubject = false, inObject = false
        for (i, w) in source.enumerated() {
            switch WordClass(sourceWord: w) {
            case .relative:
                open += 1
                deepest = max(deepest, open)
                if i < verb { inSubject = true } else { inObject = true }
            case .verb where i != verb:
                open -= 1
            default:
                break
            }
        }
        guard deepest > 0 else { return ["noClause"] }
        return (inSubject ? ["subjectClause"] : []) + (inObject ? ["objectClause"] : [])
            + (deepest >= 2 ? ["nestedClause"] : [])
    }

    // MARK: Parsing

    /// The position of the main verb of `source` (source words of the grammar's classes), found by parsing
    /// it as A → S VT O. Subjects and objects keep their order, so every parse has the same main verb: the
    /// first verb that closes no relative clause.
    /// - Throws: one-line `ArnnError` naming the first word where `source` stops being a sentence.
    static func mainVerb(of source: [String], wordsPerClass: Int) throws -> Int {
        var parser = Parser(words: source, classes: source.map { WordClass(sourceWord: $0) }, wordsPerClass: wordsPerClass)
        return try parser.sentence()
    }

    /// Recursive descent over A → S VT O with the left recursion unrolled: S = ST (ST | rpi S VT)*, and
    /// O = (OT | S rpi S VT)+, whose subjects must end with a clause. Greedy is exact: a subject that
    /// stopped before an `rpi` would leave the clause without a head.
    private struct Parser {
        let words: [String]
        let classes: [WordClass?]
        let wordsPerClass: Int
        var i = 0

        var next: WordClass? { i < classes.count ? classes[i] : nil }

        func fail(_ problem: String) -> ArnnError { ArnnError("not a sentence of the grammar: \(problem)") }

        /// What stands where a word was expected.
        var found: String { i < words.count ? "got \"\(words[i])\" (word \(i + 1))" : "but the sentence ends" }

        func range(_ c: WordClass) -> String { "\(c.sourcePrefix)1–\(c.sourcePrefix)\(wordsPerClass)" }

        mutating func sentence() throws -> Int {
            guard next == .subject else { throw fail("a sentence starts with a subject (\(range(.subject))), \(found)") }
            _ = try subject()
            guard next == .verb else { throw fail("expected the main verb (\(range(.verb))) after the subject, \(found)") }
            let verb = i
            i += 1
            try object()
            if i < words.count {
                throw fail(next == .verb ? "a second main verb, \"\(words[i])\" (word \(i + 1)), after the object"
                                         : "\"rpi\" (word \(i + 1)) after an object word: a relative clause's head is a subject (si…)")
            }
            return verb
        }

        /// S at a subject word; returns whether it ends with a relative clause.
        mutating func subject() throws -> Bool {
            i += 1
            var endsWithClause = false
            while let c = next, c == .subject || c == .relative {
                if c == .subject {
                    i += 1
                    endsWithClause = false
                } else {
                    try clause()
                    endsWithClause = true
                }
            }
            return endsWithClause
        }

        /// rpi S VT, at `rpi`.
        mutating func clause() throws {
            let start = i + 1
            i += 1
            guard next == .subject else {
                throw fail("\"rpi\" (word \(start)) must be followed by a subject (\(range(.subject))), \(found)")
            }
            _ = try subject()
            guard next == .verb else {
                throw fail("the relative clause from word \(start) needs its verb (\(range(.verb))) after its subject, "
                           + found)
            }
            i += 1
        }

        /// O after the main verb.
        mutating func object() throws {
            guard next == .object || next == .subject else {
                throw fail("expected an object (\(range(.object)), or a clause si… rpi si… vi…) after the main verb, "
                           + found)
            }
            while let c = next, c == .object || c == .subject {
                if c == .object {
                    i += 1
                } else if try !subject() {
                    throw fail("\"\(words[i - 1])\" (word \(i)) in the object belongs to no relative clause "
                               + "(an object is \(range(.object)) and clauses si… rpi si… vi…)")
                }
            }
        }
    }
}
