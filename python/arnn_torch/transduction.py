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

    @property
    def evaluation_lengths(self) -> list[int]:
        """arnn's `evaluationLengths`: twice the shortest trained length, the longest, twice and four times it
        (capped at 256; even for bigram flip), sorted, each once."""
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
