#!/usr/bin/env python3
"""Write Tests/Fixtures/act_parity.safetensors (tanh cell) and, with `--cell lstm`,
Tests/Fixtures/act_lstm_parity.safetensors (LSTM cell): PyTorch reference values for arnn's ACT model.

The Swift test `ACTTests.matchesPyTorchOverATwoStepEpisode` loads the weights in this file as an
arnn checkpoint (kind "act") and checks every step's logits, N, R, p, h and ρ, the loss, and the gradient
of every parameter against the values computed here, to 1e-5. The suite never runs Python; this script
is only run by hand, when the fixture has to change, and both files are committed.

    python3 Tests/Fixtures/make_act_fixture.py
    python3 Tests/Fixtures/make_act_fixture.py --cell lstm

With `--cell lstm` the cell is an nn.LSTMCell reading [x ; δ_{n=1}] and the state s is [h ; c] (2H wide),
which the output layer, the halting unit and the means of eq. (7) read (docs/models/act.md, eq. (1b)).

The model is transcribed from docs/models/act.md, not from the Swift code (equation numbers below refer
to the doc), and runs each example of the batch on its own: its own loop of sub-steps, stopping at its
own N. arnn runs the batch together with masks, so agreement also checks the doc's batching claim (each
example gets exactly what it would alone).

The loss is the one arnn's trainer differentiates for a recurrent model with an auxiliary loss
(`BitObjective.train`): the masked sum of binary cross-entropy with logits, in nats, over the scored
outputs, plus τ·ρ summed over every example's steps. The trainer then multiplies it by 1/(scored bits);
that is a uniform scale, left out here (lossScale = 1) so the gradients keep their size. τ is 0.1, not
the default 1e-3, so the ponder cost's gradient (through R alone, eqs. (13)-(14) of the paper) is not
lost in the tolerance.

The weights are PyTorch's default initialisation for the doc's shapes (uniform in ±1/√H for the cell,
nn.Linear's for `output` and `halt`) under seed 5, with the halting unit's weights multiplied by
HALT_GAIN and its bias set to HALT_BIAS, so that the three examples halt after different numbers of
sub-steps, one of them at the cap M. The script asserts that, and that no cumulative halting sum of a
sub-step up to N lies within MARGIN of 1 − ε, so float rounding cannot change any N. (The seed, gain and
bias came from a small search over seeds 0-5, gains 2-6 and biases −3…1 for these properties; seed 5
keeps every budget at least 0.059 from 1 − ε.) Tensors (float32):

    reference.input     [T, B, X]   inputs, uniform in [-1, 1)
    reference.targets   [T, B, Y]   0/1 targets
    reference.mask      [T, B]      1 where a step's outputs are scored (the BCE's weights)
    reference.logits    [T, B, Y]   y_t (7)
    reference.steps     [T, B]      N(t) (4), as float
    reference.remainder [T, B]      R(t) (5)
    reference.halting   [T, B, S]   h_t^n (3) for n ≤ N(t), 0 after; S = the largest N
    reference.weights   [T, B, S]   p_t^n (6), 0 after N(t)
    reference.ponder    [T, B]      ρ_t = N(t) + R(t) (8)
    reference.loss      [1]         the loss above
    reference.grad.<parameter name> d(loss)/d(parameter)
"""

from __future__ import annotations

import json
import pathlib
import sys

import safetensors
import torch
from safetensors.torch import save_file

CELL = "lstm" if sys.argv[1:] == ["--cell", "lstm"] else "rnn"
if sys.argv[1:] not in ([], ["--cell", "lstm"], ["--cell", "rnn"]):
    sys.exit("usage: make_act_fixture.py [--cell rnn|lstm]")
INPUT, HIDDEN, OUTPUT = 6, 8, 2
STEPS, BATCH = 2, 3
MAX_STEPS, EPSILON, TAU = 8, 0.01, 0.1
# The seed, gain and bias of each cell's fixture (see the docstring).
LSTM_SEED, LSTM_GAIN, LSTM_BIAS = 0, 6.0, -1.2
SEED, HALT_GAIN, HALT_BIAS = (5, 4.0, -1.2) if CELL == "rnn" else (LSTM_SEED, LSTM_GAIN, LSTM_BIAS)
STATE = HIDDEN if CELL == "rnn" else 2 * HIDDEN
MARGIN = 1e-3
OUT = pathlib.Path(__file__).resolve().parent / ("act_parity.safetensors" if CELL == "rnn" else "act_lstm_parity.safetensors")


