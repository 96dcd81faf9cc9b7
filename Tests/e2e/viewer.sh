#!/usr/bin/env bash
# End-to-end test of the viewer in a real terminal (tmux): sizes, keys, help, resize, and that every way
# out (q, Ctrl-C, SIGTERM) leaves the terminal sane. Usage: Tests/e2e/viewer.sh path/to/arnn
# Builds nothing; run from the repository root (the demos are found from there).
set -euo pipefail

arnn="$(cd "$(dirname "${1:?usage: viewer.sh path/to/arnn}")" && pwd)/$(basename "$1")"
[ -x "$arnn" ] || { echo "e2e: $arnn is not executable" >&2; exit 2; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed" >&2; exit 2; }

export SWIFT_BACKTRACE=enable=no
sock="arnn-e2e-$$"
tm() { tmux -L "$sock" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Waits (up to ~5 s) until the pane shows text matching $2; dumps the pane on failure.
expect_screen() {
    local session=$1 pattern=$2 what=$3
    for _ in $(seq 1 50); do
        if tm capture-pane -p -t "$session" | grep -qE -- "$pattern"; then pass "$what"; return 0; fi
        sleep 0.1
    done
    fail "$what (no /$pattern/ on screen)"
    tm capture-pane -p -t "$session" >&2 || true
    return 0
}

# Starts arnn in a fresh session of the given size (TERM is tmux's own, so keys like End match terminfo);
# after it exits the pane prints its status and stty. The wrapper shell traps (not ignores) SIGINT, so
# Ctrl-C reaches arnn with its default action and the shell survives to run stty.
start() {
    local session=$1 width=$2 height=$3; shift 3
    tm new-session -d -s "$session" -x "$width" -y "$height" \
        "trap ':' INT; cd '$PWD' && '$arnn' $* ; echo \"ARNN-EXIT=\$?\"; stty -a | grep -o -- '-\\?icanon' | head -1; stty -a | grep -o -- '-\\?echo ' | head -1; sleep 30"
    tm set-option -t "$session" remain-on-exit on >/dev/null
}

# After arnn exits: the shell's terminal is back in cooked mode with echo.
expect_sane() {
    local session=$1 what=$2
    expect_screen "$session" 'ARNN-EXIT=' "$what: arnn exited"
    for _ in $(seq 1 30); do tm capture-pane -p -t "$session" | grep -q 'icanon' && break; sleep 0.1; done
    local screen
    screen=$(tm capture-pane -p -t "$session")
    if echo "$screen" | grep -q -- '-icanon' || echo "$screen" | grep -q -- '-echo '; then
        fail "$what: terminal left raw"; echo "$screen" >&2
    elif echo "$screen" | grep -q 'icanon'; then
        pass "$what: terminal restored (icanon, echo)"
    else
        fail "$what: no stty output"; echo "$screen" >&2
    fi
}

pid_of() { # the arnn process in the session's pane
    local shell_pid; shell_pid=$(tm display-message -p -t "$1" '#{pane_pid}')
    pgrep -P "$shell_pid" -f "$arnn" | head -1
}

# 1. 160×48: the rich layout, stepping, scrubbing, help, write-diff, cursor, quit with q.
start big 160 48 --paused
expect_screen big 'Sequence · steps' "160x48: sequence panel"
expect_screen big 'Addressing · write head' "160x48: pipeline panel"
expect_screen big 'paused · step 1/' "160x48: paused at step 1"
tm send-keys -t big l l l
expect_screen big 'step 4/' "160x48: l steps forward"
tm send-keys -t big h
expect_screen big 'step 3/' "160x48: h steps back"
tm send-keys -t big G
expect_screen big 'step 25/25' "160x48: G jumps to the last step"
tm send-keys -t big g
expect_screen big 'step 1/25' "160x48: g jumps to the first step"
tm send-keys -t big End
expect_screen big 'step 25/25' "160x48: End"
tm send-keys -t big Home
expect_screen big 'step 1/25' "160x48: Home"
tm send-keys -t big w
expect_screen big 'Memory change' "160x48: w shows write-diff"
tm send-keys -t big Up
expect_screen big 'memory row [0-9]+, column 0' "160x48: cursor readout"
tm send-keys -t big '?'
expect_screen big 'arnn keys' "160x48: help overlay"
expect_screen big 'shorter / longer sequence' "160x48: help lists [ ]"
tm send-keys -t big x
tm send-keys -t big ']'
expect_screen big 'length 13' "160x48: ] makes the sequence longer"
tm send-keys -t big Space
expect_screen big 'playing' "160x48: space plays"
tm send-keys -t big q
expect_sane big "q"

# 2. 80×24: the compact layout, then resize to 160×48 and below the minimum, and back.
start small 80 24 --paused
expect_screen small 'Mem ' "80x24: compact memory"
expect_screen small 'space play' "80x24: status bar keys"
tm send-keys -t small l
expect_screen small 'step 2/' "80x24: stepping"
tm resize-window -t small -x 160 -y 48
expect_screen small 'Weightings over time' "resize 80x24 -> 160x48 redraws"
tm resize-window -t small -x 40 -y 10
expect_screen small 'needs 80×24' "resize to 40x10: says the size it needs"
tm resize-window -t small -x 80 -y 24
expect_screen small 'step 2/' "resize back to 80x24"
tm send-keys -t small C-c
expect_sane small "Ctrl-C"

# 3. Too small from the start; then SIGTERM.
start tiny 40 10
expect_screen tiny 'needs 80×24' "40x10: too-small message"
pid=$(pid_of tiny || true)
if [ -n "$pid" ]; then kill -TERM "$pid"; else fail "no arnn process to SIGTERM"; fi
expect_sane tiny "SIGTERM"

# 4. No terminal: one line pointing at `arnn render`, exit 2.
set +e
out=$("$arnn" </dev/null 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'arnn render' && [ "$(echo "$out" | wc -l)" = 1 ]; then
    pass "no TTY: one line, exit 2"
else
    fail "no TTY: exit $code, message: $out"
fi

# 5. render works without a terminal.
if "$arnn" render --size 80x24 --plain --step 5 | grep -q 'step 5/'; then pass "render --plain"; else fail "render --plain"; fi

if [ "$failures" -gt 0 ]; then echo "e2e: $failures failure(s)" >&2; exit 1; fi
echo "e2e: all viewer checks passed"
