#!/usr/bin/env python3
"""Write Tests/Fixtures/ntm_parity.safetensors and ntm_multiwrite_parity.safetensors: PyTorch reference
values for arnn's NTM.

The Swift test `NTMTests.matchesPyTorchOverAWholeEpisode` loads the weights in each file as an arnn
checkpoint (kind "ntm") and checks every step's logits, head weightings, read vectors and memory, and the
gradient of every parameter, against the values PyTorch computed here, to 1e-5. The suite never runs
Python; this script is only run by hand, when a fixture has to change, and all three files are committed.

    python3 Tests/Fixtures/make_ntm_fixture.py

The model below is a transcription of docs/models/ntm.md into PyTorch, written from that page (equation
numbers in comments refer to it), not from arnn's Swift, in a module whose state_dict() names its
parameters exactly as arnn does, so each file minus its "reference." tensors is a valid arnn checkpoint.
Two cases:

    ntm_parity.safetensors            the LSTM controller, 2 read heads, 1 write head (`write_head.fc`)
    ntm_multiwrite_parity.safetensors the feed-forward controller (15), 2 read heads, 2 write heads
                                      (`write_heads.<i>.fc`), whose writes combine by (13)

After PyTorch's default initialisation every head layer is scaled by 3 and its sharpening bias (the
pre-activation of gamma) set to 3, so that weightings stay far from uniform over the whole episode and
every stage of the addressing reaches the gradients. Reference tensors (float32; the sequence
axis first; heads in the order read heads, then write heads):

    reference.input       [T, B, X]        inputs, uniform in [-1, 1)
    reference.upstream    [T, B, Y]        fixed random upstream gradient dy
    reference.logits      [T, B, Y]        (14)
    reference.content     [T, B, R+W, N]   w^c (8)
    reference.weightings  [T, B, R+W, N]   w (11)
    reference.reads       [T, B, R, M]     r_t (12)
    reference.memory      [T, B, N, M]     M_t (13)
    reference.erases      [T, B, W, M]     e (7) of each write head
    reference.adds        [T, B, W, M]     a (7) of each write head
    reference.grad.<parameter name>        d(loss)/d(parameter) for loss = sum_t (logits_t * dy_t).sum()
"""

from __future__ import annotations

import json
import pathlib
import sys

import safetensors
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

SEED = 0
INPUT, OUTPUT = 5, 4                    # X, Y
ROWS, WIDTH, HIDDEN, SHIFT = 6, 4, 8, 1  # N, M, H, S
STEPS, BATCH = 5, 2
MEMORY_INIT = 1e-6                      # mu, eq. (1)
DELTA = 1e-16                           # delta of (8)
HEAD_SCALE, GAMMA_BIAS = 3.0, 3.0
GAMMA_INDEX = WIDTH + 2 + (2 * SHIFT + 1)   # rows k (M), beta, g, s (K), gamma, ... of (6)
HERE = pathlib.Path(__file__).resolve().parent


class Head(torch.nn.Module):
    """One head's linear layer on the controller output, (6): state_dict names `<head>.fc.weight/bias`."""

    def __init__(self, outputs: int) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(HIDDEN, outputs)


class FeedForward(torch.nn.Module):
    """The feed-forward controller of (15): `controller.fc`."""

    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(inputs, HIDDEN)


def address(memory, previous, key, beta, gate, shift, gamma):
    """(8)-(11) for memory [B,N,M], previous weighting [B,N], head parameters as activated by (7)."""
    dot = (memory * key[:, None, :]).sum(-1)
    norms = torch.sqrt((memory * memory).sum(-1) + DELTA) * torch.sqrt((key * key).sum(-1, keepdim=True) + DELTA)
    content = torch.softmax(beta * dot / norms, dim=-1)                                   # (8)
    gated = gate * content + (1 - gate) * previous                                        # (9)
    shifted = sum(shift[:, j:j + 1] * torch.roll(gated, shifts=j - SHIFT, dims=1)         # (10)
                  for j in range(2 * SHIFT + 1))
    u = shifted / shifted.max(dim=-1, keepdim=True).values                                # (11)
    powered = u ** gamma
    return content, powered / (powered.sum(-1, keepdim=True) + 1e-16)


