"""arnn's LSTM baseline in PyTorch (docs/models/lstm.md): `nn.LSTM` then `nn.Linear`, arnn's names."""

from __future__ import annotations

from typing import Optional

import torch
from torch import nn

from ..config import Config, Field, in_range
from ..errors import ArnnError


class LSTMConfig(Config):
    """arnn's `LSTMConfig` (Sources/Models/LSTM/LSTMConfig.swift)."""

    model = "LSTM"
    fields = (
        Field("inputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("outputSize", int, check=lambda v: v >= 1, expected="at least 1"),
        Field("hiddenSize", int, 256, in_range(1, 8192), "in 1...8192"),
        Field("layers", int, 1, in_range(1, 16), "in 1...16"),
    )


class LSTMBaseline(nn.Module):
    """arnn's `lstm`: `model(x)` with x [B, T, X] gives the logits [B, T, Y] of eq. (7).

    `model(x, internals=True)` also returns `hidden` and `cell` [B, T, L, H] (every layer after every
    step, eqs. (5)-(6)); the zero initial state of eq. (1) is not stored.
    """

    kind = "lstm"
    Config = LSTMConfig

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.lstm = nn.LSTM(config.inputSize, config.hiddenSize, num_layers=config.layers, batch_first=True)
        self.output = nn.Linear(config.hiddenSize, config.outputSize)

    def step(self, x: torch.Tensor, state: Optional[list] = None) -> tuple[torch.Tensor, list]:
        """One timestep, eqs. (1)-(7), for x [B, X]: (logits [B, Y], next state). `state` is one (h, c) pair
        [B, H] per layer, bottom first (None: the zero state of eq. (1)). Each layer is `torch.lstm_cell` on
        nn.LSTM's own weights, so stepping gives `model(x)`'s logits without nn.LSTM's per-call overhead."""
        lstm = self.lstm
        if state is None:
            zero = x.new_zeros(x.shape[0], lstm.hidden_size)
            state = [(zero, zero)] * lstm.num_layers
        inp, new_state = x, []
        for k, hc in enumerate(state):
            h, c = torch.lstm_cell(inp, hc, getattr(lstm, f"weight_ih_l{k}"), getattr(lstm, f"weight_hh_l{k}"),
                                   getattr(lstm, f"bias_ih_l{k}"), getattr(lstm, f"bias_hh_l{k}"))   # (2)-(6)
            new_state.append((h, c))
            inp = h
        return self.output(inp), new_state                                                      # (7)

    def forward(self, x: torch.Tensor, internals: bool = False):
        if x.dim() != 3 or x.shape[-1] != self.config.inputSize:
            raise ArnnError(f"lstm: input must be [batch, time, {self.config.inputSize}], got {list(x.shape)}")
        if not x.is_floating_point():
            raise ArnnError(f"lstm: input must be floating point, got {x.dtype}")
        if not internals:
            top, _ = self.lstm(x)                                   # (1)-(6), zero initial state
            return self.output(top)                                 # (7)
        # Step by step, to keep every layer's state (nn.LSTM returns only the top layer's h).
        hs, cs, state = [], [], None
        for t in range(x.shape[1]):
            _, state = self.lstm(x[:, t : t + 1], state)
            hs.append(state[0].transpose(0, 1))
            cs.append(state[1].transpose(0, 1))
        hidden, cell = torch.stack(hs, 1), torch.stack(cs, 1)
        return self.output(hidden[:, :, -1]), {"hidden": hidden, "cell": cell}
