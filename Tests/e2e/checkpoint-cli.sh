#!/usr/bin/env bash
# End-to-end checks of the command line around checkpoints (issue 12, items 2, 4, 6, 7 and 12), the parts
# that live in the arnn executable and so are out of reach of `swift test`: every command that takes a
# checkpoint takes --task for one whose metadata has only arnn.kind and arnn.config; train refuses a bad
# or existing --out before training, and --task with --resume; a finished run resumed has nothing to
# train; --resume refuses what belongs to the checkpoint (seed, optimiser) and applies and reports a new
# --lr; trace opens on the demo's seed and refuses --repeats for copy.
# Usage: Tests/e2e/checkpoint-cli.sh path/to/arnn   (needs python3 for the minimal checkpoint)
set -uo pipefail

arnn="$(cd "$(dirname "${1:?usage: checkpoint-cli.sh path/to/arnn}")" && pwd)/$(basename "$1")"
[ -x "$arnn" ] || { echo "e2e: $arnn is not executable" >&2; exit 2; }
repo="$(cd "$(dirname "$0")/../.." && pwd)"
export ARNN_DEMOS="$repo/demos"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"
failures=0

# expect CODE PATTERN DESCRIPTION -- ARGS...: arnn ARGS exits CODE and its output (both streams) matches PATTERN.
expect() {
    local code=$1 pattern=$2 what=$3; shift 4
    local text status
    text=$("$arnn" "$@" 2>&1); status=$?
    if [ "$status" = "$code" ] && grep -Eq -- "$pattern" <<<"$text"; then
        echo "ok   $what"
    else
        echo "FAIL $what: exit $status, output: $(head -c 400 <<<"$text")"
        failures=$((failures + 1))
    fi
}

expect 0 'saved 20 sequences' "train writes a new checkpoint" -- train --sequences 20 --out a.safetensors --quiet
expect 2 '^arnn: .*a.safetensors: exists; pass --force' "train refuses an existing --out" -- train --sequences 20 --out a.safetensors --quiet
expect 0 'saved 20 sequences' "--force overwrites it" -- train --sequences 20 --out a.safetensors --quiet --force
expect 2 'directory .*does not exist' "a missing directory is found before training" -- train --out "$out/missing/a.safetensors"
# Issue 24 (1): --out that is not a regular file is refused before training, --force or not, and left as
# it was; a link to a checkpoint replaces the checkpoint and stays a link.
started=$(date +%s)
expect 2 '^arnn: /dev/null: is a character device, not a regular file; train writes its checkpoint only to a file' "train --out /dev/null --force is refused" -- train --out /dev/null --force
[ $(( $(date +%s) - started )) -lt 5 ] && echo "ok   ... before training (under 5 s)" || { echo "FAIL train --out /dev/null took $(( $(date +%s) - started )) s"; failures=$((failures + 1)); }
if [ -c /dev/null ]; then echo "ok   /dev/null is still a character device"; else echo "FAIL /dev/null was replaced"; failures=$((failures + 1)); fi
mkfifo pipe.safetensors && ln -s /dev/null null.safetensors && ln -s nowhere.safetensors dangling.safetensors
expect 2 'pipe.safetensors: is a FIFO, not a regular file' "train --out FIFO --force is refused" -- train --out pipe.safetensors --force
expect 2 'null.safetensors: links to a character device, not a regular file' "train --out LINK-TO-/dev/null --force is refused" -- train --out null.safetensors --force
expect 2 'dangling.safetensors: is a symbolic link to nowhere.safetensors, which does not exist' "train --out DANGLING-LINK is refused" -- train --out dangling.safetensors --force
check_kinds() { [ -p pipe.safetensors ] && [ -L null.safetensors ] && [ -L dangling.safetensors ] && [ ! -e nowhere.safetensors ]; }
if check_kinds; then echo "ok   the FIFO and the links are left as they were"; else echo "FAIL a refused --out was changed"; failures=$((failures + 1)); fi
ln -s a.safetensors link.safetensors
expect 2 'link.safetensors: exists; pass --force' "train --out LINK-TO-FILE needs --force" -- train --sequences 20 --out link.safetensors --quiet
expect 0 'saved 20 sequences' "train --out LINK-TO-FILE --force" -- train --sequences 20 --out link.safetensors --quiet --force
if [ -L link.safetensors ] && [ "$(readlink link.safetensors)" = a.safetensors ] && [ -f a.safetensors ]; then
    echo "ok   ... replaces the linked checkpoint and keeps the link"
else
    echo "FAIL train --out LINK-TO-FILE replaced the link"; failures=$((failures + 1))
