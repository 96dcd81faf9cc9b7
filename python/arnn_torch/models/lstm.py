"""arnn's LSTM baseline in PyTorch (docs/models/lstm.md): `nn.LSTM` then `nn.Linear`, arnn's names."""

from __future__ import annotations

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
