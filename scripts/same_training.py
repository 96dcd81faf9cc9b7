#!/usr/bin/env python3
"""Whether two arnn builds train to the same bits.

For every demo in demos/, takes the first `arnn train` of the command recorded in its checkpoint
(`arnn.command`), shortens it to a few batches, runs it with both binaries and compares every tensor of
the two checkpoints byte for byte. An engine change that keeps the order of every sum (issue 23: "the
summation order stays") passes; one that does not names the demos whose training it changes.

    python3 scripts/same_training.py --old /tmp/arnn-before --new .build/release/arnn [--sequences 96]

With --time, each side's CPU time (user + system, all threads) is printed too, with new/old: on a shared
machine, compare these ratios, run in turn, rather than absolute times.
"""
import argparse, json, os, resource, shlex, struct, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Models with no demo yet, so their training paths are covered too.
EXTRA = {
    "np-table-qa": "arnn train --model np --task table-qa --seed 1 --batch-size 16 --optimizer adam --lr 1e-3",
}


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {k: data[v["data_offsets"][0]:v["data_offsets"][1]] for k, v in header.items()}
    return meta, tensors


def shortened(command, sequences, out):
    first = command.split("&&")[0]
    words = shlex.split(first)
    assert words[:2] == ["arnn", "train"], first
    kept, i = [], 2
    drop_with_value = {"--sequences", "--checkpoint-every", "--out"}
    while i < len(words):
        w = words[i]
        if w in drop_with_value:
            i += 2
            continue
        if w in ("--force", "--quiet"):
            i += 1
            continue
        kept.append(w)
        i += 1
    return ["train"] + kept + ["--sequences", str(sequences), "--quiet", "--out", out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--sequences", type=int, default=96)
    ap.add_argument("--only", help="comma-separated demo names")
    ap.add_argument("--time", action="store_true", help="print each side's CPU time and their ratio")
    args = ap.parse_args()
    commands = {}
    for d in sorted((ROOT / "demos").iterdir()):
        w = d / "weights.safetensors"
        if w.exists():
            commands[d.name] = read(w)[0].get("arnn.command", "")
    commands.update(EXTRA)
    if args.only:
        wanted = args.only.split(",")
        unknown = [w for w in wanted if w not in commands]
        if unknown:
            sys.exit(f"same_training: no demo {', '.join(unknown)} (known: {', '.join(commands)})")
        commands = {k: v for k, v in commands.items() if k in wanted}
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in commands.items():
            outs, times = [], []
            for tag, binary in (("old", args.old), ("new", args.new)):
                out = os.path.join(tmp, f"{name}-{tag}.safetensors")
                argv = [binary] + shortened(command, args.sequences, out)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                r = subprocess.run(argv, capture_output=True, text=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                if r.returncode != 0:
                    print(f"{name}: {tag} failed: {r.stderr.strip()[:300]}")
                    failed.append(name)
                    break
                outs.append(read(out)[1])
            else:
                a, b = outs
                differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
                timing = f"  cpu {times[0]:.2f} s → {times[1]:.2f} s ({times[1] / max(times[0], 1e-9):.2f}×)" if args.time else ""
                print(f"{name}: {'same bits' if not differ else 'DIFFER in ' + ', '.join(differ[:4])}{timing}", flush=True)
                if differ:
                    failed.append(name)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
