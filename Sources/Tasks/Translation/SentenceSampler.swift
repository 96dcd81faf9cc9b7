import Engine

/// Draws a random `Grammar.Sentence` of at most a given number of English words.
///
/// The sentence grows from a skeleton: the skeleton's shortest form must fit the budget, and each optional
/// part (adjective, `of the` phrase, relative clause) is considered only while the words left over pay for
/// its shortest form, so no sentence is ever longer than the budget.
///
/// Random draws, in order, all `rng.int(below:)`:
/// 1. Skeleton, five draws, repeated until its shortest sentence fits `maxWords`: verb (of 5), past (of 2:
///    1 = past), negated (of 4: 0 = negated), subject (of 3: 0 = pronoun), object (of 4: 0 = no object, which
///    only `eat` allows). Shortest sentence: subject 1 (pronoun) or 2 (determiner + noun), verb 1 or 3
///    (`does not see`), object 0 or 2.
/// 2. The subject: a pronoun (of 6, `Person`), or a noun phrase in the subject role.
/// 3. The object, if any: a noun phrase in the object role.
///
/// A noun phrase, with `spare` = words left over:
/// 1. noun (of the 8 animate nouns for subjects, else of all 14);
/// 2. determiner (of 4: the, a, possessive, number) — forced to `the` in an `of the` phrase (no draw), and
///    `a` becomes `the` for the object of a negated verb (French would need `de`);
/// 3. plural (of 2: 1 = plural) for `the` and possessives (`a` is singular, numbers plural); then the owner
///    (of 6) for a possessive, or the number (of 4) for a number;
/// 4. if spare ≥ 1: size adjective? (of 4: 0 = yes) then which (of 2);
/// 5. if spare ≥ 1: colour adjective? (of 3: 0 = yes) then which (of 6);
/// 6. for subjects and objects only: modifier (of 6: 0 = `of the`, 1 = relative clause, else none).
///    `of the` needs spare ≥ 3 and draws a noun phrase in the `of the` role; a relative clause needs
///    spare ≥ 4 and an animate noun, and draws verb (of 5), past (of 2), negated (of 4: 0 = yes, kept only if
///    spare ≥ 6), then its object in the relative-object role. Phrases in those roles take no modifier.
package struct SentenceSampler {
    enum Role { case subject, object, ofThe, relativeObject }

    static let animateNouns = Lexicon.nouns.filter(\.animate)

    package static func sentence(rng: inout SeededRNG, maxWords n: Int) -> Grammar.Sentence {
        precondition(n >= 2, "a sentence needs at least a subject and a verb")
        var verb: Lexicon.Verb, past: Bool, negated: Bool, pronoun: Bool, hasObject: Bool
        var shortest: Int
        repeat {
            verb = Lexicon.verbs[rng.int(below: Lexicon.verbs.count)]
            past = rng.int(below: 2) == 1
            negated = rng.int(below: 4) == 0
            pronoun = rng.int(below: 3) == 0
            hasObject = rng.int(below: 4) != 0 || !verb.mayBeIntransitive
            shortest = (pronoun ? 1 : 2) + (negated ? 3 : 1) + (hasObject ? 2 : 0)
        } while shortest > n
        var spare = n - shortest
        let subject: Grammar.Subject = pronoun
            ? .pronoun(Person(rawValue: rng.int(below: Person.allCases.count))!)
            : .noun(nounPhrase(rng: &rng, role: .subject, objectOfNegation: false, spare: &spare))
        let object = hasObject
            ? nounPhrase(rng: &rng, role: .object, objectOfNegation: negated, spare: &spare) : nil
        return Grammar.Sentence(subject, Grammar.Predicate(verb, past: past, negated: negated, object: object))
    }

    /// A noun phrase of at least two words; `spare` pays for anything longer and is reduced by it.
    static func nounPhrase(rng: inout SeededRNG, role: Role, objectOfNegation: Bool,
                           spare: inout Int) -> Grammar.NounPhrase {
        let nouns = role == .subject ? animateNouns : Lexicon.nouns
        let noun = nouns[rng.int(below: nouns.count)]
        var kind = role == .ofThe ? 0 : rng.int(below: 4)
        if kind == 1 && objectOfNegation { kind = 0 }
        let determiner: Grammar.Determiner, plural: Bool
        switch kind {
        case 0:
            determiner = .definite
            plural = rng.int(below: 2) == 1
        case 1:
            determiner = .indefinite
            plural = false
        case 2:
            plural = rng.int(below: 2) == 1
            determiner = .possessive(Person(rawValue: rng.int(below: Person.allCases.count))!)
        default:
            determiner = .number(rng.int(below: Lexicon.numbers.count))
            plural = true
        }
        var np = Grammar.NounPhrase(determiner, noun, plural: plural)
        if spare >= 1 && rng.int(below: 4) == 0 {
            np.size = Lexicon.sizes[rng.int(below: Lexicon.sizes.count)]
            spare -= 1
        }
        if spare >= 1 && rng.int(below: 3) == 0 {
            np.colour = Lexicon.colours[rng.int(below: Lexicon.colours.count)]
            spare -= 1
        }
        guard role == .subject || role == .object else { return np }
        switch rng.int(below: 6) {
        case 0 where spare >= 3:
            spare -= 3
            np.modifier = .ofThe(nounPhrase(rng: &rng, role: .ofThe, objectOfNegation: false, spare: &spare))
        case 1 where spare >= 4 && noun.animate:
            spare -= 4
            let verb = Lexicon.verbs[rng.int(below: Lexicon.verbs.count)]
            let past = rng.int(below: 2) == 1
            let negated = rng.int(below: 4) == 0 && spare >= 2
            if negated { spare -= 2 }
            let object = nounPhrase(rng: &rng, role: .relativeObject, objectOfNegation: negated, spare: &spare)
            np.modifier = .relative(Grammar.Predicate(verb, past: past, negated: negated, object: object))
        default:
            break
        }
        return np
    }

    /// The longest sentence the grammar can make: subject and object each determiner + size + colour + noun
    /// + a relative clause of 1 + 3 + 4 words (`that did not see the small red cat`), verb 3.
    package static let longestSentence = 12 + 3 + 12
}
