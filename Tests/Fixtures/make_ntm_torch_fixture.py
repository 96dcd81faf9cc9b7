#!/usr/bin/env python3
"""Write Tests/Fixtures/ntm_torch_parity.safetensors: arnn_torch's NTM (python/) as a reference for arnn's.

The Swift test `NTMTests.matchesArnnTorchOverAWholeEpisode` loads the weights in this file as an arnn
checkpoint (kind "ntm") and checks every step's logits, read and write weightings, read vectors and memory,
and the gradient of every parameter, against the values computed here, to 1e-5. The suite never runs
Python; this script is run by hand when the fixture must change, and both files are committed.

    python3 Tests/Fixtures/make_ntm_torch_fixture.py

The model is `arnn_torch.NTM` (python/arnn_torch/models/ntm.py, a transcription of docs/models/ntm.md),
imported from this repository's python/ folder, with its documented initialisation under the seed. The
script also re-runs the forward pass with plain float64 loops written from the doc's equations (no torch
ops) and checks torch against them, so the fixture does not rest on the module alone.

Tensors (float32, sequence axis first):

    reference.input            [T, B, X]     inputs, uniform in [0, 1)
    reference.upstream         [T, B, Y]     fixed random upstream gradient dy (standard normal)
    reference.logits           [T, B, Y]     eq. (14)
    reference.read_weightings  [T, B, R, N]  eq. (11) for each read head
    reference.write_weighting  [T, B, N]     eq. (11) for the write head
    reference.reads            [T, B, R, M]  eq. (12)
    reference.memory           [T, B, N, M]  memory after the step's write, eq. (13)
    reference.grad.<name>      d(loss)/d(parameter) for loss = Σ_t (logits_t · dy_t).sum()
"""

from __future__ import annotations

import math
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "python"))

import safetensors  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

import arnn_torch  # noqa: E402
from arnn_torch.models.ntm import NTM, NTMConfig  # noqa: E402

SEED = 0
STEPS, BATCH = 6, 2
CONFIG = dict(inputSize=4, outputSize=3, memoryRows=8, memoryWidth=5, controllerSize=10, readHeads=2,
              shiftRange=1, memoryInit=1e-6)
HEAD_SCALE, BETA_BIAS, GAMMA_BIAS = 2.0, 2.0, 2.0
OUT = HERE / "ntm_torch_parity.safetensors"


