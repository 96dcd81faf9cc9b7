"""arnn's end-to-end memory network (MemN2N) in PyTorch, written from docs/models/memn2n.md (equation numbers
cite it): adjacent weight tying, position encoding (1)-(2), temporal encoding (3), (3′), K hops (4)-(10) over
the last M statements, and the answer from the tied rows of the answer words (11).

Parameter names are the doc's table: `embeddings.<k>.weight` [V, d] (E⁰ … Eᴷ, row 0 `<pad>` zero) and
`temporal.<k>.weight` [M, d] (T⁰ … Tᴷ). Tests/Fixtures/make_memn2n_fixture.py and
scripts/bench_pytorch_memnets.py use it from here.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import torch
from torch import nn

from ..config import Config, Field, in_range
from ..errors import ArnnError
from .stories import PAD, StoryBatch, position_encoding, story_batch


class MemN2NConfig(Config):
    """arnn's `MemN2NConfig` (Sources/Models/MemN2N/MemN2NConfig.swift): the fields arnn writes, with its
    ranges. `linearStart` and `timeNoise` are training settings (linear start's length in sequences, and
    random time noise); they change no answer, and here they are arguments of `random_times` and of the
    forward pass (`linear`)."""

    model = "MemN2N"
    reads = "stories"
    fields = (
        Field("vocabularySize", int, check=lambda v: v >= 2, expected="at least 2"),
        Field("answerWords", list),
        Field("embeddingSize", int, 50, in_range(1, 1024), "in 1...1024"),
        Field("hops", int, 3, in_range(1, 10), "in 1...10"),
        Field("memorySize", int, 50, in_range(1, 500), "in 1...500"),
        Field("linearStart", int, 0, lambda v: v >= 0, "0 or more sequences"),
        Field("timeNoise", bool, True),
        Field("emptySlots", int, 0, in_range(0, 100), "in 0...100"),
    )

    def validate(self) -> None:
        words = self.answerWords
        ok = bool(words) and all(not isinstance(w, bool) and isinstance(w, int) and 1 <= w < self.vocabularySize
                                 for w in words)
        if not ok:
            raise ArnnError(f"{self.model} config: answerWords must be ids of the vocabulary, got {words!r}")

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(words V, answers A)."""
        return self.vocabularySize, len(self.answerWords)


