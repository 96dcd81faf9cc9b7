"""arnn's bit-sequence tasks (Sources/Tasks/*.swift), transcribed with the same random draws.

For the same seed and length, `task.example(SeededRNG(seed), length)` gives the inputs, targets and mask
that `arnn trace --seed seed --length length` runs (tests/test_tasks.py checks it against arnn). The
configurations use arnn's JSON field names, so `task.config()` is what arnn stores in `arnn.task_config`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch

from .babi import BabiTask
from .dyck import Dyck2Task
from .errors import ArnnError
from .rng import SeededRNG
from .transduction import BigramFlipTask, ReversalTask, SortTask, SVOToSOVTask, SymbolCopyTask
from .translation import TranslationTask


@dataclass
class Example:
    """One sample: `inputs` [T, X], `targets` [T, Y], `mask` [T] (True where the output is scored)."""

    inputs: torch.Tensor
    targets: torch.Tensor
    mask: torch.Tensor
    phases: list[str]

    @property
    def steps(self) -> int:
        return self.inputs.shape[0]


def _check(ok: bool, task: str, message: str) -> None:
    if not ok:
        raise ArnnError(f"{task}: {message}")


class _BitTask:
    name = ""
    reads = "bits"
    _fields: dict[str, int] = {}

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

    def config(self) -> dict:
        """arnn's `arnn.task_config` JSON object (with `name`)."""
        return {"name": self.name, **{k: getattr(self, k) for k in self._fields}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)}" for k in self._fields)
        return f"{type(self).__name__}({args})"

    def validate(self) -> None:
        raise NotImplementedError

    # The checks of arnn's Check.atLeast and Check.ordered, with its messages.
    def _at_least(self, field: str, low: int) -> None:
        value = getattr(self, field)
        _check(value >= low, self.name, f"{field} must be at least {low}, got {value}")

    def _ordered(self, low_field: str, high_field: str) -> None:
        _check(getattr(self, low_field) <= getattr(self, high_field), self.name,
               f"{low_field} must be at most {high_field}")

    @property
    def io_sizes(self) -> tuple[int, int]:
        return self.input_width, self.output_width

    def batch(self, examples: list[Example]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Stacks examples as arnn's `Batch`: [B, T, X], [B, T, Y], [B, T], shorter ones zero-padded at the end."""
        steps = max(e.steps for e in examples)
        b = len(examples)
        x = torch.zeros(b, steps, self.input_width)
        y = torch.zeros(b, steps, self.output_width)
        m = torch.zeros(b, steps)
        for j, e in enumerate(examples):
            x[j, : e.steps] = e.inputs
            y[j, : e.steps] = e.targets
            m[j, : e.steps] = e.mask.to(torch.float32)
        return x, y, m


class CopyTask(_BitTask):
    """Copy (Sources/Tasks/CopyTask.swift): L vectors, a delimiter, then L answer steps."""

    name = "copy"
    _fields = {"bitWidth": 8, "minLength": 1, "maxLength": 20}

    def validate(self) -> None:
        self._at_least("bitWidth", 1)
        self._at_least("minLength", 1)
        self._ordered("minLength", "maxLength")

    @property
    def input_width(self) -> int:
        return self.bitWidth + 1

    @property
    def output_width(self) -> int:
        return self.bitWidth

    def example(self, rng: SeededRNG, length: Optional[int] = None) -> Example:
        # Draws, in order: L (when not given), then L·B bits row by row.
        n = length if length is not None else rng.int_in(self.minLength, self.maxLength)
        _check(n >= 1, self.name, f"length must be at least 1, got {n}")
        bits = torch.tensor(rng.bits(n * self.bitWidth)).reshape(n, self.bitWidth)
        return self.example_from_bits(bits)

    def example_from_bits(self, bits: torch.Tensor) -> Example:
        n, b = bits.shape
        steps = 2 * n + 1
        x = torch.zeros(steps, b + 1)
        y = torch.zeros(steps, b)
        x[:n, :b] = bits
        x[n, b] = 1
        y[n + 1 :] = bits
        mask = torch.tensor([False] * (n + 1) + [True] * n)
        phases = ["input"] * n + ["delimiter"] + ["answer"] * n
        return Example(x, y, mask, phases)

    def random_batch(self, batch: int, length: Optional[int] = None,
                     generator: Optional[torch.Generator] = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """`batch` examples of one length, drawn with torch's generator (the global one when `generator` is
        None), as `batch` stacks them: [B, T, X], [B, T, Y], [B, T]. Draws: L uniform in
        minLength...maxLength (when not given), then the bits [B, L, bitWidth] at once. The layout is
        `example_from_bits`'s, but not arnn's examples for a seed (`example(SeededRNG(s))` gives those); for
        benchmarks and PyTorch training loops, where drawing in Python would cost more than the step."""
        n = length if length is not None else int(torch.randint(self.minLength, self.maxLength + 1, (1,),
                                                                generator=generator))
        _check(n >= 1, self.name, f"length must be at least 1, got {n}")
        _check(batch >= 1, self.name, f"batch must be at least 1, got {batch}")
        b = self.bitWidth
        bits = (torch.rand(batch, n, b, generator=generator) < 0.5).float()
        x = torch.zeros(batch, 2 * n + 1, b + 1)
        y = torch.zeros(batch, 2 * n + 1, b)
        x[:, :n, :b] = bits
        x[:, n, b] = 1
        y[:, n + 1 :] = bits
        m = torch.zeros(batch, 2 * n + 1)
        m[:, n + 1 :] = 1
        return x, y, m


class CopyEpisodesTask(_BitTask):
    """Copy episodes back to back (Sources/Tasks/CopyEpisodesTask.swift, docs/tasks/copy-episodes.md): K
    copies in one sequence, each laid out as `CopyTask` lays out one; the length is K."""

    name = "copy-episodes"
    _fields = {"bitWidth": 8, "minEpisodes": 1, "maxEpisodes": 10, "minVectors": 1, "maxVectors": 5}

    def validate(self) -> None:
        self._at_least("bitWidth", 1)
        self._at_least("minEpisodes", 1)
        self._ordered("minEpisodes", "maxEpisodes")
        self._at_least("minVectors", 1)
        self._ordered("minVectors", "maxVectors")

    @property
    def input_width(self) -> int:
        return self.bitWidth + 1

    @property
    def output_width(self) -> int:
        return self.bitWidth

    def example(self, rng: SeededRNG, length: Optional[int] = None) -> Example:
        # Draws, in order: K (when not given), then per episode n_k and its n_k·B bits row by row.
        k = length if length is not None else rng.int_in(self.minEpisodes, self.maxEpisodes)
        _check(k >= 1, self.name, f"episodes must be at least 1, got {k}")
        parts = []
        for _ in range(k):
            n = rng.int_in(self.minVectors, self.maxVectors)
            bits = torch.tensor(rng.bits(n * self.bitWidth)).reshape(n, self.bitWidth)
            parts.append(CopyTask(bitWidth=self.bitWidth).example_from_bits(bits))
        return Example(torch.cat([e.inputs for e in parts]), torch.cat([e.targets for e in parts]),
                       torch.cat([e.mask for e in parts]), [p for e in parts for p in e.phases])


class RepeatCopyTask(_BitTask):
    """Repeat copy (Sources/Tasks/RepeatCopyTask.swift): L vectors, a delimiter, a count, L·R + 1 answers."""

    name = "repeat-copy"
    _fields = {"bitWidth": 8, "minLength": 1, "maxLength": 10, "minRepeats": 1, "maxRepeats": 10}

    def validate(self) -> None:
        self._at_least("bitWidth", 1)
        self._at_least("minLength", 1)
        self._ordered("minLength", "maxLength")
        self._at_least("minRepeats", 1)
        self._ordered("minRepeats", "maxRepeats")

    @property
    def input_width(self) -> int:
        return self.bitWidth + 2

    @property
    def output_width(self) -> int:
        return self.bitWidth + 1

    def encoded_count(self, repeats: int) -> float:
        """The count channel's value: normalised over the training range of repeats (in double, then Float)."""
        mean = (self.minRepeats + self.maxRepeats) / 2
        span = float(self.maxRepeats - self.minRepeats + 1)
        std = ((span * span - 1) / 12) ** 0.5
        centred = repeats - mean
        return centred / std if std > 0 else centred

    def example(self, rng: SeededRNG, length: Optional[int] = None, repeats: Optional[int] = None) -> Example:
        # Draws, in order: L (when not given), R (when not given), then L·B bits row by row.
        n = length if length is not None else rng.int_in(self.minLength, self.maxLength)
        r = repeats if repeats is not None else rng.int_in(self.minRepeats, self.maxRepeats)
        _check(n >= 1, self.name, f"length must be at least 1, got {n}")
        _check(r >= 1, self.name, f"repeats must be at least 1, got {r}")
        bits = torch.tensor(rng.bits(n * self.bitWidth)).reshape(n, self.bitWidth)
        return self.example_from_bits(bits, r)

    def example_from_bits(self, bits: torch.Tensor, repeats: int) -> Example:
        n, b = bits.shape
        r = repeats
        start = n + 2
        steps = n + 3 + n * r
        x = torch.zeros(steps, b + 2)
        y = torch.zeros(steps, b + 1)
        x[:n, :b] = bits
        x[n, b] = 1
        x[n + 1, b + 1] = self.encoded_count(r)
        for k in range(r):
            y[start + k * n : start + (k + 1) * n, :b] = bits
        y[steps - 1, b] = 1
        mask = torch.tensor([False] * start + [True] * (n * r + 1))
        phases = ["input"] * n + ["delimiter", "repeatCount"] + ["answer"] * (n * r + 1)
        return Example(x, y, mask, phases)


class AssociativeRecallTask(_BitTask):
    """Associative recall (Sources/Tasks/AssociativeRecallTask.swift): k items, a query item, the next item."""

    name = "assoc-recall"
    _fields = {"bitWidth": 6, "itemLength": 3, "minItems": 2, "maxItems": 6}

    def validate(self) -> None:
        self._at_least("bitWidth", 1)
        self._at_least("itemLength", 1)
        self._at_least("minItems", 2)
        self._ordered("minItems", "maxItems")
        _check(self.maxItems <= 2 ** (self.bitWidth * self.itemLength), self.name,
               "maxItems must be at most the number of distinct items")

    @property
    def input_width(self) -> int:
        return self.bitWidth + 2

    @property
    def output_width(self) -> int:
        return self.bitWidth

    def example(self, rng: SeededRNG, length: Optional[int] = None) -> Example:
        # Draws, in order: k (when not given); each item's V·B bits (a repeat of an earlier item is drawn
        # again); then the query q in 0..<k−1.
        k = length if length is not None else rng.int_in(self.minItems, self.maxItems)
        _check(2 <= k <= 2 ** (self.bitWidth * self.itemLength), self.name, f"items must be at least 2, got {k}")
        items: list[list[float]] = []
        seen: set[tuple[float, ...]] = set()
        while len(items) < k:
            item = rng.bits(self.itemLength * self.bitWidth)
            if tuple(item) not in seen:
                seen.add(tuple(item))
                items.append(item)
        q = rng.int_below(k - 1)
        return self.example_from_items(items, q)

    def example_from_items(self, items: list[list[float]], q: int) -> Example:
        b, v, k = self.bitWidth, self.itemLength, len(items)
        steps = k * (v + 1) + 2 * v + 2
        x = torch.zeros(steps, b + 2)
        y = torch.zeros(steps, b)
        phases: list[str] = []
        t = 0
        for item in items:
            x[t, b] = 1
            x[t + 1 : t + 1 + v, :b] = torch.tensor(item).reshape(v, b)
            phases += ["delimiter"] + ["input"] * v
            t += v + 1
        x[t, b + 1] = 1
        x[t + 1 : t + 1 + v, :b] = torch.tensor(items[q]).reshape(v, b)
        phases += ["delimiter"] + ["query"] * v
        t += v + 1
        x[t, b + 1] = 1
        phases.append("delimiter")
        t += 1
        y[t : t + v] = torch.tensor(items[q + 1]).reshape(v, b)
        phases += ["answer"] * v
        mask = torch.tensor([False] * t + [True] * v)
        return Example(x, y, mask, phases)


class ParityTask(_BitTask):
    """Parity (Sources/Tasks/ParityTask.swift): one step, a vector of k entries ±1 at random positions
    (the rest 0); the target is 1 when the number of +1 entries is odd. The "length" is k."""

    name = "parity"
    _fields = {"size": 64, "minEntries": 1, "maxEntries": None}

    def __init__(self, **fields: int) -> None:
        # maxEntries defaults to the size, as in arnn.
        if fields.get("maxEntries") is None:
            fields["maxEntries"] = fields.get("size", 64)
        super().__init__(**fields)

    def validate(self) -> None:
        self._at_least("size", 1)
        self._at_least("minEntries", 1)
        self._ordered("minEntries", "maxEntries")
        _check(self.maxEntries <= self.size, self.name, f"maxEntries must be at most size ({self.size})")

    @property
    def input_width(self) -> int:
        return self.size

    @property
    def output_width(self) -> int:
        return 1

    def example(self, rng: SeededRNG, length: Optional[int] = None) -> Example:
        # Draws, in order: k (when not given); k swaps of a partial Fisher-Yates over the positions; then
        # one sign per chosen position.
        k = length if length is not None else rng.int_in(self.minEntries, self.maxEntries)
        _check(1 <= k <= self.size, self.name, f"entries must be in 1...{self.size}, got {k}")
        order = list(range(self.size))
        for i in range(k):
            j = i + rng.int_below(self.size - i)
            order[i], order[j] = order[j], order[i]
        vector = [0.0] * self.size
        for i in range(k):
            vector[order[i]] = 1.0 if rng.bernoulli(0.5) else -1.0
        ones = sum(1 for v in vector if v > 0)
        return Example(torch.tensor([vector]), torch.tensor([[float(ones % 2)]]), torch.tensor([True]), ["answer"])

    def random_batch(self, batch: int, length: Optional[int] = None,
                     generator: Optional[torch.Generator] = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """`batch` examples drawn with torch's generator (the global one when `generator` is None), as `batch`
        stacks them: [B, 1, size], [B, 1, 1], [B, 1]. Each has k = `length` entries ±1 (or k uniform in
        minEntries...maxEntries, drawn per example) at random positions: per example, k (when not given),
        a permutation of the positions, then k signs. The distribution is `example`'s, not arnn's examples
        for a seed (`example(SeededRNG(s))` gives those); for benchmarks and PyTorch training loops."""
        _check(length is None or 1 <= length <= self.size, self.name,
               f"entries must be in 1...{self.size}, got {length}")
        _check(batch >= 1, self.name, f"batch must be at least 1, got {batch}")
        x = torch.zeros(batch, self.size)
        for i in range(batch):
            k = length or int(torch.randint(self.minEntries, self.maxEntries + 1, (), generator=generator))
            positions = torch.randperm(self.size, generator=generator)[:k]
            x[i, positions] = torch.randint(0, 2, (k,), generator=generator).float() * 2 - 1
        target = ((x == 1).sum(1, keepdim=True) % 2).float()
        return x[:, None], target[:, None], torch.ones(batch, 1)


class PrioritySortTask(_BitTask):
    """Priority sort (Sources/Tasks/PrioritySortTask.swift): n vectors of B bits, each with a priority in
    [−1, 1) on channel B+1, a delimiter (channel B), then the min(outputCount, n) highest-priority vectors,
    highest first (a tie goes to the earlier input). The "length" is n; the paper's n = 20, m = 16."""

    name = "priority-sort"
    _fields = {"bitWidth": 8, "minInputs": 20, "maxInputs": 20, "outputCount": 16}

    def validate(self) -> None:
        self._at_least("bitWidth", 1)
        self._at_least("minInputs", 1)
        self._ordered("minInputs", "maxInputs")
        self._at_least("outputCount", 1)

    @property
    def input_width(self) -> int:
        return self.bitWidth + 2

    @property
    def output_width(self) -> int:
        return self.bitWidth

    def example(self, rng: SeededRNG, length: Optional[int] = None) -> Example:
        # Draws, in order: n (when not given); then for each input its B bits followed by its priority.
        n = length if length is not None else rng.int_in(self.minInputs, self.maxInputs)
        _check(n >= 1, self.name, f"inputs must be at least 1, got {n}")
        vectors, priorities = [], []
        for _ in range(n):
            vectors.append(rng.bits(self.bitWidth))
            priorities.append(rng.uniform_range(-1, 1))
        return self.example_from_vectors(vectors, priorities)

    def example_from_vectors(self, vectors: list[list[float]], priorities: list[float]) -> Example:
        n, b, m = len(priorities), self.bitWidth, min(self.outputCount, len(priorities))
        order = sorted(range(n), key=lambda i: (-priorities[i], i))
        steps = n + 1 + m
        x = torch.zeros(steps, b + 2)
        y = torch.zeros(steps, b)
        for i in range(n):
            x[i, :b] = torch.tensor(vectors[i])
            x[i, b + 1] = priorities[i]
        x[n, b] = 1
        for j in range(m):
            y[n + 1 + j] = torch.tensor(vectors[order[j]])
        mask = torch.tensor([False] * (n + 1) + [True] * m)
        return Example(x, y, mask, ["input"] * n + ["delimiter"] + ["answer"] * m)


# The translation and babi tasks are here for their configuration and words only (they have no generator); the
# transduction tasks (transduction.py) are token tasks with arnn's generator.
TASKS = {t.name: t for t in (CopyTask, CopyEpisodesTask, RepeatCopyTask, AssociativeRecallTask, PrioritySortTask, ParityTask,
                             TranslationTask, BabiTask, SymbolCopyTask, ReversalTask, BigramFlipTask, SortTask,
                             SVOToSOVTask, Dyck2Task)}


def make_task(name: str, **settings):
    """The task called `name` (`copy`, `copy-episodes`, `repeat-copy`, `assoc-recall`, `priority-sort`, `parity`,
    `translation`, `babi`, `symbol-copy`, `reversal`, `bigram-flip`, `sort`, `svo-sov`, `dyck2`) with arnn's
    settings."""
    if name not in TASKS:
        raise ArnnError(f"unknown task {name!r} (arnn_torch has: {', '.join(TASKS)})")
    return TASKS[name](**settings)


def task_from_config(config: dict):
    """The task an `arnn.task_config` JSON object describes (its `name` and settings)."""
    if not isinstance(config, dict) or "name" not in config:
        raise ArnnError("task config must be a JSON object with a \"name\"")
    settings = {k: v for k, v in config.items() if k != "name"}
    return make_task(config["name"], **settings)
