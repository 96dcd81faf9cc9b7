"""arnn's Neural Turing Machine in PyTorch, transcribed from docs/models/ntm.md (equation numbers cite it).

Parameter names and layouts are those of docs/checkpoints.md ("NTM"), so `state_dict()` is an arnn
checkpoint. The model is split as the doc is: the controller (5), the heads' parameters (6)-(7), the
addressing (8)-(11), reading (12) and writing (13), and the output (14).

Extending: a new config field goes into `NTMConfig.fields` (unknown fields are refused until then); the
controller is built by `make_controller` from a kind, and the heads are kept as two lists (read heads, write
heads) that the step walks in order, so more write heads or another controller change one place each.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..config import Config, Field, finite, in_range
from ..errors import ArnnError
from .unroll import unroll

CONTROLLERS = ("lstm", "feedforward")
COSINE_DELTA = 1e-16    # δ inside each norm, eq. (8)
SHARPEN_EPSILON = 1e-16  # added to the sharpening's sum, eq. (11)


class NTMConfig(Config):
    """arnn's `NTMConfig` (Sources/Models/NTM/NTMConfig.swift), field for field."""

    model = "NTM"
    fields = (
        Field("inputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("outputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("memoryRows", int, 128, in_range(1, 65536), "in 1...65536"),
        Field("memoryWidth", int, 20, in_range(1, 4096), "in 1...4096"),
        Field("controllerSize", int, 100, in_range(1, 8192), "in 1...8192"),
        Field("readHeads", int, 1, in_range(1, 16), "in 1...16"),
        Field("writeHeads", int, 1, in_range(1, 16), "in 1...16"),
        Field("controller", str, "lstm", lambda v: v in CONTROLLERS, '"lstm" or "feedforward"'),
        Field("shiftRange", int, 1, lambda v: v >= 0, "at least 0"),
        Field("memoryInit", float, 1e-6, finite, "finite"),
    )

    def validate(self) -> None:
        if 2 * self.shiftRange + 1 > self.memoryRows:
            raise ArnnError(f"NTM config: shiftRange must be in 0...(memoryRows-1)/2, got {self.shiftRange}")

    @property
    def shift_width(self) -> int:
        return 2 * self.shiftRange + 1

    @property
    def controller_input_size(self) -> int:
        return self.inputSize + self.readHeads * self.memoryWidth


class LSTMController(nn.LSTMCell):
    """Eq. (5): PyTorch's LSTMCell, plus the learned initial state (h0, c0) of eq. (3).

    Subclassing keeps the checkpoint names flat: `controller.weight_ih`, ..., `controller.h0`.
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__(input_size, hidden_size)
        self.h0 = nn.Parameter(torch.zeros(hidden_size))
        self.c0 = nn.Parameter(torch.zeros(hidden_size))

    def initial_state(self, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.h0.expand(batch, -1), self.c0.expand(batch, -1)


class FeedForwardController(nn.Module):
    """Eq. (15), in place of (5): h = tanh(W_c [x ; r_{t−1}] + b_c), one layer (`controller.fc`) that carries
    nothing from step to step."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.fc = nn.Linear(input_size, hidden_size)

    def initial_state(self, batch: int) -> tuple[None, None]:
        return None, None

    def forward(self, x: torch.Tensor, state: tuple) -> tuple[torch.Tensor, None]:
        return torch.tanh(self.fc(x)), None


def make_controller(kind: str, input_size: int, hidden_size: int) -> nn.Module:
    if kind == "lstm":
        return LSTMController(input_size, hidden_size)
    if kind == "feedforward":
        return FeedForwardController(input_size, hidden_size)
    raise ArnnError(f"NTM config: unknown controller {kind!r} (arnn_torch has: {', '.join(CONTROLLERS)})")


class Head(nn.Module):
    """One head's linear layer on the controller output, eq. (6), and its activations, eq. (7)."""

    def __init__(self, hidden: int, memory_width: int, shift_width: int, write: bool) -> None:
        super().__init__()
        self.write = write
        self.sizes = [memory_width, 1, 1, shift_width, 1] + ([memory_width, memory_width] if write else [])
        self.fc = nn.Linear(hidden, sum(self.sizes))

    def forward(self, h: torch.Tensor) -> dict[str, torch.Tensor]:
        parts = torch.split(self.fc(h), self.sizes, dim=-1)          # (6): k̂, β̂, ĝ, ŝ, γ̂ (, ê, a)
        p = {
            "key": parts[0],                                          # (7)
            "beta": F.softplus(parts[1]),
            "gate": torch.sigmoid(parts[2]),
            "shift": torch.softmax(parts[3], dim=-1),
            "gamma": 1 + F.softplus(parts[4]),
        }
        if self.write:
            p["erase"] = torch.sigmoid(parts[5])
            p["add"] = parts[6]
        return p


def content_weighting(memory: torch.Tensor, key: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Eq. (8): softmax over rows of β times the cosine similarity, with δ inside each norm."""
    dot = torch.bmm(memory, key.unsqueeze(-1)).squeeze(-1)                         # [B, N]
    norm_m = torch.sqrt((memory * memory).sum(-1) + COSINE_DELTA)                  # [B, N]
    norm_k = torch.sqrt((key * key).sum(-1, keepdim=True) + COSINE_DELTA)          # [B, 1]
    return torch.softmax(beta * (dot / (norm_m * norm_k)), dim=-1)


def shift(w: torch.Tensor, s: torch.Tensor, shift_range: int) -> torch.Tensor:
    """Eq. (10): w̃[i] = Σ_j s[j] w[(i − (j − S)) mod N]; s lists shifts −S…+S."""
    n, k = w.shape[-1], s.shape[-1]
    rows = torch.arange(n, device=w.device)
    shifts = torch.arange(k, device=w.device) - shift_range
    index = (rows.unsqueeze(0) - shifts.unsqueeze(1)) % n                        # [K, N]: (i − (j − S)) mod N
    return (s.unsqueeze(-1) * w[:, index]).sum(1)                                 # [B, K, N] summed over j


def sharpen(w: torch.Tensor, gamma: torch.Tensor) -> torch.Tensor:
    """Eq. (11): u = w̃ / max w̃, w = u^γ / (Σ u^γ + ε). The maximum is a constant for the gradient (the
    ratio does not depend on it); a row that is all zero stays zero."""
    m = w.detach().max(dim=-1, keepdim=True).values
    u = w / torch.where(m > 0, m, torch.ones_like(m))
    p = u.pow(gamma)
    return p / (p.sum(-1, keepdim=True) + SHARPEN_EPSILON)


def address(memory: torch.Tensor, previous: torch.Tensor, p: dict[str, torch.Tensor],
            shift_range: int) -> dict[str, torch.Tensor]:
    """Eqs. (8)-(11) for one head: every stage, as the viewer draws them."""
    content = content_weighting(memory, p["key"], p["beta"])                        # (8)
    gated = p["gate"] * content + (1 - p["gate"]) * previous                        # (9)
    shifted = shift(gated, p["shift"], shift_range)                                 # (10)
    return {"content": content, "gated": gated, "shifted": shifted,
            "weighting": sharpen(shifted, p["gamma"])}                              # (11)


def read(memory: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """Eq. (12): r = Σ_i w[i] M[i]."""
    return torch.bmm(w.unsqueeze(1), memory).squeeze(1)


def write(memory: torch.Tensor, ws: list[torch.Tensor], erases: list[torch.Tensor],
          adds: list[torch.Tensor]) -> torch.Tensor:
    """Eq. (13), for W write heads on the same M_{t−1}: M ⊙ Π_h (1 − wʰ eʰᵀ) + Σ_h wʰ aʰᵀ (the erases
    multiply and the adds sum, so the heads' order does not matter)."""
    kept = torch.ones_like(memory)
    added = torch.zeros_like(memory)
    for w, e, a in zip(ws, erases, adds):
        w = w.unsqueeze(-1)
        kept = kept * (1 - w * e.unsqueeze(1))
        added = added + w * a.unsqueeze(1)
    return memory * kept + added


class NTM(nn.Module):
    """arnn's `ntm`: `model(x)` with x [B, T, X] gives the logits [B, T, Y] of eq. (14).

    `model(x, internals=True)` also returns a dict of every step's quantities stacked over time
    ([B, T, ...]): `read_weightings` [B, T, R, N], `write_weightings` [B, T, W, N] (`write_weighting`:
    the first write head's, [B, T, N]), `reads` [B, T, R, M], `memory` (after the step's write)
    [B, T, N, M], `memory_before`, `hidden`, `cell` (the LSTM controller only), and each head's addressing
    stages and parameters under `heads.<i>.<name>` (read heads first, then the write heads;
    names as in `arnn trace`: `content`, `gated`, `shifted`, `weighting`, `key`, `beta`, `gate`, `shift`,
    `gamma`, `erase`, `add`).
    """

    kind = "ntm"
    Config = NTMConfig

    def __init__(self, config: NTMConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        h, m, k = c.controllerSize, c.memoryWidth, c.shift_width
        self.controller = make_controller(c.controller, c.controller_input_size, h)
        self.read_init = nn.Parameter(torch.zeros(c.readHeads, m))
        self.read_heads = nn.ModuleList(Head(h, m, k, write=False) for _ in range(c.readHeads))
        # Checkpoint names (docs/checkpoints.md): `write_head.fc` for one write head, as before several
        # existed; `write_heads.<i>.fc` for more.
        if c.writeHeads == 1:
            self.write_head = Head(h, m, k, write=True)
        else:
            self.write_heads = nn.ModuleList(Head(h, m, k, write=True) for _ in range(c.writeHeads))
        self.output = nn.Linear(h + c.readHeads * m, c.outputSize)
        self.reset_parameters()

    def writers(self) -> list[Head]:
        """The write heads, in order (one, or `writeHeads` of them)."""
        return [self.write_head] if self.config.writeHeads == 1 else list(self.write_heads)

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """docs/models/ntm.md, "Initialisation" (the distributions, drawn from torch's generator)."""
        c = self.config
        if isinstance(self.controller, FeedForwardController):
            nn.init.xavier_uniform_(self.controller.fc.weight, gain=5 / 3)
            nn.init.zeros_(self.controller.fc.bias)
        else:
            bound = 5 / math.sqrt(c.controller_input_size + c.controllerSize)
            nn.init.uniform_(self.controller.weight_ih, -bound, bound)
            nn.init.uniform_(self.controller.weight_hh, -bound, bound)
            nn.init.zeros_(self.controller.bias_ih)
            nn.init.zeros_(self.controller.bias_hh)
            nn.init.normal_(self.controller.h0, std=0.05)
            nn.init.normal_(self.controller.c0, std=0.05)
        nn.init.normal_(self.read_init, std=0.01)
        for head in list(self.read_heads) + self.writers():
            nn.init.xavier_uniform_(head.fc.weight, gain=1.4)
            nn.init.normal_(head.fc.bias, std=0.01)
        nn.init.xavier_uniform_(self.output.weight, gain=1.0)
        nn.init.normal_(self.output.bias, std=0.01)

    def initial_state(self, batch: int, device: torch.device, dtype: torch.dtype) -> dict:
        """Eqs. (1)-(4)."""
        c = self.config
        heads = c.readHeads + c.writeHeads
        first_row = torch.zeros(batch, c.memoryRows, device=device, dtype=dtype)
        first_row[:, 0] = 1                                                          # (4)
        h0, c0 = self.controller.initial_state(batch)                                # (3)
        return {
            "memory": torch.full((batch, c.memoryRows, c.memoryWidth), c.memoryInit,
                                 device=device, dtype=dtype),                        # (1)
            "reads": [self.read_init[i].expand(batch, -1) for i in range(c.readHeads)],  # (2)
            "weightings": [first_row] * heads,
            "hidden": h0, "cell": c0,
        }

    def step(self, x: torch.Tensor, s: dict) -> tuple[torch.Tensor, dict, dict]:
        """One timestep, eqs. (5)-(14), for x [B, X]: (logits [B, Y], next state, this step's internals)."""
        c = self.config
        h, cell = self.controller(torch.cat([x] + s["reads"], dim=-1), (s["hidden"], s["cell"]))  # (5)
        memory = s["memory"]
        heads, reads, weightings = [], [], []
        for i, head in enumerate(self.read_heads):
            p = head(h)                                                              # (6)(7)
            a = address(memory, s["weightings"][i], p, c.shiftRange)                 # (8)-(11)
            reads.append(read(memory, a["weighting"]))                               # (12)
            weightings.append(a["weighting"])
            heads.append({**p, **a})
        erases, adds, write_weightings = [], [], []
        for j, head in enumerate(self.writers()):
            p = head(h)
            # Every head addresses the memory as it was before this step's write.
            a = address(memory, s["weightings"][c.readHeads + j], p, c.shiftRange)
            erases.append(p["erase"]); adds.append(p["add"]); write_weightings.append(a["weighting"])
            weightings.append(a["weighting"])
            heads.append({**p, **a})
        new_memory = write(memory, write_weightings, erases, adds)                   # (13)
        logits = self.output(torch.cat([h] + reads, dim=-1))                         # (14)
        state = {"memory": new_memory, "reads": reads, "weightings": weightings, "hidden": h, "cell": cell}
        internals = {"heads": heads, "reads": torch.stack(reads, 1), "memory_before": memory,
                     "memory": new_memory, "hidden": h}
        if cell is not None:
            internals["cell"] = cell
        return logits, state, internals

    def forward(self, x: torch.Tensor, internals: bool = False):
        return unroll("ntm", self.config.inputSize, x, lambda: self.initial_state(x.shape[0], x.device, x.dtype),
                      self.step, lambda steps: stack_internals(steps, self.config.readHeads), internals)


def stack_internals(steps: list[dict], read_heads: int) -> dict[str, torch.Tensor]:
    """Per-step internals stacked along time: [B, T, ...]."""
    out: dict[str, torch.Tensor] = {}
    for key in ("reads", "memory_before", "memory", "hidden", "cell"):
        if key in steps[0]:
            out[key] = torch.stack([s[key] for s in steps], 1)
    for i in range(len(steps[0]["heads"])):
        for name in steps[0]["heads"][i]:
            out[f"heads.{i}.{name}"] = torch.stack([s["heads"][i][name] for s in steps], 1)
    out["read_weightings"] = torch.stack([out[f"heads.{i}.weighting"] for i in range(read_heads)], 2)
    heads = len(steps[0]["heads"])
    out["write_weightings"] = torch.stack([out[f"heads.{i}.weighting"] for i in range(read_heads, heads)], 2)
    out["write_weighting"] = out[f"heads.{read_heads}.weighting"]
    return out
