#!/usr/bin/env bash
# End-to-end test of `arnn train --watch` in a real terminal (tmux): the chart and the sample appear, help
# opens, resize redraws, and q, Ctrl-C and SIGTERM each save the checkpoint, exit 0 and leave the terminal
# sane; without a terminal it refuses in one line before training. Usage: Tests/e2e/watch.sh path/to/arnn
set -euo pipefail

arnn="$(cd "$(dirname "${1:?usage: watch.sh path/to/arnn}")" && pwd)/$(basename "$1")"
[ -x "$arnn" ] || { echo "e2e: $arnn is not executable" >&2; exit 2; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed" >&2; exit 2; }

source "$(dirname "$0")/tmux-helpers.sh"
out=$(mktemp -d)
trap 'cleanup; rm -rf "$out"' EXIT

train() { echo "train --task copy --sequences 100000 --watch --out $out/$1.safetensors"; }

# After a stop: the process said it saved, exited 0, and the checkpoint is there.
expect_saved() {
    local session=$1 name=$2 what=$3
    expect_screen "$session" 'stopped; saved [0-9]+ sequences' "$what: final line after the terminal is restored"
    expect_screen "$session" 'ARNN-EXIT=0' "$what: exit 0"
    if [ -s "$out/$name.safetensors" ]; then pass "$what: checkpoint written"; else fail "$what: no checkpoint"; fi
}

# 1. 160×48: the rich layout with both charts and the sample; help; q stops and saves.
start big 160 48 "$(train big)"
expect_screen big 'BCE bits/seq' "160x48: loss chart"
expect_screen big '[0-9] seq│' "160x48: the chart has points"
expect_screen big 'Weightings over time' "160x48: sample weightings"
expect_screen big '[0-9]+ seq/s' "160x48: speed"
tm send-keys -t big '?'
expect_screen big 'arnn train --watch' "160x48: help overlay"
tm send-keys -t big x
tm send-keys -t big q
expect_sane big "q"
expect_saved big big "q"

# 2. 80×24: the compact layout; resize below the minimum and back; Ctrl-C stops and saves.
start small 80 24 "$(train small)"
expect_screen small 'BCE bits/seq' "80x24: loss chart"
expect_screen small 'Mem rows' "80x24: sample memory"
tm resize-window -t small -x 40 -y 10
expect_screen small 'needs 80×24' "resize to 40x10: says the size it needs"
tm resize-window -t small -x 80 -y 24
expect_screen small 'q stop & save' "resize back to 80x24"
tm send-keys -t small C-c
expect_screen small 'stopping: saving the checkpoint to .*small.safetensors' "Ctrl-C: says it is saving, as q does"
expect_sane small "Ctrl-C"
expect_saved small small "Ctrl-C"

# 3. SIGTERM stops and saves too.
start term 80 24 "$(train term)"
expect_screen term 'BCE bits/seq' "SIGTERM run: watching"
pid=$(pid_of term || true)
if [ -n "$pid" ]; then kill -TERM "$pid"; else fail "no arnn process to SIGTERM"; fi
expect_sane term "SIGTERM"
expect_saved term term "SIGTERM"

# 4. No terminal: one line, exit 2, and no training (no checkpoint).
set +e
msg=$("$arnn" $(train notty) </dev/null 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$msg" | grep -q 'needs a terminal' && [ "$(echo "$msg" | wc -l)" = 1 ] \
    && [ ! -e "$out/notty.safetensors" ]; then
    pass "no TTY: one line, exit 2, nothing trained"
else
    fail "no TTY: exit $code, message: $msg"
fi

if [ "$failures" -gt 0 ]; then echo "e2e: $failures failure(s)" >&2; exit 1; fi
echo "e2e: all watch checks passed"
