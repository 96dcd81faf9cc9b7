#!/usr/bin/env python3
"""A demo's figures as its README prints them: each metric's mean over several eval seeds, with its range.

    python3 scripts/eval_seeds.py DEMO --lengths 3,6,9,12,15 --count 1000 --seeds 1,2,3,4,5 \
        --metrics exactMatch,tokenAccuracy [--arnn .build/release/arnn]

runs `arnn eval DEMO --lengths ... --count ... --seed S --json` once per seed and prints one Markdown
row per length: the mean over the seeds and, in brackets, the lowest and highest. Shares (metrics whose
values lie in 0...1 and whose name says so: exactMatch, tokenAccuracy, perfectShare, accuracy) print as
percentages.
"""
import argparse
import json
import statistics
import subprocess

SHARES = {"exactMatch", "tokenAccuracy", "perfectShare", "accuracy"}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("demo")
    p.add_argument("--lengths", required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--metrics", required=True, help="comma-separated metric names (arnn eval --json keys)")
    p.add_argument("--arnn", default=".build/release/arnn")
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    metrics = a.metrics.split(",")
    runs = []
    for seed in seeds:
        out = subprocess.run([a.arnn, "eval", a.demo, "--lengths", a.lengths, "--count", str(a.count),
                              "--seed", str(seed), "--json"], check=True, capture_output=True, text=True).stdout
        runs.append({row["length"]: row for row in json.loads(out)["lengths"]})

    def show(name, values):
        if name in SHARES:
            return f"{100 * statistics.mean(values):.1f} % ({100 * min(values):.1f}–{100 * max(values):.1f})"
        return f"{statistics.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})"

    print(f"| length | {' | '.join(metrics)} |")
    print("|---|" + "---|" * len(metrics))
    for length in runs[0]:
        cells = [show(m, [run[length][m] for run in runs]) for m in metrics]
        print(f"| {length} | {' | '.join(cells)} |")
    print(f"\n{a.count} samples per length and seed, seeds {a.seeds}: mean (lowest–highest).")


if __name__ == "__main__":
    main()
