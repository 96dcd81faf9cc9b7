#!/usr/bin/env python3
"""Write Tests/Fixtures/dnc_parity.safetensors: PyTorch reference values for arnn's DNC.

The Swift test `DNCTests.matchesPyTorchOverAWholeEpisode` loads the weights in this file as an arnn
checkpoint (kind "dnc") and checks every step's logits, memory bookkeeping and the gradient of every
parameter against the values PyTorch computed here, to 1e-5. The suite never runs Python; this script is
only run by hand, when the fixture has to change, and both files are committed.

    python3 Tests/Fixtures/make_dnc_fixture.py

The model is arnn_torch's `DNC` (python/arnn_torch/models/dnc.py, imported from this repository; it was
first written in this file), a transcription of docs/models/dnc.md into PyTorch, written from that page
(equation numbers in comments refer to it), not from arnn's Swift: an nn.LSTMCell controller, one nn.Linear for the
interface vector and one for the output, in a module whose state_dict() names its parameters exactly as
arnn does, so the file minus its "reference." tensors is a valid arnn checkpoint. After PyTorch's default
initialisation the interface layer is scaled by 2 and its write-gate bias set to 4, so that writes are
decided and the allocation, links and read modes all reach the loss. The reference tensors
(float32; the sequence axis first):

    reference.input            [T, B, X]     inputs, uniform in [-1, 1)
    reference.upstream         [T, B, Y]     fixed random upstream gradient dy
    reference.logits           [T, B, Y]     y_t (19)
    reference.usage            [T, B, N]     u_t (8)
    reference.allocation       [T, B, N]     a_t (9)
    reference.write_weighting  [T, B, N]     w_t^w (11)
    reference.memory           [T, B, N, W]  M_t (12)
    reference.link             [T, B, N, N]  L_t (13)
    reference.precedence       [T, B, N]     p_t (14)
    reference.forward          [T, B, R, N]  f_t^i (15)
    reference.backward         [T, B, R, N]  b_t^i (15)
    reference.read_content     [T, B, R, N]  c_t^{r,i} (16)
    reference.read_weightings  [T, B, R, N]  w_t^{r,i} (17)
    reference.reads            [T, B, R, W]  r_t^i (18)
    reference.grad.<parameter name>          d(loss)/d(parameter) for loss = sum_t (logits_t * dy_t).sum()
"""

from __future__ import annotations

import json
import pathlib
import sys

import safetensors
import torch
from safetensors.torch import save_file

# The model lives in this repository's python/ package; its helpers are re-exported for
# scripts/bench_pytorch_dnc.py, which imports them from this file.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
from arnn_torch.models.dnc import DNC, DNCConfig, allocation_weighting, content_weighting, oneplus  # noqa: E402,F401

SEED = 0
INPUT, OUTPUT = 5, 4                      # X, Y
ROWS, WIDTH, READS, HIDDEN = 6, 4, 2, 8   # N, W, R, H
STEPS, BATCH = 5, 2
MEMORY_INIT = 1e-6                        # mu, eq. (1)
EPS = 1e-6                                # epsilon of (6) and (9)
INTERFACE = READS * WIDTH + 3 * WIDTH + 5 * READS + 3
WRITE_GATE = READS * WIDTH + 2 * READS + 3 * WIDTH + 2   # index of the write gate in xi, eq. (4)
INTERFACE_SCALE, WRITE_GATE_BIAS = 2.0, 4.0
OUT = pathlib.Path(__file__).resolve().parent / "dnc_parity.safetensors"


def make_model() -> DNC:
    """arnn_torch's `dnc` (python/arnn_torch/models/dnc.py) with this fixture's sizes."""
    return DNC(DNCConfig(inputSize=INPUT, outputSize=OUTPUT, memoryRows=ROWS, memoryWidth=WIDTH,
                         readHeads=READS, controllerSize=HIDDEN, memoryInit=MEMORY_INIT))


