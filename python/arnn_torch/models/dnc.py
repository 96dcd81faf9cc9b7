"""arnn's Differentiable Neural Computer in PyTorch, transcribed from docs/models/dnc.md (equation numbers
cite it). First written as Tests/Fixtures/make_dnc_fixture.py's model, which now imports it from here.

Parameter names are those of docs/checkpoints.md ("Differentiable Neural Computer"): `controller.*`
(an nn.LSTMCell), `interface.*` and `output.*` (nn.Linear); the initial state is not stored.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..config import Config, Field, finite, in_range
from .unroll import unroll

EPS = 1e-6  # ε of (6) and (9)
TRACE_KEYS = ("usage", "allocation", "write_weighting", "memory", "link", "precedence", "forward", "backward",
              "read_content", "read_weightings", "reads")


class DNCConfig(Config):
    """arnn's `DNCConfig` (Sources/Models/DNC/DNCConfig.swift)."""

    model = "DNC"
    fields = (
        Field("inputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("outputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("memoryRows", int, 32, in_range(1, 1024), "in 1...1024"),
        Field("memoryWidth", int, 16, in_range(1, 4096), "in 1...4096"),
        Field("readHeads", int, 1, in_range(1, 16), "in 1...16"),
        Field("controllerSize", int, 128, in_range(1, 8192), "in 1...8192"),
        Field("memoryInit", float, 1e-6, finite, "finite"),
    )

    @property
    def interface_size(self) -> int:
        r, w = self.readHeads, self.memoryWidth
        return r * w + 3 * w + 5 * r + 3


def oneplus(x: torch.Tensor) -> torch.Tensor:
    return 1 + F.softplus(x)


def content_weighting(memory: torch.Tensor, keys: torch.Tensor, strengths: torch.Tensor) -> torch.Tensor:
    """(6): softmax over rows of beta * cos, for memory [B,N,W], keys [B,H,W], strengths [B,H] -> [B,H,N]."""
    dot = keys @ memory.transpose(1, 2)
    memory_norms = torch.sqrt((memory * memory).sum(-1) + EPS)      # [B, N]
    key_norms = torch.sqrt((keys * keys).sum(-1) + EPS)             # [B, H]
    similarity = dot / (key_norms[:, :, None] * memory_norms[:, None, :] + EPS)
    return torch.softmax(similarity * strengths[:, :, None], dim=-1)


def allocation_weighting(usage: torch.Tensor) -> torch.Tensor:
    """(9): the free list is the usage sorted ascending (stable: ties in index order); the permutation
    carries no gradient."""
    u_hat = EPS + (1 - EPS) * usage
    order = torch.sort(u_hat.detach(), dim=-1, stable=True).indices
    s = u_hat.gather(1, order)
    exclusive = torch.cat([torch.ones_like(s[:, :1]), torch.cumprod(s, dim=1)[:, :-1]], dim=1)
    return torch.zeros_like(s).scatter(1, order, (1 - s) * exclusive)


class DNC(nn.Module):
    """arnn's `dnc`: `model(x)` with x [B, T, X] gives the logits [B, T, Y] of eq. (19).

    `model(x, internals=True)` also returns every step's bookkeeping stacked over time ([B, T, ...]):
    `usage`, `allocation`, `write_weighting`, `precedence` [B, T, N], `memory` [B, T, N, W], `link`
    [B, T, N, N], `forward`, `backward`, `read_content`, `read_weightings` [B, T, R, N], `reads` [B, T, R, W].
    """

    kind = "dnc"
    Config = DNCConfig

    def __init__(self, config: DNCConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        # PyTorch's default initialisation, in the order of the parameter table (docs/models/dnc.md).
        self.controller = nn.LSTMCell(c.inputSize + c.readHeads * c.memoryWidth, c.controllerSize)
        self.interface = nn.Linear(c.controllerSize, c.interface_size)
        self.output = nn.Linear(c.controllerSize + c.readHeads * c.memoryWidth, c.outputSize)
        # Eq. (13)'s mask of the link matrix's diagonal: made once, not a parameter (not in checkpoints).
        self.register_buffer("off_diagonal", 1 - torch.eye(c.memoryRows), persistent=False)

    def initial_state(self, batch: int, dtype: torch.dtype = torch.float32,
                      device: torch.device | str = "cpu") -> tuple:
        """Eqs. (1)-(2): (h, c, reads, read weightings, write weighting, usage, precedence, link, memory)."""
        c = self.config
        N, W, R, H = c.memoryRows, c.memoryWidth, c.readHeads, c.controllerSize
        z = lambda *shape: torch.zeros(batch, *shape, dtype=dtype, device=device)  # noqa: E731
        return (z(H), z(H), z(R * W), z(R, N), z(N), z(N), z(N), z(N, N),
                torch.full((batch, N, W), c.memoryInit, dtype=dtype, device=device))

    def step(self, x: torch.Tensor, state: tuple) -> tuple[torch.Tensor, tuple, dict]:
        """One timestep, eqs. (3)-(19), for x [B, X]: (logits [B, Y], next state, this step's bookkeeping)."""
        c = self.config
        N, W, R = c.memoryRows, c.memoryWidth, c.readHeads
        h, cell, reads, read_w, write_w, usage, prec, link, memory = state
        b = x.shape[0]
        off_diagonal = self.off_diagonal.to(x.dtype)
        h, cell = self.controller(torch.cat([x, reads], dim=1), (h, cell))             # (3)
        parts = self.interface(h).split([R * W, R, W, 1, W, W, R, 1, 1, 3 * R], dim=1)  # (4)
        read_keys = parts[0].reshape(b, R, W)                                          # (5)
        read_strengths = oneplus(parts[1])
        write_key, write_strength = parts[2].reshape(b, 1, W), oneplus(parts[3])
        erase, write_vector = torch.sigmoid(parts[4]), parts[5]
        free, alloc_gate, write_gate = torch.sigmoid(parts[6]), torch.sigmoid(parts[7]), torch.sigmoid(parts[8])
        modes = torch.softmax(parts[9].reshape(b, R, 3), dim=-1)   # backward, content, forward

        psi = torch.prod(1 - free[:, :, None] * read_w, dim=1)                         # (7)
        usage = (usage + write_w - usage * write_w) * psi                              # (8)
        allocation = allocation_weighting(usage)                                        # (9)
        write_content = content_weighting(memory, write_key, write_strength)[:, 0]     # (10)
        write_w = write_gate * (alloc_gate * allocation + (1 - alloc_gate) * write_content)  # (11)
        memory = memory * (1 - write_w[:, :, None] * erase[:, None, :]) \
            + write_w[:, :, None] * write_vector[:, None, :]                           # (12)
        link = ((1 - write_w[:, :, None] - write_w[:, None, :]) * link
                + write_w[:, :, None] * prec[:, None, :]) * off_diagonal                # (13)
        prec = (1 - write_w.sum(1, keepdim=True)) * prec + write_w                     # (14)
        forward = read_w @ link.transpose(1, 2)     # f_i = sum_j L[i, j] w[j]         # (15)
        backward = read_w @ link                    # b_j = sum_i w[i] L[i, j]
        read_content = content_weighting(memory, read_keys, read_strengths)            # (16)
        read_w = modes[..., 0:1] * backward + modes[..., 1:2] * read_content + modes[..., 2:3] * forward  # (17)
        read_vectors = read_w @ memory                                                  # (18)
        reads = read_vectors.reshape(b, R * W)
        logits = self.output(torch.cat([h, reads], dim=1))                             # (19)
        inner = {"usage": usage, "allocation": allocation, "write_weighting": write_w, "memory": memory,
                 "link": link, "precedence": prec, "forward": forward, "backward": backward,
                 "read_content": read_content, "read_weightings": read_w, "reads": read_vectors}
        return logits, (h, cell, reads, read_w, write_w, usage, prec, link, memory), inner

    def forward(self, x: torch.Tensor, internals: bool = False):
        return unroll("dnc", self.config.inputSize, x, lambda: self.initial_state(x.shape[0], x.dtype, x.device),
                      self.step, lambda steps: {k: torch.stack([s[k] for s in steps], 1) for k in TRACE_KEYS},
                      internals, keep=lambda inner: {k: inner[k] for k in TRACE_KEYS})
