"""arnn's transformer encoder-decoder in PyTorch, transcribed from docs/models/transformer.md (equation numbers
cite it): pre-norm layers after Vaswani et al. (2017), √d-scaled embeddings plus sinusoidal positions, exact
softmax attention with masks of −10⁹, ReLU feed-forward blocks, a final norm on each stack, an untied output
layer, no dropout. Under `attention="linformer"` or `"performer"` the encoder's self-attention and the
cross-attention are the doc's approximations (eqs. 13-20; arnn_torch.models.linformer and .performer); the
decoder's causal self-attention stays exact. Tests/Fixtures/make_transformer_fixture.py and
scripts/bench_pytorch_transformer.py use it from here.

Parameter names are the doc's "Checkpoint tensors", those of PyTorch's `nn.TransformerEncoderLayer` and
`nn.TransformerDecoderLayer` (`norm_first=True`) under `encoder.layers.ℓ` and `decoder.layers.ℓ`, beside
`source_embedding`, `target_embedding`, `encoder.norm`, `decoder.norm` and `output`; each attention holds
`nn.MultiheadAttention`'s `in_proj_weight` [3d, d] (W_Q, W_K, W_V stacked), `in_proj_bias` and `out_proj`.
The attention itself is written out here (eqs. 4, 5) rather than called through `nn.MultiheadAttention`,
so that every layer's and head's weights come back. python/tests/test_transformer.py checks that PyTorch's
own pre-norm layers, loaded with the same state_dict, give the same outputs.

A Linformer's attentions hold two more tensors each, `linformer_e` and `linformer_f` [k, n]. The doc lists
them after the attention's `out_proj`; PyTorch lists a module's own parameters before its children's, so
`state_dict()` has them before `out_proj.weight`. Checkpoints are read by name, so the order changes nothing.
A Performer's attentions hold their features W [m, d_k] as a buffer, `performer_features`, outside the
state_dict (arnn keeps no features in a checkpoint: eq. 20).
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
from . import performer
from .encoder_decoder import BOS, EOS, PAD, UNK, EncoderDecoder, Ids, pad_ids  # noqa: F401 (re-exported)
from .linformer import LinformerKeys
from .performer import PerformerKeys

MASKED = -1e9   # eq. (4)'s M where a key may not be seen: exp(−10⁹ − max) is 0 in float32
ATTENTIONS = ("softmax", "linformer", "performer")


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
        Field("attention", str, "softmax", lambda v: v in ATTENTIONS, "\"softmax\", \"linformer\" or \"performer\""),
        # The approximations' settings (docs/models/transformer.md, "Approximate attention"), checked whatever
        # the attention, as arnn checks them.
        Field("projection", int, 16, lambda v: v >= 1, "at least 1"),
        Field("maxSourceLength", int, 64, in_range(1, 4096), "in 1...4096"),
        Field("features", int, 64, in_range(1, 16384), "in 1...16384"),
        Field("featureSeed", int, 1, in_range(0, 2 ** 64 - 1), "in 0...2^64-1 (arnn's UInt64)"),
        Field("redrawEvery", int, 100, lambda v: v >= 0, "at least 0 (0: never redraw)"),
    )

    def validate(self) -> None:
        if self.modelSize % self.heads:
            raise ArnnError(f"transformer config: heads must be a divisor of modelSize {self.modelSize}, got {self.heads}")
        if self.projection > self.maxSourceLength:
            raise ArnnError(f"transformer config: projection must be in 1...maxSourceLength {self.maxSourceLength} "
                            f"(k projected rows of at most n), got {self.projection}")

    def check_source_length(self, length: int) -> None:
        """Refuses a source of `length` tokens that the Linformer's projections do not cover (only under
        `linformer`; the other attentions read any length), with arnn's message."""
        if self.attention == "linformer" and length > self.maxSourceLength:
            raise ArnnError(f"transformer config: maxSourceLength must be at least {length} (the longest source to "
                            f"read; the Linformer's projections cover {self.maxSourceLength} positions), got "
                            f"{self.maxSourceLength}")

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
    """The weights of one `nn.MultiheadAttention` (eq. 5), under its names. An attention the approximations
    replace (`approximated`) also holds, under `linformer`, its projections E and F [k, n] (eq. 13) and, under
    `performer`, a buffer for its features W [m, d_k] (eq. 16), set by `Transformer.use_features`."""

    def __init__(self, d: int, config: Optional[TransformerConfig] = None, approximated: bool = False) -> None:
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.empty(3 * d))
        self.out_proj = nn.Linear(d, d)
        self.attention = config.attention if config is not None and approximated else "softmax"
        if self.attention == "linformer":
            self.linformer_e = nn.Parameter(torch.empty(config.projection, config.maxSourceLength))
            self.linformer_f = nn.Parameter(torch.empty(config.projection, config.maxSourceLength))
        if self.attention == "performer":
            self.register_buffer("performer_features", torch.empty(config.features, d // config.heads),
                                 persistent=False)

    def keys(self, k: torch.Tensor, v: torch.Tensor, mask: Optional[torch.Tensor]):
        """The key side of this attention for keys and values [B, h, T_k, d_k] and a mask [B, 1, 1, T_k] (or
        None): eq. (4)'s, the Linformer's (13) or the Performer's (16)-(18). Its `attend(q)` gives the heads'
        outputs and weights (the implied maps, eqs. 15 and 19, under an approximation)."""
        if self.attention == "linformer":
            return LinformerKeys.prepare(k, v, mask, self.linformer_e, self.linformer_f)
        if self.attention == "performer":
            return PerformerKeys.prepare(k, v, mask, self.performer_features)
        return ExactKeys(k, v, mask)


@dataclass
class ExactKeys:
    """Eq. (4)'s key side: the keys and values [B, h, T_k, d_k] as they are, and the mask."""
    keys: torch.Tensor
    values: torch.Tensor
    mask: Optional[torch.Tensor]

    def attend(self, q: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Eq. (4) for every head: A = softmax(Q Kᵀ / √d_k + M), out A V; Q is scaled before the product."""
        scores = (q * q.shape[-1] ** -0.5) @ self.keys.transpose(-1, -2)
        if self.mask is not None:
            scores = scores + self.mask
        weights = torch.softmax(scores, -1)
        return weights @ self.values, weights


class _EncoderLayer(nn.Module):
    """`nn.TransformerEncoderLayer`'s parameters: self_attn, linear1, linear2, norm1, norm2 (eq. 7)."""

    def __init__(self, d: int, f: int, config: Optional[TransformerConfig] = None) -> None:
        super().__init__()
        self.self_attn = _Attention(d, config, approximated=True)
        self.linear1 = nn.Linear(d, f)
        self.linear2 = nn.Linear(f, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)


class _DecoderLayer(nn.Module):
    """`nn.TransformerDecoderLayer`'s: self_attn, multihead_attn, linear1, linear2, norm1, norm2, norm3 (eq. 10)."""

    def __init__(self, d: int, f: int, config: Optional[TransformerConfig] = None) -> None:
        super().__init__()
        self.self_attn = _Attention(d)                                        # causal: exact under every attention
        self.multihead_attn = _Attention(d, config, approximated=True)
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
    cross: list                          # per decoder layer, the key side of m W_Kᵀ + b_K, m W_Vᵀ + b_V (10b)
    encoder_attention: torch.Tensor      # [B, N_e, h, S, S] (7; the implied maps under an approximation)


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

    Under `linformer` or `performer`, `encoder_attention`, `cross_attention` and `weights` are the maps the
    approximation's output implies (Ã with Ã V = the output, eqs. 15 and 19), of the same shapes; the
    Linformer's rows need not sum to 1. A Linformer refuses a source longer than `maxSourceLength`. A
    Performer runs on draw 0 of `featureSeed` (eq. 20), as arnn evaluates and views; `use_features` sets
    another draw or given features (the training cadence: `training_draw`).
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
        self.encoder = _Stack([_EncoderLayer(d, f, c) for _ in range(c.encoderLayers)], d)
        self.decoder = _Stack([_DecoderLayer(d, f, c) for _ in range(c.decoderLayers)], d)
        self.output = nn.Linear(d, c.targetVocabulary)                          # (12), not tied
        self.reset_parameters()
        if c.attention == "performer":
            self.use_features(0)

    def _approximated(self) -> list[tuple[str, _Attention]]:
        """The attentions the approximations replace, by name: the encoder layers' self-attentions, then the
        decoder layers' cross-attentions (the doc's order for E and F, and for the features' streams)."""
        return ([(f"encoder.layers.{l}.self_attn", layer.self_attn) for l, layer in enumerate(self.encoder.layers)]
                + [(f"decoder.layers.{l}.multihead_attn", layer.multihead_attn)
                   for l, layer in enumerate(self.decoder.layers)])

    @torch.no_grad()
    def use_features(self, features=0) -> None:
        """The Performer's features W (eq. 20) for what runs next: draw number `features` of `featureSeed`
        (arnn's `PerformerFeatures.draw`, bit for bit), or a dict of [m, d_k] tensors named as the doc's
        "Checkpoint tensors" name them (`encoder.layers.0.self_attn.performer_features`, …; a fixture's, as
        arnn's `withFeatures`). The model's m must be theirs."""
        c = self.config
        if c.attention != "performer":
            raise ArnnError("transformer: only a performer has random features "
                            f"(this one's attention is {c.attention})")
        named = performer.draw(c, draw=features) if isinstance(features, int) else dict(features)
        wanted = {f"{name}.performer_features" for name, _ in self._approximated()}
        if set(named) != wanted:
            raise ArnnError(f"transformer: Performer features must be named {', '.join(sorted(wanted))}; "
                            f"got {', '.join(sorted(named))}")
        shape = (c.features, c.modelSize // c.heads)
        for name, attention in self._approximated():
            w = named[f"{name}.performer_features"]
            if tuple(w.shape) != shape:
                raise ArnnError(f"transformer: {name}.performer_features has shape {list(w.shape)}, "
                                f"the config needs {list(shape)}")
            attention.performer_features.copy_(w)

    def training_draw(self, batch: int) -> int:
        """The features' draw arnn's trainer uses for training batch `batch` (counted from 0 over the whole
        run): ⌊batch / redrawEvery⌋, or 0 when redrawEvery is 0 (eq. 20's cadence). For `use_features`."""
        every = self.config.redrawEvery
        return batch // every if every > 0 else 0

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """The doc's "Initialisation", drawn from torch's generator in the order of the parameter list (the
        state_dict's): embeddings N(0, 1/d); in_proj_weight Xavier-uniform ±√(6 / 4d), in_proj_bias and
        out_proj.bias 0, out_proj.weight ±1/√d; linear1, linear2 and output weight and bias ±1/√fan_in;
        norms 1 and 0; and last, under `linformer`, every E then F N(0, 1/k), the encoder layers' before the
        cross-attentions', so that every other weight is drawn as a softmax model's."""
        d = self.config.modelSize
        for name, p in self.named_parameters():
            owner, leaf = name.rsplit(".", 1)
            if leaf.startswith("linformer_"):
                continue
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
        if self.config.attention == "linformer":
            for _, attention in self._approximated():
                attention.linformer_e.normal_(0, self.config.projection ** -0.5)
                attention.linformer_f.normal_(0, self.config.projection ** -0.5)

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
        """Token ids [B, S] (checked by the caller) to the memory m and every decoder layer's cross-attention
        key side, made once per source (10b). A Linformer refuses S > maxSourceLength."""
        self.config.check_source_length(source.shape[1])
        mask = ((source == PAD).to(self.output.weight.dtype) * MASKED)[:, None, None, :]
        x = self._embed(self.source_embedding, source)                           # (1)
        weights = []
        for layer in self.encoder.layers:                                        # (7)
            a = layer.norm1(x)
            q, k, v = self._heads(layer.self_attn, a, 0, 3)
            o, w = layer.self_attn.keys(k, v, mask).attend(q)                    # (4), or (13)-(19)
            z = x + self._merge(layer.self_attn, o)
            x = z + self._feed_forward(layer, layer.norm2(z))
            weights.append(w)
        m = self.encoder.norm(x)                                                 # (8)
        cross = [layer.multihead_attn.keys(*self._heads(layer.multihead_attn, m, 1, 2), mask)
                 for layer in self.decoder.layers]
        return Memory(m, mask, cross, torch.stack(weights, 1))

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
            o, w_self = ExactKeys(k, v, causal).attend(q)
            a = u + self._merge(layer.self_attn, o)                              # (10a)
            (q,) = self._heads(layer.multihead_attn, layer.norm2(a), 0, 1)
            o, w_cross = memory.cross[i].attend(q)                               # (10b): exact, or (13)-(19)
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
