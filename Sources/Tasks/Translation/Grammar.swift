/// The translation task's grammar: sentences as trees, and how each tree is written in English and in French.
///
/// A sentence is subject + predicate; a predicate is a verb in the present or the past, maybe negated,
/// maybe with an object; a noun phrase is determiner + [size] + [colour] + noun + at most one of
/// `of the` + noun phrase or `that` + predicate. Each language writes the tree its own way (French moves the
/// colour after the noun, conjugates, wraps negation in ne…pas, builds the past with avoir), then applies
/// its spelling rules to the word sequence (`Grammar.frenchSpelling`: elision, then `de le` → `du`).
/// The rules are in docs/tasks/translation.md.
public enum Grammar {
    public enum Determiner: Equatable, Sendable {
        /// the → le, la, les (l' before a vowel sound).
        case definite
        /// a/an → un, une; singular only.
        case indefinite
        /// my, your, ... → mon/ma/mes, ...; agrees with the possessed noun.
        case possessive(Person)
        /// two ... five (index into `Lexicon.numbers`); plural only.
        case number(Int)
    }

    public struct NounPhrase: Equatable, Sendable {
        public var determiner: Determiner
        public var noun: Lexicon.Noun
        public var plural: Bool
        public var size: Lexicon.Adjective?
        public var colour: Lexicon.Adjective?
        public var modifier: Modifier?

        public init(_ determiner: Determiner, _ noun: Lexicon.Noun, plural: Bool = false,
                    size: Lexicon.Adjective? = nil, colour: Lexicon.Adjective? = nil, modifier: Modifier? = nil) {
            self.determiner = determiner
            self.noun = noun
            self.plural = plural
            self.size = size
            self.colour = colour
            self.modifier = modifier
        }

        /// The person a verb agrees with when this phrase is its subject.
        var person: Person { plural ? .they : .he }
    }

    /// What may follow a noun: `of the boy` (the phrase must be definite) or `that sees the cat`.
    public indirect enum Modifier: Equatable, Sendable {
        case ofThe(NounPhrase)
        case relative(Predicate)
    }

    public struct Predicate: Equatable, Sendable {
        public var verb: Lexicon.Verb
        public var past: Bool
        public var negated: Bool
        public var object: NounPhrase?

        public init(_ verb: Lexicon.Verb, past: Bool = false, negated: Bool = false, object: NounPhrase?) {
            self.verb = verb
            self.past = past
            self.negated = negated
            self.object = object
        }
    }

    public enum Subject: Equatable, Sendable {
        case pronoun(Person)
        case noun(NounPhrase)

        var person: Person {
            switch self {
            case .pronoun(let p): p
            case .noun(let np): np.person
            }
        }
    }

    public struct Sentence: Equatable, Sendable {
        public var subject: Subject
        public var predicate: Predicate

        public init(_ subject: Subject, _ predicate: Predicate) {
            self.subject = subject
            self.predicate = predicate
        }
    }

    // MARK: English

    public static func english(_ s: Sentence) -> [String] {
        let subject: [String]
        switch s.subject {
        case .pronoun(let p): subject = [p.english]
        case .noun(let np): subject = englishWords(np)
        }
        return englishSpelling(subject + englishWords(s.predicate, person: s.subject.person))
    }

    public static func english(_ np: NounPhrase) -> [String] { englishSpelling(englishWords(np)) }

    static func englishWords(_ np: NounPhrase) -> [String] {
        var w: [String]
        switch np.determiner {
        case .definite: w = ["the"]
        case .indefinite: w = ["a"]
        case .possessive(let p): w = [p.englishPossessive]
        case .number(let i): w = [Lexicon.numbers[i].english]
        }
        if let a = np.size { w.append(a.english) }
        if let a = np.colour { w.append(a.english) }
        w.append(np.noun.english(plural: np.plural))
        switch np.modifier {
        case .ofThe(let c)?: w += ["of"] + englishWords(c)
        case .relative(let p)?: w += ["that"] + englishWords(p, person: np.person)
        case nil: break
        }
        return w
    }

    static func englishWords(_ p: Predicate, person: Person) -> [String] {
        var w: [String]
        switch (p.past, p.negated) {
        case (false, false): w = [person.isThirdSingular ? p.verb.englishThird : p.verb.english]
        case (false, true): w = [person.isThirdSingular ? "does" : "do", "not", p.verb.english]
        case (true, false): w = [p.verb.englishPast]
        case (true, true): w = ["did", "not", p.verb.english]
        }
        if let o = p.object { w += englishWords(o) }
        return w
    }

    /// `a` → `an` before a vowel sound (`an apple`, `a red apple`).
    static func englishSpelling(_ words: [String]) -> [String] {
        var w = words
        for i in w.indices.dropLast() where w[i] == "a" && Lexicon.englishStartsWithVowelSound(w[i + 1]) {
            w[i] = "an"
        }
        return w
    }