def random_times(batch: StoryBatch, memory_size: int, share: float = 0.1,
                 generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Eq. (3′), random noise in training: for a story with n memories, b uniform in {0, …, ⌈share·n⌉}, then n
    distinct numbers of {1, …, n + b}, sorted, s₁ < … < s_n, and τ_i = min(s_i, M). Returns τ [B, N] in the
    batch's slot layout (memory i in slot N − i; empty slots get 1, never read)."""
    b, n = batch.mask.shape
    times = torch.ones(b, n, dtype=torch.long)
    for row, count in enumerate(batch.kept.tolist()):
        extra = int(torch.randint(0, math.ceil(share * count) + 1, (1,), generator=generator))
        chosen = torch.randperm(count + extra, generator=generator)[:count].sort().values + 1   # s₁ < … < s_n
        times[row, n - count:] = chosen.flip(0).clamp(max=memory_size)                    # slot N − i gets s_i
    return times.to(batch.mask.device)


class MemN2N(nn.Module):
    """arnn's `memn2n`. Stories and questions of word ids in, logits over the A answers out.

    - `model(stories, questions)`: `stories` is a list (the batch) of stories, each a list of statements
      (oldest first), each a list of word ids; `questions` a list of word-id lists. Returns the logits z
      [B, A] of (11); `F.cross_entropy(z, answers)` is the loss (12).
    - `times=` τ [B, N] in the batch's slot layout (`random_times` for RN in training; default: eq. (3)'s
      τ_i = i). `linear=True` removes the softmax of (8) (linear start).
    - `internals=True` also returns, per hop k (axis 1, K entries): `scores` s [B, K, N] (7), `attention` p
      (8), `query` uᵏ [B, K, d], `read` oᵏ (9), `next_query` uᵏ⁺¹ (10), `memory_in` mᵏ and `memory_out` cᵏ
      [B, K, N, d] (5), (6), `logits` [B, K, A] (11) with uᵏ⁺¹ in place of u^{K+1}, and `output`, their
      softmax; and once: `time` τ [B, N] and `mask` [B, N]. Arrays over memories are in the batch's slot
      layout (`StoryBatch`): story order, oldest first, after the empty slots of a shorter story.
    - `model.batch(stories, questions)` pads a batch once; `model(batch)` reads a `StoryBatch`.
    """

    kind = "memn2n"
    Config = MemN2NConfig

    def __init__(self, config: MemN2NConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        v, d, m, k = c.vocabularySize, c.embeddingSize, c.memorySize, c.hops
        # Initialisation (arnn train): E⁰ … Eᴷ, then T⁰ … Tᴷ, each from N(0, 0.1²); then row 0 of each Eᵏ zero.
        self.embeddings = nn.ModuleList(nn.Embedding(v, d, padding_idx=PAD, _weight=torch.empty(v, d))
                                        for _ in range(k + 1))
        self.temporal = nn.ModuleList(nn.Embedding(m, d, _weight=torch.empty(m, d)) for _ in range(k + 1))
        with torch.no_grad():
            for table in list(self.embeddings) + list(self.temporal):
                table.weight.normal_(0, 0.1)
            for table in self.embeddings:
                table.weight[PAD].zero_()
        self.register_buffer("answer_ids", torch.tensor(c.answerWords, dtype=torch.long), persistent=False)

    def batch(self, stories: Sequence[Sequence[Sequence[int]]], questions: Sequence[Sequence[int]]) -> StoryBatch:
        c = self.config
        return story_batch(stories, questions, c.memorySize, c.vocabularySize, self.kind,
                           self.embeddings[0].weight.device)

    def forward(self, stories, questions: Optional[Sequence[Sequence[int]]] = None,
                times: Optional[torch.Tensor] = None, linear: bool = False, internals: bool = False):
        c = self.config
        batch = stories if isinstance(stories, StoryBatch) else self.batch(stories, questions)
        d, hops = c.embeddingSize, c.hops
        dtype = self.embeddings[0].weight.dtype
        if times is None:
            times = batch.evaluation_times()
        elif tuple(times.shape) != tuple(batch.mask.shape):
            raise ArnnError(f"memn2n: times must be [batch, slots] = {list(batch.mask.shape)}, got {list(times.shape)}")
        elif bool(((times < 1) | (times > c.memorySize))[batch.mask].any()):
            raise ArnnError(f"memn2n: times must be in 1...{c.memorySize}")
        time_rows = (times - 1).clamp(0, c.memorySize - 1)                                 # row τ − 1 of Tᵏ
        sentence_weights = position_encoding(batch.lengths, batch.sentences.shape[-1], d, dtype)   # (1)
        question_weights = position_encoding(batch.question_lengths, batch.question.shape[-1], d, dtype)
        # Eqs. (2), (5), (6): table k's memories, φ_{Eᵏ}(x_i) + Tᵏ[τ_i − 1], for the K + 1 tables at once; hop k reads
        # mᵏ from table k − 1 and cᵏ from table k. (Row 0 needs no padding_idx here: a padded word's weight
        # l is 0, so its gradient is exactly 0.)
        tables = torch.stack([e.weight for e in self.embeddings])                         # [K + 1, V, d]
        time_tables = torch.stack([t.weight for t in self.temporal])                          # [K + 1, M, d]
        memories = (tables[:, batch.sentences] * sentence_weights).sum(-2) + time_tables[:, time_rows]  # [K+1, B, N, d]
        u = (tables[0, batch.question] * question_weights).sum(-2)                        # (4)
        answer_rows = tables[hops, self.answer_ids]                                        # E^K[r(a)], [A, d]
        trace = {key: [] for key in ("scores", "attention", "query", "read", "next_query", "memory_in",
                                     "memory_out", "logits")}
        for k in range(1, hops + 1):
            m, cmem = memories[k - 1], memories[k]
            scores = (m @ u[:, :, None])[:, :, 0]                                         # (7)
            if linear:
                p = scores.masked_fill(~batch.mask, 0.0)                                   # (8) during LS
            else:
                masked = scores.masked_fill(~batch.mask, float("-inf"))
                if c.emptySlots:
                    # Empty memories (no words, no time): score 0, a share of the softmax, nothing read.
                    masked = torch.cat([masked, scores.new_zeros(scores.shape[0], c.emptySlots)], -1)
                    p = torch.softmax(masked, -1)[:, :-c.emptySlots]                       # (8)
                else:
                    p = torch.softmax(masked, -1)                                          # (8)
            o = (p[:, None, :] @ cmem)[:, 0]                                               # (9)
            if internals:
                nxt = u + o
                for key, value in (("scores", scores), ("attention", p), ("query", u), ("read", o), ("next_query", nxt),
                                   ("memory_in", m), ("memory_out", cmem), ("logits", nxt @ answer_rows.T)):
                    trace[key].append(value)
            u = u + o                                                                      # (10)
        logits = u @ answer_rows.T                                                         # (11)
        if not internals:
            return logits
        inner = {key: torch.stack(values, 1) for key, values in trace.items()}
        inner["output"] = torch.softmax(inner["logits"], -1)
        inner["time"] = times
        inner["mask"] = batch.mask
        return logits, inner