class NTM(torch.nn.Module):
    """arnn's `ntm` model, docs/models/ntm.md."""

    def __init__(self, reads: int, writes: int, controller: str) -> None:
        super().__init__()
        self.reads, self.writes, self.kind = reads, writes, controller
        k = 2 * SHIFT + 1
        if controller == "lstm":
            self.controller = torch.nn.LSTMCell(INPUT + reads * WIDTH, HIDDEN)
            self.controller.h0 = torch.nn.Parameter(torch.randn(HIDDEN) * 0.05)          # (3)
            self.controller.c0 = torch.nn.Parameter(torch.randn(HIDDEN) * 0.05)
        else:
            self.controller = FeedForward(INPUT + reads * WIDTH)
        self.read_init = torch.nn.Parameter(torch.randn(reads, WIDTH) * 0.01)            # (2)
        self.read_heads = torch.nn.ModuleList([Head(WIDTH + 3 + k) for _ in range(reads)])
        if writes == 1:
            self.write_head = Head(3 * WIDTH + 3 + k)
        else:
            self.write_heads = torch.nn.ModuleList([Head(3 * WIDTH + 3 + k) for _ in range(writes)])
        self.output = torch.nn.Linear(HIDDEN + reads * WIDTH, OUTPUT)

    def write_layers(self) -> list[Head]:
        return [self.write_head] if self.writes == 1 else list(self.write_heads)

    def forward(self, x: torch.Tensor):
        b, k = x.shape[1], 2 * SHIFT + 1
        memory = torch.full((b, ROWS, WIDTH), MEMORY_INIT)                                 # (1)
        reads = [self.read_init[i].expand(b, WIDTH) for i in range(self.reads)]           # (2)
        if self.kind == "lstm":
            h, c = self.controller.h0.expand(b, HIDDEN), self.controller.c0.expand(b, HIDDEN)   # (3)
        first_row = torch.zeros(b, ROWS)
        first_row[:, 0] = 1
        weightings = [first_row] * (self.reads + self.writes)                             # (4)
        logits, trace = [], {k: [] for k in ("content", "weightings", "reads", "memory", "erases", "adds")}
        for t in range(x.shape[0]):
            controller_input = torch.cat([x[t]] + reads, dim=1)
            if self.kind == "lstm":
                h, c = self.controller(controller_input, (h, c))                          # (5)
            else:
                h = torch.tanh(self.controller.fc(controller_input))                      # (15)
            heads = list(self.read_heads) + self.write_layers()
            new_weightings, contents, erases, adds = [], [], [], []
            for i, head in enumerate(heads):
                write = i >= self.reads
                sizes = [WIDTH, 1, 1, k, 1] + ([WIDTH, WIDTH] if write else [])
                o = head.fc(h).split(sizes, dim=1)                                        # (6)
                key, beta, gate = o[0], F.softplus(o[1]), torch.sigmoid(o[2])             # (7)
                shift, gamma = torch.softmax(o[3], dim=1), 1 + F.softplus(o[4])
                content, w = address(memory, weightings[i], key, beta, gate, shift, gamma)  # every head sees M_{t-1}
                contents.append(content)
                new_weightings.append(w)
                if write:
                    erases.append(torch.sigmoid(o[5]))
                    adds.append(o[6])
            reads = [(new_weightings[i][:, :, None] * memory).sum(1) for i in range(self.reads)]   # (12)
            kept = torch.ones_like(memory)                                               # (13): erases multiply,
            added = torch.zeros_like(memory)                                             # adds sum, all against M_{t-1}
            for w, e, a in zip(new_weightings[self.reads:], erases, adds):
                kept = kept * (1 - w[:, :, None] * e[:, None, :])
                added = added + w[:, :, None] * a[:, None, :]
            memory = memory * kept + added
            weightings = new_weightings
            logits.append(self.output(torch.cat([h] + reads, dim=1)))                    # (14)
            trace["content"].append(torch.stack(contents, dim=1))
            trace["weightings"].append(torch.stack(new_weightings, dim=1))
            trace["reads"].append(torch.stack(reads, dim=1))
            trace["memory"].append(memory)
            trace["erases"].append(torch.stack(erases, dim=1))
            trace["adds"].append(torch.stack(adds, dim=1))
        return torch.stack(logits), {k: torch.stack(v) for k, v in trace.items()}


def write_case(name: str, seed: int, reads: int, writes: int, controller: str) -> None:
    torch.manual_seed(seed)  # each case on its own seed: either can change without moving the other
    out = HERE / name
    model = NTM(reads, writes, controller)
    with torch.no_grad():
        for head in list(model.read_heads) + model.write_layers():
            head.fc.weight.mul_(HEAD_SCALE)
            head.fc.bias.mul_(HEAD_SCALE)
            head.fc.bias[GAMMA_INDEX] = GAMMA_BIAS
    x = torch.rand(STEPS, BATCH, INPUT) * 2 - 1
    upstream = torch.randn(STEPS, BATCH, OUTPUT)
    logits, trace = model(x)
    (logits * upstream).sum().backward()

    tensors: dict[str, torch.Tensor] = {}
    for pname, p in model.named_parameters():
        tensors[pname] = p.detach().clone().contiguous()
        tensors[f"reference.grad.{pname}"] = p.grad.detach().clone().contiguous()
    tensors["reference.input"] = x.clone().contiguous()
    tensors["reference.upstream"] = upstream.clone().contiguous()
    tensors["reference.logits"] = logits.detach().clone().contiguous()
    for key, v in trace.items():
        tensors[f"reference.{key}"] = v.detach().clone().contiguous()
    for tname, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), tname
    # The weightings must not be near uniform, or the fixture would not tell addressing bugs apart: on
    # average a head's largest weight is at least twice the uniform 1/N.
    peak = float(trace["weightings"].detach().max(dim=-1).values.mean())
    assert peak > 2 / ROWS, f"weightings too flat: mean peak {peak}"

    config = {"controller": controller, "controllerSize": HIDDEN, "inputSize": INPUT, "memoryInit": MEMORY_INIT,
              "memoryRows": ROWS, "memoryWidth": WIDTH, "outputSize": OUTPUT, "readHeads": reads,
              "shiftRange": SHIFT, "writeHeads": writes}
    metadata = {
        "arnn.kind": "ntm",
        "arnn.config": json.dumps(config, sort_keys=True, separators=(",", ":")),
        "generator": "make_ntm_fixture.py",
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "python": sys.version.split()[0],
        "seed": str(seed),
        "dtype": "float32",
        "steps": str(STEPS),
        "batch": str(BATCH),
        "head_scale": repr(HEAD_SCALE),
        "gamma_bias": repr(GAMMA_BIAS),
        "tolerance": repr(1e-5),
    }
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out.name}: {len(tensors)} tensors, {out.stat().st_size} bytes, torch {torch.__version__}, "
          f"mean weighting peak {peak:.3f}, memory in [{float(trace['memory'].detach().min()):.3f}, "
          f"{float(trace['memory'].detach().max()):.3f}]")


def main() -> None:
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run
    write_case("ntm_parity.safetensors", SEED, reads=2, writes=1, controller="lstm")
    write_case("ntm_multiwrite_parity.safetensors", SEED + 1, reads=2, writes=2, controller="feedforward")


if __name__ == "__main__":
    main()