    // MARK: French

    public static func french(_ s: Sentence) -> [String] {
        let subject: [String]
        switch s.subject {
        case .pronoun(let p): subject = [p.french]
        case .noun(let np): subject = frenchWords(np)
        }
        return frenchSpelling(subject + frenchWords(s.predicate, person: s.subject.person))
    }

    public static func french(_ np: NounPhrase) -> [String] { frenchSpelling(frenchWords(np)) }

    /// Determiner, size adjective, noun, colour adjective: the colour moves after the noun, and every word
    /// agrees with the noun's gender and number.
    static func frenchWords(_ np: NounPhrase) -> [String] {
        let g = np.noun.gender, pl = np.plural
        var w: [String]
        switch np.determiner {
        case .definite: w = [pl ? "les" : (g == .masculine ? "le" : "la")]
        case .indefinite: w = [g == .masculine ? "un" : "une"]
        case .possessive(let p):
            let forms = p.frenchPossessives
            w = [pl ? forms.plural : (g == .masculine ? forms.masculine : forms.feminine)]
        case .number(let i): w = [Lexicon.numbers[i].french]
        }
        if let a = np.size { w.append(a.french(g, plural: pl)) }
        w.append(np.noun.french(plural: pl))
        if let a = np.colour { w.append(a.french(g, plural: pl)) }
        switch np.modifier {
        case .ofThe(let c)?: w += ["de"] + frenchWords(c)
        case .relative(let p)?: w += ["qui"] + frenchWords(p, person: np.person)
        case nil: break
        }
        return w
    }

    /// Present: the conjugated verb; past: avoir + participle; negation wraps the conjugated word in ne…pas.
    static func frenchWords(_ p: Predicate, person: Person) -> [String] {
        let conjugated = p.past ? Lexicon.avoir.french[person.conjugation] : p.verb.french[person.conjugation]
        var w = p.negated ? ["ne", conjugated, "pas"] : [conjugated]
        if p.past { w.append(p.verb.participle) }
        if let o = p.object { w += frenchWords(o) }
        return w
    }

    /// French spelling rules on a word sequence, in this order:
    /// 1. elision: `le`, `la` → `l'`, `ne` → `n'`, `je` → `j'` before a vowel sound (`l'oiseau`, `n'aime`,
    ///    `j'ai`); `ma`, `ta`, `sa` → `mon`, `ton`, `son` there (no such noun is in the lexicon yet);
    /// 2. contraction: `de le` → `du`, `de les` → `des` (`de la`, `de l'` stay).
    /// Elision comes first so that `de le oiseau` becomes `de l'oiseau`, not `du oiseau`.
    static func frenchSpelling(_ words: [String]) -> [String] {
        var w = words
        for i in w.indices.dropLast() where Lexicon.frenchStartsWithVowelSound(w[i + 1]) {
            switch w[i] {
            case "le", "la": w[i] = "l'"
            case "ne": w[i] = "n'"
            case "je": w[i] = "j'"
            case "ma": w[i] = "mon"
            case "ta": w[i] = "ton"
            case "sa": w[i] = "son"
            default: break
            }
        }
        var out: [String] = []
        out.reserveCapacity(w.count)
        var i = 0
        while i < w.count {
            if w[i] == "de", i + 1 < w.count, w[i + 1] == "le" || w[i + 1] == "les" {
                out.append(w[i + 1] == "le" ? "du" : "des")
                i += 2
            } else {
                out.append(w[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Rules

    /// The rules a sentence exercises (see `TranslationRule`). Elision is read off the French words.
    public static func rules(_ s: Sentence) -> Set<TranslationRule> {
        var r = Set<TranslationRule>()
        if case .noun(let np) = s.subject { collect(np, into: &r) }
        if s.subject.person.isPlural { r.insert(.agreement) }
        collect(s.predicate, into: &r)
        if french(s).contains(where: { $0.hasSuffix("'") }) { r.insert(.elision) }
        return r
    }

    private static func collect(_ np: NounPhrase, into r: inout Set<TranslationRule>) {
        if np.size != nil { r.insert(.adjectiveBeforeNoun) }
        if np.colour != nil { r.insert(.adjectiveAfterNoun) }
        if np.plural || np.noun.gender == .feminine { r.insert(.agreement) }
        switch np.determiner {
        case .possessive: r.insert(.possessive)
        case .number: r.insert(.number)
        case .definite, .indefinite: break
        }
        switch np.modifier {
        case .ofThe(let c)?: r.insert(.ofTheMerge); collect(c, into: &r)
        case .relative(let p)?: r.insert(.relativeClause); collect(p, into: &r)
        case nil: break
        }
    }

    private static func collect(_ p: Predicate, into r: inout Set<TranslationRule>) {
        if p.negated { r.insert(.negation) }
        if p.past { r.insert(.past) }
        if let o = p.object { collect(o, into: &r) }
    }
}
