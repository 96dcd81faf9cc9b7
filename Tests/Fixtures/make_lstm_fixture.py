#!/usr/bin/env python3
"""Write Tests/Fixtures/lstm_parity.safetensors: PyTorch reference values for arnn's LSTM baseline.

The Swift test `LSTMTests.matchesPyTorchOverAWholeEpisode` loads the weights in this file as an arnn
checkpoint (kind "lstm") and checks every step's logits and the gradient of every parameter against
the values PyTorch computed here, to 1e-5. The suite never runs Python; this script is only run by
hand, when the fixture has to change, and both files are committed.

    python3 Tests/Fixtures/make_lstm_fixture.py

The model is torch.nn.LSTM(5, 6, num_layers=2) followed by nn.Linear(6, 4), in a module whose
state_dict() names its parameters exactly as arnn does ("lstm.weight_ih_l0", ..., "output.bias"), so
the weights are stored under those names and the file, minus its "reference." tensors, is a valid arnn
checkpoint. The reference tensors (float32; the sequence axis first, as nn.LSTM's default layout):

    reference.input     [T, B, X]   inputs, uniform in [-1, 1)
    reference.logits    [T, B, Y]   output-layer logits at every step
    reference.upstream  [T, B, Y]   fixed random upstream gradient dy
    reference.grad.<parameter name>  d(loss)/d(parameter) for loss = (logits * dy).sum()

The loss is the sum over steps of logits · dy, so the stored gradients are exactly the vector-Jacobian
products arnn's backward computes when handed dy through a whole 7-step episode.
"""

from __future__ import annotations

import json
import pathlib
import sys

import safetensors
import torch
from safetensors.torch import save_file

SEED = 0
INPUT, HIDDEN, OUTPUT, LAYERS = 5, 6, 4, 2
STEPS, BATCH = 7, 3
OUT = pathlib.Path(__file__).resolve().parent / "lstm_parity.safetensors"


class LSTMBaseline(torch.nn.Module):
    """arnn's `lstm` model: a stack of LSTM layers, then a linear layer to the logits."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = torch.nn.LSTM(INPUT, HIDDEN, num_layers=LAYERS)  # default init: U(±1/sqrt(H))
        self.output = torch.nn.Linear(HIDDEN, OUTPUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(x)  # zero initial state, as arnn's
        return self.output(h)


def check_equations(model: LSTMBaseline, x: torch.Tensor, logits: torch.Tensor) -> float:
    """Re-run the episode with the equations of docs/models/lstm.md; return the largest |pre-activation|."""
    lstm = model.lstm
    h = [torch.zeros(BATCH, HIDDEN) for _ in range(LAYERS)]
    c = [torch.zeros(BATCH, HIDDEN) for _ in range(LAYERS)]
    max_pre = 0.0
    for t in range(STEPS):
        below = x[t]
        for k in range(LAYERS):
            w_ih, w_hh = getattr(lstm, f"weight_ih_l{k}"), getattr(lstm, f"weight_hh_l{k}")
            b_ih, b_hh = getattr(lstm, f"bias_ih_l{k}"), getattr(lstm, f"bias_hh_l{k}")
            z = below @ w_ih.T + b_ih + h[k] @ w_hh.T + b_hh                      # (3)
            i, f, g, o = z.chunk(4, dim=1)
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)  # (4)
            c[k] = f * c[k] + i * g                                                 # (5)
            h[k] = o * torch.tanh(c[k])                                             # (6)
            below = h[k]                                                            # (2)
            max_pre = max(max_pre, z.abs().max().item())
        y = model.output(below)                                                     # (7)
        assert torch.allclose(y, logits[t], atol=1e-6), f"step {t}: equations disagree with torch"
    return max_pre


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run

    model = LSTMBaseline()
    x = torch.rand(STEPS, BATCH, INPUT) * 2 - 1
    upstream = torch.randn(STEPS, BATCH, OUTPUT)

    logits = model(x)
    (logits * upstream).sum().backward()

    with torch.no_grad():
        max_pre = check_equations(model, x, logits)
    assert max_pre < 3.0, f"LSTM gates saturated: max |pre-activation| = {max_pre}"

    tensors: dict[str, torch.Tensor] = {}
    for name, p in model.named_parameters():
        tensors[name] = p.detach().clone().contiguous()
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    tensors["reference.input"] = x.clone().contiguous()
    tensors["reference.logits"] = logits.detach().clone().contiguous()
    tensors["reference.upstream"] = upstream.clone().contiguous()
    expected = {f"lstm.{w}_l{k}" for k in range(LAYERS) for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    assert {n for n, _ in model.named_parameters()} == expected | {"output.weight", "output.bias"}
    for name, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), name

    config = {"hiddenSize": HIDDEN, "inputSize": INPUT, "layers": LAYERS, "outputSize": OUTPUT}
    metadata = {
        "arnn.kind": "lstm",
        "arnn.config": json.dumps(config, sort_keys=True, separators=(",", ":")),
        "generator": "make_lstm_fixture.py",
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "seed": str(SEED),
        "dtype": "float32",
        "steps": str(STEPS),
        "batch": str(BATCH),
        "tolerance": repr(1e-5),
        "max_abs_preactivation": repr(round(max_pre, 4)),
    }
    save_file(tensors, str(OUT), metadata=metadata)
    print(f"wrote {OUT.name}: {len(tensors)} tensors, {OUT.stat().st_size} bytes, torch {torch.__version__}, "
          f"max |pre-activation| {max_pre:.4f}")


if __name__ == "__main__":
    main()
