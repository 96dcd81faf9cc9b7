#!/usr/bin/env python3
"""Write python/tests/data/demo_reference.safetensors: what arnn computes on each shipped NTM, LSTM, DNC and ACT demo.

For each demo, `arnn trace DEMO --seed S --length L` (docs/trace.md) runs one generated example; this
file keeps the example's inputs and targets and arnn's logits (and, for the NTM, every head's weighting)
at every step, so that tests/test_demos.py can check arnn_torch against arnn without building arnn:
the same inputs from the same seed (the task generators), and the same logits from the same weights.

    swift build -c release --product arnn
    python3 python/tests/make_demo_reference.py --arnn .build/release/arnn

Rerun it when a demo's weights or a task's encoding change.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess

import torch
from safetensors.torch import save_file

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).resolve().parent / "data" / "demo_reference.safetensors"
# (demo, seed, length): lengths inside each demo's training range, seeds arbitrary but fixed.
CASES = [
    ("ntm-copy", 3, 12),
    ("ntm-repeat-copy", 5, 4),
    ("ntm-assoc-recall", 7, 4),
    ("lstm-copy", 11, 8),
    ("dnc-copy", 3, 12),
    ("dnc-repeat-copy", 5, 4),
    ("act-parity", 3, 9),
    ("act-parity-tau1e-2", 3, 9),
]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arnn", default=str(REPO / ".build" / "release" / "arnn"), help="the arnn binary")
    a = p.parse_args()
    tensors: dict[str, torch.Tensor] = {}
    metadata = {"generator": "python/tests/make_demo_reference.py", "cases": json.dumps(CASES)}
    for demo, seed, length in CASES:
        out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--seed", str(seed),
                              "--length", str(length)], check=True, capture_output=True, text=True).stdout
        trace = json.loads(out)
        frames = trace["frames"]
        kind = trace["model"]["kind"]
        tensors[f"{demo}.input"] = torch.tensor([f["input"] for f in frames])
        tensors[f"{demo}.target"] = torch.tensor([f["target"] for f in frames])
        tensors[f"{demo}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
        if kind == "ntm":
            # [T, heads, N]: the read heads, then the write head.
            tensors[f"{demo}.weightings"] = torch.tensor([[h["weighting"] for h in f["ntm"]["heads"]] for f in frames])
            tensors[f"{demo}.memory"] = torch.tensor(frames[-1]["ntm"]["memoryAfter"])
        if kind == "act":
            tensors[f"{demo}.steps"] = torch.tensor([f["act"]["steps"] for f in frames])
        metadata[f"{demo}.wrongBits"] = str(trace["score"]["wrongBits"])
        print(f"{demo}: {len(frames)} steps, seed {seed}, length {length}, {trace['score']['wrongBits']} wrong bits")
    OUT.parent.mkdir(exist_ok=True)
    save_file({k: v.to(torch.float32).contiguous() for k, v in tensors.items()}, str(OUT), metadata=metadata)
    print(f"wrote {OUT.relative_to(REPO)}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
