import Engine
import Foundation
import Testing
import Tasks

// Lexicon look-ups by English word, for building sentences by hand.
private func noun(_ w: String) -> Lexicon.Noun { Lexicon.nouns.first { $0.english == w }! }
private func colour(_ w: String) -> Lexicon.Adjective { Lexicon.colours.first { $0.english == w }! }
private func size(_ w: String) -> Lexicon.Adjective { Lexicon.sizes.first { $0.english == w }! }
private func verb(_ w: String) -> Lexicon.Verb { Lexicon.verbs.first { $0.english == w }! }

/// `count` pairs from a fresh generator.
private func pairs(_ task: TranslationTask = TranslationTask(), seed: UInt64, count: Int,
                   length: Int? = nil) -> [TranslationPair] {
    var rng = SeededRNG(seed: seed)
    return (0..<count).map { _ in task.sample(rng: &rng, length: length) }
}

/// A large sample at the longest training budget, shared by the rule checks.
private let longPairs = pairs(seed: 99, count: 3_000, length: 15)

/// What a French word says about the gender and number of its noun; nil gender = either.
private struct Features: Hashable {
    var feminine: Bool?
    var plural: Bool
    func admits(feminine f: Bool, plural p: Bool) -> Bool { plural == p && (feminine == nil || feminine == f) }
}

/// The test's own tables of French forms, written from the lexicon's entries (not its rendering code).
private enum French {
    static let nouns: [String: (feminine: Bool, plural: Bool)] = {
        var d: [String: (Bool, Bool)] = [:]
        for n in Lexicon.nouns {
            d[n.french] = (n.gender == .feminine, false)
            d[n.frenchPlural] = (n.gender == .feminine, true)
        }
        return d
    }()

    static func adjectiveForms(_ adjectives: [Lexicon.Adjective]) -> [String: Set<Features>] {
        var d: [String: Set<Features>] = [:]
        for a in adjectives {
            d[a.masculine, default: []].insert(Features(feminine: false, plural: false))
            d[a.feminine, default: []].insert(Features(feminine: true, plural: false))
            d[a.masculinePlural, default: []].insert(Features(feminine: false, plural: true))
            d[a.femininePlural, default: []].insert(Features(feminine: true, plural: true))
        }
        return d
    }
    static let colours = adjectiveForms(Lexicon.colours)
    static let sizes = adjectiveForms(Lexicon.sizes)

    static let masculineSingular = Features(feminine: false, plural: false)
    static let feminineSingular = Features(feminine: true, plural: false)
    static let singular = Features(feminine: nil, plural: false)
    static let plural = Features(feminine: nil, plural: true)
    static let possessives: [String: Features] = [
        "mon": masculineSingular, "ton": masculineSingular, "son": masculineSingular,
        "ma": feminineSingular, "ta": feminineSingular, "sa": feminineSingular,
        "notre": singular, "leur": singular,
        "mes": plural, "tes": plural, "ses": plural, "nos": plural, "leurs": plural,
    ]
    static let determiners: [String: Features] = possessives.merging([
        "le": masculineSingular, "du": masculineSingular, "un": masculineSingular,
        "la": feminineSingular, "une": feminineSingular, "l'": singular,
        "les": plural, "des": plural, "deux": plural, "trois": plural, "quatre": plural, "cinq": plural,
    ]) { a, _ in a }

    static let avoir: Set<String> = ["ai", "as", "a", "avons", "ont"]
    static let participles: Set<String> = ["vu", "mangé", "aimé", "voulu", "eu"]
    static let conjugated = Set(Lexicon.verbs.flatMap(\.french))
    static let thirdSingular: Set<String> = ["voit", "mange", "aime", "veut", "a"]
    static let thirdPlural: Set<String> = ["voient", "mangent", "aiment", "veulent", "ont"]

    static func startsWithVowelSound(_ w: String) -> Bool { "aeiouyéh".contains(w.first!) }
}

private let englishColours = Set(Lexicon.colours.map(\.english))
private let englishNouns: [String: Lexicon.Noun] = {
    var d: [String: Lexicon.Noun] = [:]
    for n in Lexicon.nouns { d[n.english] = n; d[n.englishPlural] = n }
    return d
}()

private func count(_ words: [String], _ set: Set<String>) -> Int { words.filter(set.contains).count }

@Suite struct TranslationTaskTests {
    let task = TranslationTask()

