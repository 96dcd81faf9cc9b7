"""Dyck-2 recognition (Suzgun et al. 2019), as arnn's `Dyck2Task` (Sources/Tasks/Dyck/) draws it, draw for
draw: balanced strings of `(`, `)`, `[`, `]` from the grammar S → (S) | [S] (p/2 each) | S S (q) | ε, drawn
at an exact even length without rejection, and at each position the closer that may come next (`)`, `]`,
or `none`: the string may end). The rules and the conditioning are in docs/tasks/dyck.md.

A labelling task: a recurrent model reads one bracket a step (one-hot, 4 wide) and writes that position's
label (3 classes) at the same step; the loss is the cross-entropy summed over every position of the batch
and divided by their number (arnn's `RecurrentLabellingLearner`).

    task = arnn_torch.make_task("dyck2")                  # lengths 8-32 brackets
    s = task.sample(arnn_torch.SeededRNG(3))              # the string `arnn trace ... --seed 3` runs
    s.symbol_words, s.label_words
    x, labels = task.batch([s])                           # x [1, T, 4] one-hot, labels [1, T] (-100: padding)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch

from .errors import ArnnError
from .rng import SeededRNG

SYMBOLS = ["(", ")", "[", "]"]          # an opening bracket is even, its closer the next id
LABEL_NAMES = [")", "]", "none"]        # the closer of opening bracket b is label b // 2
NONE = 2
PAD_LABEL = -100                        # torch's ignore_index: positions past a shorter string


def labels_of(symbols: list[int]) -> list[int]:
    """Each position's label: the closer of the innermost bracket still open after it, else `none`."""
    open_, out = [], []
    for s in symbols:
        if s % 2 == 0:
            open_.append(s)
        elif open_:
            open_.pop()
        out.append(open_[-1] // 2 if open_ else NONE)
    return out


def first_error(symbols: list[int]) -> Optional[tuple[int, Optional[tuple[int, int]]]]:
    """arnn's `BracketString.firstError`: the position of the first closer that closes nothing or the wrong
    kind, and the (bracket, position) open there; None for a prefix of a balanced string."""
    open_: list[tuple[int, int]] = []
    for i, s in enumerate(symbols):
        if s % 2 == 0:
            open_.append((s, i))
        elif open_ and open_[-1][0] + 1 == s:
            open_.pop()
        else:
            return i, (open_[-1] if open_ else None)
    return None


@dataclass(frozen=True)
class BracketString:
    """A prefix of a balanced Dyck-2 string and its labels, as ids and as words."""

    symbols: list[int]
    labels: list[int]

    @classmethod
    def of(cls, symbols: list[int]) -> "BracketString":
        return cls(list(symbols), labels_of(symbols))

    @property
    def symbol_words(self) -> list[str]:
        return [SYMBOLS[s] for s in self.symbols]

    @property
    def label_words(self) -> list[str]:
        return [LABEL_NAMES[lab] for lab in self.labels]

    @property
    def own_length(self) -> int:
        return len(self.symbols)


class DyckGrammar:
    """arnn's `DyckGrammar`: the weights Z(k)·cᵏ and the conditioned draw, with the same sums in the same
    order (so the same uniform numbers pick the same choices)."""

    def __init__(self, p: float, q: float) -> None:
        self.p, self.q = p, q

    @property
    def empty_weight(self) -> float:
        e = 1 - self.p - self.q
        return e if self.q == 0 else (1 - math.sqrt(1 - 4 * self.q * e)) / (2 * self.q)

    @property
    def scale(self) -> float:
        return (1 - 2 * math.sqrt(self.q * (1 - self.p - self.q))) / self.p

    def weights(self, n: int) -> list[float]:
        z0, pc, q = self.empty_weight, self.p * self.scale, self.q
        loop = 1 - 2 * q * z0
        z = [z0]
        for m in range(1, n + 1):
            s = pc * z[m - 1]
            for k in range(1, m):
                s += q * z[k] * z[m - k]
            z.append(s / loop)
        return z

    def sample(self, pairs: int, rng: SeededRNG) -> list[int]:
        """A string of `pairs` pairs as ids. Draws, depth first, left to right: at each S of n ≥ 1 pairs one
        uniform number picks wrap or the split point, and a wrap draws its kind."""
        z, pc, q = self.weights(pairs), self.p * self.scale, self.q
        out: list[int] = []

        def emit(n: int) -> None:
            if n <= 0:
                return
            wrap = pc * z[n - 1]
            total = wrap
            for k in range(1, n):
                total += q * z[k] * z[n - k]
            u = rng.uniform_double() * total
            if u < wrap or n == 1:
                kind = rng.int_below(2)
                out.append(2 * kind)
                emit(n - 1)
                out.append(2 * kind + 1)
                return
            u -= wrap
            k = 1
            while k < n - 1:
                u -= q * z[k] * z[n - k]
                if u < 0:
                    break
                k += 1
            emit(k)
            emit(n - k)

        emit(pairs)
        return out


class Dyck2Task:
    """arnn's `Dyck2Task`: settings `minLength`, `maxLength` (even, 2-256; default 8-32 brackets),
    `nestProbability` p (default 0.5) and `concatProbability` q (default 0.25), with arnn's checks."""

    name = "dyck2"
    reads = "labels"
    LONGEST_LENGTH = 256
    input_width = len(SYMBOLS)
    output_width = len(LABEL_NAMES)
    _fields = {"minLength": 8, "maxLength": 32, "nestProbability": 0.5, "concatProbability": 0.25}

    def __init__(self, **fields) -> None:
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise ArnnError(f"{self.name}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(self._fields))})")
        for key, default in self._fields.items():
            value = fields.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ArnnError(f"{self.name}: {key} must be a number, got {value!r}")
            if isinstance(default, int):
                if isinstance(value, float) and not value.is_integer():
                    raise ArnnError(f"{self.name}: {key} must be an integer, got {value!r}")
                value = int(value)
            else:
                value = float(value)
            setattr(self, key, value)
        self.validate()
        self.grammar = DyckGrammar(self.nestProbability, self.concatProbability)

    def _fail(self, message: str) -> None:
        raise ArnnError(f"{self.name}: {message}")

    def validate(self) -> None:
        p, q = self.nestProbability, self.concatProbability
        if not (math.isfinite(p) and 0 < p <= 1):
            self._fail(f"nestProbability must be in (0, 1] (S → (S) | [S] makes the brackets), got {p}")
        if not (math.isfinite(q) and 0 <= q < 1):
            self._fail(f"concatProbability must be in [0, 1), got {q}")
        if not p + q < 1:
            self._fail(f"nestProbability + concatProbability must be below 1 (S → ε takes the rest, or no string "
                       f"ends), got {p + q}")
        self.validate_length(self.minLength, "minLength")
        self.validate_length(self.maxLength, "maxLength")
        if self.maxLength < self.minLength:
            self._fail(f"maxLength ({self.maxLength}) must not be less than minLength ({self.minLength})")

    def validate_length(self, length: int, field: str = "length") -> None:
        if length < 2:
            self._fail(f"{field} must be at least 2, got {length}")
        if length > self.LONGEST_LENGTH:
            self._fail(f"{field} must be at most {self.LONGEST_LENGTH}, got {length}")
        if length % 2 != 0:
            self._fail(f"{field} must be even (a balanced string), got {length}")

    def config(self) -> dict:
        return {"name": self.name, **{k: getattr(self, k) for k in self._fields}}

    def __repr__(self) -> str:
        return f"Dyck2Task({', '.join(f'{k}={getattr(self, k)}' for k in self._fields)})"

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(symbols, labels): the widths a recurrent model reads and writes, 4 and 3."""
        return self.input_width, self.output_width

    @property
    def length_range(self) -> tuple[int, int]:
        return self.minLength, self.maxLength

    @property
    def evaluation_lengths(self) -> list[int]:
        """Twice the shortest, the longest, twice and four times the longest trained length (capped at 256)."""
        return sorted({min(n, self.LONGEST_LENGTH) for n in
                       (2 * self.minLength, self.maxLength, 2 * self.maxLength, 4 * self.maxLength)})

    def sample(self, rng: SeededRNG, length: Optional[int] = None) -> BracketString:
        """arnn's `sample(rng:length:)`. Draws, in order: the number of pairs when no length is given (uniform
        in minLength/2...maxLength/2), then the grammar's."""
        n = length if length is not None else 2 * rng.int_in(self.minLength // 2, self.maxLength // 2)
        self.validate_length(n)
        return BracketString.of(self.grammar.sample(n // 2, rng))

    def sample_text(self, text: str) -> BracketString:
        """Typed brackets with or without spaces, any prefix of a balanced string, with arnn's messages."""
        chars = [c for c in text if not c.isspace() and c != ","]
        if not chars:
            raise ArnnError('type brackets ( ) [ ], e.g. "( [ ] ) ["')
        for c in chars:
            if c not in SYMBOLS:
                raise ArnnError(f'unknown character "{c}": {self.name} reads only the brackets ( ) [ ], with or '
                                f'without spaces')
        if len(chars) > self.LONGEST_LENGTH:
            raise ArnnError(f"the string has {len(chars)} brackets; the model reads at most {self.LONGEST_LENGTH}")
        symbols = [SYMBOLS.index(c) for c in chars]
        error = first_error(symbols)
        if error is not None:
            position, open_ = error
            why = (f'does not close the "{SYMBOLS[open_[0]]}" of bracket {open_[1] + 1}' if open_ is not None
                   else "closes nothing")
            raise ArnnError(f'"{SYMBOLS[symbols[position]]}" at bracket {position + 1} {why}: only prefixes of '
                            f'balanced strings have labels')
        return BracketString.of(symbols)

    def batch(self, strings: list[BracketString]) -> tuple[torch.Tensor, torch.Tensor]:
        """x [B, T, 4] one-hot brackets (zeros past a shorter string) and labels [B, T] (-100 past it), T the
        longest string's length."""
        t = max((s.own_length for s in strings), default=0)
        x = torch.zeros(len(strings), t, self.input_width)
        labels = torch.full((len(strings), t), PAD_LABEL, dtype=torch.long)
        for i, s in enumerate(strings):
            n = s.own_length
            if n:
                x[i, torch.arange(n), torch.tensor(s.symbols)] = 1
                labels[i, :n] = torch.tensor(s.labels)
        return x, labels

    def example(self, *args, **kwargs):
        raise ArnnError(f"{self.name}: a labelling task has bracket strings, not bit examples; use task.sample(rng)")
