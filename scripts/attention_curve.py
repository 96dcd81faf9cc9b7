#!/usr/bin/env python3
"""The attention-error curves of docs/models/transformer.md ("How far the approximations are").

Two curves on the sort task's own inputs (lengths 32, 48 and 64):

- without retraining: a trained demo evaluated with another k or m (`arnn eval --set`): the Performer's
  features redrawn at m, the Linformer's E and F replaced by untrained stand-ins at k;
- with retraining: one short training per k and per m, all on the same recipe and seed, evaluated the same
  way.

    python3 scripts/attention_curve.py --arnn .build/release/arnn --out /tmp/curve [--no-train]

Trainings are kept in --out and not repeated. Prints one markdown table per curve.
"""
import argparse
import json
import os
import subprocess
import sys
import time

RECIPE = ["--task", "sort", "--seed", "1", "--sequences", "48000", "--batch-size", "32", "--threads", "1",
          "--optimizer", "adam", "--lr", "0.001", "--lr-halve-every", "12000", "--lr-halve-from", "24000"]
KS = [4, 8, 16, 32, 64]
MS = [16, 32, 64, 128, 256]
# Retraining costs a training per value: every other rung.
RETRAINED_KS = [4, 16, 64]
RETRAINED_MS = [16, 64, 256]


def evaluate(arnn, model, sets, count, seed):
    cmd = [arnn, "eval", model, "--lengths", "32,48,64", "--count", str(count), "--seed", str(seed), "--json"]
    for s in sets:
        cmd += ["--set", s]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["mean"]


def train(arnn, out, name, sets):
    path = os.path.join(out, name + ".safetensors")
    if os.path.exists(path):
        return path
    cmd = [arnn, "train", "--model", "transformer"] + sum((["--set", s] for s in sets), []) + RECIPE + ["--out", path]
    start = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(f"trained {name} in {time.time() - start:.0f} s", file=sys.stderr, flush=True)
    return path


def row(label, m):
    err = m.get("attentionError")
    return (f"| {label} | {100 * m['tokenAccuracy']:.1f} % | {100 * m['exactMatch']:.1f} % | "
            + (f"{err:.3f}" if err is not None else "0 (exact)") + " |")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arnn", default=".build/release/arnn")
    p.add_argument("--out", default="/tmp/attention-curve")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--no-train", action="store_true", help="only the curve without retraining")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    head = "| setting | tokens right | sorted exactly | attentionError |\n|---|---|---|---|"

    print("Without retraining (demos/sort-linformer at k, demos/sort-performer at m):\n")
    print(head)
    for k in KS:
        print(row(f"Linformer k = {k}{' (trained)' if k == 16 else ''}",
                  evaluate(a.arnn, "demos/sort-linformer", [f"projection={k}"], a.count, a.seed)), flush=True)
    for m in MS + [1024]:
        print(row(f"Performer m = {m}{' (trained)' if m == 64 else ''}",
                  evaluate(a.arnn, "demos/sort-performer", [f"features={m}"], a.count, a.seed)), flush=True)
    for m in MS + [1024]:
        print(row(f"sort-transformer as Performer m = {m}",
                  evaluate(a.arnn, "demos/sort-transformer", ["attention=performer", f"features={m}"], a.count, a.seed)),
              flush=True)
    if a.no_train:
        return

    print("\nRetrained at each k and m (" + " ".join(RECIPE) + "):\n")
    print(head)
    runs = [("exact", [])] + [(f"linformer-k{k}", ["attention=linformer", f"projection={k}"]) for k in RETRAINED_KS] \
        + [(f"performer-m{m}", ["attention=performer", f"features={m}", "redrawEvery=0"]) for m in RETRAINED_MS]
    for name, sets in runs:
        path = train(a.arnn, a.out, name, sets)
        print(row(name, evaluate(a.arnn, path, [], a.count, a.seed)), flush=True)


if __name__ == "__main__":
    main()