def plain_forward(model: NTM, x: torch.Tensor) -> dict[str, list]:
    """docs/models/ntm.md in plain float64 Python loops, one example at a time."""
    c = model.config
    N, M, H, R, S = c.memoryRows, c.memoryWidth, c.controllerSize, c.readHeads, c.shiftRange
    P = {k: v.detach().double().tolist() for k, v in model.state_dict().items()}

    def linear(w, b, v):
        return [sum(wi * vi for wi, vi in zip(row, v)) + bi for row, bi in zip(w, b)]

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    def softplus(z):
        return z if z > 20 else math.log1p(math.exp(z))

    def softmax(v):
        mx = max(v)
        e = [math.exp(z - mx) for z in v]
        return [z / sum(e) for z in e]

    out = {"logits": [], "read_w": [], "write_w": [], "memory": []}
    for b in range(x.shape[1]):
        mem = [[c.memoryInit] * M for _ in range(N)]                                      # (1)
        reads = [list(r) for r in P["read_init"]]                                         # (2)
        h, cell = P["controller.h0"], P["controller.c0"]                                  # (3)
        prev = [[1.0] + [0.0] * (N - 1) for _ in range(R + 1)]                            # (4)
        per = {k: [] for k in out}
        for t in range(x.shape[0]):
            inp = x[t, b].double().tolist() + sum(reads, [])
            z = [a + bb for a, bb in zip(linear(P["controller.weight_ih"], P["controller.bias_ih"], inp),
                                         linear(P["controller.weight_hh"], P["controller.bias_hh"], h))]
            i, f, g, o = (z[k * H:(k + 1) * H] for k in range(4))                        # (5)
            cell = [sigmoid(fv) * cv + sigmoid(iv) * math.tanh(gv) for iv, fv, gv, cv in zip(i, f, g, cell)]
            h = [sigmoid(ov) * math.tanh(cv) for ov, cv in zip(o, cell)]
            weightings, erase_add = [], None
            for k in range(R + 1):
                name = f"read_heads.{k}.fc" if k < R else "write_head.fc"
                raw = linear(P[name + ".weight"], P[name + ".bias"], h)                  # (6)
                key = raw[:M]
                beta, gate = softplus(raw[M]), sigmoid(raw[M + 1])                        # (7)
                s = softmax(raw[M + 2:M + 2 + 2 * S + 1])
                gamma = 1 + softplus(raw[M + 3 + 2 * S])
                nk = math.sqrt(sum(v * v for v in key) + 1e-16)
                sim = [sum(a * bb for a, bb in zip(row, key)) / (math.sqrt(sum(v * v for v in row) + 1e-16) * nk)
                       for row in mem]                                                    # (8)
                wc = softmax([beta * v for v in sim])
                wg = [gate * a + (1 - gate) * p for a, p in zip(wc, prev[k])]            # (9)
                ws = [sum(s[j] * wg[(ii - (j - S)) % N] for j in range(2 * S + 1)) for ii in range(N)]  # (10)
                mx = max(ws)
                u = [(v / mx) ** gamma for v in ws]
                w = [v / (sum(u) + 1e-16) for v in u]                                     # (11)
                weightings.append(w)
                if k == R:
                    base = M + 4 + 2 * S
                    erase_add = ([sigmoid(v) for v in raw[base:base + M]], raw[base + M:base + 2 * M])
            reads = [[sum(weightings[k][ii] * mem[ii][j] for ii in range(N)) for j in range(M)]
                     for k in range(R)]                                                   # (12)
            e, a = erase_add
            ww = weightings[R]
            mem = [[mem[ii][j] * (1 - ww[ii] * e[j]) + ww[ii] * a[j] for j in range(M)] for ii in range(N)]  # (13)
            per["logits"].append(linear(P["output.weight"], P["output.bias"], h + sum(reads, [])))  # (14)
            per["read_w"].append(weightings[:R])
            per["write_w"].append(ww)
            per["memory"].append(mem)
            prev = weightings
        for k in out:
            out[k].append(per[k])
    # [B, T, ...] -> [T, B, ...]
    return {k: torch.tensor(v, dtype=torch.float64).transpose(0, 1) for k, v in out.items()}


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run

    model = NTM(NTMConfig(**CONFIG))
    # With the documented initialisation alone γ ≈ 1.7 and β ≈ 0.7: every weighting is nearly uniform
    # within a few steps, and sharpening and content addressing barely shape it. Larger head weights and
    # biases for β̂ and γ̂ give focused weightings that still move between rows (checked below).
    with torch.no_grad():
        m, k = CONFIG["memoryWidth"], 2 * CONFIG["shiftRange"] + 1
        for head in list(model.read_heads) + [model.write_head]:
            head.fc.weight.mul_(HEAD_SCALE)
            head.fc.bias[m] = BETA_BIAS
            head.fc.bias[m + 2 + k] = GAMMA_BIAS
    x = torch.rand(STEPS, BATCH, CONFIG["inputSize"])
    upstream = torch.randn(STEPS, BATCH, CONFIG["outputSize"])

    logits, inner = model(x.transpose(0, 1), internals=True)   # the module takes [B, T, X]
    logits = logits.transpose(0, 1)
    (logits * upstream).sum().backward()
    ref = {
        "logits": logits.detach(),
        "read_weightings": inner["read_weightings"].detach().transpose(0, 1),
        "write_weighting": inner["write_weighting"].detach().transpose(0, 1),
        "reads": inner["reads"].detach().transpose(0, 1),
        "memory": inner["memory"].detach().transpose(0, 1),
    }

    plain = plain_forward(model, x)
    worst = 0.0
    for name, key in [("logits", "logits"), ("read_weightings", "read_w"), ("write_weighting", "write_w"),
                      ("memory", "memory")]:
        diff = (ref[name].double() - plain[key]).abs().max().item()
        worst = max(worst, diff)
        assert diff < 1e-5, f"{name}: torch and the plain equations differ by {diff}"
    # The episode must exercise addressing: weightings that are neither uniform nor stuck on one row.
    w = ref["write_weighting"]
    peaks = torch.cat([ref["write_weighting"], ref["read_weightings"].flatten(1, 2)], 1).max(-1).values
    assert peaks.max() < 0.99 and peaks.min() > 2 / CONFIG["memoryRows"], f"degenerate weightings {peaks}"

    tensors: dict[str, torch.Tensor] = {}
    for name, p in model.named_parameters():
        tensors[name] = p.detach().clone().contiguous()
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    tensors["reference.input"] = x.clone().contiguous()
    tensors["reference.upstream"] = upstream.clone().contiguous()
    for name, t in ref.items():
        tensors[f"reference.{name}"] = t.clone().contiguous()
    for name, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), name

    metadata = {
        "arnn.kind": "ntm",
        "arnn.config": model.config.to_json(),
        "generator": "make_ntm_torch_fixture.py",
        "arnn_torch": arnn_torch.__version__,
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "seed": str(SEED),
        "dtype": "float32",
        "steps": str(STEPS),
        "batch": str(BATCH),
        "tolerance": repr(1e-5),
        "head_scale": repr(HEAD_SCALE), "beta_bias": repr(BETA_BIAS), "gamma_bias": repr(GAMMA_BIAS),
        "plain_equations_max_difference": f"{worst:.3g}",
    }
    save_file(tensors, str(OUT), metadata=metadata)
    print(f"wrote {OUT.name}: {len(tensors)} tensors, {OUT.stat().st_size} bytes, torch {torch.__version__}; "
          f"torch vs plain float64 equations: {worst:.2g}")


if __name__ == "__main__":
    main()
