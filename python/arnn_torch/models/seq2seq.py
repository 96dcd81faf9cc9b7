"""arnn's attention encoder-decoder in PyTorch, transcribed from docs/models/seq2seq.md (equation numbers cite
it): a bidirectional GRU encoder, a GRU decoder, additive (Bahdanau) or scaled dot attention.
Tests/Fixtures/make_seq2seq_fixture.py and scripts/bench_pytorch_seq2seq.py use it from here.

Parameter names are those of docs/checkpoints.md ("Attention encoder-decoder"): `source_embedding`,
`target_embedding`, `encoder.forward.*` and `encoder.backward.*` (nn.GRUCell names), `bridge`,
`attention.key` (and, additive only, `attention.query` and `attention.v`), `decoder` (an nn.GRUCell) and
`output`. Token ids are the task's (arnn_torch.translation): `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3.
"""

from __future__ import annotations

from typing import Optional

import torch
from torch import nn

from ..config import Config, Field, in_range
from .encoder_decoder import BOS, EOS, PAD, UNK, EncoderDecoder, Ids, pad_ids  # noqa: F401 (re-exported)


class Seq2SeqConfig(Config):
    """arnn's `Seq2SeqConfig` (Sources/Models/Seq2Seq/Seq2SeqConfig.swift)."""

    model = "seq2seq"
    reads = "tokens"
    fields = (
        Field("sourceVocabulary", int, check=lambda v: v >= 5, expected="at least 5 (4 special tokens and a word)"),
        Field("targetVocabulary", int, check=lambda v: v >= 5, expected="at least 5 (4 special tokens and a word)"),
        Field("embeddingSize", int, 64, in_range(1, 4096), "in 1...4096"),
        Field("encoderSize", int, 128, in_range(1, 4096), "in 1...4096"),
        Field("decoderSize", int, 256, in_range(1, 4096), "in 1...4096"),
        Field("attentionSize", int, 128, in_range(1, 4096), "in 1...4096"),
        Field("attention", str, "additive", lambda v: v in ("additive", "dot"), "\"additive\" or \"dot\""),
    )

    @property
    def io_sizes(self) -> tuple[int, int]:
        return self.sourceVocabulary, self.targetVocabulary

    @property
    def key_size(self) -> int:
        """Width of the keys U a_i: A for additive attention, H_d for dot products (6)."""
        return self.attentionSize if self.attention == "additive" else self.decoderSize


class _Encoder(nn.Module):
    """Holds the two GRU cells under arnn's names `encoder.forward` and `encoder.backward`."""

    def __init__(self, embedding: int, hidden: int) -> None:
        super().__init__()
        # `forward` is nn.Module's method, so add_module refuses it as a child's name; registered in _modules
        # directly, the cells still appear in state_dict(), parameters() and .to() as `encoder.forward.*`.
        self._modules["forward"] = nn.GRUCell(embedding, hidden)
        self._modules["backward"] = nn.GRUCell(embedding, hidden)


class _Attention(nn.Module):
    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        c = config
        self.key = nn.Linear(2 * c.encoderSize, c.key_size, bias=False)
        if c.attention == "additive":
            self.query = nn.Linear(c.decoderSize, c.attentionSize, bias=False)
            a = c.attentionSize
            self.v = nn.Parameter(torch.empty(a).uniform_(-a ** -0.5, a ** -0.5))