def check_bookkeeping(trace: dict[str, torch.Tensor]) -> float:
    """Re-derive allocation and links with plain loops (no sort or cumprod kernels); return the smallest
    gap between two distinct usages in float ulps (2^-23 of the larger), which must stay far above
    rounding for arnn to sort them in the same order. Exact ties are rows no write has told apart yet."""
    smallest_gap = float("inf")
    for t in range(STEPS):
        for b in range(BATCH):
            u = [EPS + (1 - EPS) * float(v) for v in trace["usage"][t, b]]
            order = sorted(range(ROWS), key=lambda i: (u[i], i))
            a, p = [0.0] * ROWS, 1.0
            for i in order:
                a[i], p = (1 - u[i]) * p, p * u[i]
            assert torch.allclose(torch.tensor(a, dtype=torch.float64), trace["allocation"][t, b].double(), atol=1e-6), (t, b)
            gaps = [(u[j] - u[i]) / (u[j] * 2.0 ** -23) for i, j in zip(order, order[1:]) if u[j] != u[i]]
            smallest_gap = min([smallest_gap] + gaps)
            link = trace["link"][t, b]
            assert (link.diagonal() == 0).all() and (link >= 0).all()
            assert (link.sum(0) <= 1 + 1e-6).all() and (link.sum(1) <= 1 + 1e-6).all()
            assert float(trace["precedence"][t, b].sum()) <= 1 + 1e-6
    return smallest_gap


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run

    model = make_model()
    with torch.no_grad():
        # PyTorch's default initialisation leaves the write gate near 0.5 and every weighting nearly
        # uniform, so the links and the allocation barely reach the output. A larger interface layer and a
        # write gate held open make every path of the step matter to the gradients.
        model.interface.weight.mul_(INTERFACE_SCALE)
        model.interface.bias.mul_(INTERFACE_SCALE)
        model.interface.bias[WRITE_GATE] = WRITE_GATE_BIAS
    x = torch.rand(STEPS, BATCH, INPUT) * 2 - 1
    upstream = torch.randn(STEPS, BATCH, OUTPUT)
    logits, trace = model(x.transpose(0, 1), internals=True)   # the module takes [B, T, X]
    logits = logits.transpose(0, 1)
    trace = {k: v.transpose(0, 1) for k, v in trace.items()}
    (logits * upstream).sum().backward()
    with torch.no_grad():
        smallest_gap = check_bookkeeping(trace)
    assert smallest_gap > 16, f"two usages within {smallest_gap:.1f} ulps: their order may differ in arnn"

    tensors: dict[str, torch.Tensor] = {}
    for name, p in model.named_parameters():
        tensors[name] = p.detach().clone().contiguous()
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    tensors["reference.input"] = x.clone().contiguous()
    tensors["reference.upstream"] = upstream.clone().contiguous()
    tensors["reference.logits"] = logits.detach().clone().contiguous()
    for k, v in trace.items():
        tensors[f"reference.{k}"] = v.detach().clone().contiguous()
    expected = {f"controller.{w}" for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")} \
        | {f"{layer}.{w}" for layer in ("interface", "output") for w in ("weight", "bias")}
    assert {n for n, _ in model.named_parameters()} == expected
    for name, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), name

    config = {"controllerSize": HIDDEN, "inputSize": INPUT, "memoryInit": MEMORY_INIT, "memoryRows": ROWS,
              "memoryWidth": WIDTH, "outputSize": OUTPUT, "readHeads": READS}
    metadata = {
        "arnn.kind": "dnc",
        "arnn.config": json.dumps(config, sort_keys=True, separators=(",", ":")),
        "generator": "make_dnc_fixture.py",
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "seed": str(SEED),
        "dtype": "float32",
        "steps": str(STEPS),
        "batch": str(BATCH),
        "epsilon": repr(EPS),
        "interface_scale": repr(INTERFACE_SCALE),
        "write_gate_bias": repr(WRITE_GATE_BIAS),
        "tolerance": repr(1e-5),
        "smallest_usage_gap_ulps": repr(round(smallest_gap, 1)),
    }
    save_file(tensors, str(OUT), metadata=metadata)
    spread = {k: (round(float(v.detach().min()), 4), round(float(v.detach().max()), 4)) for k, v in trace.items()}
    print(f"wrote {OUT.name}: {len(tensors)} tensors, {OUT.stat().st_size} bytes, torch {torch.__version__}, "
          f"smallest usage gap {smallest_gap:.1f} ulps")
    for k, v in spread.items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
