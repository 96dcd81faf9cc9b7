#!/usr/bin/env python3
"""Write python/tests/data/demo_reference.safetensors: what arnn computes on each shipped demo.

For each NTM, LSTM, DNC and ACT demo, `arnn trace DEMO --seed S --length L` (docs/trace.md) runs one
generated example; this file keeps the example's inputs and targets and arnn's logits (and, for the NTM,
every head's weighting) at every step, so that tests/test_demos.py can check arnn_torch against arnn
without building arnn: the same inputs from the same seed (the task generators), and the same logits from
the same weights.

arnn_torch has no sentence generator, so the translation demos run typed sentences instead
(`arnn trace DEMO --sentence TEXT`, greedy decoding): per sentence, the tokens the decoder read (`<bos>`
then what it wrote), and its logits and attention weights at every step. Together the sentences use every
English word, so a wrong source id would show in the logits; the text `arnn translate --quiet` prints for
them and for VOCABULARY_SENTENCES uses every French word, which checks the target ids.

A recurrent model on translation (lstm-translate: docs/models/lstm.md, "On tokens") runs the same typed
sentences through `arnn trace DEMO --sentence TEXT`: per sentence, the input channel of every step (the
source id while it reads, V_s + the target id it reads back while it writes), the tokens it wrote (`<eos>`
last, unless it hit the 2n + 4 limit) and its logits at every step, reading and writing; and the text
`arnn translate --quiet` prints for every sentence.

    swift build -c release --product arnn
    python3 python/tests/make_demo_reference.py --arnn .build/release/arnn

The memory-network demos (memn2n-babi, dmn-babi) run typed stories (`arnn trace DEMO --sentence TEXT`):
per story, the answer distribution of the last hop or pass and the answer word.

The transduction demos are not listed here: every demos/*/demo.json whose task is symbol-copy, reversal, svo-sov or
bigram-flip is one (stack-reverse, queue-copy, ...; any recurrent model: stack, queue, deque, lstm), so a
new one is picked up by rerunning this script (tests/test_demos.py fails until it is). Each runs
TRANSDUCTION_TYPED's typed sequences over the demo's own symbols (`arnn trace DEMO --tokens "a f k p e"`;
5, 12 and 33 symbols, even lengths for bigram flip) and one generated sequence (`arnn trace DEMO --seed S
--length L`, TRANSDUCTION_GENERATED), greedy decoding: per sequence, the source and the rule's target ids
of arnn's example, the input channel of every step, the tokens it wrote (`<eos>` last, unless it hit the
2n + 4 limit) and its logits at every step, reading and writing; for a stack, queue or deque also every
step's push d and pop u, its strengths (every row kept after the step, bottom first, zeros after them)
and the read weights at a few steps (read_weight_steps); and the text `arnn translate --quiet` prints for
each sequence. Only this one command is needed when a transduction demo lands:

    python3 python/tests/make_demo_reference.py --arnn .build/release/arnn

The sorting demos (every demo whose task is sort: sort-transformer, and sort-linformer and sort-performer,
whose attention is the Linformer's or the Performer's) run SORT_TYPED's typed sequences and SORT_GENERATED's
generated ones, greedy decoding: per sequence, the source ids, the tokens the decoder read (`<bos>` then what
it wrote), its logits and last-layer cross-attention (the heads' mean; the map the approximation implies
under Linformer or Performer) at every step, and arnn's score of what it wrote (wrong and scored letters).

Rerun it when a demo is added, or a demo's weights or a task's encoding change.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import subprocess

import torch
from safetensors.torch import save_file

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).resolve().parent / "data" / "demo_reference.safetensors"
# (demo, seed, length): lengths inside each demo's training range, seeds arbitrary but fixed.
CASES = [
    ("ntm-copy", 3, 12),
    ("ntm-repeat-copy", 5, 4),
    ("ntm-assoc-recall", 7, 4),
    ("lstm-copy", 11, 8),
    ("dnc-copy", 3, 12),
    ("dnc-repeat-copy", 5, 4),
    ("dnc-copy-episodes", 3, 10),
    ("act-parity", 3, 9),
    ("act-parity-32", 3, 24),
    ("act-parity-tau1e-2", 3, 9),
]
# Translation demos: (demo, how many of SENTENCES to trace); every sentence is translated.
TRANSLATION_DEMOS = [("translate", 14), ("translate-dot", 5), ("translate-transformer", 5)]
# Recurrent models on translation (RecurrentTokenLearner): (demo, how many of SENTENCES to trace).
RECURRENT_TOKEN_DEMOS = [("lstm-translate", 14)]
# Memory networks on babi (memn2n, dmn): typed stories, one or more per task, through
# `arnn trace DEMO --sentence TEXT`; per story, the answer distribution after every hop or pass.
STORY_DEMOS = ["memn2n-babi", "dmn-babi"]
STORIES = [
    "Mary moved to the bathroom. John went to the hallway. Mary travelled to the office. Where is Mary?",
    "John picked up the milk. John went to the garden. Mary travelled to the office. John dropped the milk. "
    "John went back to the kitchen. Where is the milk?",
    "Daniel grabbed the apple there. Daniel went to the garden. Daniel journeyed to the kitchen. "
    "Daniel put down the apple. Where was the apple before the kitchen?",
    "John moved to the garden. Mary went to the office. John journeyed to the kitchen. Is John in the garden?",
    "Sheep are afraid of wolves. Cats are afraid of mice. Gertrude is a sheep. Winona is a cat. "
    "Mice are afraid of wolves. Wolves are afraid of cats. What is Winona afraid of?",
]
SENTENCES = [
    "the small cats do not see the red car of the boy",
    "my big dogs ate an apple",
    "your horses that like the green houses did not eat the books",
    "his girl wants two black trees",
    "her man has three white flowers",
    "our women liked four blue cars",
    "their men wanted five grey birds",
    "i saw a woman that eats the apples",
    "he does not have the girls",
    "she sees a cat",
    "we had the dog of the boys",
    "you want a bird",
    "they do not like the horse that sees the book",
    "the tree likes the flower of the house",
]
# Transduction demos (found in demos/: transduction_demos): typed sequences of (length, run) (typed_symbols;
# lengths rounded up to even for bigram flip; stack-reverse and queue-copy train on 8-32, so 33 is one past),
# then one generated from (seed, length).
TRANSDUCTION_TASKS = ("symbol-copy", "reversal", "bigram-flip", "svo-sov")
# SVO -> SOV demos read sentences of the grammar instead: these three use every source word of 4 a class (a
# clause in the subject, and one in the object), then two generated ones, one past the trained 32 words.
SVO_TYPED = ["si1 vi1 oi1", "si2 rpi si3 vi2 vi3 oi2 oi3", "si4 vi4 si1 rpi si2 vi1 oi4"]
SVO_GENERATED = [(7, 20), (5, 40)]
TRANSDUCTION_TYPED = [(5, 1), (12, 3), (33, 1)]
TRANSDUCTION_GENERATED = (7, 20)
# The French words SENTENCES' translations do not use: possessives, adjective forms, conjugations.
VOCABULARY_SENTENCES = [
    "i see my black dog", "you eat my black apple", "we see your green book", "we eat your green car",
    "they eat his green dogs", "you like our white cat", "we like their white house", "we want the white birds",
    "they want the blue book", "you have the blue car", "the blue horses see the black houses",
    "the grey car has the red trees", "the small dog sees the grey apples", "the small girl sees the small flowers",
    "the big man likes the big car", "the girls see the big apples",
]


# Labelling demos (dyck2, found in demos/: labelling_demos): typed bracket strings, a shallow one, one of 32
# brackets nested 12 deep, and one of 64 (twice the longest trained).
BRACKET_STRINGS = ["( [ ] ) [ ( ) ]",
                   "( [ ( ( [ [ ( ( [ ( [ ( ) ] ) ] ) ) ] ] ) ) ] ) [ ( ) ] ( )",
                   " ".join("([" * 8 + "])" * 8) + " " + " ".join("[(" * 8 + ")]" * 8)]


def labelling_demos() -> list[str]:
    """Every shipped demo whose task is dyck2, sorted."""
    found = []
    for path in sorted((REPO / "demos").glob("*/demo.json")):
        task = json.loads(path.read_text())["task"]
        if (task["name"] if isinstance(task, dict) else task) == "dyck2":
            found.append(path.parent.name)
    return found


def transduction_demos() -> list[str]:
    """Every shipped demo whose task is a transduction task, sorted."""
    found = []
    for path in sorted((REPO / "demos").glob("*/demo.json")):
        task = json.loads(path.read_text())["task"]
        if (task["name"] if isinstance(task, dict) else task) in TRANSDUCTION_TASKS:
            found.append(path.parent.name)
    return found


# Sorting demos (a transformer on sort, found in demos/: sort_demos): typed sequences of (length, run) over
# the 26 letters, then two generated from (seed, length).
SORT_TYPED = [(33, 1), (48, 3)]
SORT_GENERATED = [(7, 32), (9, 64)]


def sort_demos() -> list[str]:
    """Every shipped demo whose task is sort (exact, Linformer and Performer attention alike), sorted."""
    return [p.parent.name for p in sorted((REPO / "demos").glob("*/demo.json"))
            if json.loads(p.read_text())["task"]["name"] == "sort"]


def typed_symbols(letters: list[str], length: int, run: int, even: bool) -> str:
    """A typed sequence over the demo's symbols, the same on every run of this script: `length` symbols (one
    more if `even` and it is odd), each repeated `run` times in a row (a a a f f f ...: runs of one symbol),
    taken with a stride coprime to the alphabet's size, so that up to its size they are distinct and a
    sequence of at least as many picks as symbols uses every one."""
    n = len(letters)
    length += length % 2 if even else 0
    stride = next(k for k in (5, 7, 3, 1) if math.gcd(k, n) == 1)
    picks = [i // run for i in range(length)]
    return " ".join(letters[(stride * p + p // n) % n] for p in picks)


def read_weight_steps(n: int, steps: int) -> list[int]:
    """The steps whose read weights are kept, for n source symbols and `steps` frames: the last step that
    reads (the whole source pushed), the first that writes, the middle of the writing, and the last step."""
    return sorted({n - 1, n, (n + steps - 1) // 2, steps - 1})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arnn", default=str(REPO / ".build" / "release" / "arnn"), help="the arnn binary")
    a = p.parse_args()
    tensors: dict[str, torch.Tensor] = {}
    metadata = {"generator": "python/tests/make_demo_reference.py", "cases": json.dumps(CASES)}
    for demo, seed, length in CASES:
        out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--seed", str(seed),
                              "--length", str(length)], check=True, capture_output=True, text=True).stdout
        trace = json.loads(out)
        frames = trace["frames"]
        kind = trace["model"]["kind"]
        tensors[f"{demo}.input"] = torch.tensor([f["input"] for f in frames])
        tensors[f"{demo}.target"] = torch.tensor([f["target"] for f in frames])
        tensors[f"{demo}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
        if kind == "ntm":
            # [T, heads, N]: the read heads, then the write head.
            tensors[f"{demo}.weightings"] = torch.tensor([[h["weighting"] for h in f["ntm"]["heads"]] for f in frames])
            tensors[f"{demo}.memory"] = torch.tensor(frames[-1]["ntm"]["memoryAfter"])
        if kind == "act":
            tensors[f"{demo}.steps"] = torch.tensor([f["act"]["steps"] for f in frames])
        metadata[f"{demo}.wrongBits"] = str(trace["score"]["wrongBits"])
        print(f"{demo}: {len(frames)} steps, seed {seed}, length {length}, {trace['score']['wrongBits']} wrong bits")
    metadata["translation_demos"] = json.dumps(TRANSLATION_DEMOS)
    metadata["sentences"] = json.dumps(SENTENCES)
    metadata["vocabulary_sentences"] = json.dumps(VOCABULARY_SENTENCES)
    for demo, count in TRANSLATION_DEMOS:
        for i, sentence in enumerate(SENTENCES[:count]):
            out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--sentence", sentence],
                                 check=True, capture_output=True, text=True).stdout
            trace = json.loads(out)
            frames, kind = trace["frames"], trace["model"]["kind"]
            tensors[f"{demo}.sentence{i}.input"] = torch.tensor([float(f["inputToken"]) for f in frames])
            tensors[f"{demo}.sentence{i}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
            # seq2seq's weights; a transformer's last decoder layer's cross-attention, the mean of its heads.
            tensors[f"{demo}.sentence{i}.weights"] = torch.tensor(
                [f[kind]["weights"] if kind == "seq2seq" else torch.tensor(f[kind]["crossAttention"][-1]).mean(0).tolist()
                 for f in frames])
        translations = [subprocess.run([a.arnn, "translate", "--model", str(REPO / "demos" / demo), "--quiet", s],
                                       check=True, capture_output=True, text=True).stdout.strip()
                        for s in SENTENCES + VOCABULARY_SENTENCES]
        metadata[f"{demo}.translations"] = json.dumps(translations, ensure_ascii=False)
        print(f"{demo}: {count} sentences traced, {len(translations)} translated")
    metadata["recurrent_token_demos"] = json.dumps(RECURRENT_TOKEN_DEMOS)
    for demo, count in RECURRENT_TOKEN_DEMOS:
        for i, sentence in enumerate(SENTENCES[:count]):
            out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--sentence", sentence],
                                 check=True, capture_output=True, text=True).stdout
            trace = json.loads(out)
            frames, kind = trace["frames"], trace["model"]["kind"]
            source_size = trace["model"]["config"]["inputSize"] - trace["model"]["config"]["outputSize"]
            tensors[f"{demo}.sentence{i}.channel"] = torch.tensor(
                [float(f["inputToken"] + (source_size if f["phase"] == "answer" else 0)) for f in frames])
            tensors[f"{demo}.sentence{i}.written"] = torch.tensor(
                [float(f["outputToken"]) for f in frames if f["phase"] == "answer"])
            tensors[f"{demo}.sentence{i}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
        translations = [subprocess.run([a.arnn, "translate", "--model", str(REPO / "demos" / demo), "--quiet", s],
                                       check=True, capture_output=True, text=True).stdout.strip()
                        for s in SENTENCES + VOCABULARY_SENTENCES]
        metadata[f"{demo}.translations"] = json.dumps(translations, ensure_ascii=False)
        print(f"{demo}: {count} sentences traced, {len(translations)} translated")
    metadata["story_demos"] = json.dumps(STORY_DEMOS)
    metadata["stories"] = json.dumps(STORIES)
    for demo in STORY_DEMOS:
        for i, story in enumerate(STORIES):
            out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--sentence", story],
                                 check=True, capture_output=True, text=True).stdout
            frames = json.loads(out)["frames"]
            tensors[f"{demo}.story{i}.output"] = torch.tensor(frames[-1]["output"])
            metadata[f"{demo}.story{i}.answer"] = frames[-1]["answerWord"]
        print(f"{demo}: {len(STORIES)} stories traced")
    demos = transduction_demos()
    metadata["transduction_demos"] = json.dumps(demos)
    for demo in demos:
        task = json.loads((REPO / "demos" / demo / "demo.json").read_text())["task"]
        if task["name"] == "svo-sov":
            runs = [["--tokens", sentence] for sentence in SVO_TYPED]
            runs += [["--seed", str(seed), "--length", str(length)] for seed, length in SVO_GENERATED]
        else:
            letters = [chr(97 + i) for i in range(task["symbols"])]
            even = task["name"] == "bigram-flip"
            runs = [["--tokens", typed_symbols(letters, n, run, even)] for n, run in TRANSDUCTION_TYPED]
            seed, length = TRANSDUCTION_GENERATED
            runs.append(["--seed", str(seed), "--length", str(length)])
        sequences = []
        for i, args in enumerate(runs):
            out = subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), *args],
                                 check=True, capture_output=True, text=True).stdout
            trace = json.loads(out)
            frames, kind, example = trace["frames"], trace["model"]["kind"], trace["example"]
            source_size = trace["model"]["config"]["inputSize"] - trace["model"]["config"]["outputSize"]
            key = f"{demo}.sequence{i}"
            tensors[f"{key}.source"] = torch.tensor(example["sourceTokens"])
            tensors[f"{key}.target"] = torch.tensor(example["targetTokens"])
            tensors[f"{key}.channel"] = torch.tensor(
                [float(f["inputToken"] + (source_size if f["phase"] == "answer" else 0)) for f in frames])
            tensors[f"{key}.written"] = torch.tensor(
                [float(f["outputToken"]) for f in frames if f["phase"] == "answer"])
            tensors[f"{key}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
            if "strengths" in frames[0][kind]:                                   # stack, queue, deque
                heads, steps = len(frames[0][kind]["heads"]), len(frames)
                rows = heads * steps
                strengths = torch.zeros(steps, rows)
                for t, f in enumerate(frames):
                    s = f[kind]["strengths"]
                    # Rows popped to zero stay (docs/trace.md), so step t keeps E·(t + 1): this package's layout.
                    assert len(s) == heads * (t + 1), f"{demo}: step {t} keeps {len(s)} rows, not {heads * (t + 1)}"
                    strengths[t, : len(s)] = torch.tensor(s)
                tensors[f"{key}.strengths"] = strengths
                tensors[f"{key}.push"] = torch.tensor([f[kind]["push"] for f in frames])
                tensors[f"{key}.pop"] = torch.tensor([f[kind]["pop"] for f in frames])
                at = read_weight_steps(len(example["sourceTokens"]), steps)
                weights = torch.zeros(len(at), heads, rows)
                for j, t in enumerate(at):
                    w = frames[t][kind]["readWeights"]
                    weights[j, :, : len(w[0])] = torch.tensor(w)
                tensors[f"{key}.readWeightSteps"] = torch.tensor(at)
                tensors[f"{key}.readWeights"] = weights
            sequences.append({"tokens": args[1]} if args[0] == "--tokens" else {"seed": int(args[1]), "length": int(args[3])})
            text = " ".join(example["sourceWords"])
            sequences[-1]["translation"] = subprocess.run(
                [a.arnn, "translate", "--model", str(REPO / "demos" / demo), "--quiet", text],
                check=True, capture_output=True, text=True).stdout.strip()
            score = trace["score"]
            print(f"{demo} ({kind}, {task['name']}): {' '.join(args)}: {len(frames)} steps, "
                  f"{score['wrongWords']} of {score['scoredWords']} words wrong")
        metadata[f"{demo}.sequences"] = json.dumps(sequences)
    sorting = sort_demos()
    metadata["sort_demos"] = json.dumps(sorting)
    for demo in sorting:
        letters = [chr(97 + i) for i in range(26)]
        runs = [["--tokens", typed_symbols(letters, n, run, False)] for n, run in SORT_TYPED]
        runs += [["--seed", str(seed), "--length", str(length)] for seed, length in SORT_GENERATED]
        sequences, scores = [], []
        for i, args in enumerate(runs):
            trace = json.loads(subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), *args],
                                              check=True, capture_output=True, text=True).stdout)
            frames, kind, example = trace["frames"], trace["model"]["kind"], trace["example"]
            key = f"{demo}.sequence{i}"
            tensors[f"{key}.source"] = torch.tensor(example["sourceTokens"])
            tensors[f"{key}.input"] = torch.tensor([float(f["inputToken"]) for f in frames])   # <bos>, then what it wrote
            tensors[f"{key}.logits"] = torch.tensor([f[kind]["logits"] for f in frames])
            tensors[f"{key}.weights"] = torch.tensor([torch.tensor(f[kind]["crossAttention"][-1]).mean(0).tolist()
                                                      for f in frames])
            sequences.append(args)
            scores.append({k: trace["score"][k] for k in ("wrongWords", "scoredWords")})
            print(f"{demo} ({kind}, sort): {' '.join(args)}: {len(frames)} steps, "
                  f"{trace['score']['wrongWords']} of {trace['score']['scoredWords']} wrong")
        metadata[f"{demo}.sequences"] = json.dumps(sequences)
        metadata[f"{demo}.scores"] = json.dumps(scores)
    labelling = labelling_demos()
    metadata["labelling_demos"] = json.dumps(labelling)
    metadata["bracket_strings"] = json.dumps(BRACKET_STRINGS)
    for demo in labelling:
        for i, text in enumerate(BRACKET_STRINGS):
            trace = json.loads(subprocess.run([a.arnn, "trace", str(REPO / "demos" / demo), "--tokens", text],
                                              check=True, capture_output=True, text=True).stdout)
            kind = trace["model"]["kind"]
            tensors[f"{demo}.brackets{i}.logits"] = torch.tensor([f[kind]["logits"] for f in trace["frames"]])
            tensors[f"{demo}.brackets{i}.written"] = torch.tensor([float(f["outputToken"]) for f in trace["frames"]])
        print(f"{demo}: {len(BRACKET_STRINGS)} bracket strings traced")
    OUT.parent.mkdir(exist_ok=True)
    save_file({k: v.to(torch.float32).contiguous() for k, v in tensors.items()}, str(OUT), metadata=metadata)
    print(f"wrote {OUT.relative_to(REPO)}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
