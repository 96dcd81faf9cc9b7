"""The Neural Programmer in PyTorch (arnn_torch's `NeuralProgrammer`, python/, arnn's default sizes: d = 64,
T = 5, records of 32 × 5 cells), measured on table-qa-shaped questions: the time to answer one question
(batch 1, hard selection, torch.no_grad) and training questions per second at batch 20 (soft selection,
the summed loss of `table_answer_loss`, backward, an Adam step), each at 1 and 2 threads. Prints one JSON
object: the config, the load average and `figures` in `arnn bench --json`'s form (name, unit, value), each
also in the process's CPU time (`per_cpu_second`, `cpu_us`), which a busy machine disturbs less.

The questions are random with table-qa's shapes (docs/tasks/table-qa.md): tables of 8-16 rows and 3 columns
of integers 0-99, questions of 6-17 words with 0-2 numbers, half of them answered by a number and half by a
cell. The content does not change the work the model does, only the shapes.

Usage: python3 scripts/bench_pytorch_np.py [--seconds S] [--threads 1,2]

Figures, 2026-12-07, this machine (2 cores), torch 2.15.0+cu132 on the CPU, --seconds 3, 1 thread, with two
other jobs running (load average 2.8-3.1): one answer 4,577 µs (3,367 µs of CPU), training 780 questions a
second at batch 20 (1,004 per CPU second). arnn's goals in its registry line are 5× and 2× the CPU-time
figures: an answer in at most 673 µs, training at least 2,008 questions a second.
"""
import argparse
import json
import os
import pathlib
import random
import sys
import time

import torch

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "python"))
from timing import median_us  # noqa: E402
from arnn_torch.models.np import NeuralProgrammer, NeuralProgrammerConfig, TableQuestion  # noqa: E402

VOCABULARY = 38          # TableQAVocabulary.words.count: <pad>, <unk>, <number>, 25 grammar words, 10 column names


def question(rng: random.Random) -> tuple[TableQuestion, object]:
    rows, columns = rng.randint(8, 16), 3
    words = rng.randint(6, 17)
    numbers = rng.randint(0, 2)
    q = TableQuestion(word_ids=[rng.randint(3, 27) for _ in range(words)],
                      number_values=[float(rng.randint(0, 99)) for _ in range(numbers)],
                      number_contexts=sorted(rng.randint(1, words) for _ in range(numbers)),
                      cells=[[float(rng.randint(0, 99)) for _ in range(columns)] for _ in range(rows)],
                      column_name_ids=rng.sample(range(28, 38), columns))
    right = (rng.randrange(rows), rng.randrange(columns)) if rng.random() < 0.5 else float(rng.randint(0, 800))
    return q, right


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=8)
    p.add_argument("--threads", default="1,2")
    a = p.parse_args()
    config = NeuralProgrammerConfig(vocabularySize=VOCABULARY)
    torch.manual_seed(0)
    model = NeuralProgrammer(config)
    rng = random.Random(1)
    pool = [question(rng) for _ in range(400)]
    figures = []
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        # One answer at batch 1, hard selection, cycling through the pool.
        repeats, rounds = max(1, int(a.seconds * 20)), 5
        turn = [0]

        def answer():
            turn[0] += 1
            model([pool[turn[0] % len(pool)][0]], selection="hard")
        with torch.no_grad():
            answer()
            start_cpu = cpu_seconds()
            us = median_us(answer, repeats=repeats, rounds=rounds)
            cpu_us = (cpu_seconds() - start_cpu) / (repeats * rounds) * 1e6
        figures.append({"name": f"np one answer, batch 1, {threads} thread{'s' if threads > 1 else ''}", "unit": "µs",
                        "value": us, "cpu_us": cpu_us})
        # Training at batch 20: soft selection, the summed loss, backward, Adam.
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        done, i = 0, 0
        start, start_cpu = time.perf_counter(), cpu_seconds()
        while time.perf_counter() - start < a.seconds:
            batch = [pool[(i + k) % len(pool)] for k in range(20)]
            i += 20
            questions = [q for q, _ in batch]
            record = model(questions)
            loss = model.loss(record, [r for _, r in batch], questions).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            done += 20
        wall, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
        figures.append({"name": f"np training, batch 20, {threads} thread{'s' if threads > 1 else ''}", "unit": "seq/s",
                        "value": done / wall, "per_cpu_second": done / cpu})
        print(f"{threads} thread(s): {us:.0f} µs an answer, {done / wall:.0f} questions/s training", file=sys.stderr)
    print(json.dumps({"config": config.__dict__ if hasattr(config, "__dict__") else str(config),
                      "load": os.getloadavg(), "torch": torch.__version__, "figures": figures}, indent=1, default=str))


if __name__ == "__main__":
    main()
