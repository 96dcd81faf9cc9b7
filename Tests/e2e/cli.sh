#!/usr/bin/env bash
# End-to-end checks of arnn's command line outside the viewer: mistyped commands and help topics, and the
# wording of eval's first line. Usage: Tests/e2e/cli.sh path/to/arnn (from the repository root).
set -euo pipefail

arnn="$(cd "$(dirname "${1:?usage: cli.sh path/to/arnn}")" && pwd)/$(basename "$1")"
[ -x "$arnn" ] || { echo "e2e: $arnn is not executable" >&2; exit 2; }
export SWIFT_BACKTRACE=enable=no

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
refuses() {   # refuses WHAT PATTERN ARGS...: arnn ARGS exits 2 with one stderr line matching PATTERN
    local what=$1 pattern=$2; shift 2
    local out code
    set +e
    out=$("$arnn" "$@" 2>&1 >/dev/null </dev/null); code=$?
    set -e
    if [ "$code" = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -qE -- "$pattern"; then
        pass "$what"
    else
        fail "$what: exit $code, message: $out"
    fi
}

# Issue 12 (10): a mistyped command is named as such, with the nearest name.
refuses "arnn trian: did you mean train" "no demo or command 'trian'; did you mean 'train'\?" trian --model ntm --task copy --out /tmp/x
refuses "arnn ntm-cpoy: did you mean ntm-copy" "did you mean 'ntm-copy'\?" ntm-cpoy
refuses "arnn frobnicate: no such demo or command" "no demo or command 'frobnicate'" frobnicate
refuses "arnn help frobnicate: one line, exit 2" "no command 'frobnicate'" help frobnicate
refuses "arnn help trian: did you mean train" "did you mean 'train'\?" help trian
# grep without -q reads the whole help, so arnn never writes into a closed pipe (SIGPIPE under pipefail).
if "$arnn" help train | grep 'USAGE: arnn train' >/dev/null; then pass "arnn help train"; else fail "arnn help train"; fi

# Issue 18: typed input is the task's to read; bad input is one line and exit 2, never a crash.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'price,weight,age\n12,3,40\n7,1\n' > "$tmp/ragged.csv"
printf 'price,weight\n12,3\n7,1\n' > "$tmp/table.csv"
refuses "trace --table: a ragged CSV row is named" "ragged.csv:3: 2 fields, but the header names 3 columns \\(price, weight, age\\)" trace ntm-copy --table "$tmp/ragged.csv" --question "what is the sum of price ?"
refuses "view --table: a ragged CSV row is named" "ragged.csv:3: 2 fields" view translate --table "$tmp/ragged.csv" --question "what is the sum of price ?"
refuses "trace --table: a task that reads no tables says so" "copy reads no tables" trace ntm-copy --table "$tmp/table.csv" --question "what is the sum of price ?"
refuses "trace --sentence: an unknown word is named" "zebra" trace translate --sentence "the zebra eats the apples"
refuses "trace --sentence: the LSTM on translation names it too" "zebra" trace lstm-translate --sentence "the zebra eats the apples"
refuses "trace --sentence: a bit task reads no text" "copy takes no typed input" trace ntm-copy --sentence "the dog"
"$arnn" train --model memn2n --task babi --sequences 64 --batch-size 16 --out "$tmp/memn2n.safetensors" --quiet >/dev/null 2>&1
refuses "trace --sentence: a typed story with an unknown word names the closest" 'unknown word "bathrom" \(closest known word: "bathroom"\)' trace "$tmp/memn2n.safetensors" --sentence "Mary moved to the bathrom. Where is Mary?"
refuses "trace --sentence: a story with no question" "no question" trace "$tmp/memn2n.safetensors" --sentence "Mary moved to the bathroom."
if "$arnn" trace "$tmp/memn2n.safetensors" --sentence "Mary moved to the bathroom. Where is Mary?" | grep -q '"answerWord"'; then
    pass "trace --sentence: a typed story is answered"
else
    fail "trace --sentence: a typed story gave no answer"
fi
refuses "trace --table without --question" "--table and --question go together" trace ntm-copy --table "$tmp/table.csv"

# Issue 19: arnn ask prints the answer alone, then each kept sentence's weight per hop; bad input is one line.
ask=$("$arnn" ask "$tmp/memn2n.safetensors" --story "Mary moved to the bathroom. John went to the hallway." --question "Where is Mary?")
first=$(echo "$ask" | head -1)
if echo "$first" | grep -qxE 'bathroom|bedroom|garden|hallway|kitchen|office' && echo "$ask" | sed -n 2p | grep -q 'hop 1 *hop 2 *hop 3' \
    && [ "$(echo "$ask" | wc -l)" = 4 ] && echo "$ask" | grep -q '^2 john went to the hallway'; then
    pass "ask: the answer, then a row per sentence and a column per hop"
else
    fail "ask printed: $ask"
fi
refuses "ask: an unknown word names the closest" 'unknown word "marry" \(closest known word: "mary"\)' ask "$tmp/memn2n.safetensors" --story "Marry moved to the bathroom." --question "Where is Mary?"
refuses "ask: an empty story" "the story is empty" ask "$tmp/memn2n.safetensors" --story "" --question "Where is Mary?"
refuses "ask: no question" "no question" ask "$tmp/memn2n.safetensors" --story "Mary moved to the bathroom." --question ""
refuses "ask: a question of no task's form" "no task asks" ask "$tmp/memn2n.safetensors" --story "Mary moved to the bathroom." --question "Where is the garden?"
refuses "ask: a model that reads no stories" "reads no stories" ask ntm-copy --story "Mary moved to the bathroom." --question "Where is Mary?"

# Issue 21: arnn ask --table prints the answer alone, then the program; bad tables and questions are one line.
"$arnn" train --model np --task table-qa --sequences 40 --batch-size 20 --out "$tmp/np.safetensors" --quiet >/dev/null 2>&1
printf 'price,weight,age\n12,3,40\n7,1,9\n30,8,2\n' > "$tmp/np.csv"
ask=$("$arnn" ask "$tmp/np.safetensors" --table "$tmp/np.csv" --question "how many rows have price greater than 10 ?")
if echo "$ask" | head -1 | grep -qxE -- '-?[0-9]+(\.[0-9]+)?' && [ "$(echo "$ask" | grep -c '^step [1-5] ')" = 5 ]; then
    pass "ask --table: the answer alone, then one line per program step"
else
    fail "ask --table printed: $ask"
fi
printf 'price,weight\n12,x\n' > "$tmp/np-text.csv"
refuses "ask --table: a ragged CSV" "ragged.csv:3: 2 fields" ask "$tmp/np.safetensors" --table "$tmp/ragged.csv" --question "what is the sum of price ?"
refuses "ask --table: a cell that is not a number" 'np-text.csv:2: "x" in column weight is not a number' ask "$tmp/np.safetensors" --table "$tmp/np-text.csv" --question "what is the sum of price ?"
refuses "ask --table: an unknown word names the closest" 'unknown word "prise" in the question \(closest known word: "price"\)' ask "$tmp/np.safetensors" --table "$tmp/np.csv" --question "what is the sum of prise ?"
refuses "ask --table: a column not in the table" 'column "height" is not in the table' ask "$tmp/np.safetensors" --table "$tmp/np.csv" --question "what is the sum of height ?"
refuses "ask --table: a question no template asks" "no template asks" ask "$tmp/np.safetensors" --table "$tmp/np.csv" --question "what is the price ?"
python3 -c 'print("price"); [print(i) for i in range(33)]' > "$tmp/np-long.csv"
refuses "ask --table: a table larger than the model reads" "33 rows; table-qa reads at most 32" ask "$tmp/np.safetensors" --table "$tmp/np-long.csv" --question "what is the sum of price ?"

# Issue 21: --task-set may change a task's settings on --resume (a curriculum over question kinds); a task the
# model no longer fits is refused in one line.
"$arnn" train --model np --task table-qa --task-set 'kinds=["sum"]' --sequences 40 --batch-size 20 --out "$tmp/np-sum.safetensors" --quiet >/dev/null 2>&1
if "$arnn" train --resume "$tmp/np-sum.safetensors" --sequences 80 --task-set 'kinds=["sum","count"]' --out "$tmp/np-more.safetensors" --quiet >/dev/null 2>&1 \
    && "$arnn" eval "$tmp/np-more.safetensors" --count 20 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["task"]["kinds"] == ["sum", "count"], d["task"]
assert set(d["byCategory"]) >= {"sum", "count"}, sorted(d["byCategory"])'; then
    pass "train --resume --task-set: the task changes for the rest of the run"
else
    fail "train --resume --task-set did not change the task"
fi
"$arnn" train --model ntm --task copy --sequences 10 --out "$tmp/ntm-copy.safetensors" --quiet >/dev/null 2>&1
set +e
out=$("$arnn" train --resume "$tmp/ntm-copy.safetensors" --sequences 20 --task-set bitWidth=4 --out "$tmp/ntm-copy2.safetensors" --quiet 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | tail -1 | grep -q "reads 9 and writes 8 channels, but task copy has 5 and 4"; then
    pass "train --resume --task-set: a task the model does not fit is refused"
else
    fail "train --resume --task-set bitWidth=4: exit $code, $out"
fi

# Issue 19: --data reads bAbI's own files for train and eval; eval reports each file as qaN.
mkdir -p "$tmp/babi"
printf '1 Mary moved to the bathroom.\n2 John went to the hallway.\n3 Where is Mary? \tbathroom\t1\n1 Sandra went to the office.\n2 Where is Sandra? \toffice\t1\n' > "$tmp/babi/qa1_single-supporting-fact_train.txt"
printf '1 Daniel went to the kitchen.\n2 Where is Daniel? \tkitchen\t1\n3 Mary went to the garden.\n4 Where is Mary? \tgarden\t3\n' > "$tmp/babi/qa1_single-supporting-fact_test.txt"
if "$arnn" train --model memn2n --task babi --data "$tmp/babi" --sequences 64 --batch-size 16 --out "$tmp/memn2n-data.safetensors" --quiet >/dev/null 2>&1 \
    && "$arnn" eval "$tmp/memn2n-data.safetensors" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [r["length"] for r in d["lengths"]] == [1], d["lengths"]
assert d["lengths"][0]["count"] == 2 and d["byCategory"]["qa1"]["count"] == 2, d
assert 0 <= d["mean"]["accuracy"] <= 1'; then
    pass "train and eval --data: bAbI files, the test file scored whole as qa1"
else
    fail "train and eval --data on bAbI files"
fi
refuses "train --data: a folder without bAbI files" "holds no bAbI file" train --model memn2n --task babi --data "$tmp" --out "$tmp/x.safetensors"
refuses "eval --data: a task that reads no files" "copy generates its examples" eval ntm-copy --data "$tmp/babi"

# Issue 24 (1): --out never replaces what is not a regular file. A device or FIFO is written through, a
# link to a file replaces that file and stays a link; a full device, a FIFO with no reader, a directory and
# a dangling link are one line and exit 2. New files get 0666 minus the umask, the same for every writer.
refuses "record --out /dev/full: the device's error, not 'wrote'" "^arnn: /dev/full: cannot write \(No space left on device\)$" record ntm-copy --out /dev/full
if [ -c /dev/full ]; then pass "/dev/full is still a character device"; else fail "/dev/full was replaced"; fi
refuses "trace --out /dev/full" "/dev/full: cannot write \(No space left on device\)" trace ntm-copy --out /dev/full
if "$arnn" record ntm-copy --out /dev/null >/dev/null 2>&1 && [ -c /dev/null ]; then pass "record --out /dev/null writes through"; else fail "record --out /dev/null"; fi
mkfifo "$tmp/fifo"
started=$(date +%s)
refuses "trace --out FIFO with no reader: refused at once, no hang" "fifo: is a FIFO with no reader" trace ntm-copy --out "$tmp/fifo"
[ $(( $(date +%s) - started )) -lt 30 ] || fail "trace --out FIFO with no reader took $(( $(date +%s) - started )) s"
"$arnn" trace ntm-copy > "$tmp/expected.json"
# The reader is waiting in open() before arnn opens the FIFO (arnn also runs the model first); if arnn
# fails without opening it, the reader is ended rather than waited for.
cat "$tmp/fifo" > "$tmp/from-fifo.json" & reader=$!
sleep 0.5
if "$arnn" trace ntm-copy --out "$tmp/fifo"; then
    wait "$reader" || true
    if cmp -s "$tmp/expected.json" "$tmp/from-fifo.json" && [ -p "$tmp/fifo" ]; then
        pass "trace --out FIFO: the reader gets the whole trace and the FIFO stays a FIFO"
    else
        fail "trace --out FIFO: the reader got $(wc -c < "$tmp/from-fifo.json") bytes of $(wc -c < "$tmp/expected.json")"
    fi
else
    kill "$reader" 2>/dev/null || true
    fail "trace --out FIFO with a reader"
fi
if [ "$("$arnn" trace ntm-copy --out /dev/stdout | cmp - "$tmp/expected.json" && echo same)" = same ]; then
    pass "trace --out /dev/stdout into a pipe writes through"
else
    fail "trace --out /dev/stdout into a pipe"
fi
cast=$("$arnn" record ntm-copy --out /dev/stdout 2>/dev/null | tail -1)
if echo "$cast" | grep -q '^\['; then pass "record --out /dev/stdout: the 'wrote' line stays off the recording"; else fail "record --out /dev/stdout ends with: $cast"; fi
echo old > "$tmp/target.json"; chmod 640 "$tmp/target.json"; ln -s target.json "$tmp/link.json"
if "$arnn" trace ntm-copy --out "$tmp/link.json" && [ -L "$tmp/link.json" ] && cmp -s "$tmp/target.json" "$tmp/expected.json" \
    && [ "$(stat -c %a "$tmp/target.json")" = 640 ]; then
    pass "trace --out LINK: the target file is replaced (its mode kept), the link stays"
else
    fail "trace --out LINK"
fi
ln -s missing.json "$tmp/dangling.json"
refuses "trace --out a dangling link" "dangling.json: is a symbolic link to missing.json, which does not exist" trace ntm-copy --out "$tmp/dangling.json"
if [ -L "$tmp/dangling.json" ] && [ ! -e "$tmp/missing.json" ]; then pass "the dangling link is left as it was"; else fail "the dangling link was changed"; fi
mkdir "$tmp/folder.cast"
refuses "record --out DIRECTORY" "folder.cast: is a directory, not a file" record ntm-copy --out "$tmp/folder.cast"
if [ -d "$tmp/folder.cast" ]; then pass "the directory is left as it was"; else fail "the directory was replaced"; fi
"$arnn" record ntm-copy --out "$tmp/new.cast" >/dev/null && "$arnn" trace ntm-copy --out "$tmp/new.json"
want=$(printf '%o' $(( 0666 & ~$(umask) )))
if [ "$(stat -c %a "$tmp/new.cast")" = "$want" ] && [ "$(stat -c %a "$tmp/new.json")" = "$want" ]; then
    pass "a new recording and a new trace both get 0666 minus the umask ($want)"
else
    fail "modes: recording $(stat -c %a "$tmp/new.cast"), trace $(stat -c %a "$tmp/new.json"), expected $want"
fi

# Issue 20: Dyck-2 labelling. eval prints and --json reports position accuracy and exact match per length;
# trace --tokens labels typed brackets; bad brackets are one line and exit 2.
"$arnn" train --model stack --task dyck2 --sequences 40 --batch-size 10 --set hiddenSize=8 --out "$tmp/dyck.safetensors" --quiet >/dev/null 2>&1
table=$("$arnn" eval "$tmp/dyck.safetensors" --count 20)
if echo "$table" | sed -n 2p | grep -q 'position accuracy *exact match' \
    && [ "$(echo "$table" | tail -4 | awk '{print $1}' | tr '\n' ' ')" = "16 32 64 128 " ]; then
    pass "eval dyck2: position accuracy and exact match at 16, 32, 64 and 128"
else
    fail "eval dyck2 printed: $table"
fi
if "$arnn" eval "$tmp/dyck.safetensors" --count 20 --lengths 16,64 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [r["length"] for r in d["lengths"]] == [16, 64], d["lengths"]
for r in d["lengths"]:
    assert 0 <= r["positionAccuracy"] <= 1 and 0 <= r["exactMatch"] <= 1 and r["count"] == 20, r
    assert abs(r["meanWrongLabels"] - (1 - r["positionAccuracy"]) * r["length"]) < 1e-6, r
assert d["task"]["name"] == "dyck2"'; then
    pass "eval --json dyck2: both metrics per length"
else
    fail "eval --json dyck2"
fi
if "$arnn" trace "$tmp/dyck.safetensors" --tokens "( [ ] )" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["example"]["symbolWords"] == ["(", "[", "]", ")"], d["example"]
assert [f["targetWord"] for f in d["frames"]] == [")", "]", ")", "none"]
assert all(f["phase"] == "label" and f["scored"] for f in d["frames"])
assert d["score"]["scoredLabels"] == 4'; then
    pass "trace --tokens: typed brackets, a label wanted and written at each"
else
    fail "trace --tokens \"( [ ] )\" on dyck2"
fi
refuses "trace --tokens: a character that is not a bracket is named" 'unknown character "x"' trace "$tmp/dyck.safetensors" --tokens "( x )"
refuses "trace --tokens: a closer that closes nothing" '"\)" at bracket 1 closes nothing' trace "$tmp/dyck.safetensors" --tokens ")"
refuses "trace --tokens: empty brackets" "type brackets" trace "$tmp/dyck.safetensors" --tokens " "
refuses "trace --tokens: more than 256 brackets" "the model reads at most 256" trace "$tmp/dyck.safetensors" --tokens "$(printf '()%.0s' $(seq 129))"
refuses "eval dyck2: an odd length" "length must be even" eval "$tmp/dyck.safetensors" --lengths 15 --count 2

# Issue 12 (13): eval names what a length counts in a sentence.
first=$("$arnn" eval ntm-assoc-recall --lengths 2 --count 2 | head -1)
if echo "$first" | grep -q '2 sequences per number of items'; then pass "eval: per number of items"; else fail "eval first line: $first"; fi
first=$("$arnn" eval ntm-copy --lengths 2 --count 2 | head -1)
if echo "$first" | grep -q '2 sequences per length'; then pass "eval: per length"; else fail "eval first line: $first"; fi

if [ "$failures" -gt 0 ]; then echo "e2e: $failures failure(s)" >&2; exit 1; fi
# Issue 20: bottomPushBias belongs to the deque; a stack or queue refuses it in one line, before training.
refuses "train --set bottomPushBias on a stack: one line, exit 2" "a stack pushes only on top" \
    train --model stack --task reversal --set bottomPushBias=-2 --out "$tmp/bpb.safetensors"
refuses "train --set bottomPushBias=abc: one line, exit 2" "bottomPushBias takes a number" \
    train --model deque --task reversal --set bottomPushBias=abc --out "$tmp/bpb.safetensors"
if [ ! -e "$tmp/bpb.safetensors" ]; then pass "a refused --set writes no checkpoint"; else fail "a refused --set wrote $tmp/bpb.safetensors"; fi

# Issue 24 (4): a negative number is a value, and its own check names what is wrong with it (it used to be
# "Missing value for '--lr'"); every argument is checked before --out's existence; one hint, not two.
refuses "train --lr -1: the rate's own check" "^arnn: --lr must be a positive number, got -1" train --lr -1 --out "$tmp/neg.safetensors"
refuses "train --sequences -5" "^arnn: --sequences must be at least 1, got -5" train --sequences -5 --out "$tmp/neg.safetensors"
refuses "eval --lengths -1" "takes positive whole numbers separated by commas, got \"-1\"" eval ntm-copy --lengths -1
refuses "trace --seed -5: what a seed is" "a seed is a whole number from 0" trace ntm-copy --seed -5
touch "$tmp/exists.safetensors"
refuses "train --lr -1 with an existing --out: the rate, not the file" "--lr must be a positive number" \
    train --lr -1 --out "$tmp/exists.safetensors"
refuses "train --min-length -1 with an existing --out" "--min-length and --max-length must satisfy" \
    train --min-length -1 --out "$tmp/exists.safetensors"
refuses "view nosuchdemo: its hint once" "^arnn: no demo or command 'nosuchdemo' \('arnn models' lists the demos, 'arnn --help' the commands\)$" \
    view nosuchdemo
if "$arnn" record act-parity --out "$tmp/act.cast" | grep -E ': 1 step, ' >/dev/null; then pass "record: 1 step, not 1 steps"; else fail "record act-parity's line"; fi
if "$arnn" help models | grep -E 'controllerSize=100 .*memoryRows=128' >/dev/null \
    && "$arnn" help models | grep -E '^ +ntm-copy ' >/dev/null; then
    pass "help models lists the fields and the demos"
else
    fail "help models lacks the fields or the demos"
fi
if "$arnn" help models | grep -E '^  transformer +transformer encoder-decoder' >/dev/null \
    && "$arnn" help models | grep -E '^  translate-transformer +transformer on translation' >/dev/null \
    && "$arnn" help models | grep -E '^  act-parity-tau1e-2 +act on parity' >/dev/null; then
    pass "help models cuts no name (transformer, translate-transformer, act-parity-tau1e-2)"
else
    fail "help models cuts a long model or demo name"
fi

# Issue 24 (4): eval translate's row says the sentences drawn (3–15 words), and --json names the split it
# scores (held out), not the training one.
if "$arnn" eval translate --count 5 | grep -E '^3–15 ' >/dev/null \
    && "$arnn" eval translate --count 5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["task"]["split"] == "heldOut", d["task"]
assert [r["length"] for r in d["lengths"]] == [15]'; then
    pass "eval translate: the row is 3–15 words, the JSON split heldOut"
else
    fail "eval translate's row label or JSON split"
fi

# Issue 22: a Performer transformer's eval reports attentionError, falling as --set features grows (no
# retraining: the features are drawn, not learned); --set attention=softmax scores the same weights exactly;
# a field that changes a weight's shape, an unknown field or a bad value is refused with exit 2.
"$arnn" train --model transformer --set attention=performer --set features=16 --task translation --sequences 32 \
    --batch-size 32 --out "$tmp/perf.safetensors" --quiet >/dev/null 2>&1
errors=$(for m in 4 64 1024; do "$arnn" eval "$tmp/perf.safetensors" --count 20 --seed 3 --set features=$m --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["mean"]["attentionError"])'; done | tr '\n' ' ')
if python3 -c "import sys; e = [float(x) for x in sys.argv[1:]]; assert len(e) == 3 and e[0] > e[1] > e[2] > 0, e" $errors \
    && "$arnn" eval "$tmp/perf.safetensors" --count 5 --set attention=softmax --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert "attentionError" not in d["mean"], d["mean"]'; then
    pass "eval --set features=m: attentionError $errors falls as m grows; softmax has none"
else
    fail "eval --set features: attentionError $errors"
fi
for bad in "features=0" "featurs=8" "modelSize=32" "features" "features=abc"; do
    set +e
    out=$("$arnn" eval "$tmp/perf.safetensors" --count 5 --set "$bad" 2>&1); code=$?
    set -e
    if [ "$code" = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ]; then pass "eval --set $bad: one line, exit 2"; else fail "eval --set $bad: exit $code: $out"; fi
done
# A Linformer's k changes without retraining too: E and F become untrained stand-ins of the new shape; k
# beyond the projections' n is refused.
"$arnn" train --model transformer --set attention=linformer --set projection=4 --set maxSourceLength=32 --task translation \
    --sequences 32 --batch-size 32 --out "$tmp/lin.safetensors" --quiet >/dev/null 2>&1
if "$arnn" eval "$tmp/lin.safetensors" --count 5 --set projection=8 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mean"]["attentionError"] > 0, d["mean"]'; then
    pass "eval --set projection=8 on a Linformer trained at k = 4: scored with stand-in projections"
else
    fail "eval --set projection=8 on a Linformer"
fi
set +e
out=$("$arnn" eval "$tmp/lin.safetensors" --count 5 --set projection=33 2>&1); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'projection must be in 1...maxSourceLength 32'; then
    pass "eval --set projection=33 beyond n = 32: one line, exit 2"
else
    fail "eval --set projection=33: exit $code: $out"
fi

# Issue 24 (4): --sequences that is not a whole number of batches says what it trains.
out=$("$arnn" train --model lstm --task copy --sequences 50 --batch-size 16 --out "$tmp/s50.safetensors" --quiet 2>&1)
if echo "$out" | grep -q 'training 64 sequences: --sequences 50 is not a whole number of batches of 16' \
    && echo "$out" | grep -q 'saved 64 sequences'; then
    pass "train --sequences 50 --batch-size 16: says it trains 64"
else
    fail "train --sequences 50 --batch-size 16 printed: $out"
fi

echo "e2e: all command-line checks passed"
