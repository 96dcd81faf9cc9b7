import Testing
import Tasks

@Suite struct FrenchTextTests {
    @Test func anElidedWordIsJoinedToTheNextWordWithoutASpace() {
        #expect(FrenchText.join(["il", "n'", "a", "pas", "vu", "l'", "homme"]) == "il n'a pas vu l'homme")
        #expect(FrenchText.join(["j'", "ai", "un", "chat"]) == "j'ai un chat")
    }

    @Test func ordinaryWordsKeepOneSpaceBetweenThem() {
        #expect(FrenchText.join(["les", "petits", "chats", "ne", "voient", "pas", "la", "voiture", "rouge"])
                == "les petits chats ne voient pas la voiture rouge")
    }

    @Test func aTypographicApostropheAlsoJoins() {
        #expect(FrenchText.join(["l’", "oiseau", "mange"]) == "l’oiseau mange")
    }

    @Test func noWordsGiveAnEmptySentenceAndOneWordItself() {
        #expect(FrenchText.join([]) == "")
        #expect(FrenchText.join(["chat"]) == "chat")
        #expect(FrenchText.join(["l'"]) == "l'")
    }

    @Test func theFrenchTokenizerSplitsTheJoinedSentenceBackIntoItsWords() {
        let words = ["ses", "petits", "chiens", "n'", "ont", "pas", "mangé", "l'", "arbre", "de", "l'", "homme"]
        #expect(FrenchText.join(words) == "ses petits chiens n'ont pas mangé l'arbre de l'homme")
        #expect(TranslationTask.tokenize(FrenchText.join(words), language: .french) == words)
    }
}
