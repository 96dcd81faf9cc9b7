"""The Performer's attention (FAVOR+) in arnn_torch's transformer, transcribed from docs/models/transformer.md,
eqs. (16)-(20): positive orthogonal random features W [m, d_k], one matrix per attention it replaces (each
encoder layer's self-attention, each decoder layer's cross-attention), shared by the attention's heads.

The features are not parameters and not in a checkpoint: arnn draws them from `featureSeed` with its own
generator, and `draw` here repeats that draw number for number (`SeededRNG.normal`, the Gram-Schmidt in
float64 in arnn's order of operations, one stream per attention), so that a checkpoint arnn trained decodes
here as it does in arnn. Tests/Fixtures/transformer_performer_parity.safetensors holds the features drawn
here, and arnn's TransformerParityTests checks that arnn draws the same bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

from ..rng import SeededRNG

_MASK = (1 << 64) - 1


def stream_seed(seed: int, draw: int, stream: int) -> int:
    """One seed per (draw, stream), as arnn's `PerformerFeatures.streamSeed`; SeededRNG spreads it further."""
    return (seed ^ ((draw * 0x9E3779B97F4A7C15) & _MASK) ^ (((stream + 1) * 0xD1B54A32D192ED03) & _MASK)) & _MASK


def orthogonal_random_features(count: int, size: int, rng: SeededRNG) -> torch.Tensor:
    """Eq. (20): m = `count` rows of d = `size` in blocks of d. A block draws d × d normals row by row and makes
    its rows orthonormal (Gram-Schmidt against the rows already made, in float64); each row it keeps then gets a
    length of its own, the norm of d more normals (chi(d)). Sums run left to right, one product at a time, as
    arnn's `reduce` does (not `sum`, which may compensate), so every float64 is arnn's."""
    rows: list[list[float]] = []
    while len(rows) < count:
        block = [[rng.normal() for _ in range(size)] for _ in range(size)]
        for i in range(size):
            for j in range(i):
                dot = 0.0
                for a, b in zip(block[i], block[j]):
                    dot = dot + a * b
                block[i] = [a - dot * b for a, b in zip(block[i], block[j])]
            squares = 0.0
            for a in block[i]:
                squares = squares + a * a
            norm = math.sqrt(squares)
            block[i] = [a / norm for a in block[i]]
        for row in block[:min(size, count - len(rows))]:
            squares = 0.0
            for _ in range(size):
                z = rng.normal()
                squares = squares + z * z
            length = math.sqrt(squares)
            rows.append([a * length for a in row])
    return torch.tensor(rows, dtype=torch.float32).reshape(count, size)


def draw(config, seed: Optional[int] = None, draw: int = 0) -> dict[str, torch.Tensor]:
    """Draw number `draw` of `seed` (the config's `featureSeed` when None) for a transformer config, as arnn's
    `PerformerFeatures.draw`: W [m, d_k] for each encoder layer's self-attention (streams 0 … N_e − 1) and each
    decoder layer's cross-attention (streams N_e …), named as the doc's "Checkpoint tensors" name them
    (`encoder.layers.ℓ.self_attn.performer_features`, `decoder.layers.ℓ.multihead_attn.performer_features`).
    An attention's features at m are the first m rows of its features at any larger m."""
    seed = config.featureSeed if seed is None else seed
    m, dk = config.features, config.modelSize // config.heads

    def site(stream: int) -> torch.Tensor:
        return orthogonal_random_features(m, dk, SeededRNG(stream_seed(seed, draw, stream)))

    named = {f"encoder.layers.{l}.self_attn.performer_features": site(l) for l in range(config.encoderLayers)}
    named.update({f"decoder.layers.{l}.multihead_attn.performer_features": site(config.encoderLayers + l)
                  for l in range(config.decoderLayers)})
    return named


def _float32_power(x: float, p: float) -> float:
    """x^p computed in float32 (C's powf), as arnn computes its scales in Float."""
    return float(np.power(np.float32(x), np.float32(p)))


def exponent(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """Eq. (16)'s exponent w_l · x̃ − ‖x̃‖²/2 with x̃ = x / d_k^{1/4}, for rows x [..., T, d_k] and W
    [m, d_k]: [..., T, m]."""
    scaled = x * float(np.float32(1) / np.float32(_float32_power(x.shape[-1], 0.25)))
    return scaled @ w.T - (scaled * scaled).sum(-1, keepdim=True) * 0.5


def _feature_scale(m: int) -> float:
    """1/√m, in float32 as arnn's."""
    return float(np.float32(1) / np.sqrt(np.float32(m)))


@dataclass
class PerformerKeys:
    """Eqs. (16)-(18), the key side of one attention, made once for any number of queries: φ(K) [B, h, S, m]
    (0 at padded keys), φ(K)ᵀ V [B, h, m, d_k] and φ(K)ᵀ 1 [B, h, 1, m], with the features W [m, d_k]."""
    features: torch.Tensor
    key_features: torch.Tensor
    keys_values: torch.Tensor
    key_sum: torch.Tensor

    @classmethod
    def prepare(cls, k: torch.Tensor, v: torch.Tensor, mask: Optional[torch.Tensor],
                w: torch.Tensor) -> "PerformerKeys":
        """Keys and values [B, h, S, d_k], the source mask [B, 1, 1, S] (0 or −10⁹) or None. A padded key's
        exponent gets the mask's −10⁹, so its φ is 0 exactly. The stabiliser c_K (18) is one constant per head
        of an example, its largest exponent over the real keys and all features; it enters as a constant (the
        output does not depend on it)."""
        e = exponent(k, w)                                                        # [B, h, S, m]
        if mask is not None:
            e = e + mask.transpose(-1, -2)                                        # [B, 1, S, 1]
        shift = e.detach().amax((-2, -1), keepdim=True)
        phi = torch.exp(e - shift) * _feature_scale(w.shape[0])
        return cls(w, phi, phi.transpose(-1, -2) @ v, phi.sum(-2, keepdim=True))

    def attend(self, q: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Eqs. (16)-(19), the query side, for queries [B, h, T_q, d_k]: the output D⁻¹ φ(Q) (φ(K)ᵀ V) (17) and
        the map it implies, D⁻¹ φ(Q) φ(K)ᵀ [B, h, T_q, S] (19). A query's stabiliser c_i (18) is the largest
        exponent of its own row, a constant too."""
        e = exponent(q, self.features)
        phi = torch.exp(e - e.detach().amax(-1, keepdim=True)) * _feature_scale(self.features.shape[0])
        normaliser = phi @ self.key_sum.transpose(-1, -2)                         # D [B, h, T_q, 1]
        return (phi @ self.keys_values) / normaliser, (phi @ self.key_features.transpose(-1, -2)) / normaliser
