#!/usr/bin/env python3
"""A demo's figures as its README prints them: each metric's mean over several eval seeds, with its range.

    python3 scripts/eval_seeds.py DEMO --lengths 3,6,9,12,15 --count 1000 --seeds 1,2,3,4,5 \
        --metrics exactMatch,tokenAccuracy [--arnn .build/release/arnn]

runs `arnn eval DEMO --lengths ... --count ... --seed S --json` once per seed and prints one Markdown
row per length: the mean over the seeds and, in brackets, the lowest and highest. With --by-own-length
(one length given; tasks whose samples have their own length, such as translation's sentences drawn at
"at most L words"), one row per own length instead, with the samples of each counted over all seeds. Shares (metrics whose
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
    p.add_argument("--by-own-length", action="store_true", help="rows per the samples' own length (eval's byOwnLength)")
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    metrics = a.metrics.split(",")
    runs = []
    for seed in seeds:
        out = subprocess.run([a.arnn, "eval", a.demo, "--lengths", a.lengths, "--count", str(a.count),
                              "--seed", str(seed), "--json"], check=True, capture_output=True, text=True).stdout
        rows = json.loads(out)["lengths"]
        if a.by_own_length:
            if len(rows) != 1:
                p.error("--by-own-length takes one length")
            runs.append({int(k): v for k, v in rows[0]["byOwnLength"].items()})
        else:
            runs.append({row["length"]: row for row in rows})

    def show(name, values):
        if name in SHARES:
            return f"{100 * statistics.mean(values):.1f} % ({100 * min(values):.1f}–{100 * max(values):.1f})"
        return f"{statistics.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})"

    counted = " | samples" if a.by_own_length else ""
    print(f"| {'own length' if a.by_own_length else 'length'} | {' | '.join(metrics)}{counted} |")
    print("|---|" + "---|" * (len(metrics) + (1 if a.by_own_length else 0)))
    for length in sorted(set().union(*runs)):
        present = [run[length] for run in runs if length in run]
        cells = [show(m, [r[m] for r in present]) for m in metrics]
        if a.by_own_length:
            cells.append(str(int(sum(r["count"] for r in present))))
        print(f"| {length} | {' | '.join(cells)} |")
    print(f"\n{a.count} samples per length and seed, seeds {a.seeds}: mean (lowest–highest).")


if __name__ == "__main__":
    main()
