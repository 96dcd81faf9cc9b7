"""Grefenstette et al.'s synthetic transduction tasks (§4.1): symbol copy, reversal and bigram flip, as arnn's
`TransductionTask` (Sources/Tasks/Transduction/) draws them, draw for draw.

A sample is a sequence of symbols drawn uniformly with replacement from the first `symbols` letters, and the
rule's rewriting of it; a recurrent model reads the source, then writes the target (`RecurrentTokenRunner`).
Source and target share one vocabulary: `<pad>` `<bos>` `<eos>` `<unk>`, then the letters a, b, c, ...

    task = arnn_torch.make_task("reversal")                 # symbols 12, lengths 8-32
    pair = task.sample(arnn_torch.SeededRNG(3))             # the sample `arnn trace ... --seed 3` runs
    pair.source_ids, pair.target_ids                        # ids without <bos>/<eos>
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from .babi import _edit_distance
from .errors import ArnnError
from .rng import SeededRNG
from .translation import Vocabulary, join_french


@dataclass(frozen=True)
class SymbolPair:
    """arnn's `SymbolPair`: the source symbols and the rule's target, as words and as ids (no `<bos>`/`<eos>`)."""

    source_words: list[str]
    target_words: list[str]
    source_ids: list[int]
    target_ids: list[int]

    @property
    def own_length(self) -> int:
        return len(self.source_words)


class TransductionTask:
    """A transduction task's configuration (`arnn.task_config`), vocabulary and generator; `target` is the
    rule. Settings: `symbols` (2-26, default 12; the paper's had 128) and the training range of lengths
    `minLength`...`maxLength` (default 8-32; the paper's 8-64), which counts source symbols."""

    name = ""
    reads = "tokens"
    even_lengths_only = False
    LONGEST_LENGTH = 256        # TransductionTask.longestLength
    SYMBOL_RANGE = (2, 26)
    _fields = {"symbols": 12, "minLength": 8, "maxLength": 32}

    def __init__(self, **fields: int) -> None:
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise ArnnError(f"{self.name}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(self._fields))})")
        for key, default in self._fields.items():
            value = fields.get(key, default)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ArnnError(f"{self.name}: {key} must be an integer, got {value!r}")
            setattr(self, key, value)
        self.validate()
        self.vocabulary = Vocabulary(self.alphabet)

    @staticmethod
    def target(source: list) -> list:
        raise NotImplementedError

    # arnn's checks and messages (TransductionTask.validate, Check.atLeast/atMost/ordered).

    def _fail(self, message: str) -> None:
        raise ArnnError(f"{self.name}: {message}")

    def validate(self) -> None:
        low, high = self.SYMBOL_RANGE
        if self.symbols < low:
            self._fail(f"symbols must be at least {low}, got {self.symbols}")
        if self.symbols > high:
            self._fail(f"symbols must be at most {high} (the letters a–z), got {self.symbols}")
        self.validate_length(self.minLength, "minLength")
        self.validate_length(self.maxLength, "maxLength")
        if self.maxLength < self.minLength:
            self._fail(f"maxLength ({self.maxLength}) must not be less than minLength ({self.minLength})")

    def validate_length(self, length: int, field: str = "length") -> None:
        shortest = 2 if self.even_lengths_only else 1
        if length < shortest:
            self._fail(f"{field} must be at least {shortest}, got {length}")
        if length > self.LONGEST_LENGTH:
            self._fail(f"{field} must be at most {self.LONGEST_LENGTH}, got {length}")
        if self.even_lengths_only and length % 2 != 0:
            self._fail(f"{field} must be even (pairs are swapped), got {length}")

    # Configuration and vocabulary.

    def config(self) -> dict:
        """arnn's `arnn.task_config` JSON object (with `name`)."""
        return {"name": self.name, **{k: getattr(self, k) for k in self._fields}}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)}' for k in self._fields)})"

    @property
    def alphabet(self) -> list[str]:
        return [chr(97 + i) for i in range(self.symbols)]

    @property
    def source_vocabulary(self) -> Vocabulary:
        return self.vocabulary

    @property
    def target_vocabulary(self) -> Vocabulary:
        return self.vocabulary

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(source, target) vocabulary sizes: both 4 + symbols."""
        return len(self.vocabulary), len(self.vocabulary)

    @property
    def length_range(self) -> tuple[int, int]:
        return self.minLength, self.maxLength

    scores_longer_lengths = True

    @property
    def evaluation_lengths(self) -> list[int]:
        """arnn's `evaluationLengths`: twice the shortest trained length, the longest, twice and four times it
        (capped at 256; even for bigram flip), sorted, each once; for sorting, the range's ends and middle."""
        if not self.scores_longer_lengths:
            return sorted({self.minLength, (self.minLength + self.maxLength) // 2, self.maxLength})
        lengths = [min(n, self.LONGEST_LENGTH) for n in (2 * self.minLength, self.maxLength, 2 * self.maxLength,
                                                         4 * self.maxLength)]
        if self.even_lengths_only:
            lengths = [n - n % 2 for n in lengths]
        return sorted(set(lengths))

    # Samples.

    def pair(self, source_words: list[str]) -> SymbolPair:
        target = self.target(list(source_words))
        return SymbolPair(list(source_words), target, self.vocabulary.encode(source_words),
                          self.vocabulary.encode(target))

    def sample(self, rng: SeededRNG, length: Optional[int] = None) -> SymbolPair:
        """arnn's `sample(rng:length:)`. Draws, in order: the length when none is given (uniform in
        minLength...maxLength; for bigram flip, twice a uniform draw in ⌈minLength/2⌉...⌊maxLength/2⌋), then
        each symbol, uniform below `symbols`."""
        if length is not None:
            n = length
        elif self.even_lengths_only:
            lo, hi = (self.minLength + 1) // 2, self.maxLength // 2
            n = 2 * rng.int_in(lo, max(lo, hi))
        else:
            n = rng.int_in(self.minLength, self.maxLength)
        self.validate_length(n)
        letters = self.alphabet
        return self.pair([letters[rng.int_below(self.symbols)] for _ in range(n)])

    @staticmethod
    def tokenize(text: str) -> list[str]:
        """Symbols typed with or without spaces between them ("a b c" or "abc"), as arnn reads them."""
        parts = [p for p in text.lower().replace(",", " ").replace("\t", " ").split(" ") if p]
        if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
            return list(parts[0])
        return parts

    def sample_text(self, text: str) -> SymbolPair:
        """The sample for typed symbols, as `arnn trace --sentence` reads them, with arnn's messages."""
        words, letters = self.tokenize(text), self.alphabet
        if not words:
            raise ArnnError(f"type a sequence of symbols {letters[0]}–{letters[-1]} "
                            f"(e.g. \"{' '.join(letters[:4])}\")")
        for w in words:
            if w not in self.vocabulary:
                closest = min(letters, key=lambda s: _edit_distance(s, w))
                raise ArnnError(f"unknown symbol \"{w}\": the task's symbols are {letters[0]}–{letters[-1]} "
                                f"(closest: \"{closest}\")")
        if len(words) > self.LONGEST_LENGTH:
            raise ArnnError(f"the sequence has {len(words)} symbols; the model reads at most {self.LONGEST_LENGTH}")
        if self.even_lengths_only and len(words) % 2 != 0:
            raise ArnnError(f"{self.name} needs an even number of symbols (pairs are swapped); got {len(words)}")
        return self.pair(words)

    def encode(self, text: str) -> list[int]:
        """The source ids of typed symbols (`RecurrentTokenRunner.translate` reads text through this)."""
        return self.sample_text(text).source_ids

    def decode(self, ids: Iterable[int], stop_at_eos: bool = True) -> str:
        """The symbols of target ids (up to `<eos>`, left out) joined by spaces, as `arnn translate` prints them."""
        words = []
        for w in self.vocabulary.decode(ids):
            if stop_at_eos and w == "<eos>":
                break
            words.append(w)
        return join_french(words)

    def example(self, *args, **kwargs):
        raise ArnnError(f"{self.name}: a token task has samples, not bit examples; use task.sample(rng, length)")


class SymbolCopyTask(TransductionTask):
    """Symbol copy: write the sequence back, a b c → a b c."""

    name = "symbol-copy"

    @staticmethod
    def target(source: list) -> list:
        return list(source)


class ReversalTask(TransductionTask):
    """Reversal: write it back reversed, a b c → c b a."""

    name = "reversal"

    @staticmethod
    def target(source: list) -> list:
        return list(reversed(source))


class SortTask(TransductionTask):
    """Sorting: write the letters in alphabetical order, c a b a → a a b c (the transformer's task,
    docs/tasks/sort.md): 32-64 letters of 26 by default, scored inside the trained lengths."""

    name = "sort"
    scores_longer_lengths = False
    _fields = {"symbols": 26, "minLength": 32, "maxLength": 64}

    @staticmethod
    def target(source: list) -> list:
        return sorted(source)


class BigramFlipTask(TransductionTask):
    """Bigram flip: swap each pair, a b c d → b a d c; lengths are even, as the paper's."""

    name = "bigram-flip"
    even_lengths_only = True

    @staticmethod
    def target(source: list) -> list:
        out = list(source)
        for i in range(0, len(out) - 1, 2):
            out[i], out[i + 1] = out[i + 1], out[i]
        return out


# SVO → SOV (Grefenstette et al. 2015, §4.2, Appendix C), as arnn's `SVOToSOVTask` and `SVOGrammar`
# (Sources/Tasks/Transduction/) draw it, draw for draw; the rules are in docs/tasks/transduction.md.

_BRANCH = 0.2          # S → S S, S → S rpi S VT, O → O O, O → S rpi S VT
_LEAF = 0.6            # S → ST, O → OT
SVO_LONGEST = 256
_SOURCE_PREFIX = {"subject": "si", "verb": "vi", "object": "oi", "relative": "rpi"}
_TARGET_PREFIX = {"subject": "so", "verb": "vo", "object": "oo", "relative": "rpo"}


def _inside(longest: int) -> dict[str, list[float]]:
    """`SVOGrammar.Inside`: index n is the chance that a subject, an object, a sentence, or two subjects
    (objects) side by side derive exactly n words. Explicit loops, added from the left as arnn adds them
    (Python's `sum` of floats compensates its rounding, arnn does not)."""
    zeros = [0.0] * (longest + 1)
    subject, obj, subjects, objects, sentence = (list(zeros) for _ in range(5))
    for n in range(1, longest + 1):
        for a in range(1, n):
            subjects[n] += subject[a] * subject[n - a]
            objects[n] += obj[a] * obj[n - a]
        clause = _BRANCH * subjects[n - 2] if n >= 3 else 0.0
        subject[n] = (_LEAF if n == 1 else 0.0) + _BRANCH * subjects[n] + clause
        obj[n] = (_LEAF if n == 1 else 0.0) + _BRANCH * objects[n] + clause
    for n in range(3, longest + 1):
        for a in range(1, n - 1):
            sentence[n] += subject[a] * obj[n - 1 - a]
    return {"subject": subject, "object": obj, "subjects": subjects, "objects": objects, "sentence": sentence}


_INSIDE = _inside(SVO_LONGEST)


def _pick(count: int, rng: SeededRNG, weight) -> int:
    """`SVOGrammar.pick`: one `uniform_double` u; the first option whose running sum of weights exceeds
    u × the total."""
    total = 0.0
    for i in range(count):
        total += weight(i)
    u = rng.uniform_double() * total
    running, last = 0.0, 0
    for i in range(count):
        w = weight(i)
        if w <= 0:
            continue
        running += w
        last = i
        if u < running:
            return i
    return last


def svo_sentence(n: int, words_per_class: int, rng: SeededRNG) -> tuple[list[str], int]:
    """`SVOGrammar.sentence`: a sentence of exactly n words and its main verb's position. Draws, depth first
    in the source's order: at each S or O, the rule, the split, then its parts; at each terminal its index;
    at A the split, the subject, the main verb, the object."""
    inside, out = _INSIDE, []

    def word(kind: str) -> None:
        out.append("rpi" if kind == "relative" else f"{_SOURCE_PREFIX[kind]}{1 + rng.int_below(words_per_class)}")

    def rule(m: int, pairs: list[float]) -> int:
        def weight(r: int) -> float:
            if r == 0:
                return _LEAF if m == 1 else 0.0
            if r == 1:
                return _BRANCH * pairs[m]
            return _BRANCH * inside["subjects"][m - 2] if m >= 3 else 0.0
        return _pick(3, rng, weight)

    def phrase(kind: str, m: int) -> None:          # S (kind "subject") or O ("object") of m words
        table = inside[kind]
        r = rule(m, inside[kind + "s"])
        if r == 0:
            word(kind)
        elif r == 1:
            a = 1 + _pick(m - 1, rng, lambda i: table[1 + i] * table[m - 1 - i])
            phrase(kind, a)
            phrase(kind, m - a)
        else:
            clause(m)

    def clause(m: int) -> None:
        s = inside["subject"]
        a = 1 + _pick(m - 3, rng, lambda i: s[1 + i] * s[m - 3 - i])
        phrase("subject", a)
        word("relative")
        phrase("subject", m - 2 - a)
        word("verb")

    a = 1 + _pick(n - 2, rng, lambda i: inside["subject"][1 + i] * inside["object"][n - 2 - i])
    phrase("subject", a)
    verb = len(out)
    word("verb")
    phrase("object", n - 1 - a)
    return out, verb


def _word_class(word: str) -> Optional[str]:
    if word == "rpi":
        return "relative"
    for kind in ("subject", "verb", "object"):
        prefix = _SOURCE_PREFIX[kind]
        if word.startswith(prefix) and word[2:].isdigit():
            return kind
    return None


def svo_target(source: list[str], verb: int) -> list[str]:
    """`SVOGrammar.target`: each word for its target word (same class and index), the main verb last."""
    out = []
    for w in source:
        kind = _word_class(w)
        out.append(w if kind is None else _TARGET_PREFIX[kind] + w[len(_SOURCE_PREFIX[kind]):])
    out.append(out.pop(verb))
    return out


def svo_categories(source: list[str], verb: int) -> list[str]:
    """`SVOGrammar.categories`: noClause, or subjectClause / objectClause / nestedClause."""
    open_, deepest, in_subject, in_object = 0, 0, False, False
    for i, w in enumerate(source):
        kind = _word_class(w)
        if kind == "relative":
            open_ += 1
            deepest = max(deepest, open_)
            if i < verb:
                in_subject = True
            else:
                in_object = True
        elif kind == "verb" and i != verb:
            open_ -= 1
    if deepest == 0:
        return ["noClause"]
    return (["subjectClause"] if in_subject else []) + (["objectClause"] if in_object else []) + \
        (["nestedClause"] if deepest >= 2 else [])


class _SVOParser:
    """`SVOGrammar.mainVerb(of:)`: recursive descent over A → S VT O, S = ST (ST | rpi S VT)*,
    O = (OT | S rpi S VT)+, with arnn's messages."""

    def __init__(self, words: list[str], words_per_class: int) -> None:
        self.words, self.kinds, self.w, self.i = words, [_word_class(w) for w in words], words_per_class, 0

    def next(self) -> Optional[str]:
        return self.kinds[self.i] if self.i < len(self.kinds) else None

    def found(self) -> str:
        return f'got "{self.words[self.i]}" (word {self.i + 1})' if self.i < len(self.words) else "but the sentence ends"

    def range(self, kind: str) -> str:
        p = _SOURCE_PREFIX[kind]
        return f"{p}1–{p}{self.w}"

    @staticmethod
    def fail(problem: str) -> ArnnError:
        return ArnnError(f"not a sentence of the grammar: {problem}")

    def sentence(self) -> int:
        if self.next() != "subject":
            raise self.fail(f"a sentence starts with a subject ({self.range('subject')}), {self.found()}")
        self.subject()
        if self.next() != "verb":
            raise self.fail(f"expected the main verb ({self.range('verb')}) after the subject, {self.found()}")
        verb = self.i
        self.i += 1
        self.object()
        if self.i < len(self.words):
            if self.next() == "verb":
                raise self.fail(f'a second main verb, "{self.words[self.i]}" (word {self.i + 1}), after the object')
            raise self.fail(f'"rpi" (word {self.i + 1}) after an object word: a relative clause\'s head is a subject (si…)')
        return verb

    def subject(self) -> bool:
        self.i += 1
        ends_with_clause = False
        while self.next() in ("subject", "relative"):
            if self.next() == "subject":
                self.i += 1
                ends_with_clause = False
            else:
                self.clause()
                ends_with_clause = True
        return ends_with_clause

    def clause(self) -> None:
        start = self.i + 1
        self.i += 1
        if self.next() != "subject":
            raise self.fail(f'"rpi" (word {start}) must be followed by a subject ({self.range("subject")}), {self.found()}')
        self.subject()
        if self.next() != "verb":
            raise self.fail(f"the relative clause from word {start} needs its verb ({self.range('verb')}) after its "
                            f"subject, {self.found()}")
        self.i += 1

    def object(self) -> None:
        if self.next() not in ("object", "subject"):
            raise self.fail(f"expected an object ({self.range('object')}, or a clause si… rpi si… vi…) after the main "
                            f"verb, {self.found()}")
        while self.next() in ("object", "subject"):
            if self.next() == "object":
                self.i += 1
            elif not self.subject():
                raise self.fail(f'"{self.words[self.i - 1]}" (word {self.i}) in the object belongs to no relative clause '
                                f"(an object is {self.range('object')} and clauses si… rpi si… vi…)")


@dataclass(frozen=True)
class SVOPair:
    """arnn's `SVOPair`: the source sentence and its reordering, as words and as ids (no `<bos>`/`<eos>`),
    the main verb's position and where the relative clauses are."""

    source_words: list[str]
    target_words: list[str]
    source_ids: list[int]
    target_ids: list[int]
    verb: int
    categories: list[str]

    @property
    def own_length(self) -> int:
        return len(self.source_words)


class SVOToSOVTask(TransductionTask):
    """SVO → SOV: a subject–verb–object sentence with relative clauses, written with its main verb last
    (`si1 vi3 oi2 → so1 oo2 vo3`). Settings: `wordsPerClass` (1-33, default 4; the paper's 33), and the
    training range `minLength`...`maxLength` (3-256, default 8-32; the paper's 8-64), which counts source
    words. Source and target have vocabularies of their own: si…, vi…, oi…, rpi and so…, vo…, oo…, rpo."""

    name = "svo-sov"
    SHORTEST_LENGTH = 3
    LONGEST_LENGTH = SVO_LONGEST
    WORDS_PER_CLASS = (1, 33)
    _fields = {"wordsPerClass": 4, "minLength": 8, "maxLength": 32}

    def __init__(self, **fields: int) -> None:
        super().__init__(**fields)
        self._target_vocabulary = Vocabulary(self._words(_TARGET_PREFIX))

    def _words(self, prefixes: dict[str, str]) -> list[str]:
        return [f"{prefixes[k]}{i}" for k in ("subject", "verb", "object") for i in range(1, self.wordsPerClass + 1)] \
            + [prefixes["relative"]]

    @property
    def alphabet(self) -> list[str]:
        """The source words (the base class builds `vocabulary`, the source's, from them)."""
        return self._words(_SOURCE_PREFIX)

    @property
    def target_vocabulary(self) -> Vocabulary:
        return self._target_vocabulary

    @property
    def io_sizes(self) -> tuple[int, int]:
        return len(self.vocabulary), len(self._target_vocabulary)

    def validate(self) -> None:
        low, high = self.WORDS_PER_CLASS
        if self.wordsPerClass < low:
            self._fail(f"wordsPerClass must be at least {low}, got {self.wordsPerClass}")
        if self.wordsPerClass > high:
            self._fail(f"wordsPerClass must be at most {high} (the paper's), got {self.wordsPerClass}")
        self.validate_length(self.minLength, "minLength")
        self.validate_length(self.maxLength, "maxLength")
        if self.maxLength < self.minLength:
            self._fail(f"maxLength ({self.maxLength}) must not be less than minLength ({self.minLength})")

    def validate_length(self, length: int, field: str = "length") -> None:
        if length < self.SHORTEST_LENGTH:
            self._fail(f"{field} must be at least {self.SHORTEST_LENGTH} (subject, verb, object), got {length}")
        if length > self.LONGEST_LENGTH:
            self._fail(f"{field} must be at most {self.LONGEST_LENGTH}, got {length}")

    @staticmethod
    def target(source: list) -> list:
        raise ArnnError("svo-sov: the target depends on the parse; use task.sample_text(text)")

    def pair(self, source_words: list[str], verb: Optional[int] = None) -> SVOPair:
        """The pair for a source sentence; its main verb found by parsing when not given."""
        source_words = list(source_words)
        if verb is None:
            verb = _SVOParser(source_words, self.wordsPerClass).sentence()
        target = svo_target(source_words, verb)
        return SVOPair(source_words, target, self.vocabulary.encode(source_words),
                       self._target_vocabulary.encode(target), verb, svo_categories(source_words, verb))

    def sample(self, rng: SeededRNG, length: Optional[int] = None) -> SVOPair:
        """arnn's `sample(rng:length:)`. Draws, in order: the length when none is given (one `uniform_double`,
        each length of the range weighed by the grammar's chance of a sentence that long), then the sentence
        (`svo_sentence`)."""
        if length is None:
            lo = self.minLength
            n = lo + _pick(self.maxLength - lo + 1, rng, lambda i: _INSIDE["sentence"][lo + i])
        else:
            n = length
        self.validate_length(n)
        source, verb = svo_sentence(n, self.wordsPerClass, rng)
        return self.pair(source, verb)

    @staticmethod
    def tokenize(text: str) -> list[str]:
        """Words typed with spaces or commas between them, in any case."""
        return [p for p in text.lower().replace(",", " ").replace("\t", " ").split(" ") if p]

    def sample_text(self, text: str) -> SVOPair:
        """The pair for a typed source sentence, its target by the grammar, with arnn's messages."""
        words = self.tokenize(text)
        if not words:
            raise ArnnError('type a sentence: subject, verb, object, e.g. "si1 vi2 oi3" or "si1 rpi si2 vi1 vi2 oi3 oi1"')
        w = self.wordsPerClass
        for word in words:
            if word not in self.vocabulary:
                known = self.vocabulary.tokens[4:]
                closest = min(known, key=lambda k: _edit_distance(k, word))
                raise ArnnError(f'unknown word "{word}" (closest known word: "{closest}"; the words are si1–si{w}, '
                                f"vi1–vi{w}, oi1–oi{w} and rpi)")
        if len(words) > self.LONGEST_LENGTH:
            raise ArnnError(f"the sentence has {len(words)} words; the model reads at most {self.LONGEST_LENGTH}")
        return self.pair(words)

    def decode(self, ids: Iterable[int], stop_at_eos: bool = True) -> str:
        """The target words of ids (up to `<eos>`, left out) joined by spaces."""
        words = []
        for word in self._target_vocabulary.decode(ids):
            if stop_at_eos and word == "<eos>":
                break
            words.append(word)
        return " ".join(words)