class Seq2Seq(EncoderDecoder):
    """arnn's `seq2seq`. Token ids in, logits over the target vocabulary out.

    - `model(source_ids, target_ids)`: teacher forcing, as arnn trains. `source_ids` [B, S] and
      `target_ids` [B, n] (LongTensors, or lists of id lists) hold the sentences without `<bos>`/`<eos>`,
      padded with `<pad>` (0) at the end. The decoder reads `<bos> y_1 … y_n` and the result is the logits
      [B, n + 1, V_t] of `y_1 … y_n <eos>` (`teacher_targets(target_ids)` gives those ids, `<pad>` after each
      sentence's `<eos>`, for `F.cross_entropy(..., ignore_index=0)`); `model.loss(source_ids, target_ids)`
      is arnn's training loss on them, the mean over the batch's target tokens.
    - `model(source_ids, target_ids, internals=True)` also returns every step's `scores` e_t and `weights`
      α_t [B, n + 1, S], `context` c_t [B, n + 1, 2H_e] and `hidden` s_t [B, n + 1, H_d], and the
      `annotations` a [B, S, 2H_e].
    - `model.greedy(source_ids, max_len=None)`: greedy decoding as arnn's viewer, `arnn translate` and
      `arnn trace` do it; returns the tokens [B, L] (each row up to and including `<eos>`, then `<pad>`) and
      the attention weights [B, L, S] of each written token (zeros after the row's end).
    """

    kind = "seq2seq"
    Config = Seq2SeqConfig

    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        # PyTorch's default initialisation, drawn in arnn's parameter order (docs/models/seq2seq.md).
        self.source_embedding = nn.Embedding(c.sourceVocabulary, c.embeddingSize)
        self.target_embedding = nn.Embedding(c.targetVocabulary, c.embeddingSize)
        self.encoder = _Encoder(c.embeddingSize, c.encoderSize)
        self.bridge = nn.Linear(c.encoderSize, c.decoderSize)
        self.attention = _Attention(c)
        self.decoder = nn.GRUCell(c.embeddingSize + 2 * c.encoderSize, c.decoderSize)
        self.output = nn.Linear(c.decoderSize + 2 * c.encoderSize + c.embeddingSize, c.targetVocabulary)

    # Encoder, eqs. (1)-(5).

    def encode(self, source_ids: torch.Tensor):
        """Annotations a [B, S, 2H_e], keys U a_i [B, S, K], mask bias m [B, S] (7) and s_0 [B, H_d]."""
        b, s = source_ids.shape
        mask = (source_ids != PAD).to(self.output.weight.dtype)
        e = self.source_embedding(source_ids)                                    # (1)
        forward_cell, backward_cell = self.encoder._modules["forward"], self.encoder._modules["backward"]
        h = e.new_zeros(b, self.config.encoderSize)
        fwd = []
        for i in range(s):                                                       # (2), padding keeps the state
            n = forward_cell(e[:, i], h)
            h = h + mask[:, i:i + 1] * (n - h)
            fwd.append(h)
        h = e.new_zeros(b, self.config.encoderSize)
        bwd = [h] * s
        for i in reversed(range(s)):                                             # (3)
            n = backward_cell(e[:, i], h)
            h = h + mask[:, i:i + 1] * (n - h)
            bwd[i] = h
        annotations = torch.stack([torch.cat([fwd[i], bwd[i]], -1) for i in range(s)], 1)  # (4)
        keys = self.attention.key(annotations)                                   # U a_i of (6), once
        bias = (1 - mask) * -1e9                                                 # m_i of (7)
        s0 = torch.tanh(self.bridge(bwd[0]))                                     # (5)
        return annotations, keys, bias, s0

    # Decoder step, eqs. (6)-(10).

    def step(self, previous: torch.Tensor, state: torch.Tensor, annotations: torch.Tensor, keys: torch.Tensor,
             bias: torch.Tensor):
        """One decoder step for the previous tokens [B]: (s_t, logits, scores e_t, weights α_t, context c_t)."""
        y = self.target_embedding(previous)                                      # E_t y_{t-1}
        if self.config.attention == "additive":                                  # (6a)
            scores = torch.tanh(keys + self.attention.query(state)[:, None, :]) @ self.attention.v
        else:                                                                    # (6b)
            scores = (keys @ state[:, :, None])[:, :, 0] / keys.shape[-1] ** 0.5
        weights = torch.softmax(scores + bias, -1)                               # (7)
        context = (weights[:, None, :] @ annotations)[:, 0]                      # (8)
        state = self.decoder(torch.cat([y, context], -1), state)                 # (9)
        logits = self.output(torch.cat([state, context, y], -1))                 # (10)
        return state, logits, scores, weights, context

    def forward(self, source_ids: Ids, target_ids: Ids, internals: bool = False):
        source, target = self._pair(source_ids, target_ids)
        annotations, keys, bias, state = self.encode(source)
        inputs = self._decoder_inputs(target)        # teacher forcing: <bos> y_1 … y_n
        logits, trace = [], {"scores": [], "weights": [], "context": [], "hidden": []}
        for t in range(inputs.shape[1]):
            state, out, scores, weights, context = self.step(inputs[:, t], state, annotations, keys, bias)
            logits.append(out)
            if internals:
                for k, v in (("scores", scores), ("weights", weights), ("context", context), ("hidden", state)):
                    trace[k].append(v)
        out = torch.stack(logits, 1)
        if not internals:
            return out
        inner = {k: torch.stack(v, 1) for k, v in trace.items()}
        inner["annotations"] = annotations
        return out, inner

    @torch.no_grad()
    def greedy(self, source_ids: Ids, max_len: Optional[int] = None):
        """Greedy decoding (docs/models/seq2seq.md): the most likely token, the lower id on a tie, until
        `<eos>` or 2S + 4 tokens (S each sentence's own length; `max_len` caps every sentence instead).
        Returns (tokens [B, L], attention weights [B, L, S])."""
        def advance(previous, carried):
            annotations, keys, bias, state = carried
            state, logits, _, weights, _ = self.step(previous, state, annotations, keys, bias)
            return (annotations, keys, bias, state), logits, {"weights": weights}

        tokens, records = self._greedy(source_ids, max_len, self.encode, advance)
        return tokens, torch.stack([r["weights"] for r in records], 1)
