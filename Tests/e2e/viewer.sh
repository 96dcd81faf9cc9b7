#!/usr/bin/env bash
# End-to-end test of the viewer in a real terminal (tmux): sizes, keys, help, resize, and that every way
# out (q, Ctrl-C, SIGTERM) leaves the terminal sane. Usage: Tests/e2e/viewer.sh path/to/arnn
# Builds nothing; run from the repository root (the demos are found from there).
set -euo pipefail

arnn="$(cd "$(dirname "${1:?usage: viewer.sh path/to/arnn}")" && pwd)/$(basename "$1")"
[ -x "$arnn" ] || { echo "e2e: $arnn is not executable" >&2; exit 2; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed" >&2; exit 2; }

source "$(dirname "$0")/tmux-helpers.sh"

# 1. 160×48: the rich layout, stepping, scrubbing, help, write-diff, cursor, quit with q.
start big 160 48 --paused
expect_screen big 'Sequence · steps' "160x48: sequence panel"
expect_screen big 'Addressing · every head' "160x48: pipeline panel with every head"
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

# 2b. The fuller NTM screen (issue 12): at 200×60 every head's addressing, the controller panel and the
#     history zoomed on the rows in use; at 80×24 the target strip, γ and a whole cursor readout.
start full 200 60 --paused
expect_screen full 'Addressing · every head' "200x60: every head's addressing"
expect_screen full 'Controller · writes' "200x60: controller panel"
expect_screen full 'Weightings over time · rows in use' "200x60: history zoomed on the rows in use"
expect_screen full 'key/read -' "200x60: legend of the key and read vectors"
tm send-keys -t full G
expect_screen full 'write head on row [0-9]+ \(w ' "200x60: the write head's erase and add on its row"
tm resize-window -t full -x 80 -y 24
expect_screen full '^tgt ' "80x24: the target strip"
expect_screen full 'γ [0-9]' "80x24: γ is whole"
tm send-keys -t full Tab Tab Tab Up
expect_screen full 'read row [0-9]+, step 25: content [0-9.]+ → gated [0-9.]+ → shifted [0-9.]+ → w [0-9.]+' \
    "80x24: the addressing readout is whole"
tm send-keys -t full q
expect_sane full "q (200x60 -> 80x24)"

# 3. Too small from the start; then SIGTERM.
start tiny 40 10
expect_screen tiny 'needs 80×24' "40x10: too-small message"
pid=$(pid_of tiny || true)
if [ -n "$pid" ]; then kill -TERM "$pid"; else fail "no arnn process to SIGTERM"; fi
expect_sane tiny "SIGTERM"

# 4. --compare: the NTM and the LSTM side by side at 160×48, stepping together; `o` hands the scene keys
#    to the other model; at 80×24 one at a time; a model on another task is refused (exit 2, one line).
start cmp 160 48 --paused --compare lstm-copy
expect_screen cmp 'ntm-copy vs lstm-copy' "compare: title names both"
expect_screen cmp 'lstm-copy \(lstm\)' "compare: caption of the second model"
expect_screen cmp 'hidden state h' "compare: LSTM panels beside the NTM's"
tm send-keys -t cmp l l
expect_screen cmp 'step 3/' "compare: both step together"
tm send-keys -t cmp o
expect_screen cmp '▸ lstm-copy' "compare: o makes the LSTM active"
tm send-keys -t cmp c
expect_screen cmp 'cell state c' "compare: scene keys go to the active model"
tm resize-window -t cmp -x 80 -y 24
expect_screen cmp 'o: show the other' "compare at 80x24: one at a time"
tm send-keys -t cmp q
expect_sane cmp "q (compare)"
# 4b. Attention beside no attention (issue 18): the LSTM reads the sentence while the encoder-decoder
#     waits, then both write word for word; a typed sentence runs through both.
start tcmp 160 48 view translate --paused --compare lstm-translate
expect_screen tcmp 'translate vs lstm-translate' "attention vs none: title names both"
expect_screen tcmp 'starts at step 13' "attention vs none: the encoder-decoder waits while the LSTM reads"
expect_screen tcmp 'step 1/25 waiting' "attention vs none: the player runs over the longer episode"
expect_screen tcmp 'read +the +dog +of' "attention vs none: the LSTM's words read"
tm send-keys -t tcmp End
expect_screen tcmp 'step 25/25 answer' "attention vs none: End is the end of both"
expect_screen tcmp '×voitures' "attention vs none: a wrong word is marked"
tm send-keys -t tcmp t
tm send-keys -t tcmp -l 'the cats do not see the red car'
tm send-keys -t tcmp Enter
expect_screen tcmp 'les chats ne voient pas la voiture rouge' "attention vs none: a typed sentence runs through both"
tm send-keys -t tcmp q
expect_sane tcmp "q (attention vs none)"
set +e
out=$("$arnn" render ntm-assoc-recall --compare lstm-copy 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'same task' && [ "$(echo "$out" | wc -l)" = 1 ]; then
    pass "compare on another task: one line, exit 2"
else
    fail "compare on another task: exit $code, message: $out"
fi
set +e
out=$("$arnn" render ntm-copy --compare no-such-demo 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'no-such-demo'; then pass "compare with a missing demo: exit 2"; else fail "missing compare demo: exit $code, $out"; fi

# 5. Translation: the attention scene, typing a sentence, an unknown word, and the CLI.
start tr 160 48 view translate --paused
expect_screen tr 'Attention · decoded word × source word' "translate: attention matrix"
expect_screen tr 'next word p\(y\)' "translate: next-word candidates"
tm send-keys -t tr t
tm send-keys -t tr -l 'the small cats do not see the red car'
tm send-keys -t tr Enter
expect_screen tr 'les petits chats ne voient pas la voiture rouge' "translate: a typed sentence is translated"
tm send-keys -t tr t
tm send-keys -t tr -l 'the cta'
tm send-keys -t tr Enter
expect_screen tr 'closest known word: "cat"' "translate: an unknown word is named with the closest known one"
expect_screen tr 'input: the cta' "translate: the prompt stays open to fix the word"
tm send-keys -t tr Escape
tm send-keys -t tr Up
expect_screen tr 'attention on "' "translate: the cursor shows an exact weight"
tm send-keys -t tr q
expect_sane tr "q (translate)"
if "$arnn" translate "her small dogs did not eat the green apples" --quiet | grep -q "ses petits chiens n'ont pas mangé les pommes vertes"; then
    pass "arnn translate"
else
    fail "arnn translate"
fi
set +e
out=$("$arnn" translate "the small cta" 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'closest known word'; then pass "translate: unknown word, exit 2"; else fail "translate unknown word: exit $code, $out"; fi

# 5b. Memory network (issue 19): a story's sentences with one attention column per hop, stepping through the
#     hops to the answer, the vectors panel, the cursor's exact values, a typed story, too small, and ask.
start mm 160 48 view memn2n-babi --paused --length 3 --seed 2
expect_screen mm 'Story · [0-9]+ sentences in memory · attention p per hop' "memn2n: the story with its hop columns"
expect_screen mm 'hop 1 of 3: the answer comes after the last' "memn2n: paused at hop 1"
expect_screen mm 'Vectors · hop 1' "memn2n: the vectors of the hop"
tm send-keys -t mm l l
expect_screen mm 'answered: [a-z]+' "memn2n: the answer after the last hop"
expect_screen mm 'Answer' "memn2n: the answer distribution"
tm send-keys -t mm ']'
expect_screen mm 'babi task 6' "memn2n: ] goes to the next task (3 → 6)"
tm send-keys -t mm '['
expect_screen mm 'babi task 3' "memn2n: [ goes back (6 → 3)"
tm send-keys -t mm G
tm send-keys -t mm Up
expect_screen mm 'sentence [0-9]+ "[a-z ]+": hop 1 [0-9.]+  hop 2 [0-9.]+  hop 3 [0-9.]+' "memn2n: the cursor reads a sentence at every hop"
tm send-keys -t mm t
tm send-keys -t mm -l 'Mary moved to the bathroom. John went to the hallway. Mary travelled to the office. Where is Mary?'
tm send-keys -t mm Enter
tm send-keys -t mm G
expect_screen mm 'answered: office' "memn2n: a typed story is answered"
tm send-keys -t mm t
tm send-keys -t mm -l 'Mary moved to the bathrom. Where is Mary?'
tm send-keys -t mm Enter
expect_screen mm 'closest known word: "bathroom"' "memn2n: an unknown word is named with the closest known one"
tm send-keys -t mm Escape
tm resize-window -t mm -x 50 -y 12
expect_screen mm 'too small' "memn2n: too small says so"
tm resize-window -t mm -x 80 -y 24
expect_screen mm 'Story' "memn2n: 80x24 after too small"
tm send-keys -t mm q
expect_sane mm "q (memn2n)"
if [ "$("$arnn" ask memn2n-babi --story "Mary moved to the bathroom. John went to the hallway." --question "Where is Mary?" --quiet)" = bathroom ]; then
    pass "arnn ask memn2n-babi"
else
    fail "arnn ask memn2n-babi"
fi

# 5c. DMN+ (issue 19): a gate column per pass, the episodic memory, stepping to the answer; beside memn2n on
#     the same story with --compare, and at 80x24.
start dmn 160 48 view dmn-babi --paused --length 3 --seed 2
expect_screen dmn 'gate g per pass' "dmn: the story with its pass columns"
expect_screen dmn 'Episodic memory' "dmn: the episodic memory panel"
tm send-keys -t dmn l l
expect_screen dmn 'answered: [a-z]+' "dmn: the answer after the last pass"
tm resize-window -t dmn -x 80 -y 24
expect_screen dmn 'gate g' "dmn: 80x24"
tm send-keys -t dmn q
expect_sane dmn "q (dmn)"
start mvd 200 60 view memn2n-babi --paused --length 2 --seed 4 --compare dmn-babi
expect_screen mvd 'memn2n-babi vs dmn-babi' "memn2n vs dmn: title names both"
expect_screen mvd 'attention p per hop' "memn2n vs dmn: memn2n's hops"
expect_screen mvd 'gate g per pass' "memn2n vs dmn: dmn's passes"
tm send-keys -t mvd G
expect_screen mvd 'answered: [a-z]+.*answered: [a-z]+' "memn2n vs dmn: both answer"
tm send-keys -t mvd C-c
expect_sane mvd "Ctrl-C (memn2n vs dmn)"

# 6a. ACT on parity: the halting columns and sub-steps, stepping by sub-step, editing an entry (the model
#     answers at once), the τ comparison, 80×24 and too small, quit.
start act 160 48 view act-parity --paused
expect_screen act 'Halting p · Σρ' "act: halting columns"
expect_screen act 'ponder sub-steps · R ' "act: the sub-step table"
expect_screen act 'states s\^n as' "act: sub-step state heatmaps"
tm send-keys -t act .
expect_screen act 'input 1, sub-step 1 of [0-9]+: h ' "act: . steps to the first sub-step with its values"
tm send-keys -t act .
expect_screen act 'input 1, sub-step 2 of [0-9]+: h ' "act: . steps to the next sub-step"
tm send-keys -t act ,
expect_screen act 'input 1, sub-step 1 of ' "act: , steps back"
tm send-keys -t act Escape e
expect_screen act 'Edit input: space flips entry 1' "act: e opens the entry editor"
tm send-keys -t act Right Right Space
expect_screen act 'edited input' "act: a flip reruns the model at once"
expect_screen act 'Edit input: space flips entry 3' "act: the editor stays open on the edited entry"
tm send-keys -t act Enter
expect_screen act 'Input 1 of 1 · target' "act: enter closes the editor"
tm send-keys -t act '?'
expect_screen act 'step back / forward one ponder sub-step' "act: help lists the sub-step keys"
tm send-keys -t act x
tm resize-window -t act -x 80 -y 24
expect_screen act 'ponder sub-step' "act at 80x24"
tm resize-window -t act -x 60 -y 16
expect_screen act 'needs ' "act at 60x16: says the size it needs"
tm resize-window -t act -x 120 -y 40
expect_screen act 'Halting p · Σρ' "act: back at 120x40"
tm send-keys -t act q
expect_sane act "q (act)"
start actcmp 160 48 view act-parity --compare act-parity-tau1e-2 --paused
expect_screen actcmp 'act-parity vs act-parity-tau1e-2' "act compare: the two τ side by side"
tm send-keys -t actcmp C-c
expect_sane actcmp "Ctrl-C (act compare)"

# 6b. DNC: memory with its weighting columns, the link matrix and its zoom, read modes; beside the NTM.
start dnc 160 48 view dnc-copy --paused
expect_screen dnc 'Memory M_t · slots' "dnc: memory panel"
expect_screen dnc 'Links L\[i,j\]: i written after j' "dnc: link matrix"
expect_screen dnc 'Gates and read modes' "dnc: gates and read modes"
tm send-keys -t dnc G
expect_screen dnc 'b 0.00 c 0.00 f 1.00' "dnc: at the last step the read head follows the links forward"
tm send-keys -t dnc Down
expect_screen dnc 'slot [0-9]+, step 25: usage ' "dnc: the slot cursor reads exact values"
tm send-keys -t dnc z
expect_screen dnc 'links 1:1' "dnc: z zooms the link matrix"
tm resize-window -t dnc -x 80 -y 24
expect_screen dnc 'Memory M_t' "dnc at 80x24"
tm send-keys -t dnc q
expect_sane dnc "q (dnc)"
start dnccmp 160 48 view dnc-copy --compare ntm-copy --paused
expect_screen dnccmp 'dnc-copy vs ntm-copy' "dnc compare: the DNC and the NTM side by side"
tm send-keys -t dnccmp l l
expect_screen dnccmp 'step 3/' "dnc compare: both step together"
tm send-keys -t dnccmp q
expect_sane dnccmp "q (dnc compare)"
# Memory reuse (issue 24): ten slots, usage over time under them; the usage map follows the step.
start dncre 120 40 view dnc-copy-episodes --paused
expect_screen dncre 'usage u over time' "dnc-copy-episodes: usage over time under the slots"
expect_screen dncre 'copy-episodes episodes 10' "dnc-copy-episodes: opens on ten episodes"
tm send-keys -t dncre g
expect_screen dncre 'step 1/86' "dnc-copy-episodes: g goes to the first step"
tm resize-window -t dncre -x 80 -y 24
expect_screen dncre 'Memory M_t' "dnc-copy-episodes at 80x24"
tm send-keys -t dncre C-c
expect_sane dncre "Ctrl-C (dnc-copy-episodes)"

# 6c. Neural stack, queue and deque (issue 20), once their demos are in demos/: the structure with its ends
#     and the strengths over time, the cursor's exact value, a typed sequence, the sizes, too small, and
#     the stack beside the LSTM on the same reversal.
if [ -f demos/stack-reverse/demo.json ]; then
    start stk 160 48 view stack-reverse --paused
    expect_screen stk 'Stack after step 1 · 1 row' "stack: the structure after the first push"
    expect_screen stk '▲ top: push d [0-9.]+ · pop u [0-9.]+ · read Σw [0-9.]+' "stack: the top end says what the head does"
    expect_screen stk 'Strengths s over time' "stack: the strengths over time"
    tm send-keys -t stk G
    expect_screen stk 'step ([0-9]+)/\1 answer' "stack: G goes to the last step"
    tm send-keys -t stk Up Right Right
    expect_screen stk 'row [0-9]+ of 0–[0-9]+ \(pushed at step [0-9]+ reading [^)]+\), step [0-9]+: v\[2\] [-+][0-9]\.[0-9]{3}' \
        "stack: the cursor reads a value entry"
    tm send-keys -t stk Escape t
    tm send-keys -t stk -l 'a b c d e f'
    tm send-keys -t stk Enter
    expect_screen stk 'read +a b c d e f <bos>' "stack: a typed sequence runs"
    tm resize-window -t stk -x 80 -y 24
    expect_screen stk 'Stack after step' "stack at 80x24"
    tm resize-window -t stk -x 60 -y 20
    expect_screen stk 'needs 80×24' "stack at 60x20: says the size it needs"
    tm resize-window -t stk -x 200 -y 60
    expect_screen stk 'Strengths s over time' "stack at 200x60"
    tm send-keys -t stk q
    expect_sane stk "q (stack)"
fi
if [ -f demos/stack-reverse/demo.json ] && [ -f demos/lstm-reverse/demo.json ]; then
    start stkcmp 160 48 view stack-reverse --compare lstm-reverse --paused
    expect_screen stkcmp 'stack-reverse vs lstm-reverse' "stack vs lstm: the title names both"
    expect_screen stkcmp 'Stack after step 1 ' "stack vs lstm: the stack's structure"
    expect_screen stkcmp 'hidden state h' "stack vs lstm: the LSTM's state beside it"
    tm send-keys -t stkcmp l l
    expect_screen stkcmp 'step 3/' "stack vs lstm: both step together"
    tm send-keys -t stkcmp C-c
    expect_sane stkcmp "Ctrl-C (stack vs lstm)"
fi
for demo in queue-copy deque-reverse deque-copy queue-svo; do
    [ -f "demos/$demo/demo.json" ] || continue
    start "$demo" 120 40 view "$demo" --paused
    tm send-keys -t "$demo" l l l
    if [ "$demo" = queue-copy ] || [ "$demo" = queue-svo ]; then
        expect_screen "$demo" '▼ bottom: pop u [0-9.]+ \(front\) · read Σw' "$demo: the queue pops and reads its front at the bottom"
    else
        expect_screen "$demo" '▼ bottom: push d [0-9.]+ · pop u' "$demo: the deque works at the bottom too"
        expect_screen "$demo" ' bot ' "$demo: rows pushed at the bottom say so"
    fi
    tm resize-window -t "$demo" -x 80 -y 24
    expect_screen "$demo" 'after step 4' "$demo at 80x24"
    tm send-keys -t "$demo" q
    expect_sane "$demo" "q ($demo)"
done

if [ -f demos/stack-dyck/demo.json ]; then
    # A labelling demo: one label written per bracket read, the stack's push and pop beside it.
    start dyck 120 40 view stack-dyck --paused
    tm send-keys -t dyck l l l
    expect_screen dyck 'read +[([]' "stack-dyck: the brackets read"
    expect_screen dyck 'p\(y\) [])]' "stack-dyck: the labels' probabilities"
    expect_screen dyck '[0-9]+/16 labels wrong' "stack-dyck: labels scored"
    tm send-keys -t dyck t
    tm send-keys -t dyck -l '(([['
    tm send-keys -t dyck Enter
    expect_screen dyck '[0-9]+/4 labels wrong' "stack-dyck: a typed prefix runs"
    tm resize-window -t dyck -x 80 -y 24
    expect_screen dyck 'after step' "stack-dyck at 80x24"
    tm send-keys -t dyck q
    expect_sane dyck "q (stack-dyck)"
fi

if [ -f demos/np-tables/demo.json ]; then
    # The Neural Programmer: the table, the program by step, a typed question over the table on screen.
    start np 160 48 view np-tables --paused
    expect_screen np 'Program · α per step' "np-tables: the program panel"
    expect_screen np 'row +[a-z]+ +[a-z]+' "np-tables: the table's header names its columns"
    tm send-keys -t np End
    expect_screen np 'answered ' "np-tables: the last step gives the answer"
    tm send-keys -t np Down
    expect_screen np 'row 1 \(' "np-tables: the cursor reads a row's cells and selections"
    tm send-keys -t np t
    tm send-keys -t np -l 'how many rows are there ?'
    tm send-keys -t np Enter
    expect_screen np 'how many rows are there \?' "np-tables: a typed question runs on the table on screen"
    tm send-keys -t np t
    tm send-keys -t np -l 'what is the sum of prise ?'
    tm send-keys -t np Enter
    expect_screen np 'closest known word: "price"' "np-tables: an unknown word names the closest"
    tm send-keys -t np Escape
    tm resize-window -t np -x 80 -y 24
    expect_screen np 'step [0-9]/[0-9]' "np-tables at 80x24"
    tm send-keys -t np q
    expect_sane np "q (np-tables)"
fi

if [ -f demos/translate-transformer/demo.json ]; then
    # The transformer: the enlarged head, every head's small multiple, tab through heads, m through the
    # attentions, the cursor's exact weight, a typed sentence, compare with Bahdanau, and Ctrl-C.
    start tf 160 48 view translate-transformer --paused
    expect_screen tf 'L1 H1 cross-attention' "translate-transformer: the enlarged head"
    expect_screen tf 'All heads · cross' "translate-transformer: the small multiples"
    tm send-keys -t tf Tab
    expect_screen tf 'L1 H2 cross-attention' "translate-transformer: tab moves to the next head"
    tm send-keys -t tf m
    expect_screen tf 'encoder self-attention' "translate-transformer: m shows the encoder's self-attention"
    tm send-keys -t tf m
    expect_screen tf 'decoder self-attention' "translate-transformer: and the decoder's"
    tm send-keys -t tf m Up
    expect_screen tf 'layer 1 head 2 cross: step' "translate-transformer: the cursor gives the exact weight"
    tm send-keys -t tf Escape t
    tm send-keys -t tf -l 'the small cats do not see the red car'
    tm send-keys -t tf Enter
    expect_screen tf 'les petits chats' "translate-transformer: a typed sentence is translated"
    tm send-keys -t tf t
    tm send-keys -t tf -l 'the smal cats'
    tm send-keys -t tf Enter
    expect_screen tf 'closest known word: "small"' "translate-transformer: an unknown word names the closest"
    tm send-keys -t tf Escape
    tm resize-window -t tf -x 80 -y 24
    expect_screen tf 'cross-attention' "translate-transformer at 80x24"
    tm resize-window -t tf -x 60 -y 20
    expect_screen tf 'needs 80' "translate-transformer too small says what it needs"
    tm send-keys -t tf C-c
    expect_sane tf "Ctrl-C (translate-transformer)"
    start tfc 160 48 view translate-transformer --compare translate --paused
    expect_screen tfc 'translate \(seq2seq\)' "translate-transformer --compare translate: both models"
    tm send-keys -t tfc q
    expect_sane tfc "q (translate-transformer --compare translate)"
fi

if [ -f demos/sort-linformer/demo.json ]; then
    # An approximation beside exact attention: a shows exact A, then the difference; typed letters sort.
    start sl 160 48 view sort-linformer --paused
    expect_screen sl 'approximation Â' "sort-linformer: the Linformer's own map"
    tm send-keys -t sl a
    expect_screen sl 'exact A on the same Q, K' "sort-linformer: a shows exact attention on the same queries and keys"
    tm send-keys -t sl a
    expect_screen sl 'difference Â − A' "sort-linformer: then their difference"
    tm send-keys -t sl '['
    expect_screen sl 'k = 8 \(trained at 16; stand-in E, F' "sort-linformer: [ halves k with stand-in projections"
    tm send-keys -t sl ']'
    expect_screen sl 'k = 16, as trained' "sort-linformer: ] back to the learned projections"
    tm send-keys -t sl t
    tm send-keys -t sl -l 'qbxbmaqbxbmaqbxbmaqbxbmaqbxbmaqbxbma'
    tm send-keys -t sl Enter
    expect_screen sl 'a a a a a a b b b b' "sort-linformer: typed letters come out sorted"
    tm resize-window -t sl -x 80 -y 24
    expect_screen sl 'cross-attention' "sort-linformer at 80x24"
    tm send-keys -t sl q
    expect_sane sl "q (sort-linformer)"
fi

if [ -f demos/sort-performer/demo.json ]; then
    start sp 120 40 view sort-performer --paused
    expect_screen sp 'approximation Â' "sort-performer: the Performer's own map"
    tm send-keys -t sp a a
    expect_screen sp 'difference Â − A' "sort-performer: a twice shows the difference with exact attention"
    # ] and [ double and halve m live, on the same letters; < and > still change the length.
    expect_screen sp 'm 64 ' "sort-performer: the status bar gives m"
    tm send-keys -t sp ']'
    expect_screen sp 'm = 128 \(trained at 64; features drawn afresh at m\)' "sort-performer: ] doubles m and runs again"
    expect_screen sp 'm 128 ' "sort-performer: the status bar follows m"
    tm send-keys -t sp '['
    expect_screen sp 'm = 64, as trained' "sort-performer: [ halves m back to the trained features"
    tm send-keys -t sp '<'
    expect_screen sp 'sort symbols 47' "sort-performer: < is a shorter sequence"
    tm send-keys -t sp C-c
    expect_sane sp "Ctrl-C (sort-performer)"
fi

# 6. No terminal: one line pointing at `arnn render`, exit 2.
set +e
out=$("$arnn" </dev/null 2>&1 >/dev/null); code=$?
set -e
if [ "$code" = 2 ] && echo "$out" | grep -q 'arnn render' && [ "$(echo "$out" | wc -l)" = 1 ]; then
    pass "no TTY: one line, exit 2"
else
    fail "no TTY: exit $code, message: $out"
fi

# 7. render works without a terminal.
if "$arnn" render --size 80x24 --plain --step 5 | grep -q 'step 5/'; then pass "render --plain"; else fail "render --plain"; fi

# 7b. Without colour (issue 12, defect 11): --plain, NO_COLOR and --color none all draw the signed memory
# legend with negatives ≡=-· on the left and positives ░▒▓█ on the right, and emit no colour escapes.
esc=$(printf '\033')
mono_legend='memory -[0-9.]* ≡[≡=·-]* *░[░▒▓█]* +[0-9.]*'
if "$arnn" render --size 80x24 --plain --step 15 | grep -q -- "$mono_legend"; then
    pass "render --plain: signed legend ≡ … █"
else
    fail "render --plain: no signed legend"
fi
for how in "NO_COLOR=1" "--color none"; do
    if [ "$how" = "NO_COLOR=1" ]; then
        out=$(NO_COLOR=1 TERM=xterm-256color COLORTERM=truecolor "$arnn" render --size 80x24 --step 15)
    else
        out=$(TERM=xterm-256color COLORTERM=truecolor "$arnn" render --size 80x24 --step 15 --color none)
    fi
    if echo "$out" | grep -q "${esc}\[[0-9;]*[34]8;"; then
        fail "render with $how: colour escapes"
    elif echo "$out" | sed "s/${esc}\[[0-9;]*m//g" | grep -q -- "$mono_legend"; then
        pass "render with $how: no colour, signed legend"
    else
        fail "render with $how: no signed legend"
    fi
done

# 8. Refusals (issue 12): one line on stderr, exit 2, and nothing written.
refuses() {   # refuses WHAT PATTERN ARGS...: arnn ARGS exits 2 with one stderr line matching PATTERN
    local what=$1 pattern=$2; shift 2
    local out code
    set +e
    out=$("$@" 2>&1 >/dev/null </dev/null); code=$?
    set -e
    if [ "$code" = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -qE -- "$pattern"; then
        pass "$what"
    else
        fail "$what: exit $code, message: $out"
    fi
}
cast=$(mktemp -u).cast
refuses "render --size 10x10: names the smallest size" 'too small .*needs at least 80x24' "$arnn" render --size 10x10
refuses "record --size 10x10: names the smallest size" 'too small .*needs at least 80x24' "$arnn" record --size 10x10 --out "$cast"
if [ -e "$cast" ]; then fail "record --size 10x10 wrote $cast"; rm -f "$cast"; else pass "record --size 10x10 writes nothing"; fi
refuses "TERM=dumb view: points at arnn render" 'TERM=dumb.*arnn render' env TERM=dumb "$arnn" view
refuses "render --step -1: the range" '--step must be between 1 and' "$arnn" render --step -1
refuses "render --seed -1: the range" 'seed is a whole number from 0' "$arnn" render --seed -1
refuses "render --size -5x10: the form" 'WIDTHxHEIGHT, each from 1 to 1000' "$arnn" render --size -5x10
refuses "record --speed -1: the range" '--speed must be in' "$arnn" record --speed -1 --out "$cast"
tm new-session -d -s dumb2 -x 100 -y 30 "cd '$PWD' && TERM=dumb '$arnn' --paused; echo \"ARNN-EXIT=\$?\"; sleep 30"
expect_screen dumb2 'TERM=dumb cannot move the cursor' "TERM=dumb in a terminal: refuses in one line"
expect_screen dumb2 'ARNN-EXIT=2' "TERM=dumb in a terminal: exit 2"
if "$arnn" render --help | grep -q 'default: 120x40'; then pass "help shows the size as 120x40"; else fail "help shows the size as $("$arnn" render --help | grep -o 'default: [^)]*)')"; fi

# 9. record: the header says what the frames need (truecolor by default).
"$arnn" record --size 80x24 --length 2 --out "$cast" >/dev/null
if head -1 "$cast" | grep -q '"COLORTERM":"truecolor"'; then pass "record: truecolor header"; else fail "record header: $(head -1 "$cast")"; fi
"$arnn" record --size 80x24 --length 2 --color 256 --out "$cast" >/dev/null
if head -1 "$cast" | grep -q 'COLORTERM'; then fail "record --color 256 header: $(head -1 "$cast")"; else pass "record --color 256: no truecolor claim"; fi
rm -f "$cast"

# 10. Snapshots (issue 13): on a run trained with --keep-every, { and } move through training time while the
#     example and the step stay; the status bar and the loss-curve strip say where; help lists the keys.
snap=$(mktemp -d)
"$arnn" train --sequences 200 --keep-every 100 --out "$snap/run.safetensors" --quiet >/dev/null 2>&1 \
    || fail "snapshots: training a short run with --keep-every"
start snap 100 30 "$snap/run.safetensors" --paused
expect_screen snap 'after 200 sequences' "snapshots: the status bar says after 200 sequences"
expect_screen snap 'training .*after 200 of 200 seq' "snapshots: the loss-curve strip"
tm send-keys -t snap l l l
expect_screen snap 'step 4/21 .*after 200 sequences' "snapshots: stepping to step 4"
tm send-keys -t snap '{'
expect_screen snap 'step 4/21 .*after 100 sequences' "snapshots: { goes back in training time, the step stays"
expect_screen snap 'seed 1' "snapshots: the example stays (seed 1)"
tm send-keys -t snap '{'
expect_screen snap 'step 4/21 .*after 0 sequences' "snapshots: { again: the untrained model"
tm send-keys -t snap '{'
expect_screen snap 'the first snapshot of the run' "snapshots: { at the first snapshot says so"
tm send-keys -t snap '}'
expect_screen snap 'step 4/21 .*after 100 sequences' "snapshots: } goes forward"
tm send-keys -t snap '?'
expect_screen snap 'earlier / later in training' "snapshots: help lists { }"
tm send-keys -t snap x
tm send-keys -t snap q
expect_sane snap "q (snapshots)"
rm -rf "$snap"

if [ "$failures" -gt 0 ]; then echo "e2e: $failures failure(s)" >&2; exit 1; fi
echo "e2e: all viewer checks passed"
