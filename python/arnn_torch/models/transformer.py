"""arnn's transformer encoder-decoder in PyTorch, transcribed from docs/models/transformer.md (equation numbers
cite it): pre-norm layers after Vaswani et al. (2017), √d-scaled embeddings plus sinusoidal positions, exact
softmax attention with masks of −10⁹, ReLU feed-forward blocks, a final norm on each stack, an untied output
layer, no dropout. Tests/Fixtures/make_transformer_fixture.py and scripts/bench_pytorch_transformer.py use it
from here.

Parameter names are the doc's "Checkpoint tensors", those of PyTorch's `nn.TransformerEncoderLayer` and
`nn.TransformerDecoderLayer` (`norm_first=True`) under `encoder.layers.ℓ` and `decoder.layers.ℓ`, beside
`source_embedding`, `target_embedding`, `encoder.norm`, `decoder.norm` and `output`; each attention holds
`nn.MultiheadAttention`'s `in_proj_weight` [3d, d] (W_Q, W_K, W_V stacked), `in_proj_bias` and `out_proj`.
The attention itself is written out here (eqs. 4, 5) rather than called through `nn.MultiheadAttention`,
so that every layer's and head's weights come back. python/tests/test_transformer.py checks that PyTorch's
own pre-norm layers, loaded with the same state_dict, give the same outputs.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn
from torch.nn import functional as F

from ..config import Config, Field, in_range
from ..errors import ArnnError
from .encoder_decoder import BOS, EOS, PAD, UNK, EncoderDecoder, Ids, pad_ids  # noqa: F401 (re-exported)

MASKED = -1e9   # eq. (4)'s M where a key may not be seen: exp(−10⁹ − max) is 0 in float32


class TransformerConfig(Config):
    """arnn's `TransformerConfig` (Sources/Models/Transformer/TransformerConfig.swift)."""

    model = "transformer"
    reads = "tokens"
    fields = (
        Field("sourceVocabulary", int, check=lambda v: v >= 5, expected="at least 5 (4 special tokens and a word)"),
        Field("targetVocabulary", int, check=lambda v: v >= 5, expected="at least 5 (4 special tokens and a word)"),
        Field("modelSize", int, 64, lambda v: 2 <= v <= 4096 and v % 2 == 0,
              "even and in 2...4096 (positions pair a sine with a cosine)"),
        Field("heads", int, 4, in_range(1, 64), "in 1...64"),
        Field("feedForwardSize", int, 256, in_range(1, 16384), "in 1...16384"),
        Field("encoderLayers", int, 2, in_range(1, 24), "in 1...24"),
        Field("decoderLayers", int, 2, in_range(1, 24), "in 1...24"),
        Field("attention", str, "softmax", lambda v: v == "softmax",
              "\"softmax\" (arnn_torch has no Linformer or Performer yet)"),
        # The approximations' settings (docs/models/transformer.md, "Approximate attention"): read so that an
        # exact model's checkpoint loads; they do nothing while the attention is softmax.
        Field("projection", int, 16, lambda v: v >= 1, "at least 1"),
        Field("maxSourceLength", int, 64, in_range(1, 4096), "in 1...4096"),
        Field("features", int, 64, in_range(1, 16384), "in 1...16384"),
        Field("featureSeed", int, 1, lambda v: v >= 0, "at least 0"),
        Field("redrawEvery", int, 100, lambda v: v >= 0, "at least 0"),
    )

    def validate(self) -> None:
        if self.modelSize % self.heads:
            raise ArnnError(f"transformer config: heads must be a divisor of modelSize {self.modelSize}, got {self.heads}")

    @property
    def io_sizes(self) -> tuple[int, int]:
        return self.sourceVocabulary, self.targetVocabulary

    @property
    def head_size(self) -> int:
        """d_k = d / h."""
        return self.modelSize // self.heads


def sinusoidal_positions(count: int, size: int, start: int = 0) -> torch.Tensor:
    """Eq. (2): P [count, d] for positions start … start + count − 1, P[p, 2i] = sin(p / 10000^(2i/d)) and
    P[p, 2i + 1] = cos(p / 10000^(2i/d)); the angles in float64 (as arnn's), the table in float32."""
    p = torch.arange(start, start + count, dtype=torch.float64)[:, None]
    i = torch.arange(size // 2, dtype=torch.float64)[None, :]
    angle = p / torch.pow(10000.0, 2 * i / size)
    table = torch.stack([torch.sin(angle), torch.cos(angle)], -1)        # [count, d/2, 2]: sin, cos interleaved
    return table.reshape(count, size).to(torch.float32)


# The tables the model adds (never changed in place), kept: computing one costs more than a decoder layer's
# projection at batch 1.
_positions = functools.lru_cache(maxsize=1024)(sinusoidal_positions)


class _Attention(nn.Module):
    """The weights of one `nn.MultiheadAttention` (eq. 5), under its names."""

    def __init__(self, d: int) -> None:
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.empty(3 * d))
        self.out_proj = nn.Linear(d, d)


