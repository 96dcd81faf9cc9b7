/// The words of the translation task's English→French fragment, with what the grammar needs to know about
/// them: French gender, both plurals, every adjective form, the conjugations it uses.
///
/// The vocabularies are built from these tables in the order listed, so reordering an entry changes every
/// token id: append instead. See docs/tasks/translation.md for the same tables in prose.
public enum Lexicon {
    /// A noun in both languages; `animate` nouns may be subjects (a book does not see).
    public struct Noun: Equatable, Sendable {
        public let english: String, englishPlural: String
        public let french: String, frenchPlural: String
        public let gender: Gender
        public let animate: Bool

        public func english(plural: Bool) -> String { plural ? englishPlural : english }
        public func french(plural: Bool) -> String { plural ? frenchPlural : french }
    }

    /// An adjective with its four French forms, indexed by gender and number.
    public struct Adjective: Equatable, Sendable {
        public let english: String
        public let masculine: String, feminine: String, masculinePlural: String, femininePlural: String

        public func french(_ gender: Gender, plural: Bool) -> String {
            switch (gender, plural) {
            case (.masculine, false): masculine
            case (.feminine, false): feminine
            case (.masculine, true): masculinePlural
            case (.feminine, true): femininePlural
            }
        }

        package var frenchForms: [String] { [masculine, feminine, masculinePlural, femininePlural] }
    }

    /// A transitive verb: English base, third person singular and simple past; French present for
    /// je, tu, il/elle, nous, ils (the fragment has no `vous`) and the past participle (the passé composé
    /// is `avoir` + participle).
    public struct Verb: Equatable, Sendable {
        public let english: String, englishThird: String, englishPast: String
        public let french: [String]
        public let participle: String
        /// `eat` may stand without an object (`the dog eats` → `le chien mange`).
        public let mayBeIntransitive: Bool
    }

    public static let nouns: [Noun] = [
        Noun(english: "cat", englishPlural: "cats", french: "chat", frenchPlural: "chats", gender: .masculine, animate: true),
        Noun(english: "dog", englishPlural: "dogs", french: "chien", frenchPlural: "chiens", gender: .masculine, animate: true),
        Noun(english: "bird", englishPlural: "birds", french: "oiseau", frenchPlural: "oiseaux", gender: .masculine, animate: true),
        Noun(english: "horse", englishPlural: "horses", french: "cheval", frenchPlural: "chevaux", gender: .masculine, animate: true),
        Noun(english: "girl", englishPlural: "girls", french: "fille", frenchPlural: "filles", gender: .feminine, animate: true),
        Noun(english: "boy", englishPlural: "boys", french: "garçon", frenchPlural: "garçons", gender: .masculine, animate: true),
        Noun(english: "woman", englishPlural: "women", french: "femme", frenchPlural: "femmes", gender: .feminine, animate: true),
        Noun(english: "man", englishPlural: "men", french: "homme", frenchPlural: "hommes", gender: .masculine, animate: true),
        Noun(english: "car", englishPlural: "cars", french: "voiture", frenchPlural: "voitures", gender: .feminine, animate: false),
        Noun(english: "house", englishPlural: "houses", french: "maison", frenchPlural: "maisons", gender: .feminine, animate: false),
        Noun(english: "apple", englishPlural: "apples", french: "pomme", frenchPlural: "pommes", gender: .feminine, animate: false),
        Noun(english: "book", englishPlural: "books", french: "livre", frenchPlural: "livres", gender: .masculine, animate: false),
        Noun(english: "tree", englishPlural: "trees", french: "arbre", frenchPlural: "arbres", gender: .masculine, animate: false),
        Noun(english: "flower", englishPlural: "flowers", french: "fleur", frenchPlural: "fleurs", gender: .feminine, animate: false),
    ]

    /// Colour adjectives: after the noun in French.
    public static let colours: [Adjective] = [
        Adjective(english: "red", masculine: "rouge", feminine: "rouge", masculinePlural: "rouges", femininePlural: "rouges"),
        Adjective(english: "black", masculine: "noir", feminine: "noire", masculinePlural: "noirs", femininePlural: "noires"),
        Adjective(english: "green", masculine: "vert", feminine: "verte", masculinePlural: "verts", femininePlural: "vertes"),
        Adjective(english: "white", masculine: "blanc", feminine: "blanche", masculinePlural: "blancs", femininePlural: "blanches"),
        Adjective(english: "blue", masculine: "bleu", feminine: "bleue", masculinePlural: "bleus", femininePlural: "bleues"),
        Adjective(english: "grey", masculine: "gris", feminine: "grise", masculinePlural: "gris", femininePlural: "grises"),
    ]

