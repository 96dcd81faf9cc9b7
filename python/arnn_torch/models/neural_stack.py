"""arnn's neural stack, queue and double-ended queue (Grefenstette et al. 2015) in PyTorch, transcribed from
docs/models/neural-stack.md (equation numbers cite it).

An LSTM controller (12) pushes a value with a strength (13), (15), pops an amount of strength (14) and reads
a strength-weighted sum of at most depth 1 (3), (6) at one end of a continuous structure, which keeps every
value ever pushed. The three models differ only in their heads: where each pushes, and where it pops and
reads. Rows are kept oldest push first (row 0 the bottom) for all three, as arnn keeps them.

Ties of max and min are those of the doc (the paper's footnote 1): the derivative goes to the left argument,
so max(0, x) at x = 0 passes nothing back and min(s, b) at s = b passes it to s. torch.clamp, torch.maximum
and torch.minimum split ties differently, so `neural_pop` and `neural_read_weights` are written with
torch.where on strict inequalities, which gives autograd exactly those derivatives.

Parameter names and shapes are the doc's table (arnn's `NeuralStack`), so `state_dict()` is an arnn
checkpoint of kind `stack`, `queue` or `deque`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn

from ..config import Config, Field, in_range
from ..errors import ArnnError
from .unroll import unroll

TOP, BOTTOM = "top", "bottom"


class NeuralStackConfig(Config):
    """arnn's `NeuralStackConfig` (Sources/Models/NeuralStack/NeuralStackConfig.swift), field for field; the
    same config for the stack, the queue and the deque. `pushBias` is main's (commit 1960d6f, the push gate's
    initial bias, 0 by default); an arnn without it ignores the field, so the files load in both."""

    model = "neural stack"
    fields = (
        Field("inputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("outputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("hiddenSize", int, 64, in_range(1, 4096), "in 1...4096"),
        Field("valueSize", int, 32, in_range(1, 4096), "in 1...4096"),
        Field("popBias", float, -1.0, lambda v: math.isfinite(v) and abs(v) <= 100, "a finite number in -100...100"),
        Field("pushBias", float, 0.0, lambda v: math.isfinite(v) and abs(v) <= 100, "a finite number in -100...100"),
        # The push bias of a head that pushes at the bottom (the deque's); None: pushBias.
        Field("bottomPushBias", float, None, lambda v: math.isfinite(v) and abs(v) <= 100,
              "a finite number in -100...100", optional=True),
    )


@dataclass(frozen=True)
class Head:
    """Where one head pushes, and where it pops and reads (arnn's `StructureHead`)."""

    pushes_at: str
    pops_at: str
    name: str


def _from_end(s: torch.Tensor, end: str) -> torch.Tensor:
    """The rows in order from `end` inwards: position 0 is the row at that end."""
    return s.flip(1) if end == TOP else s


def _nearer(s_end: torch.Tensor) -> torch.Tensor:
    """c at each position (rows in order from the end): the strength of the rows nearer the end, an
    exclusive running sum (c_i^top of (2), (3); c_i^bot of (5), (6))."""
    return torch.cat([torch.zeros_like(s_end[:, :1]), torch.cumsum(s_end, 1)[:, :-1]], 1)


def neural_pop(s: torch.Tensor, u: torch.Tensor, end: str) -> torch.Tensor:
    """Strengths s [B, N] after a pop of u [B, 1] from `end`, eqs. (2) and (5):
    s'_i = max(0, s_i − max(0, u − c_i)), c_i the strength nearer the end than row i. N may be 0."""
    if s.shape[1] == 0:
        return s
    s_end = _from_end(s, end)
    a = u - _nearer(s_end)
    x = s_end - torch.where(a > 0, a, 0.0)            # max(0, a): no gradient at a = 0
    out = torch.where(x > 0, x, 0.0)                  # max(0, x): no gradient at x = 0
    return _from_end(out, end)


def neural_read_weights(s: torch.Tensor, end: str) -> torch.Tensor:
    """The read weights at `end` for strengths s [B, N], eqs. (3) and (6): w_i = min(s_i, max(0, 1 − c_i)),
    so the read takes at most depth 1."""
    s_end = _from_end(s, end)
    room = 1 - _nearer(s_end)
    bound = torch.where(room > 0, room, 0.0)          # max(0, 1 − c): no gradient at 1 − c = 0
    w = torch.where(s_end <= bound, s_end, bound)     # min(s, bound): at a tie the gradient goes to s
    return _from_end(w, end)


class _ContinuousStructureModel(nn.Module):
    """An LSTM controller with a continuous structure whose heads are `HEADS`: `model(x)` with x [B, T, X]
    gives the logits [B, T, Y] of eq. (17).

    `model(x, internals=True)` also returns, stacked over time: `hidden` and `cell` [B, T, H] (12), `push`
    and `pop` [B, T, E] (13), (14), `value` [B, T, E, m] (15), `output` [B, T, H] (16), `reads` [B, T, E, m];
    `strengths` [B, T, E·T] and `read_weights` [B, T, E, E·T]: step t's E·(t+1) rows bottom (row 0) to top
    in its first E·(t+1) places, zeros after them (a deque puts its bottom push under row 0, so a row's index
    moves from step to step, as in arnn's snapshots); and `values` [B, E·T, m], every row after the last step.
    """

    kind = ""
    HEADS: tuple[Head, ...] = ()
    Config = NeuralStackConfig

    def __init__(self, config: NeuralStackConfig) -> None:
        super().__init__()
        if not isinstance(config, NeuralStackConfig):
            raise ArnnError(f"{self.kind}: config must be a NeuralStackConfig, got {type(config).__name__}")
        if config.bottomPushBias is not None and all(h.pushes_at != BOTTOM for h in self.HEADS):
            raise ArnnError(f"neural stack: bottomPushBias sets the push of a head at the bottom, and a {self.kind} "
                            "pushes only on top (the deque has one)")
        self.config = config
        c, e = config, len(self.HEADS)
        # The doc's initialisation, in the order of its table: PyTorch's defaults, h₀ uniform in ±1/√H, the
        # pop bias set to popBias (Appendix B) and the push bias to pushBias.
        self.controller = nn.LSTMCell(c.inputSize + e * c.valueSize, c.hiddenSize)          # (12)
        k = 1 / math.sqrt(c.hiddenSize)
        self.initial_hidden = nn.Parameter(torch.empty(c.hiddenSize).uniform_(-k, k))
        self.push = nn.Linear(c.hiddenSize, e)                                             # (13)
        self.pop = nn.Linear(c.hiddenSize, e)                                              # (14)
        self.value = nn.Linear(c.hiddenSize, e * c.valueSize)                              # (15)
        self.output = nn.Linear(c.hiddenSize, c.hiddenSize)                                # (16)
        self.readout = nn.Linear(c.hiddenSize, c.outputSize)                               # (17)
        with torch.no_grad():
            self.pop.bias.fill_(c.popBias)
            bottom = c.pushBias if c.bottomPushBias is None else c.bottomPushBias
            self.push.bias.copy_(torch.tensor([bottom if h.pushes_at == BOTTOM else c.pushBias for h in self.HEADS]))

    @property
    def heads(self) -> tuple[Head, ...]:
        return self.HEADS

    def initial_state(self, batch: int, device: Optional[torch.device] = None,
                      dtype: Optional[torch.dtype] = None) -> tuple:
        """(h, c, r, s, V) at the start (§3.4): h₀ learned, c₀ and r₀ zero, an empty structure (s and V None)."""
        p = self.initial_hidden
        device, dtype = device or p.device, dtype or p.dtype
        h = self.initial_hidden.to(device, dtype).expand(batch, -1)
        zero = torch.zeros(batch, self.config.hiddenSize, device=device, dtype=dtype)
        read = torch.zeros(batch, len(self.HEADS) * self.config.valueSize, device=device, dtype=dtype)
        return h, zero, read, None, None

    def step(self, x: torch.Tensor, state: Optional[tuple] = None) -> tuple[torch.Tensor, tuple, dict]:
        """One timestep for x [B, X]: eqs. (12)-(17), then the structure's pops, pushes and reads. Returns
        (logits [B, Y], next state, this step's internals); `state` None is the initial state."""
        if state is None:
            state = self.initial_state(x.shape[0], x.device, x.dtype)
        h, c, read, strengths, values = state
        b, m = x.shape[0], self.config.valueSize
        h, c = self.controller(torch.cat([x, read], 1), (h, c))                             # (12)
        d = torch.sigmoid(self.push(h))                                                     # (13)
        u = torch.sigmoid(self.pop(h))                                                      # (14)
        v = torch.tanh(self.value(h))                                                       # (15)
        o = torch.tanh(self.output(h))                                                      # (16)
        logits = self.readout(o)                                                            # (17)
        # Pops first, in head order, over the rows kept so far (2), (5), (7)-(8); then each head pushes at
        # its end (1), (4), (9). The reads (3), (6), (10)-(11) reach the output at the next step, through (12).
        if strengths is not None:
            for k, head in enumerate(self.HEADS):
                strengths = neural_pop(strengths, u[:, k : k + 1], head.pops_at)
        for k, head in enumerate(self.HEADS):
            dk, vk = d[:, k : k + 1], v[:, k * m : (k + 1) * m].reshape(b, 1, m)
            if strengths is None:
                strengths, values = dk, vk
            elif head.pushes_at == TOP:
                strengths, values = torch.cat([strengths, dk], 1), torch.cat([values, vk], 1)
            else:
                strengths, values = torch.cat([dk, strengths], 1), torch.cat([vk, values], 1)
        weights = [neural_read_weights(strengths, head.pops_at) for head in self.HEADS]
        reads = [torch.bmm(w[:, None, :], values)[:, 0] for w in weights]
        read = reads[0] if len(reads) == 1 else torch.cat(reads, 1)
        inner = {"hidden": h, "cell": c, "push": d, "pop": u, "value": v.reshape(b, len(self.HEADS), m),
                 "output": o, "strengths": strengths, "values": values, "read_weights": torch.stack(weights, 1),
                 "reads": torch.stack(reads, 1)}
        return logits, (h, c, read, strengths, values), inner

    def forward(self, x: torch.Tensor, internals: bool = False):
        return unroll(self.kind, self.config.inputSize, x, lambda: self.initial_state(x.shape[0], x.device, x.dtype),
                      self.step, self._stack_internals, internals)

    def _stack_internals(self, steps: list[dict]) -> dict[str, torch.Tensor]:
        if not steps:
            return {}
        inner = {k: torch.stack([s[k] for s in steps], 1)
                 for k in ("hidden", "cell", "push", "pop", "value", "output", "reads")}
        rows = steps[-1]["strengths"].shape[1]
        pad = lambda t: nn.functional.pad(t, (0, rows - t.shape[-1]))  # noqa: E731
        inner["strengths"] = torch.stack([pad(s["strengths"]) for s in steps], 1)
        inner["read_weights"] = torch.stack([pad(s["read_weights"]) for s in steps], 1)
        inner["values"] = steps[-1]["values"]
        return inner


class NeuralStack(_ContinuousStructureModel):
    """arnn's `stack`: pushes, pops and reads the top, last in first out (eqs. (1)-(3))."""

    kind = "stack"
    HEADS = (Head(TOP, TOP, "top"),)


class NeuralQueue(_ContinuousStructureModel):
    """arnn's `queue`: pushes on top, pops and reads the bottom, first in first out (eqs. (4)-(6))."""

    kind = "queue"
    HEADS = (Head(TOP, BOTTOM, "front"),)


class NeuralDeque(_ContinuousStructureModel):
    """arnn's `deque`: a top head and a bottom head, each pushing, popping and reading at its end; the top's
    pop applies first (eqs. (7)-(11))."""

    kind = "deque"
    HEADS = (Head(TOP, TOP, "top"), Head(BOTTOM, BOTTOM, "bottom"))
