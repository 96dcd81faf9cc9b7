"""arnn's Adaptive Computation Time model in PyTorch, transcribed from docs/models/act.md (equation numbers
cite it): a tanh RNN cell, or an LSTM cell, that ponders, batched with the doc's `going` / `stopping` masks.

Parameter names are those of docs/checkpoints.md ("Adaptive Computation Time"): for the tanh cell
`cell.weight_ih` [H, X+1] (the last column reads the first-sub-step flag), `cell.weight_hh`, one
`cell.bias`; for the LSTM cell an `nn.LSTMCell`'s four; then the `output` and `halt` linear layers, which
read the state s: h for the tanh cell, [h ; c] (2H wide) for the LSTM.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..config import Config, Field
from ..errors import ArnnError


class ACTConfig(Config):
    """arnn's `ACTConfig` (Sources/Models/ACT/ACTConfig.swift)."""

    model = "ACT"
    fields = (
        Field("inputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("outputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("hiddenSize", int, 128, lambda v: 1 <= v <= 8192, "in 1...8192"),
        Field("cell", str, "rnn", lambda v: v in ("rnn", "lstm"), "\"rnn\" or \"lstm\""),
        Field("maxSteps", int, 100, lambda v: 1 <= v <= 10000, "in 1...10000"),
        Field("epsilon", float, 0.01, lambda v: 0 < v < 1, "in (0, 1)"),
        Field("tau", float, 1e-3, lambda v: math.isfinite(v) and v >= 0, "finite and at least 0"),
    )


class RNNCell(nn.Module):
    """Eq. (1)'s cell: nn.RNNCell's names with a single bias."""

    def __init__(self, input_size: int, hidden: int) -> None:
        super().__init__()
        k = hidden ** -0.5
        self.weight_ih = nn.Parameter(torch.empty(hidden, input_size).uniform_(-k, k))
        self.weight_hh = nn.Parameter(torch.empty(hidden, hidden).uniform_(-k, k))
        self.bias = nn.Parameter(torch.empty(hidden).uniform_(-k, k))

    def forward(self, x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x @ self.weight_ih.T + s @ self.weight_hh.T + self.bias)


class ACT(nn.Module):
    """arnn's `act`: `model(x)` with x [B, T, X] gives the p-weighted logits [B, T, Y] of eq. (7).

    `model(x, internals=True)` also returns `steps` N(t), `remainder` R(t) and `ponder` ρ_t [B, T], the
    `state` s_t [B, T, S] (S = H, or 2H for the LSTM's [h ; c]), and `halting` h and `weights` p [B, T, S] (S = the most sub-steps any example
    took; 0 after an example's own N). `auxiliary_cost` is ρ_t, which the trainer weighs by `tau`.
    """

    kind = "act"
    Config = ACTConfig

    def __init__(self, config: ACTConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.is_lstm = c.cell == "lstm"
        if self.is_lstm:
            self.cell = nn.LSTMCell(c.inputSize + 1, c.hiddenSize)   # eq. (1b); its state s is [h ; c]
            self.state_size = 2 * c.hiddenSize
        else:
            self.cell = RNNCell(c.inputSize + 1, c.hiddenSize)
            self.state_size = c.hiddenSize
        self.output = nn.Linear(self.state_size, c.outputSize)
        self.halt = nn.Linear(self.state_size, 1)
        with torch.no_grad():
            self.halt.bias.fill_(1.0)  # "Halting bias" in docs/models/act.md

    @property
    def auxiliary_weight(self) -> float:
        return self.config.tau

    def _sub_step(self, x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        if self.is_lstm:
            h, c = self.cell(x, (s[:, :self.config.hiddenSize], s[:, self.config.hiddenSize:]))  # (1b)
            return torch.cat([h, c], dim=1)
        return self.cell(x, s)                                                           # (1)

    def step(self, x: torch.Tensor, s: torch.Tensor) -> dict:
        """One input step for a batch, eqs. (1)-(8): x [B, X], s = s_{t−1} [B, S]."""
        c = self.config
        b = x.shape[0]
        threshold = torch.tensor(1.0, dtype=x.dtype) - torch.tensor(c.epsilon, dtype=x.dtype)  # 1 − ε in float32
        budget = torch.zeros(b, 1, dtype=x.dtype, device=x.device)      # Σ h in sub-step order, no gradient
        running = torch.ones(b, 1, dtype=torch.bool, device=x.device)
        steps = torch.zeros(b, 1, dtype=x.dtype, device=x.device)
        going_h = []                                                      # going_n ⊙ h_n
        stopping, states, outputs, halting = [], [], [], []
        sub = s
        for n in range(1, c.maxSteps + 1):
            flag = torch.full((b, 1), 1.0 if n == 1 else 0.0, dtype=x.dtype, device=x.device)
            sub = self._sub_step(torch.cat([x, flag], dim=1), sub)                       # (1), (1b)
            y = self.output(sub)                                                         # (2)
            h = torch.sigmoid(self.halt(sub))                                            # (3)
            budget = budget + h.detach()
            halts = running & ((budget >= threshold) | (n == c.maxSteps))                # (4)
            going = (running & ~halts).to(x.dtype)
            stop = halts.to(x.dtype)
            steps = steps + running.to(x.dtype)
            going_h.append(going * h)
            stopping.append(stop)
            states.append(sub); outputs.append(y); halting.append(h * running.to(x.dtype))
            running = running & ~halts
            if not running.any():
                break
        remainder = 1 - sum(going_h)                                                     # (5)
        p = [g + st * remainder for g, st in zip(going_h, stopping)]                     # (6)
        state = sum(pn * sn for pn, sn in zip(p, states))                                # (7)
        logits = sum(pn * yn for pn, yn in zip(p, outputs))
        ponder = steps + remainder                                                       # (8)
        return {"state": state, "logits": logits, "steps": steps[:, 0], "remainder": remainder[:, 0],
                "ponder": ponder[:, 0], "halting": torch.cat(halting, 1), "weights": torch.cat(p, 1)}

    def forward(self, x: torch.Tensor, internals: bool = False):
        c = self.config
        if x.dim() != 3 or x.shape[-1] != c.inputSize:
            raise ArnnError(f"act: input must be [batch, time, {c.inputSize}], got {list(x.shape)}")
        if not x.is_floating_point():
            raise ArnnError(f"act: input must be floating point, got {x.dtype}")
        s = torch.zeros(x.shape[0], self.state_size, dtype=x.dtype, device=x.device)
        steps = []
        for t in range(x.shape[1]):
            out = self.step(x[:, t], s)
            s = out["state"]
            steps.append(out)
        logits = torch.stack([o["logits"] for o in steps], 1)
        if not internals:
            return logits
        width = max(o["halting"].shape[1] for o in steps)
        pad = lambda v: torch.nn.functional.pad(v, (0, width - v.shape[1]))  # noqa: E731
        inner = {k: torch.stack([o[k] for o in steps], 1) for k in ("steps", "remainder", "ponder", "state")}
        inner["halting"] = torch.stack([pad(o["halting"]) for o in steps], 1)
        inner["weights"] = torch.stack([pad(o["weights"]) for o in steps], 1)
        inner["auxiliary_cost"] = inner["ponder"]
        return logits, inner
