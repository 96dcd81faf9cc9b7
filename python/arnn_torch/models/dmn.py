"""arnn's dynamic memory network (DMN+) in PyTorch, written from docs/models/dmn.md (equation numbers cite it):
sentences by position encoding (1)-(2), a question GRU (3), a bidirectional fusion GRU whose directions are
summed into facts (4)-(6), T passes of attention gates (8)-(10) and an attention GRU (11)-(12) with an
untied ReLU memory update (13), and a linear answer on [m^T ; q] (14).

Parameter names and order are the doc's table: `embedding`, `question` (an nn.GRU), `fusion` (a
bidirectional nn.GRU), `attention.hidden` and `attention.score`, `attn_gru` (nn.GRUCell's tensors without the
z rows), `memory.<t>` and `answer`. Tests/Fixtures/make_dmn_fixture.py and scripts/bench_pytorch_memnets.py use
it from here.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..config import Config, Field, in_range
from .stories import PAD, StoryBatch, position_encoding, story_batch

ANSWERS = 12   # the babi task's answers (BabiTask.answers): one row of the answer layer each (14)


class DMNConfig(Config):
    """The DMN's config, as docs/models/dmn.md proposes it (`embeddingSize`, `hiddenSize`, `memorySize`,
    `passes`), plus `vocabularySize` (default 56, the babi task's), the rows of `embedding.weight`: the doc's
    config leaves V to the task, and a config that names it lets a checkpoint of another vocabulary load."""

    model = "DMN"
    reads = "stories"
    fields = (
        Field("vocabularySize", int, 56, lambda v: v >= 2, "at least 2"),
        Field("answerCount", int, ANSWERS, lambda v: v == ANSWERS, f"{ANSWERS} (the babi task's answers)"),
        Field("embeddingSize", int, 80, in_range(1, 1024), "in 1...1024"),
        Field("hiddenSize", int, 80, in_range(1, 1024), "in 1...1024"),
        Field("memorySize", int, 50, in_range(1, 500), "in 1...500"),
        Field("passes", int, 3, in_range(1, 10), "in 1...10"),
        Field("dropout", float, 0.0, lambda v: 0 <= v < 1, "in [0, 1)"),   # training only; no answer changes
    )

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(words V, answers 12)."""
        return self.vocabularySize, ANSWERS


class AttnGRUCell(nn.Module):
    """The attention GRU of (11): nn.GRUCell's tensors without the z rows (rows r, then n), its update gate
    replaced by the scalar gate g: h′ = g ⊙ h̃ + (1 − g) ⊙ h."""

    def __init__(self, input_size: int, hidden: int) -> None:
        super().__init__()
        self.hidden_size = hidden
        self.weight_ih = nn.Parameter(torch.empty(2 * hidden, input_size))
        self.weight_hh = nn.Parameter(torch.empty(2 * hidden, hidden))
        self.bias_ih = nn.Parameter(torch.zeros(2 * hidden))
        self.bias_hh = nn.Parameter(torch.zeros(2 * hidden))

    def input_part(self, x: torch.Tensor) -> torch.Tensor:
        """W_i x + b_i for the r and n rows, [..., 2H]: the facts' share, the same in every pass."""
        return x @ self.weight_ih.T + self.bias_ih

    def step(self, gi: torch.Tensor, h: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """One fact: gi = `input_part(F_i)` [B, 2H], h = h_{i−1} [B, H], g = g_i [B, 1] -> h_i."""
        gh = torch.addmm(self.bias_hh, h, self.weight_hh.T)
        hidden = self.hidden_size
        r = torch.sigmoid(gi[:, :hidden] + gh[:, :hidden])
        candidate = torch.tanh(torch.addcmul(gi[:, hidden:], r, gh[:, hidden:]))
        return torch.lerp(h, candidate, g)               # g ⊙ h̃ + (1 − g) ⊙ h, h itself where g = 0

    def forward(self, x: torch.Tensor, h: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        return self.step(self.input_part(x), h, g)


class DMN(nn.Module):
    """arnn's `dmn`. Stories and questions of word ids in, logits over the 12 answers out.

    - `model(stories, questions)`: `stories` is a list (the batch) of stories, each a list of statements
      (oldest first), each a list of word ids; `questions` a list of word-id lists. The last `memorySize`
      statements are the facts. Returns the logits [B, 12] of (14); `F.cross_entropy(logits, answers)` is (15).
    - `internals=True` also returns, per pass t (axis 1, T entries): `scores` Zᵗ and `gates` gᵗ [B, T, N] (9),
      (10), `states` h_i [B, T, N, H] (11), `episode` cᵗ [B, T, H] (12), `memory_before` m^{t−1} and `memory`
      mᵗ (13), `logits` [B, T, 12] (14) with mᵗ in place of m^T and `output`, their softmax; and once:
      `sentences` f_i [B, N, D] (2), `facts` F_i [B, N, H] (6), `question` q [B, H] (3) and `mask` [B, N].
      Facts are in story order, oldest first; a shorter story's empty slots come after its facts.
    - `model.batch(stories, questions)` pads a batch once; `model(batch)` reads a `StoryBatch`.
    """

    kind = "dmn"
    Config = DMNConfig

    def __init__(self, config: DMNConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        v, d, h = c.vocabularySize, c.embeddingSize, c.hiddenSize
        # The doc's table, in its order.
        self.embedding = nn.Embedding(v, d, padding_idx=PAD)
        self.question = nn.GRU(d, h, batch_first=True)
        self.fusion = nn.GRU(d, h, batch_first=True, bidirectional=True)
        self.attention = nn.ModuleDict({"hidden": nn.Linear(4 * h, h), "score": nn.Linear(h, 1)})
        self.attn_gru = AttnGRUCell(h, h)
        self.memory = nn.ModuleList(nn.Linear(3 * h, h) for _ in range(c.passes))
        self.answer = nn.Linear(2 * h, ANSWERS)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Initialisation (arnn train), drawn in the order of the parameter table: the embedding uniform in
        [−√3, √3] with row 0 then zero; every weight matrix Xavier-uniform per gate block (each [H, in] block
        of a GRU's stacked weights with bound √(6/(H + in)), a linear layer's [out, in] with √(6/(out + in)));
        biases zero."""
        h = self.config.hiddenSize
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name == "embedding.weight":
                    p.uniform_(-math.sqrt(3), math.sqrt(3))
                    p[PAD].zero_()
                elif "bias" in name:
                    p.zero_()
                else:
                    gru = name.startswith(("question.", "fusion.", "attn_gru."))
                    rows = h if gru else p.shape[0]
                    bound = math.sqrt(6 / (rows + p.shape[1]))
                    p.uniform_(-bound, bound)

    def batch(self, stories: Sequence[Sequence[Sequence[int]]], questions: Sequence[Sequence[int]]) -> StoryBatch:
        c = self.config
        return story_batch(stories, questions, c.memorySize, c.vocabularySize, self.kind,
                           self.embedding.weight.device, align="left")

    def encode(self, batch: StoryBatch):
        """The input module, once per story: sentences f [B, N, D] (2), facts F [B, N, H] (6), question q [B, H] (3)."""
        d, h = self.config.embeddingSize, self.config.hiddenSize
        dtype = self.embedding.weight.dtype
        weights = position_encoding(batch.lengths, batch.sentences.shape[-1], d, dtype)
        sentences = (self.embedding(batch.sentences) * weights).sum(-2)                  # (1), (2)
        words = self.embedding(batch.question)
        packed = pack_padded_sequence(words, batch.question_lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, last = self.question(packed)                                                  # (3): the state after q_{J_q}
        question = last[0]
        # (4), (5): each direction over the story's own facts, the backward one from its last statement.
        packed = pack_padded_sequence(sentences, batch.kept.cpu(), batch_first=True, enforce_sorted=False)
        both, _ = self.fusion(packed)
        both, _ = pad_packed_sequence(both, batch_first=True, total_length=sentences.shape[1])
        facts = both[..., :h] + both[..., h:]                                            # (6)
        return sentences, facts, question

    def forward(self, stories, questions: Optional[Sequence[Sequence[int]]] = None, internals: bool = False):
        c = self.config
        batch = stories if isinstance(stories, StoryBatch) else self.batch(stories, questions)
        sentences, facts, q = self.encode(batch)
        b, n, h = facts.shape
        gi = self.attn_gru.input_part(facts)                                             # the facts' share of (11)
        hidden, score = self.attention["hidden"], self.attention["score"]
        m = q                                                                            # (7)
        trace = {key: [] for key in ("scores", "gates", "states", "episode", "memory_before", "memory", "logits")}
        for t in range(c.passes):
            z = torch.cat([facts * q[:, None], facts * m[:, None], (facts - q[:, None]).abs(),
                           (facts - m[:, None]).abs()], -1)                              # (8)
            scores = score(torch.tanh(hidden(z)))[..., 0]                                # (9)
            gates = torch.softmax(scores.masked_fill(~batch.mask, float("-inf")), -1)    # (10)
            state = facts.new_zeros(b, h)
            states = []
            for i in range(n):                                                           # (11), in story order
                state = self.attn_gru.step(gi[:, i], state, gates[:, i:i + 1])
                states.append(state)
            episode = state                                                              # (12): h_N
            before = m
            m = torch.relu(self.memory[t](torch.cat([m, episode, q], -1)))              # (13)
            if internals:
                for key, value in (("scores", scores), ("gates", gates), ("states", torch.stack(states, 1)),
                                   ("episode", episode), ("memory_before", before), ("memory", m),
                                   ("logits", self.answer(torch.cat([m, q], -1)))):
                    trace[key].append(value)
        logits = self.answer(torch.cat([m, q], -1))                                      # (14)
        if not internals:
            return logits
        inner = {key: torch.stack(values, 1) for key, values in trace.items()}
        inner["output"] = torch.softmax(inner["logits"], -1)
        inner.update(sentences=sentences, facts=facts, question=q, mask=batch.mask)
        return logits, inner
