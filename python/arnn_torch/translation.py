"""The translation task's vocabularies, tokenizer and configuration (docs/tasks/translation.md), so token ids
mean in PyTorch what they mean in arnn. The sentence generator (grammar, sampler, splits) is not here.

A checkpoint does not store its vocabularies: arnn builds them from its lexicon
(Sources/Tasks/Translation/Lexicon.swift) in the order TranslationTask.swift lists, `<pad>` `<bos>` `<eos>`
`<unk>` first, then each word at its first appearance. The word lists below are those, in that order
(duplicate forms such as `rouge`, `notre` or `vois` are kept as the lexicon lists them and dropped as arnn
drops them); python/tests/test_demos.py checks every source id against arnn's logits on the shipped demos,
and test_arnn_cli.py the target words against `arnn translate`.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from .errors import ArnnError

SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>", "<unk>")

# English, in TranslationTask.sourceVocabulary's order: function words, pronouns, possessives, numbers,
# nouns (singular, plural), colours, sizes, verbs (base, third person, past).
_ENGLISH = (
    "the a an of that not do does did "
    "i you he she we they "
    "my your his her our their "
    "two three four five "
    "cat cats dog dogs bird birds horse horses girl girls boy boys woman women man men "
    "car cars house houses apple apples book books tree trees flower flowers "
    "red black green white blue grey "
    "small big "
    "see sees saw eat eats ate like likes liked want wants wanted have has had"
).split()

# French, in TranslationTask.targetVocabulary's order: function words, pronouns, possessives (m, f, pl per
# person), numbers, nouns (singular, plural), colour forms and size forms (m, f, m pl, f pl), verbs (je, tu,
# il/elle, nous, ils, participle).
_FRENCH = (
    "le la les l' un une de du des qui ne n' pas j' "
    "je tu il elle nous ils "
    "mon ma mes ton ta tes son sa ses son sa ses notre notre nos leur leur leurs "
    "deux trois quatre cinq "
    "chat chats chien chiens oiseau oiseaux cheval chevaux fille filles garçon garçons femme femmes "
    "homme hommes voiture voitures maison maisons pomme pommes livre livres arbre arbres fleur fleurs "
    "rouge rouge rouges rouges noir noire noirs noires vert verte verts vertes "
    "blanc blanche blancs blanches bleu bleue bleus bleues gris grise gris grises "
    "petit petite petits petites grand grande grands grandes "
    "vois vois voit voyons voient vu mange manges mange mangeons mangent mangé "
    "aime aimes aime aimons aiment aimé veux veux veut voulons veulent voulu ai as a avons ont eu"
).split()


class Vocabulary:
    """arnn's `Vocabulary`: `tokens[i]` is the token with id i; specials first, duplicates keep their first id."""

    def __init__(self, words: Iterable[str]) -> None:
        tokens = list(SPECIAL_TOKENS)
        ids = {t: i for i, t in enumerate(tokens)}
        for w in words:
            if w not in ids:
                ids[w] = len(tokens)
                tokens.append(w)
        self.tokens: tuple[str, ...] = tuple(tokens)
        self._ids = ids

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, word: str) -> bool:
        return word in self._ids

    def id(self, word: str) -> Optional[int]:
        return self._ids.get(word)

    def encode(self, words: Sequence[str], unknown: str = "error") -> list[int]:
        """Ids of `words`; an unknown word raises ArnnError (as arnn refuses a typed one), or with
        `unknown="unk"` becomes `<unk>` (3), as arnn's `Vocabulary.encode`."""
        if unknown not in ("error", "unk"):
            raise ArnnError(f"unknown must be \"error\" or \"unk\", got {unknown!r}")
        out = []
        for w in words:
            i = self._ids.get(w)
            if i is None:
                if unknown == "error":
                    raise ArnnError(f"unknown word {w!r} (the vocabulary has {len(self) - 4} words)")
                i = SPECIAL_TOKENS.index("<unk>")
            out.append(i)
        return out

    def decode(self, ids: Iterable[int]) -> list[str]:
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.tokens):
                raise ArnnError(f"token id {i} is outside the vocabulary of {len(self.tokens)}")
            out.append(self.tokens[i])
        return out


SOURCE_VOCABULARY = Vocabulary(_ENGLISH)   # 80 tokens: 76 English words
TARGET_VOCABULARY = Vocabulary(_FRENCH)    # 124 tokens: 120 French words