class _EncoderLayer(nn.Module):
    """`nn.TransformerEncoderLayer`'s parameters: self_attn, linear1, linear2, norm1, norm2 (eq. 7)."""

    def __init__(self, d: int, f: int) -> None:
        super().__init__()
        self.self_attn = _Attention(d)
        self.linear1 = nn.Linear(d, f)
        self.linear2 = nn.Linear(f, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)


class _DecoderLayer(nn.Module):
    """`nn.TransformerDecoderLayer`'s: self_attn, multihead_attn, linear1, linear2, norm1, norm2, norm3 (eq. 10)."""

    def __init__(self, d: int, f: int) -> None:
        super().__init__()
        self.self_attn = _Attention(d)
        self.multihead_attn = _Attention(d)
        self.linear1 = nn.Linear(d, f)
        self.linear2 = nn.Linear(f, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)


class _Stack(nn.Module):
    """`layers.ℓ` and the final `norm` (eqs. 8, 11), as `nn.TransformerEncoder`/`Decoder` name them."""

    def __init__(self, layers: list[nn.Module], d: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.norm = nn.LayerNorm(d)


@dataclass
class Memory:
    """What the encoder leaves for the decoder (eqs. 7, 8, 10b), for a batch padded to S positions."""
    memory: torch.Tensor                 # m [B, S, d] (8)
    mask: torch.Tensor                   # M of (4) over the source, [B, 1, 1, S]: 0 or −10⁹ at padding
    cross_keys: list[torch.Tensor]       # per decoder layer, m W_Kᵀ + b_K as heads [B, h, S, d_k] (10b)
    cross_values: list[torch.Tensor]
    encoder_attention: torch.Tensor      # [B, N_e, h, S, S] (7)


@dataclass
class DecoderState:
    """The decoder before position `position`: every layer's self-attention keys and values of the positions
    before it, [B, h, position, d_k] (docs/models/transformer.md, "Key and value cache")."""
    position: int
    keys: list[torch.Tensor]
    values: list[torch.Tensor]


class Transformer(EncoderDecoder):
    """arnn's `transformer`. Token ids in, logits over the target vocabulary out.

    - `model(source_ids, target_ids)`: teacher forcing, as arnn trains, every target position at once under
      the causal mask (the doc's "Same numbers as a masked parallel decoder"). `source_ids` [B, S] and
      `target_ids` [B, n] (LongTensors, or lists of id lists) hold the sentences without `<bos>`/`<eos>`,
      padded with `<pad>` (0) at the end. The decoder reads `<bos> y_1 … y_n` and the result is the logits
      [B, n + 1, V_t] of `y_1 … y_n <eos>` (`teacher_targets(target_ids)` gives those ids);
      `model.loss(source_ids, target_ids)` is arnn's training loss, the mean over the target tokens.
    - `model(source_ids, target_ids, internals=True)` also returns `encoder_attention` [B, N_e, h, S, S]
      (7), `self_attention` [B, N_d, h, n + 1, n + 1] (10a; row t holds position t's weights over 0 … t,
      then zeros), `cross_attention` [B, N_d, h, n + 1, S] (10b), `weights` [B, n + 1, S] (the last layer's
      cross-attention averaged over its heads: the alignment `arnn translate` prints) and `memory` m
      [B, S, d] (8). Padded source positions get weight 0 exactly.
    - `model.encode(source)` and `model.step(previous, state, memory)`: one decoder position at a time over
      a key and value cache, as arnn decodes (`state` None before the first position).
    - `model.greedy(source_ids, max_len=None, internals=False)`: greedy decoding as arnn's viewer,
      `arnn translate` and `arnn trace` do it; returns the tokens [B, L] (each row up to and including
      `<eos>`, then `<pad>`) and `weights` [B, L, S] of each written token (zeros after the row's end); with
      `internals=True` also a dict of the attention the decoding computed: `encoder_attention`, and
      `self_attention` [B, N_d, h, L, L] and `cross_attention` [B, N_d, h, L, S] by written token.
    """

    kind = "transformer"
    Config = TransformerConfig

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        d, f = c.modelSize, c.feedForwardSize
        self.source_embedding = nn.Embedding(c.sourceVocabulary, d)
        self.target_embedding = nn.Embedding(c.targetVocabulary, d)
        self.encoder = _Stack([_EncoderLayer(d, f) for _ in range(c.encoderLayers)], d)
        self.decoder = _Stack([_DecoderLayer(d, f) for _ in range(c.decoderLayers)], d)
        self.output = nn.Linear(d, c.targetVocabulary)                          # (12), not tied
        self.reset_parameters()

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """The doc's "Initialisation", drawn from torch's generator in the order of the parameter list (the
        state_dict's): embeddings N(0, 1/d); in_proj_weight Xavier-uniform ±√(6 / 4d), in_proj_bias and
        out_proj.bias 0, out_proj.weight ±1/√d; linear1, linear2 and output weight and bias ±1/√fan_in;
        norms 1 and 0."""
        d = self.config.modelSize
        for name, p in self.named_parameters():
            owner, leaf = name.rsplit(".", 1)
            if name.endswith("_embedding.weight"):
                p.normal_(0, d ** -0.5)
            elif leaf == "in_proj_weight":
                bound = math.sqrt(6 / (d + 3 * d))
                p.uniform_(-bound, bound)
            elif leaf == "in_proj_bias" or name.endswith("out_proj.bias"):
                p.zero_()
            elif isinstance(self.get_submodule(owner), nn.LayerNorm):
                p.fill_(1.0 if leaf == "weight" else 0.0)
            else:                               # out_proj.weight (d inputs), linear1, linear2, output
                bound = self.get_submodule(owner).in_features ** -0.5
                p.uniform_(-bound, bound)

    # Pieces, eqs. (1)-(6).

    def _embed(self, table: nn.Embedding, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        """Eq. (1): √d · E[w] + P_p for ids [B, T] at positions start … start + T − 1."""
        d = self.config.modelSize
        positions = _positions(ids.shape[1], d, start).to(self.output.weight.device)
        return math.sqrt(d) * table(ids) + positions

    def _heads(self, attention: _Attention, x: torch.Tensor, part: int, parts: int) -> list[torch.Tensor]:
        """Eq. (5)'s projections, rows part·d … (part + parts)·d − 1 of in_proj (0 queries, 1 keys, 2 values)
        applied to x [B, T, d], each split into heads [B, h, T, d_k]: head j takes columns j·d_k … (j+1)·d_k − 1."""
        d, h = self.config.modelSize, self.config.heads
        rows = slice(part * d, (part + parts) * d)
        projected = F.linear(x, attention.in_proj_weight[rows], attention.in_proj_bias[rows])
        b, t, _ = x.shape
        return [z.reshape(b, t, h, d // h).transpose(1, 2) for z in projected.split(d, -1)]

    @staticmethod
    def _attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: Optional[torch.Tensor]):
        """Eq. (4) for every head: A = softmax(Q Kᵀ / √d_k + M), out A V; Q is scaled before the product."""
        scores = (q * q.shape[-1] ** -0.5) @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        weights = torch.softmax(scores, -1)
        return weights @ v, weights

    @staticmethod
    def _merge(attention: _Attention, o: torch.Tensor) -> torch.Tensor:
        """Eq. (5): the heads [B, h, T, d_k] side by side, [O_0 ; … ; O_{h−1}] W_oᵀ + b_o [B, T, d]."""
        b, h, t, dk = o.shape
        return attention.out_proj(o.transpose(1, 2).reshape(b, t, h * dk))

    @staticmethod
    def _feed_forward(layer: nn.Module, z: torch.Tensor) -> torch.Tensor:
        """Eq. (6): W_2 ReLU(W_1 z + b_1) + b_2."""
        return layer.linear2(torch.relu(layer.linear1(z)))

    # Encoder, eqs. (7), (8).

    def encode(self, source: torch.Tensor) -> Memory:
        """Token ids [B, S] (checked by the caller) to the memory m and every decoder layer's cross keys and
        values."""
        mask = ((source == PAD).to(self.output.weight.dtype) * MASKED)[:, None, None, :]
        x = self._embed(self.source_embedding, source)                           # (1)
        weights = []
        for layer in self.encoder.layers:                                        # (7)
            a = layer.norm1(x)
            q, k, v = self._heads(layer.self_attn, a, 0, 3)
            o, w = self._attend(q, k, v, mask)
            z = x + self._merge(layer.self_attn, o)
            x = z + self._feed_forward(layer, layer.norm2(z))
            weights.append(w)
        m = self.encoder.norm(x)                                                 # (8)
        keys, values = zip(*(self._heads(layer.multihead_attn, m, 1, 2) for layer in self.decoder.layers))
        return Memory(m, mask, list(keys), list(values), torch.stack(weights, 1))

    # Decoder, eqs. (9)-(12).

    def _decode(self, u: torch.Tensor, memory: Memory, state: Optional[DecoderState]):
        """Target positions p … p + T − 1 at once, p = state.position (0 without a state), from their inputs
        u [B, T, d] (9). Each position's query sees the cached positions and this call's up to itself (the
        causal mask, needed only when T > 1). Returns the logits [B, T, V_t], the state after them, and the
        self-attention [B, N_d, h, T, p + T] and cross-attention [B, N_d, h, T, S] weights."""
        p = 0 if state is None else state.position
        t = u.shape[1]
        causal = None
        if t > 1:
            later = torch.arange(p + t, device=u.device)[None, :] > torch.arange(p, p + t, device=u.device)[:, None]
            causal = later.to(u.dtype) * MASKED                                  # [T, p + T]
        keys, values, own, cross = [], [], [], []
        for i, layer in enumerate(self.decoder.layers):                          # (10)
            q, k, v = self._heads(layer.self_attn, layer.norm1(u), 0, 3)
            if state is not None and p > 0:
                k = torch.cat([state.keys[i], k], 2)
                v = torch.cat([state.values[i], v], 2)
            o, w_self = self._attend(q, k, v, causal)
            a = u + self._merge(layer.self_attn, o)                              # (10a)
            (q,) = self._heads(layer.multihead_attn, layer.norm2(a), 0, 1)
            o, w_cross = self._attend(q, memory.cross_keys[i], memory.cross_values[i], memory.mask)
            c = a + self._merge(layer.multihead_attn, o)                         # (10b)
            u = c + self._feed_forward(layer, layer.norm3(c))                    # (10c)
            keys.append(k)
            values.append(v)
            own.append(w_self)
            cross.append(w_cross)
        logits = self.output(self.decoder.norm(u))                               # (11), (12)
        return logits, DecoderState(p + t, keys, values), torch.stack(own, 1), torch.stack(cross, 1)

    def step(self, previous: torch.Tensor, state: Optional[DecoderState], memory: Memory):
        """One decoder position for the previous tokens [B] (ids checked by the caller), eqs. (9)-(12):
        (state after it, logits [B, V_t], {`self_attention` [B, N_d, h, t + 1], `cross_attention`
        [B, N_d, h, S], `weights` [B, S]})."""
        p = 0 if state is None else state.position
        u = self._embed(self.target_embedding, previous[:, None], p)              # (9)
        logits, state, own, cross = self._decode(u, memory, state)
        inner = {"self_attention": own[:, :, :, 0], "cross_attention": cross[:, :, :, 0],
                 "weights": cross[:, -1, :, 0].mean(1)}
        return state, logits[:, 0], inner

    def forward(self, source_ids: Ids, target_ids: Ids, internals: bool = False):
        source, target = self._pair(source_ids, target_ids)
        memory = self.encode(source)
        inputs = self._decoder_inputs(target)                                    # <bos> y_1 … y_n
        logits, _, own, cross = self._decode(self._embed(self.target_embedding, inputs), memory, None)
        if not internals:
            return logits
        return logits, {"encoder_attention": memory.encoder_attention, "self_attention": own,
                        "cross_attention": cross, "weights": cross[:, -1].mean(1), "memory": memory.memory}

    @torch.no_grad()
    def greedy(self, source_ids: Ids, max_len: Optional[int] = None, internals: bool = False):
        """Greedy decoding (docs/models/transformer.md, "Training and decoding"): the most likely token, the
        lower id on a tie, until `<eos>` or 2S + 4 tokens (S each sentence's own length; `max_len` caps every
        sentence instead), one cached step per token. Returns (tokens [B, L], weights [B, L, S]), and with
        `internals` the attention every step computed (zeros after a row's end)."""
        source = self._ids(source_ids, "source_ids", self.config.sourceVocabulary)
        memory = self.encode(source)
        tokens, records = self._greedy(source, max_len, lambda _: None,
                                       lambda previous, state: self.step(previous, state, memory))
        weights = torch.stack([r["weights"] for r in records], 1)
        if not internals:
            return tokens, weights
        length = len(records)
        # Step t's self-attention covers positions 0 … t: row t of an L × L map, zeros after.
        own = torch.stack([F.pad(r["self_attention"], (0, length - t - 1)) for t, r in enumerate(records)], 3)
        cross = torch.stack([r["cross_attention"] for r in records], 3)
        return tokens, weights, {"encoder_attention": memory.encoder_attention, "self_attention": own,
                                 "cross_attention": cross}
