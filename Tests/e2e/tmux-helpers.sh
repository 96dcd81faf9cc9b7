# Shared by the tmux end-to-end scripts (source it after setting $arnn): a private tmux server, pass/fail
# counting, waiting for text on screen, starting arnn in a session that reports its exit status and stty
# afterwards, and checking the terminal was restored.
export SWIFT_BACKTRACE=enable=no
sock="arnn-e2e-$$"
tm() { tmux -L "$sock" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Waits (up to ~10 s: CI machines can be loaded) until the pane shows text matching $2; dumps the pane on
# failure.
expect_screen() {
    local session=$1 pattern=$2 what=$3
    for _ in $(seq 1 100); do
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

