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

[ "$failures" = 0 ] && echo "all passed" || { echo "$failures failed"; exit 1; }