    // MARK: Golden pairs, built directly by the grammar

    @Test func theSmallRedCarIsLaPetiteVoitureRouge() {
        let np = Grammar.NounPhrase(.definite, noun("car"), size: size("small"), colour: colour("red"))
        #expect(Grammar.english(np) == ["the", "small", "red", "car"])
        #expect(Grammar.french(np) == ["la", "petite", "voiture", "rouge"])
    }

    @Test func possessivesAgreeWithThePossessedNounNotTheOwner() {
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.she), noun("car"), plural: true)) == ["ses", "voitures"])
        #expect(Grammar.english(Grammar.NounPhrase(.possessive(.she), noun("car"), plural: true)) == ["her", "cars"])
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.he), noun("car"))) == ["sa", "voiture"])
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.she), noun("dog"))) == ["son", "chien"])
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.i), noun("house"), colour: colour("white")))
            == ["ma", "maison", "blanche"])
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.we), noun("bird"), plural: true)) == ["nos", "oiseaux"])
        #expect(Grammar.french(Grammar.NounPhrase(.possessive(.they), noun("book"))) == ["leur", "livre"])
    }

    @Test func theDogThatSeesTheCatDoesNotEatTheApple() {
        let dog = Grammar.NounPhrase(.definite, noun("dog"), modifier: .relative(
            Grammar.Predicate(verb("see"), object: Grammar.NounPhrase(.definite, noun("cat")))))
        let s = Grammar.Sentence(.noun(dog), Grammar.Predicate(verb("eat"), negated: true,
                                                               object: Grammar.NounPhrase(.definite, noun("apple"))))
        #expect(Grammar.english(s) == "the dog that sees the cat does not eat the apple".split(separator: " ").map(String.init))
        #expect(Grammar.french(s) == "le chien qui voit le chat ne mange pas la pomme".split(separator: " ").map(String.init))
        #expect(Grammar.rules(s) == [.relativeClause, .negation, .agreement])
    }

    @Test func theBoysSawThreeWhiteBirds() {
        let s = Grammar.Sentence(.noun(Grammar.NounPhrase(.definite, noun("boy"), plural: true)),
                                 Grammar.Predicate(verb("see"), past: true, object: Grammar.NounPhrase(
                                    .number(1), noun("bird"), plural: true, colour: colour("white"))))
        #expect(Grammar.english(s) == ["the", "boys", "saw", "three", "white", "birds"])
        #expect(Grammar.french(s) == ["les", "garçons", "ont", "vu", "trois", "oiseaux", "blancs"])
        #expect(Grammar.rules(s) == [.agreement, .past, .number, .adjectiveAfterNoun])
    }

    @Test func ofTheMergesWithTheArticleExceptBeforeLaAndElision() {
        func car(of np: Grammar.NounPhrase) -> [String] {
            Grammar.french(Grammar.NounPhrase(.definite, noun("car"), modifier: .ofThe(np)))
        }
        #expect(car(of: Grammar.NounPhrase(.definite, noun("boy"))) == ["la", "voiture", "du", "garçon"])
        #expect(car(of: Grammar.NounPhrase(.definite, noun("girl"))) == ["la", "voiture", "de", "la", "fille"])
        #expect(car(of: Grammar.NounPhrase(.definite, noun("boy"), plural: true)) == ["la", "voiture", "des", "garçons"])
        #expect(car(of: Grammar.NounPhrase(.definite, noun("bird"))) == ["la", "voiture", "de", "l'", "oiseau"])
        #expect(car(of: Grammar.NounPhrase(.definite, noun("bird"), size: size("big")))
            == ["la", "voiture", "du", "grand", "oiseau"])
        #expect(Grammar.english(Grammar.NounPhrase(.definite, noun("car"), modifier: .ofThe(
            Grammar.NounPhrase(.definite, noun("man"))))) == ["the", "car", "of", "the", "man"])
    }

    @Test func elisionBeforeVowelSoundsInArticlesNegationAndJe() {
        let iDidNotSeeTheMan = Grammar.Sentence(.pronoun(.i), Grammar.Predicate(
            verb("see"), past: true, negated: true, object: Grammar.NounPhrase(.definite, noun("man"))))
        #expect(Grammar.french(iDidNotSeeTheMan) == ["je", "n'", "ai", "pas", "vu", "l'", "homme"])
        let iHaveASmallBird = Grammar.Sentence(.pronoun(.i), Grammar.Predicate(
            verb("have"), object: Grammar.NounPhrase(.indefinite, noun("bird"), size: size("small"))))
        #expect(Grammar.french(iHaveASmallBird) == ["j'", "ai", "un", "petit", "oiseau"])
        let sheDoesNotLikeTheApple = Grammar.Sentence(.pronoun(.she), Grammar.Predicate(
            verb("like"), negated: true, object: Grammar.NounPhrase(.definite, noun("apple"))))
        #expect(Grammar.english(sheDoesNotLikeTheApple) == ["she", "does", "not", "like", "the", "apple"])
        #expect(Grammar.french(sheDoesNotLikeTheApple) == ["elle", "n'", "aime", "pas", "la", "pomme"])
        #expect(Grammar.rules(sheDoesNotLikeTheApple) == [.elision, .negation, .agreement])
        #expect(Grammar.french(Grammar.NounPhrase(.definite, noun("tree"), colour: colour("green")))
            == ["l'", "arbre", "vert"])
    }

    @Test func englishWritesAnBeforeAVowelAndTheVerbsOwnForms() {
        #expect(Grammar.english(Grammar.NounPhrase(.indefinite, noun("apple"))) == ["an", "apple"])
        #expect(Grammar.english(Grammar.NounPhrase(.indefinite, noun("apple"), colour: colour("red")))
            == ["a", "red", "apple"])
        let weAteTwoGreyHorses = Grammar.Sentence(.pronoun(.we), Grammar.Predicate(
            verb("eat"), past: true, object: Grammar.NounPhrase(.number(0), noun("horse"), plural: true,
                                                               colour: colour("grey"))))
        #expect(Grammar.english(weAteTwoGreyHorses) == ["we", "ate", "two", "grey", "horses"])
        #expect(Grammar.french(weAteTwoGreyHorses) == ["nous", "avons", "mangé", "deux", "chevaux", "gris"])
        let theWomenDoNotWant = Grammar.Sentence(.noun(Grammar.NounPhrase(.definite, noun("woman"), plural: true)),
                                                 Grammar.Predicate(verb("want"), negated: true, object:
                                                    Grammar.NounPhrase(.possessive(.you), noun("car"))))
        #expect(Grammar.english(theWomenDoNotWant) == ["the", "women", "do", "not", "want", "your", "car"])
        #expect(Grammar.french(theWomenDoNotWant) == ["les", "femmes", "ne", "veulent", "pas", "ta", "voiture"])
        let theDogEats = Grammar.Sentence(.noun(Grammar.NounPhrase(.definite, noun("dog"))),
                                          Grammar.Predicate(verb("eat"), object: nil))
        #expect(Grammar.english(theDogEats) == ["the", "dog", "eats"])
        #expect(Grammar.french(theDogEats) == ["le", "chien", "mange"])
    }

    // MARK: Generated data

    @Test func theSameSeedGivesTheSamePairsAndAnotherSeedOthers() {
        #expect(pairs(seed: 5, count: 200) == pairs(seed: 5, count: 200))
        #expect(pairs(seed: 5, count: 200) != pairs(seed: 6, count: 200))
        let heldOut = TranslationTask(split: .heldOut)
        #expect(pairs(heldOut, seed: 5, count: 50, length: 9) == pairs(heldOut, seed: 5, count: 50, length: 9))
    }

    @Test func everyRuleAppearsInGeneratedData() {
        let seen = longPairs.reduce(into: Set<TranslationRule>()) { $0.formUnion($1.rules) }
        #expect(seen == Set(TranslationRule.allCases))
        for rule in TranslationRule.allCases {
            let share = Double(longPairs.filter { $0.rules.contains(rule) }.count) / Double(longPairs.count)
            #expect(share > 0.02, "\(rule) in \(share * 100)% of sentences")
        }
    }

    @Test func sentencesNeverExceedTheirBudgetAndOftenReachIt() {
        for n in TranslationTask.shortestLength...SentenceSampler.longestSentence {
            let lengths = pairs(seed: UInt64(n), count: 100, length: n).map(\.sourceWords.count)
            #expect(lengths.allSatisfy { $0 >= 2 && $0 <= n }, "budget \(n): \(lengths.max()!)")
            if n <= 15 { #expect(lengths.contains(n), "budget \(n) is reached") }
        }
        let drawn = pairs(seed: 3, count: 500).map(\.sourceWords.count)
        #expect(drawn.allSatisfy { $0 <= 15 })
        #expect(longPairs.allSatisfy { $0.targetWords.count <= 2 * $0.sourceWords.count })
    }

    @Test func colourAdjectivesFollowTheirNounInFrench() {
        for p in longPairs {
            let (en, fr) = (p.sourceWords, p.targetWords)
            for (j, w) in en.enumerated() where englishColours.contains(w) {
                let n = englishNouns[en[j + 1]]!
                let frenchNoun = n.french(plural: n.englishPlural == en[j + 1])
                let forms = Set(colour(w).frenchForms)
                #expect(zip(fr, fr.dropFirst()).contains { $0 == frenchNoun && forms.contains($1) },
                        "\(en) → \(fr): \(w) \(en[j + 1])")
            }
            for (i, w) in fr.enumerated() where French.colours[w] != nil {
                #expect(i > 0 && French.nouns[fr[i - 1]] != nil, "\(fr): \(w) follows a noun")
            }
            #expect(count(en, englishColours) == fr.filter { French.colours[$0] != nil }.count)
        }
    }

    @Test func determinersAndAdjectivesAgreeWithTheirNounInGenderAndNumber() {
        for p in longPairs {
            let fr = p.targetWords
            for (i, w) in fr.enumerated() {
                guard let (feminine, plural) = French.nouns[w] else { continue }
                var j = i - 1
                if let f = French.sizes[fr[j]] {
                    #expect(f.contains { $0.admits(feminine: feminine, plural: plural) }, "\(fr): \(fr[j]) \(w)")
                    j -= 1
                }
                let determiner = French.determiners[fr[j]]
                #expect(determiner?.admits(feminine: feminine, plural: plural) == true, "\(fr): \(fr[j]) … \(w)")
                if i + 1 < fr.count, let f = French.colours[fr[i + 1]] {
                    #expect(f.contains { $0.admits(feminine: feminine, plural: plural) }, "\(fr): \(w) \(fr[i + 1])")
                }
            }
        }
    }

    @Test func possessivesAgreeWithThePossessedNounInGeneratedPairs() {
        var checked = 0
        for p in longPairs {
            let fr = p.targetWords
            for (i, w) in fr.enumerated() {
                guard let owner = French.possessives[w] else { continue }
                let nounIndex = French.sizes[fr[i + 1]] != nil ? i + 2 : i + 1
                let (feminine, plural) = French.nouns[fr[nounIndex]]!
                #expect(owner.admits(feminine: feminine, plural: plural), "\(fr): \(w) … \(fr[nounIndex])")
                checked += 1
            }
            let englishPossessives = Set(Person.allCases.map(\.englishPossessive))
            #expect(count(p.sourceWords, englishPossessives) == count(fr, Set(French.possessives.keys)))
        }
        #expect(checked > 100)
    }

    @Test func negationWrapsTheConjugatedVerbInNePas() {
        for p in longPairs {
            let fr = p.targetWords
            for (i, w) in fr.enumerated() where w == "ne" || w == "n'" {
                #expect(French.conjugated.contains(fr[i + 1]) && fr[i + 2] == "pas", "\(fr)")
            }
            #expect(count(p.sourceWords, ["not"]) == count(fr, ["ne", "n'"]))
            #expect(count(p.sourceWords, ["not"]) == count(fr, ["pas"]))
        }
    }

    @Test func thePastIsAvoirAndAParticiple() {
        let englishPast: Set<String> = Set(Lexicon.verbs.map(\.englishPast)).union(["did"])
        for p in longPairs {
            let fr = p.targetWords
            for (i, w) in fr.enumerated() where French.participles.contains(w) {
                let auxiliary = fr[i - 1] == "pas" ? fr[i - 2] : fr[i - 1]
                #expect(French.avoir.contains(auxiliary), "\(fr)")
            }
            #expect(count(p.sourceWords, englishPast) == count(fr, French.participles), "\(p.sourceWords) → \(fr)")
        }
    }

    @Test func relativeClauseVerbsAgreeWithTheirHeadNoun() {
        var checked = 0
        for p in longPairs {
            let fr = p.targetWords
            for (i, w) in fr.enumerated() where w == "qui" {
                let head = French.colours[fr[i - 1]] != nil ? fr[i - 2] : fr[i - 1]
                let verb = fr[i + 1] == "ne" || fr[i + 1] == "n'" ? fr[i + 2] : fr[i + 1]
                let plural = French.nouns[head]!.plural
                #expect((plural ? French.thirdPlural : French.thirdSingular).contains(verb), "\(fr)")
                checked += 1
            }
            #expect(count(p.sourceWords, ["that"]) == count(fr, ["qui"]))
        }
        #expect(checked > 100)
    }

    @Test func ofTheAlwaysMergesSoDeLeAndALeNeverAppear() {
        for p in longPairs {
            let fr = p.targetWords
            for (a, b) in zip(fr, fr.dropFirst()) {
                #expect(!((a == "de" || a == "à") && (b == "le" || b == "les")), "\(fr)")
            }
            #expect(count(p.sourceWords, ["of"]) == count(fr, ["du", "des", "de"]))
        }
    }

    @Test func elisionHappensExactlyBeforeVowelSounds() {
        for p in longPairs {
            let fr = p.targetWords
            for (a, b) in zip(fr, fr.dropFirst()) {
                if French.startsWithVowelSound(b) {
                    #expect(!["le", "la", "ne", "je", "ma", "ta", "sa"].contains(a), "\(fr)")
                }
                if a.hasSuffix("'") { #expect(French.startsWithVowelSound(b), "\(fr)") }
            }
            #expect(fr.last?.hasSuffix("'") != true)
            #expect(p.rules.contains(.elision) == fr.contains { $0.hasSuffix("'") })
        }
    }

    @Test func theTranslationIsAFunctionOfTheSource() {
        var seen: [String: [String]] = [:]
        for p in longPairs + pairs(seed: 4, count: 2_000, length: 6) {
            if let earlier = seen[p.canonicalSource] { #expect(earlier == p.targetWords, "\(p.canonicalSource)") }
            seen[p.canonicalSource] = p.targetWords
        }
    }

    // MARK: Splits

    @Test func heldOutSentencesAreNeverProducedByTheTrainSplit() {
        let train = Set(pairs(seed: 11, count: 20_000).map(\.canonicalSource))
        let heldOut = pairs(TranslationTask(split: .heldOut), seed: 12, count: 1_000)
        let validation = pairs(TranslationTask(split: .validation), seed: 13, count: 1_000)
        #expect(heldOut.allSatisfy { task.splitOf(sourceWords: $0.sourceWords) == .heldOut })
        #expect(validation.allSatisfy { task.splitOf(sourceWords: $0.sourceWords) == .validation })
        #expect(heldOut.filter { train.contains($0.canonicalSource) }.isEmpty)
        #expect(validation.filter { train.contains($0.canonicalSource) }.isEmpty)
        // Short sentences repeat, so the check has teeth: many held-out sentences are ones training could draw.
        let short = pairs(TranslationTask(split: .heldOut), seed: 14, count: 200, length: 3)
        #expect(short.allSatisfy { !train.contains($0.canonicalSource) })
    }

    @Test func splitSharesFollowTheConfiguredPercentages() {
        var rng = SeededRNG(seed: 21)
        var counts: [TranslationTask.Split: Int] = [:]
        for _ in 0..<20_000 {
            let words = Grammar.english(SentenceSampler.sentence(rng: &rng, maxWords: 15))
            counts[task.splitOf(sourceWords: words), default: 0] += 1
        }
        #expect(abs(Double(counts[.heldOut]!) / 20_000 - 0.10) < 0.015)
        #expect(abs(Double(counts[.validation]!) / 20_000 - 0.05) < 0.01)
        let other = TranslationTask(splitSeed: 10)
        let words = pairs(seed: 22, count: 300).map(\.sourceWords)
        #expect(words.contains { other.splitOf(sourceWords: $0) != .train }, "the split seed changes the splits")
    }

    // MARK: Vocabulary and tokenizing

    @Test func vocabulariesStartWithTheSpecialTokensAndHaveFixedSizes() {
        for v in [TranslationTask.sourceVocabulary, TranslationTask.targetVocabulary] {
            #expect(Array(v.tokens.prefix(4)) == ["<pad>", "<bos>", "<eos>", "<unk>"])
            #expect(v.id(of: "<pad>") == 0 && v.id(of: "<unk>") == 3)
        }
        #expect(TranslationTask.sourceVocabulary.count == 80)
        #expect(TranslationTask.targetVocabulary.count == 124)
        #expect(TranslationTask.sourceVocabulary.id(of: "the") == 4)
        #expect(TranslationTask.targetVocabulary.id(of: "le") == 4)
    }

    @Test func generatedPairsRoundTripThroughTheVocabularyWithoutUnknowns() {
        let (src, tgt) = (TranslationTask.sourceVocabulary, TranslationTask.targetVocabulary)
        for p in longPairs {
            #expect(src.decode(p.sourceIds) == p.sourceWords)
            #expect(tgt.decode(p.targetIds) == p.targetWords)
            #expect(!p.sourceIds.contains(Vocabulary.unk) && !p.targetIds.contains(Vocabulary.unk))
            #expect(p.sourceIds.allSatisfy { $0 > Vocabulary.unk } && p.targetIds.allSatisfy { $0 > Vocabulary.unk })
        }
    }

    @Test func unknownWordsBecomeUnkAndClosestSuggestsTheNearestKnownWord() {
        let (src, tgt) = (TranslationTask.sourceVocabulary, TranslationTask.targetVocabulary)
        #expect(src.encode(["the", "zebra", "cat"]) == [src.id(of: "the")!, Vocabulary.unk, src.id(of: "cat")!])
        #expect(src.id(of: "zebra") == nil)
        #expect(src.closest(to: "cta") == "cat")
        #expect(src.closest(to: "hourse") == "horse")
        #expect(src.closest(to: "<unk>") != "<unk>")
        #expect(tgt.closest(to: "chein") == "chien")
        #expect(tgt.closest(to: "garcon") == "garçon")
        #expect(Vocabulary.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(Vocabulary.editDistance(Array("cta"), Array("cat")) == 1)
        #expect(Vocabulary.editDistance(Array(""), Array("cat")) == 3)
    }

    @Test func tokenizeLowercasesAndSplitsAtPunctuationKeepingFrenchApostrophes() {
        #expect(TranslationTask.tokenize("The small, red CAR.") == ["the", "small", "red", "car"])
        #expect(TranslationTask.tokenize("  I  don't see!") == ["i", "don", "t", "see"])
        #expect(TranslationTask.tokenize("L'oiseau n’aime pas la pomme.", language: .french)
            == ["l'", "oiseau", "n'", "aime", "pas", "la", "pomme"])
        #expect(TranslationTask.tokenize("", language: .french) == [])
    }

    // MARK: Configuration

    @Test func aMissingFieldTakesItsDefaultAndTheConfigurationRoundTrips() throws {
        #expect(try TranslationTask.decode(json: Data("{}".utf8)) == TranslationTask())
        let custom = TranslationTask(minWords: 4, maxWords: 9, split: .heldOut, splitSeed: 77,
                                     heldOutPercent: 20, validationPercent: 0)
        let data = try JSONEncoder().encode(custom)
        #expect(try TranslationTask.decode(json: data) == custom)
        #expect(String(decoding: data, as: UTF8.self).contains("\"heldOut\""))
    }

    @Test func invalidConfigurationsFailNamingTheField() {
        func message(_ t: TranslationTask) -> String? {
            (#expect(throws: ArnnError.self) { try t.validate() })?.message
        }
        #expect(message(TranslationTask(minWords: 2)) == "translation: minWords must be at least 3, got 2")
        #expect(message(TranslationTask(minWords: 8, maxWords: 5))
            == "translation: maxWords (5) must not be less than minWords (8)")
        #expect(message(TranslationTask(maxWords: 40))
            == "translation: maxWords must be at most 27 (the longest sentence of the grammar), got 40")
        #expect(message(TranslationTask(split: .heldOut, heldOutPercent: 0))
            == "translation: heldOutPercent must be at least 1 (the heldOut split needs a share), got 0")
        #expect(message(TranslationTask(heldOutPercent: 60, validationPercent: 50))
            == "translation: heldOutPercent + validationPercent must be at most 100, got 110")
        #expect(message(TranslationTask(validationPercent: -1))
            == "translation: validationPercent must be at least 0, got -1")
        #expect((#expect(throws: ArnnError.self) { try task.validate(length: 2) })?.message
            == "translation: words must be at least 3, got 2")
        #expect(throws: Never.self) { try task.validate() }
        #expect(throws: Never.self) { try task.withLengthRange(3...27) }
    }
}
