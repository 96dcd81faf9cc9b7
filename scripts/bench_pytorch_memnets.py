"""The memory networks in PyTorch (arnn_torch's MemN2N and DMN, python/, default sizes unless --size), measured
on bAbI-shaped questions: training questions per second at batch 32 (Adam, the cross-entropy over the 12
answers averaged over the batch, padding each batch as the model does) and the time to answer one question
(batch 1, inference, torch.no_grad), each at 1 and 2 threads. Prints one JSON object on standard output: the
model's config, the load average, and `figures` in `arnn bench --json`'s form (name, unit, value: wall-clock
time), each with what it was measured under and the same figure in the process's CPU time (`per_cpu_second`,
`cpu_us`), which a busy machine disturbs less at 1 thread (at 2, PyTorch's threads also burn CPU waiting for
each other); a line per thread count goes to standard error as it is measured.

The questions are random word ids with the shapes of arnn's babi mix (tasks 1, 2, 3, 6, 15 drawn uniformly,
as `BabiTask` draws a sample with no task asked for): for each task, the number of statements before the
question and the words per statement follow the histograms below, and the question has its task's length.
They were counted from arnn's own generator: 20,000 questions per task of `BabiTask(tasks: [t])` drawn with
`SeededRNG(seed: 123)` (a throwaway Swift test, 2026-12-06). Counts above 50 statements are stored as 50: the
models keep the last 50 (memorySize, the default of both), so only the kept count costs anything. qa3 has
43 % of its questions there, so nearly every batch of 32 is padded to 50 slots. With --data, the questions are
drawn from bAbI-format files instead (unknown words become <unk>; answers outside the 12 count as answer 0,
which changes nothing in the timing).

Usage: python3 scripts/bench_pytorch_memnets.py --model memn2n|dmn [--size N] [--seconds S] [--threads 1,2]
                                                [--data qa1_train.txt ...]

Figures, 2026-12-06, this machine (2 cores), torch 2.15.0+cu132 on the CPU, generated questions, the default
--seconds 8. Other jobs (arnn training runs and Swift builds) kept the load average at 5-7 throughout, so the
wall-clock figures are slower than an idle machine's; the CPU-time figures (in brackets) much less so. At 2
threads each of PyTorch's parallel ops waited for a preempted thread, so those rows measure the load:

                                                   1 thread                     2 threads
    memn2n (d 50), training, batch 32, q/s         1,437  (2,095 per CPU s)        56  (load 7.3)
    memn2n, one answer, batch 1, µs                  783  (567 CPU)             8,756
    dmn (D = H = 80), training, batch 32, q/s        168  (247 per CPU s)        22.5 (load 6.5)
    dmn, one answer, batch 1, µs                   7,867  (5,708 CPU)          58,463
    dmn (D = H = 48), training, batch 32, q/s        182  (262 per CPU s)          -
    dmn (D = H = 48), one answer, batch 1, µs      7,180  (4,976 CPU)              -

Batches held 49.2-49.7 memory slots on average. The DMN hardly speeds up from H = 80 to 48: in eager
PyTorch its time goes to the 3 × 50 sequential AttnGRU steps of each batch (about ten small operations each,
forward and backward), not to the multiply-adds.
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
from arnn_torch import DMN, BabiTask, DMNConfig, MemN2N, MemN2NConfig  # noqa: E402
from arnn_torch.babi import ANSWERS, VOCABULARY  # noqa: E402

# Per task: {kept statements: questions of 20,000}, {words per statement: statements}, question words.
SHAPES = {
    "qa1": ({2: 3954, 4: 3997, 6: 3986, 8: 3981, 10: 4082}, {5: 96278, 6: 24202}, 3),
    "qa2": ({2: 289, 4: 922, 6: 1658, 8: 1900, 10: 2031, 12: 2072, 14: 2097, 16: 2006, 18: 1663, 20: 1412,
             22: 1216, 24: 855, 26: 536, 28: 482, 30: 301, 32: 216, 34: 140, 36: 64, 38: 65, 40: 24, 42: 20,
             44: 7, 46: 17, 48: 6, 50: 1}, {4: 38278, 5: 208061, 6: 51287}, 4),
    "qa3": ({4: 29, 6: 99, 8: 226, 10: 356, 12: 485, 14: 484, 16: 612, 18: 613, 20: 668, 22: 610, 24: 646,
             26: 573, 28: 604, 30: 615, 32: 555, 34: 573, 36: 602, 38: 507, 40: 527, 42: 538, 44: 571, 46: 520,
             48: 436, 50: 8551}, {4: 109929, 5: 713977, 6: 178770}, 7),
    "qa6": ({2: 3497, 4: 3920, 6: 3967, 8: 4039, 10: 4049, 12: 447, 14: 78, 16: 3}, {4: 16959, 5: 87135, 6: 21688}, 5),
    "qa15": ({8: 20000}, {4: 80000, 5: 80000}, 5),
}
BATCH = 32


def generated(rng: random.Random):
    """An endless stream of (statements, question, answer) in the shapes of arnn's babi mix."""
    words = range(2, len(VOCABULARY))
    tasks = list(SHAPES)
    while True:
        counts, lengths, question = SHAPES[rng.choice(tasks)]
        n = rng.choices(list(counts), weights=list(counts.values()))[0]
        sizes = rng.choices(list(lengths), weights=list(lengths.values()), k=n)
        story = [[rng.choice(words) for _ in range(j)] for j in sizes]
        yield story, [rng.choice(words) for _ in range(question)], rng.randrange(len(ANSWERS))


