"""Stories as the memory networks read them (docs/models/memn2n.md and dmn.md, "Sizes" and "Batches"): a batch
of stories padded into tensors that keep each story's last M statements, and the position encoding both
models give a sentence (memn2n.md (1), dmn.md (2)).
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass
from typing import Sequence

import torch

from ..errors import ArnnError

PAD = 0
Stories = Sequence[Sequence[Sequence[int]]]


def position_encoding(lengths: torch.Tensor, width: int, d: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Eq. (1) for sentences of `lengths` words (any shape S), padded to `width`: l [*S, width, d] with
    l_kj = (1 − j/J) − (k/d)(1 − 2j/J), j = 1 … J and k = 1 … d counted from 1, J each sentence's own length;
    zero at padded positions (j > J) and for an empty slot (J = 0)."""
    return _position_table(width, d, dtype, lengths.device)[lengths]


@functools.lru_cache(maxsize=64)
def _position_table(width: int, d: int, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """Row J (0 … width) holds (1) for a sentence of J words, padded to `width`: [width + 1, width, d]. Made
    once per shape, so a batch's weights are one lookup."""
    lengths = torch.arange(width + 1, device=device)
    j = torch.arange(1, width + 1, dtype=dtype, device=device)
    k = torch.arange(1, d + 1, dtype=dtype, device=device) / d
    big = lengths.to(dtype).clamp(min=1)[:, None]                    # [width + 1, 1]
    ratio = j / big                                                  # j/J
    l = (1 - ratio)[..., None] - k * (1 - 2 * ratio)[..., None]      # [width + 1, width, d]
    inside = (j <= lengths.to(dtype)[:, None])[..., None]
    return l * inside.to(dtype)


@dataclass
class StoryBatch:
    """A batch as the model reads it. Stories keep their last M statements in N = the largest kept count
    slots, in story order. MemN2N's batches are right-aligned: slot s of a story with n kept statements holds
    memory i = N − s (x₁ the most recent, in slot N − 1), and its first N − n slots are empty (`mask` False).
    DMN's are left-aligned: slot s holds fact s + 1, and the last N − n slots are empty.

    - `sentences` [B, N, J] word ids (`<pad>` after each sentence's words and in empty slots),
    - `lengths` [B, N] words per statement (0 in an empty slot), `mask` [B, N], `kept` [B] (n),
    - `question` [B, J_q] and `question_lengths` [B].
    """

    sentences: torch.Tensor
    lengths: torch.Tensor
    mask: torch.Tensor
    kept: torch.Tensor
    question: torch.Tensor
    question_lengths: torch.Tensor

    @property
    def slots(self) -> int:
        return self.sentences.shape[1]

    def evaluation_times(self) -> torch.Tensor:
        """Eq. (3) at evaluation: τ_i = i, so slot s holds time N − s (1 for the most recent statement; the
        empty slots' times are never read)."""
        b, n = self.mask.shape
        return torch.arange(n, 0, -1, device=self.mask.device).expand(b, n)


def _check_ids(rows: Sequence, what: str, vocabulary: int, model: str) -> None:
    for r in rows:
        for t in r:
            # `type(t) is int` first: the isinstance checks cost more than the model on a short story.
            if type(t) is not int and (isinstance(t, bool) or not isinstance(t, numbers.Integral)):
                raise ArnnError(f"{model}: {what} must be integer word ids, got {t!r}")
        if r and (min(r) < 0 or max(r) >= vocabulary):
            bad = next(t for t in r if not 0 <= t < vocabulary)
            raise ArnnError(f"{model}: {what} holds id {bad}, outside the vocabulary of {vocabulary}")
        if not any(r):                                   # empty, or nothing but <pad> (0)
            raise ArnnError(f"{model}: every sentence of {what} needs at least one word")


def story_batch(stories: Stories, questions: Sequence[Sequence[int]], memory_size: int, vocabulary: int,
                model: str = "memn2n", device: torch.device | str = "cpu", align: str = "right") -> StoryBatch:
    """Pads a batch of stories (each a list of statements, oldest first, each a list of word ids) and their
    questions into a `StoryBatch` that keeps each story's last `memory_size` statements. Checks the ids
    (one-line `ArnnError`s naming what is wrong); a statement or a question needs at least one word, and a
    story at least one statement. `align="right"` puts a shorter story's empty slots first (MemN2N's
    layout, memory i in slot N − i); `align="left"` puts them last (DMN's: fact i in slot i − 1)."""
    if questions is None:
        raise ArnnError(f"{model}: give the questions with the stories")
    stories = [[list(s) for s in story] for story in stories]
    questions = [list(q) for q in questions]
    if not stories:
        raise ArnnError(f"{model}: the batch holds no story")
    if len(stories) != len(questions):
        raise ArnnError(f"{model}: {len(stories)} stories but {len(questions)} questions")
    for b, story in enumerate(stories):
        if not story:
            raise ArnnError(f"{model}: story {b} has no statement")
        _check_ids(story, "a story", vocabulary, model)
    _check_ids(questions, "a question", vocabulary, model)
    kept = [story[-memory_size:] for story in stories]
    n = max(len(k) for k in kept)
    width = max(len(s) for k in kept for s in k)
    rows, lengths, mask = [], [], []
    for k in kept:
        empty = n - len(k)
        filled = [s + [PAD] * (width - len(s)) for s in k]
        if align == "right":
            rows.append([[PAD] * width] * empty + filled)
            lengths.append([0] * empty + [len(s) for s in k])
            mask.append([False] * empty + [True] * len(k))
        else:
            rows.append(filled + [[PAD] * width] * empty)
            lengths.append([len(s) for s in k] + [0] * empty)
            mask.append([True] * len(k) + [False] * empty)
    qwidth = max(len(q) for q in questions)
    return StoryBatch(
        sentences=torch.tensor(rows, dtype=torch.long, device=device),
        lengths=torch.tensor(lengths, dtype=torch.long, device=device),
        mask=torch.tensor(mask, dtype=torch.bool, device=device),
        kept=torch.tensor([len(k) for k in kept], dtype=torch.long, device=device),
        question=torch.tensor([q + [PAD] * (qwidth - len(q)) for q in questions], dtype=torch.long, device=device),
        question_lengths=torch.tensor([len(q) for q in questions], dtype=torch.long, device=device))