def tokenize(text: str, language: str = "english") -> list[str]:
    """arnn's `TranslationTask.tokenize`: lowercase, split at anything but a letter; in French an apostrophe
    (' or ’) ends its word and stays on it (`L'oiseau` -> `l'`, `oiseau`)."""
    if language not in ("english", "french"):
        raise ArnnError(f"language must be \"english\" or \"french\", got {language!r}")
    words, current = [], ""
    for ch in text.lower():
        if ch.isalpha():
            current += ch
        elif ch in "'’" and language == "french" and current:
            words.append(current + "'")
            current = ""
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return words


def join_french(words: Iterable[str]) -> str:
    """arnn's `FrenchText.join`: words separated by single spaces, except none after a word ending in an
    apostrophe (' or ’), so `["n'", "a"]` -> "n'a" and `["l'", "homme"]` -> "l'homme"."""
    text = ""
    previous = None
    for w in words:
        if previous is not None and not previous.endswith(("'", "’")):
            text += " "
        text += w
        previous = w
    return text


class TranslationTask:
    """The translation task's configuration (`arnn.task_config`), its vocabularies and tokenizer; not its
    sentence generator (arnn_torch cannot draw the sentences `arnn train` draws)."""

    name = "translation"
    reads = "tokens"
    _fields = {"minWords": 3, "maxWords": 15, "split": "train", "splitSeed": 9, "heldOutPercent": 10,
               "validationPercent": 5}
    LONGEST_SENTENCE = 27  # SentenceSampler.longestSentence: the most English words the grammar makes
    source_vocabulary = SOURCE_VOCABULARY
    target_vocabulary = TARGET_VOCABULARY

    def __init__(self, **fields) -> None:
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise ArnnError(f"translation: unknown setting {unknown[0]!r} (known: {', '.join(sorted(self._fields))})")
        for key, default in self._fields.items():
            value = fields.get(key, default)
            if key == "split":
                if value not in ("train", "validation", "heldOut"):
                    raise ArnnError(f"translation: split must be train, validation or heldOut, got {value!r}")
            else:
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ArnnError(f"translation: {key} must be an integer, got {value!r}")
            setattr(self, key, value)
        self.validate()

    def validate(self) -> None:
        """arnn's checks and messages (TranslationTask.validate)."""
        def check(ok: bool, message: str) -> None:
            if not ok:
                raise ArnnError(f"translation: {message}")
        check(self.minWords >= 3, f"minWords must be at least 3, got {self.minWords}")
        check(self.maxWords >= self.minWords, f"maxWords ({self.maxWords}) must not be less than minWords ({self.minWords})")
        check(self.maxWords <= self.LONGEST_SENTENCE,
              f"maxWords must be at most {self.LONGEST_SENTENCE} (the longest sentence of the grammar), got {self.maxWords}")
        check(self.heldOutPercent >= 1, f"heldOutPercent must be at least 1 (the heldOut split needs a share), got {self.heldOutPercent}")
        check(self.validationPercent >= 0, f"validationPercent must be at least 0, got {self.validationPercent}")
        check(self.heldOutPercent + self.validationPercent <= 100,
              f"heldOutPercent + validationPercent must be at most 100, got {self.heldOutPercent + self.validationPercent}")
        check(0 <= self.splitSeed < 2 ** 64, f"splitSeed must be in 0...2^64-1, got {self.splitSeed}")

    @property
    def io_sizes(self) -> tuple[int, int]:
        return len(self.source_vocabulary), len(self.target_vocabulary)

    def config(self) -> dict:
        return {"name": self.name, **{k: getattr(self, k) for k in self._fields}}

    def __repr__(self) -> str:
        return f"TranslationTask({', '.join(f'{k}={getattr(self, k)!r}' for k in self._fields)})"

    def encode(self, text: str) -> list[int]:
        """The source ids of an English sentence, as `arnn translate` reads it (unknown words are refused)."""
        words = tokenize(text)
        if not words:
            raise ArnnError("type a sentence in English (e.g. \"the small cats do not see the red car\")")
        return self.source_vocabulary.encode(words)

    def decode(self, ids: Iterable[int], stop_at_eos: bool = True) -> str:
        """French text of target ids (up to `<eos>`, which is left out) as `arnn translate` prints it: words
        joined by spaces, an elided word against the next (`join_french`: "il n'a pas vu l'homme")."""
        words = []
        for w in self.target_vocabulary.decode(ids):
            if stop_at_eos and w == "<eos>":
                break
            words.append(w)
        return join_french(words)

    def example(self, *args, **kwargs):
        raise ArnnError("translation: arnn_torch has no sentence generator; encode sentences with "
                        "task.encode(text), or draw them with arnn")
