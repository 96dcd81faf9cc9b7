"""arnn's seeded generator (Sources/Engine/SeededRNG.swift), draw for draw.

xoshiro256** seeded through SplitMix64. Every draw the tasks use (`next`, `uniform`, `int_below`,
`int_in`, `bernoulli`) is transcribed bit for bit, so the same seed gives the same examples here as in
`arnn trace --seed S`; so is `normal`, which the Performer's random features draw from
(arnn_torch.models.performer). Python integers are unbounded, so every 64-bit operation is masked.
"""

from __future__ import annotations

import math

import numpy as np
import torch

_MASK = (1 << 64) - 1


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & _MASK


class SeededRNG:
    """xoshiro256** with SplitMix64 seeding, as arnn's `SeededRNG`."""

    __slots__ = ("_s", "_spare")

    def __init__(self, seed: int) -> None:
        if not 0 <= seed <= _MASK:
            raise ValueError(f"seed must be in 0...2^64-1, got {seed}")
        x = seed
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & _MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            state.append(z ^ (z >> 31))
        self._s = state
        self._spare = None       # the second normal of the last Marsaglia pair, as arnn's `spareNormal`

    def next(self) -> int:
        """The next 64 random bits."""
        s0, s1, s2, s3 = self._s
        result = (_rotl((s1 * 5) & _MASK, 7) * 9) & _MASK
        t = (s1 << 17) & _MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        self._s = [s0, s1, s2, s3]
        return result

    def uniform(self) -> float:
        """A uniform float in [0, 1) with 24 random bits (exactly the Float arnn computes)."""
        return (self.next() >> 40) * 2.0**-24

    def uniform_double(self) -> float:
        """A uniform float in [0, 1) with 53 random bits, as `uniformDouble()`."""
        return (self.next() >> 11) * 2.0**-53

    def uniform_range(self, low: float, high: float) -> float:
        """A uniform float in [low, high), as `uniform(_:_:)`: low + (high − low)·u in float32, kept below
        `high` when the sum rounds up to it."""
        low32, high32 = np.float32(low), np.float32(high)
        x = low32 + (high32 - low32) * np.float32(self.uniform())
        return float(x if x < high32 else max(low32, np.nextafter(high32, np.float32(-np.inf))))

    def uniform_tensor(self, shape: list[int], low: float = 0.0, high: float = 1.0) -> torch.Tensor:
        """A float32 tensor of `uniform_range(low, high)` draws in row-major order, as `uniformTensor(_:_:_:)`
        (arnn's step probe, `RecurrentLearner.stepProbe`, is `SeededRNG(2).uniform_tensor([1, X])`)."""
        count = 1
        for d in shape:
            count *= d
        values = [self.uniform_range(low, high) for _ in range(count)]
        return torch.tensor(values, dtype=torch.float32).reshape(list(shape))

    def normal(self, mean: float = 0.0, std: float = 1.0) -> float:
        """A normal sample, as `normal(mean:std:)`: Marsaglia's polar method in float64 on two
        `uniform_double` draws, each pair giving two samples (the second kept for the next call); the sample
        rounded to float32, then mean + std · z in float32. `math.log` is the C library's `log`, the one arnn
        calls."""
        if self._spare is not None:
            z, self._spare = self._spare, None
        else:
            while True:
                u, v = 2 * self.uniform_double() - 1, 2 * self.uniform_double() - 1
                s = u * u + v * v
                if 0 < s < 1:
                    f = math.sqrt(-2 * math.log(s) / s)
                    self._spare = v * f
                    z = u * f
                    break
        return float(np.float32(mean) + np.float32(std) * np.float32(z))

    def int_below(self, bound: int) -> int:
        """A uniform integer in 0..<bound, by rejection (no modulo bias), as `int(below:)`."""
        if bound <= 0:
            raise ValueError(f"int_below needs a positive bound, got {bound}")
        limit = _MASK - _MASK % bound
        while True:
            r = self.next()
            if r < limit:
                return r % bound

    def int_in(self, low: int, high: int) -> int:
        """A uniform integer in the closed range low...high, as `int(in:)`."""
        return low + self.int_below(high - low + 1)

    def bernoulli(self, p: float) -> bool:
        return self.uniform() < p

    def bits(self, count: int) -> list[float]:
        """`count` fair bits as 0.0/1.0, drawn in order (arnn's `bits(_:)`)."""
        return [1.0 if self.bernoulli(0.5) else 0.0 for _ in range(count)]


def batch_rng(seed: int, batch_index: int) -> SeededRNG:
    """The generator of training batch `batch_index` of a run with `seed` (arnn's `Trainer.batchRNG`)."""
    z = (seed * 0x9E3779B97F4A7C15 + batch_index * 0xD1B54A32D192ED03) & _MASK
    z ^= z >> 29
    return SeededRNG(z)