def from_files(paths, rng: random.Random):
    task = BabiTask()
    samples = [s for p in paths for s in task.read_file(p)]
    while True:
        s = rng.choice(samples)
        yield s.sentence_ids, s.question_ids, s.answer if s.answer is not None else 0


def make_model(kind: str, size):
    torch.manual_seed(1)
    if kind == "memn2n":
        task = BabiTask()
        sizes = {"embeddingSize": size} if size else {}
        return MemN2N(MemN2NConfig(vocabularySize=len(VOCABULARY), answerWords=list(task.answer_words), **sizes))
    sizes = {"embeddingSize": size, "hiddenSize": size} if size else {}
    return DMN(DMNConfig(vocabularySize=len(VOCABULARY), **sizes))


def training_rate(model, stream, seconds: float) -> dict:
    """Questions per second at batch 32 over about `seconds`, after two warm-up batches: padding the batch,
    forward, loss, backward and one Adam step each."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    slots = []

    def train():
        batch = [next(stream) for _ in range(BATCH)]
        stories, questions, answers = zip(*batch)
        padded = model.batch(stories, questions)
        slots.append(padded.slots)
        loss = torch.nn.functional.cross_entropy(model(padded), torch.tensor(answers))
        opt.zero_grad()
        loss.backward()
        opt.step()

    train()
    train()
    slots.clear()
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        train()
        done += BATCH
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"questions_per_s": round(done / elapsed, 1), "questions_per_cpu_s": round(done / cpu, 1),
            "batches": done // BATCH, "mean_slots": round(sum(slots) / len(slots), 1)}


def answer_time(model, stream, seconds: float) -> dict:
    """µs to answer one question at batch 1 without gradients, padding included: the median over 7 rounds of
    the mean over a fixed cycle of 200 questions."""
    questions = [next(stream) for _ in range(200)]
    at = [0]

    def answer():
        story, question, _ = questions[at[0] % len(questions)]
        at[0] += 1
        with torch.no_grad():
            model([story], [question]).argmax(-1)

    start = time.perf_counter()
    for _ in range(len(questions)):
        answer()
    per_call = (time.perf_counter() - start) / len(questions)
    repeats = max(len(questions), int(seconds / 7 / per_call) // len(questions) * len(questions))
    cpu = time.process_time()
    us = median_us(answer, repeats)
    cpu_us = (time.process_time() - cpu) / (7 * repeats) * 1e6
    return {"us": round(us, 1), "cpu_us": round(cpu_us, 1), "questions_per_round": repeats}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, choices=["memn2n", "dmn"])
    p.add_argument("--size", type=int, help="memn2n: d; dmn: D = H (default: the model's, 50 and 80)")
    p.add_argument("--seconds", type=float, default=8, help="length of each training measurement (default 8)")
    p.add_argument("--threads", default="1,2", help="thread counts to measure (default 1,2)")
    p.add_argument("--data", nargs="+", help="bAbI-format files to draw questions from (default: generated)")
    a = p.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    model = make_model(a.model, a.size)
    out = {"model": a.model, "config": model.config.to_dict(), "torch": torch.__version__, "batch": BATCH,
           "data": a.data or "generated: arnn's babi mix (tasks 1, 2, 3, 6, 15)", "cpus": os.cpu_count(),
           "load_average_start": round(os.getloadavg()[0], 2), "figures": []}
    name = a.model.upper()
    for t in threads:
        torch.set_num_threads(t)
        rng = random.Random(7)
        stream = from_files(a.data, rng) if a.data else generated(rng)
        training = training_rate(model, stream, a.seconds)
        answer = answer_time(model, stream, a.seconds / 2)
        load = round(os.getloadavg()[0], 2)
        threads_text = f"{t} thread{'s' if t > 1 else ''}"
        # The figures in `arnn bench --json`'s form, with what each was measured under beside them.
        out["figures"] += [
            {"name": f"PyTorch {name} training, batch {BATCH}, {threads_text}", "unit": "questions/s",
             "value": training["questions_per_s"], "per_cpu_second": training["questions_per_cpu_s"],
             "batches": training["batches"], "mean_slots": training["mean_slots"], "load_average": load},
            {"name": f"PyTorch {name} answer, one question, batch 1, {threads_text}", "unit": "µs",
             "value": answer["us"], "cpu_us": answer["cpu_us"], "questions_per_round": answer["questions_per_round"],
             "load_average": load},
        ]
        print(f"{name}, {threads_text}: {training['questions_per_s']} questions/s training, "
              f"{answer['us']} µs an answer "
              f"(load {load})", file=sys.stderr, flush=True)
    out["load_average_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