fi
rm -f pipe.safetensors null.safetensors dangling.safetensors link.safetensors
expect 2 'nothing to train: the checkpoint already has 20 sequences' "resuming a finished run" -- train --resume a.safetensors --out a.safetensors
expect 2 '--task cannot be given with --resume' "--task with --resume is refused" -- train --resume a.safetensors --task repeat-copy --out b.safetensors
expect 0 'saved 30 sequences to a.safetensors' "resuming in place with a larger --sequences" -- train --resume a.safetensors --out a.safetensors --sequences 30 --quiet
expect 2 '--seed cannot be given with --resume' "--seed with --resume is refused (the data stream is the checkpoint's)" -- train --resume a.safetensors --seed 5 --sequences 40 --out b.safetensors
expect 2 '--optimizer cannot be given with --resume' "--optimizer with --resume is refused" -- train --resume a.safetensors --optimizer adam --sequences 40 --out b.safetensors
expect 0 "resume: --lr 1e-05 replaces the checkpoint's 0.0001" "--lr with --resume changes the rest of the run and says so" -- train --resume a.safetensors --lr 1e-5 --sequences 40 --out b.safetensors --quiet
if python3 - b.safetensors <<'EOF'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
meta = json.loads(data[8:8 + struct.unpack("<Q", data[:8])[0]])["__metadata__"]
options = json.loads(meta["arnn.training"])
sys.exit(0 if abs(options["learningRate"] - 1e-5) < 1e-12 and options["sequences"] == 40 else 1)
EOF
then echo "ok   the resumed checkpoint records the new --lr"
else echo "FAIL the resumed checkpoint does not record --lr 1e-5"; failures=$((failures + 1)); fi
expect 2 'this run wrote no checkpoint' "a diverging run says it wrote nothing" -- train --lr 1e30 --sequences 2000 --out d.safetensors --quiet

# A checkpoint with only arnn.kind and arnn.config in its metadata (what docs/checkpoints.md asks of others).
python3 - a.safetensors min.safetensors <<'EOF'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
header["__metadata__"] = {k: header["__metadata__"][k] for k in ("arnn.kind", "arnn.config")}
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
open(sys.argv[2], "wb").write(struct.pack("<Q", len(text)) + text + data[8 + n:])
EOF
expect 2 'pass --task' "a checkpoint without a task asks for --task" -- eval min.safetensors --count 5
expect 0 'min.safetensors: copy' "eval takes --task" -- eval min.safetensors --task copy --count 5 --lengths 5
expect 0 '"format":"arnn-trace"' "trace takes --task" -- trace min.safetensors --task copy
expect 0 'bits wrong' "render takes --task with the checkpoint as argument" -- render min.safetensors --task copy
expect 0 'bits wrong' "render takes --task with --checkpoint" -- render --checkpoint min.safetensors --task copy

expect 0 '"seed":3' "trace opens on the demo's seed (ntm-copy: 3)" -- trace ntm-copy
expect 2 'repeats' "copy refuses --repeats" -- trace ntm-copy --repeats 3