class ACT(torch.nn.Module):
    """docs/models/act.md: a tanh RNN cell (or an LSTM cell) reading [x ; δ_{n=1}], an output layer and a
    halting unit."""

    def __init__(self) -> None:
        super().__init__()
        k = HIDDEN ** -0.5
        if CELL == "rnn":
            self.cell = torch.nn.Module()  # one bias, not nn.RNNCell's two ("Parameters" table)
            self.cell.weight_ih = torch.nn.Parameter(torch.empty(HIDDEN, INPUT + 1).uniform_(-k, k))
            self.cell.weight_hh = torch.nn.Parameter(torch.empty(HIDDEN, HIDDEN).uniform_(-k, k))
            self.cell.bias = torch.nn.Parameter(torch.empty(HIDDEN).uniform_(-k, k))
        else:
            self.cell = torch.nn.LSTMCell(INPUT + 1, HIDDEN)
        self.output = torch.nn.Linear(STATE, OUTPUT)
        self.halt = torch.nn.Linear(STATE, 1)

    def sub_step(self, x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        """Eq. (1), or (1b) for the LSTM: s^n from [x ; δ] and s^{n−1}."""
        if CELL == "rnn":
            return torch.tanh(self.cell.weight_ih @ x + self.cell.weight_hh @ s + self.cell.bias)
        h, c = self.cell(x[None], (s[None, :HIDDEN], s[None, HIDDEN:]))
        return torch.cat([h[0], c[0]])

    def input_step(self, x: torch.Tensor, s: torch.Tensor) -> dict:
        """One input step of one example: x [X], s = s_{t−1} [H]."""
        threshold = torch.tensor(1.0) - torch.tensor(EPSILON)  # 1 − ε in float32, as arnn's Float
        budget = torch.tensor(0.0)
        states, logits, halting, cumulative = [], [], [], []
        n = 0
        while True:
            n += 1
            flag = torch.tensor([1.0 if n == 1 else 0.0])                       # δ_{n=1}
            s = self.sub_step(torch.cat([x, flag]), s)                              # (1), (1b)
            y = self.output(s)                                                     # (2)
            h = torch.sigmoid(self.halt(s))[0]                                     # (3)
            states.append(s); logits.append(y); halting.append(h)
            budget = budget + h.detach()                                           # sub-step order, float32
            cumulative.append(budget.item())
            if budget >= threshold or n == MAX_STEPS:                              # (4)
                break
        big_n = n
        remainder = 1 - sum(halting[:big_n - 1], torch.tensor(0.0))                # (5)
        p = halting[:big_n - 1] + [remainder]                                      # (6)
        state = sum(pn * sn for pn, sn in zip(p, states))                          # (7)
        y = sum(pn * yn for pn, yn in zip(p, logits))
        ponder = big_n + remainder                                                 # (8): N has no gradient
        return {"state": state, "logits": y, "steps": big_n, "remainder": remainder, "p": p,
                "halting": halting, "ponder": ponder, "cumulative": cumulative}

    def forward(self, xs: torch.Tensor) -> list[list[dict]]:
        """xs [T, B, X]; every example from s_0 = 0, alone; out[t][b] is input_step's dict."""
        out = [[None] * xs.shape[1] for _ in range(xs.shape[0])]
        for b in range(xs.shape[1]):
            s = torch.zeros(STATE)
            for t in range(xs.shape[0]):
                out[t][b] = self.input_step(xs[t, b], s)
                s = out[t][b]["state"]
        return out


def loss_of(run: list[list[dict]], targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """BitObjective's loss: masked BCE with logits (nats, summed) + τ·Σ ρ (9), lossScale = 1."""
    logits = torch.stack([torch.stack([r["logits"] for r in row]) for row in run])   # [T, B, Y]
    weights = mask[:, :, None].expand_as(logits)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, weight=weights, reduction="sum")
    return bce + TAU * sum(r["ponder"] for row in run for r in row)


def make_model() -> ACT:
    model = ACT()
    with torch.no_grad():
        model.halt.weight.mul_(HALT_GAIN)
        model.halt.bias.fill_(HALT_BIAS)
    return model


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run

    model = make_model()
    x = torch.rand(STEPS, BATCH, INPUT) * 2 - 1
    targets = (torch.rand(STEPS, BATCH, OUTPUT) < 0.5).float()
    mask = torch.ones(STEPS, BATCH)
    mask[0, 1] = 0  # one unscored step: its logits get no BCE gradient, its ρ still counts

    run = model(x)
    loss = loss_of(run, targets, mask)
    loss.backward()

    steps = [[r["steps"] for r in row] for row in run]
    threshold = 1 - EPSILON
    closest = min(abs(c - threshold) for row in run for r in row for c in r["cumulative"])
    assert closest > MARGIN, f"a cumulative halting sum is {closest} from 1 − ε"
    for t, row in enumerate(steps):
        assert len(set(row)) == BATCH, f"step {t}: examples halt after the same number of sub-steps {row}"
    assert any(n == MAX_STEPS for row in steps for n in row), f"no example reaches the cap: {steps}"
    assert any(r["cumulative"][-1] < threshold for row in run for r in row), "the cap example's budget is full"

    # The same episode in float64: the float32 values above are that close to exact.
    model64 = make_model().double()
    model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    with torch.no_grad():
        torch.set_default_dtype(torch.float64)
        run64 = model64(x.double())
        torch.set_default_dtype(torch.float32)
    assert [[r["steps"] for r in row] for row in run64] == steps, "float64 takes other numbers of sub-steps"
    drift = max((r["logits"].double() - r64["logits"]).abs().max().item()
                for row, row64 in zip(run, run64) for r, r64 in zip(row, row64))
    assert drift < 1e-6, f"float32 logits drift {drift} from float64"

    width = max(n for row in steps for n in row)

    def padded(key: str) -> torch.Tensor:
        return torch.tensor([[[v.item() for v in r[key]] + [0.0] * (width - r["steps"]) for r in row] for row in run])

    tensors: dict[str, torch.Tensor] = {}
    for name, p in model.named_parameters():
        tensors[name] = p.detach().clone().contiguous()
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    tensors["reference.input"] = x.clone().contiguous()
    tensors["reference.targets"] = targets.contiguous()
    tensors["reference.mask"] = mask.contiguous()
    tensors["reference.logits"] = torch.stack([torch.stack([r["logits"] for r in row]) for row in run]).detach().contiguous()
    tensors["reference.steps"] = torch.tensor(steps, dtype=torch.float32)
    tensors["reference.remainder"] = torch.tensor([[r["remainder"].item() for r in row] for row in run])
    tensors["reference.ponder"] = torch.tensor([[r["ponder"].item() for r in row] for row in run])
    tensors["reference.halting"] = padded("halting")
    tensors["reference.weights"] = padded("p")
    tensors["reference.loss"] = loss.detach().reshape(1)
    cell_names = {"cell.bias"} if CELL == "rnn" else {"cell.bias_ih", "cell.bias_hh"}
    names = {"cell.weight_ih", "cell.weight_hh", "output.weight", "output.bias", "halt.weight", "halt.bias"} | cell_names
    assert {n for n, _ in model.named_parameters()} == names
    for name, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), name

    config = {"cell": CELL, "epsilon": EPSILON, "hiddenSize": HIDDEN, "inputSize": INPUT, "maxSteps": MAX_STEPS,
              "outputSize": OUTPUT, "tau": TAU}
    metadata = {
        "arnn.kind": "act",
        "arnn.config": json.dumps(config, sort_keys=True, separators=(",", ":")),
        "generator": "make_act_fixture.py",
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "seed": str(SEED),
        "dtype": "float32",
        "steps": str(STEPS),
        "batch": str(BATCH),
        "halt_gain": repr(HALT_GAIN),
        "halt_bias": repr(HALT_BIAS),
        "sub_steps": json.dumps(steps),
        "closest_to_threshold": repr(round(closest, 6)),
        "loss": "masked BCE with logits (sum, nats) + tau * sum of ponder, lossScale 1",
        "tolerance": repr(1e-5),
    }
    save_file(tensors, str(OUT), metadata=metadata)
    print(f"wrote {OUT.name}: {len(tensors)} tensors, {OUT.stat().st_size} bytes, torch {torch.__version__}; "
          f"N = {steps}, closest budget to 1 − ε: {closest:.4f}, float64 drift {drift:.1e}, loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