    /// Size adjectives: before the noun in French, as in English.
    public static let sizes: [Adjective] = [
        Adjective(english: "small", masculine: "petit", feminine: "petite", masculinePlural: "petits", femininePlural: "petites"),
        Adjective(english: "big", masculine: "grand", feminine: "grande", masculinePlural: "grands", femininePlural: "grandes"),
    ]

    public static let verbs: [Verb] = [
        Verb(english: "see", englishThird: "sees", englishPast: "saw",
             french: ["vois", "vois", "voit", "voyons", "voient"], participle: "vu", mayBeIntransitive: false),
        Verb(english: "eat", englishThird: "eats", englishPast: "ate",
             french: ["mange", "manges", "mange", "mangeons", "mangent"], participle: "mangé", mayBeIntransitive: true),
        Verb(english: "like", englishThird: "likes", englishPast: "liked",
             french: ["aime", "aimes", "aime", "aimons", "aiment"], participle: "aimé", mayBeIntransitive: false),
        Verb(english: "want", englishThird: "wants", englishPast: "wanted",
             french: ["veux", "veux", "veut", "voulons", "veulent"], participle: "voulu", mayBeIntransitive: false),
        Verb(english: "have", englishThird: "has", englishPast: "had",
             french: ["ai", "as", "a", "avons", "ont"], participle: "eu", mayBeIntransitive: false),
    ]

    /// The auxiliary of the passé composé: `avoir`, the last verb.
    static var avoir: Verb { verbs[4] }

    /// Cardinal numbers as determiners; they make the noun plural.
    public static let numbers: [(english: String, french: String)] = [
        ("two", "deux"), ("three", "trois"), ("four", "quatre"), ("five", "cinq"),
    ]

    /// Function words, in vocabulary order. The French list holds the raw forms and those the spelling
    /// rules make (`l'`, `n'`, `j'`, `du`, `des`).
    static let englishFunctionWords = ["the", "a", "an", "of", "that", "not", "do", "does", "did"]
    static let frenchFunctionWords = ["le", "la", "les", "l'", "un", "une", "de", "du", "des", "qui", "ne", "n'", "pas", "j'"]

    /// Does `word` begin with a vowel sound, so that `le`, `la`, `ne`, `je` elide before it? Vowels and
    /// the mute h of `homme` (the only h-word in the lexicon).
    static func frenchStartsWithVowelSound(_ word: String) -> Bool {
        guard let c = word.first else { return false }
        return "aeiouyàâéèêëîïôûù".contains(c) || word.hasPrefix("homme")
    }

    static func englishStartsWithVowelSound(_ word: String) -> Bool {
        guard let c = word.first else { return false }
        return "aeiou".contains(c)
    }
}

public enum Gender: String, Sendable, Codable { case masculine, feminine }

/// The six subjects a pronoun can be, which also name the owner of a possessive (`my`, `your`, ...).
/// `you` is the familiar singular throughout: `tu`, `ton/ta/tes`. `they` is `ils`.
public enum Person: Int, CaseIterable, Sendable {
    case i, you, he, she, we, they

    public var english: String { ["i", "you", "he", "she", "we", "they"][rawValue] }
    public var french: String { ["je", "tu", "il", "elle", "nous", "ils"][rawValue] }
    public var englishPossessive: String { ["my", "your", "his", "her", "our", "their"][rawValue] }

    /// The possessive determiner agrees with the possessed noun, not with the owner: `her car` → `sa voiture`,
    /// `his car` → `sa voiture`. Masculine singular, feminine singular, plural.
    var frenchPossessives: (masculine: String, feminine: String, plural: String) {
        switch self {
        case .i: ("mon", "ma", "mes")
        case .you: ("ton", "ta", "tes")
        case .he, .she: ("son", "sa", "ses")
        case .we: ("notre", "notre", "nos")
        case .they: ("leur", "leur", "leurs")
        }
    }

    /// Index into `Lexicon.Verb.french`: je, tu, il/elle, nous, ils.
    var conjugation: Int { [0, 1, 2, 2, 3, 4][rawValue] }
    /// Does an English present verb take -s (`he sees`)?
    var isThirdSingular: Bool { self == .he || self == .she }
    var isPlural: Bool { self == .we || self == .they }
}