# Snapshots (issue 13, "Scrub through training time"): --keep-every keeps weights-only snapshots in
# <out>.snapshots/ with an index; a fresh run refuses an existing folder without --force; --resume adds to
# it; render --at-sequences draws the nearest; every bad input is one line and exit 2.
# one_line CODE PATTERN DESCRIPTION -- ARGS...: as expect, and the output is exactly one line.
one_line() {
    local code=$1 pattern=$2 what=$3; shift 4
    local text status
    text=$("$arnn" "$@" 2>&1); status=$?
    if [ "$status" = "$code" ] && grep -Eq -- "$pattern" <<<"$text" && [ "$(wc -l <<<"$text")" = 1 ]; then
        echo "ok   $what"
    else
        echo "FAIL $what: exit $status, output: $(head -c 400 <<<"$text")"
        failures=$((failures + 1))
    fi
}
check() { # check DESCRIPTION COMMAND...: the command succeeds
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
one_line 2 '--keep-every must be at least 1' "--keep-every 0 is refused" -- train --sequences 20 --keep-every 0 --out k.safetensors
one_line 2 '--keep-every must be at least 1.*-5' "--keep-every -5 is refused" -- train --sequences 20 --keep-every -5 --out k.safetensors
check "a refused --keep-every writes nothing" test ! -e k.safetensors -a ! -e k.snapshots
expect 0 'saved 50 sequences' "train --keep-every 20 keeps snapshots" -- train --sequences 50 --keep-every 20 --out k.safetensors --quiet
check "snapshots at 0, 20, 40 and the end (50)" test "$(ls k.snapshots | tr '\n' ' ')" = "index.json seq-0000000000.safetensors seq-0000000020.safetensors seq-0000000040.safetensors seq-0000000050.safetensors "
check "the index lists them with their loss" python3 -c '
import json; i = json.load(open("k.snapshots/index.json"))
assert [s["sequences"] for s in i["snapshots"]] == [0, 20, 40, 50], i
assert i["keepEvery"] == 20 and i["format"] == "arnn-snapshots"
assert [s["over"] for s in i["snapshots"]] == [0, 20, 20, 10]
assert all("meanBCEBits" in s["metrics"] for s in i["snapshots"][1:]), i'
check "a snapshot holds no optimiser state (weights only)" python3 -c '
import json, struct; d = open("k.snapshots/seq-0000000020.safetensors", "rb").read()
h = json.loads(d[8:8 + struct.unpack("<Q", d[:8])[0]])
assert not [k for k in h if k.startswith("optimizer.")] and h["__metadata__"]["arnn.steps"] == "20"'
mkdir -p k3.snapshots && cp k.snapshots/index.json k3.snapshots/
one_line 2 'k3.snapshots: holds snapshots of an earlier run.*--force' "a fresh run over another run's folder needs --force" -- train --sequences 20 --out k3.safetensors --quiet
expect 0 'saved 20 sequences' "--force removes the old snapshots" -- train --sequences 20 --out k3.safetensors --quiet --force
check "--force without --keep-every leaves no stale folder" test ! -e k3.snapshots
expect 0 'saved 70 sequences' "--resume in place goes on keeping snapshots" -- train --resume k.safetensors --out k.safetensors --sequences 70 --quiet
check "resume adds 60 and 70 to the same folder" python3 -c '
import json; i = json.load(open("k.snapshots/index.json"))
assert [s["sequences"] for s in i["snapshots"]] == [0, 20, 40, 50, 60, 70], i'
expect 0 'after 40 sequences' "render --at-sequences 45 draws the nearest snapshot (40)" -- render k.safetensors --at-sequences 45 --plain
expect 0 'nearest snapshot is after 40 sequences' "render --at-sequences says when it is not exact" -- render k.safetensors --at-sequences 45 --plain
expect 0 'after 70 sequences' "render without --at-sequences shows the checkpoint's own moment" -- render k.safetensors --plain
expect 0 'training .*after 20 of 70 seq' "the loss-curve strip marks the moment" -- render k.safetensors --at-sequences 20 --plain --size 80x24
expect 0 'after 0 sequences.*after 70 sequences|after 70 sequences.*after 0 sequences' "--compare-at shows two moments of one run" -- render k.safetensors --at-sequences 0 --compare-at 70 --plain --size 160x48
expect 0 'at-sequences 500: the nearest snapshot is after 70 sequences' "--at-sequences past the run: its last snapshot, said so" -- render k.safetensors --at-sequences 500 --plain
one_line 2 '--at-sequences must be 0 or more' "--at-sequences -1" -- render k.safetensors --at-sequences -1
expect 0 'compare-at 71: the nearest snapshot is after 70 sequences' "--compare-at past the run: its last snapshot, said so" -- render k.safetensors --compare-at 71 --plain --size 160x48
one_line 2 '--at-sequences: a.safetensors has no snapshots' "--at-sequences on a run without snapshots" -- render a.safetensors --at-sequences 10
cp -r k.snapshots k.snapshots.good
head -c 300 k.snapshots.good/seq-0000000040.safetensors > k.snapshots/seq-0000000040.safetensors
one_line 2 'seq-0000000040.safetensors' "a damaged snapshot is named, exit 2" -- render k.safetensors
rm k.snapshots/seq-0000000040.safetensors
one_line 2 'seq-0000000040.safetensors: missing' "a missing snapshot is named, exit 2" -- render k.safetensors
rm -rf k.snapshots && cp -r k.snapshots.good k.snapshots && echo '{"format":' > k.snapshots/index.json
one_line 2 'index.json: not a valid snapshot index' "a damaged index is named, exit 2" -- render k.safetensors
rm -rf k.snapshots && cp -r k.snapshots.good k.snapshots
expect 0 'after 70 sequences' "the restored folder opens again" -- render k.safetensors --plain
expect 0 'saved 40 sequences' "a run to resume from an earlier checkpoint" -- train --sequences 40 --keep-every 10 --out r.safetensors --quiet
cp r.safetensors r40.safetensors
expect 0 'saved 60 sequences' "it goes on to 60" -- train --resume r.safetensors --out r.safetensors --sequences 60 --quiet
cp r40.safetensors r.safetensors
expect 0 'dropping 2 snapshots past the checkpoint.s 40 sequences' "resuming the checkpoint at 40 drops the snapshots at 50 and 60" -- train --resume r.safetensors --out r.safetensors --sequences 50 --quiet
check "and keeps them again as it trains over them" python3 -c '
import json; i = json.load(open("r.snapshots/index.json"))
assert [s["sequences"] for s in i["snapshots"]] == [0, 10, 20, 30, 40, 50], i'
rm -rf r.snapshots && cp -r k.snapshots r.snapshots
one_line 2 'r.snapshots: holds snapshots of another run.*--force' "resuming over another run's folder is refused" -- train --resume r.safetensors --out r.safetensors --sequences 60 --quiet
one_line 2 'r.snapshots: holds snapshots of another run' "and the viewer will not pair them with the checkpoint" -- render r.safetensors

[ "$failures" = 0 ] && echo "all passed" || { echo "$failures failed"; exit 1; }
