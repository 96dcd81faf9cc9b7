"""The neural stack, queue and deque in PyTorch (arnn_torch's NeuralStack, NeuralQueue, NeuralDeque, python/,
default sizes: H = 64, m = 32) and the LSTM baseline (arnn_torch's LSTMBaseline, one layer of 256, arnn's
default) on reversal of 8-32 symbols (12 symbols: 32 inputs, one-hot over both vocabularies, 16 outputs),
measured the way `arnn bench stack` measures arnn's, with arnn's own figures beside them when --arnn names
the binary:

- one step at batch 1 without gradients, from the state after one step on the input `SeededRNG(2)`'s
  uniform draws (arnn's step probe, `RecurrentModel.stepProbe`: a structure of one row, two for the deque);
- a whole episode at batch 1 as the viewer runs it: reading a 16-symbol reversal (the task's first
  evaluation length), then greedy writing until `<eos>` or 36 symbols, per second and per step (an untrained
  model never writes `<eos>`, so every episode has 16 + 36 = 52 steps, the structure growing to 52 rows);
- training throughput at batch 10 (the paper's batch): batch i of sequences from `batch_rng(1, i)` as
  `arnn train --seed 1` draws them, teacher forcing through `RecurrentTokenRunner`, the summed
  cross-entropy divided by the target symbols, backward, arnn's default clamp at ±10 and an RMSprop step.

With --arnn, the same sitting also runs `arnn bench KIND --json` (stack, queue, deque: its step, episode
and training rows at batches 1, 8, 16, 32 and 128; its queue trains on its default task, symbol-copy, whose
sequences have the same lengths) and `arnn train --model KIND --task reversal --batch-size 10 --threads 1`
for --arnn-sequences sequences (all four models), whose rate is the batch-10 figure to set beside
PyTorch's. Every figure also has its CPU time (the process's, or arnn's as a child), which a busy machine
disturbs less than the wall clock.

Usage: python3 scripts/bench_pytorch_stack.py [--models stack,queue,deque,lstm] [--seconds S] [--threads N]
                                              [--arnn .build/release/arnn] [--arnn-sequences N]
Prints one JSON object on standard output (figures in `arnn bench --json`'s form: name, unit, value) and a
line per figure on standard error as it is measured.

Figures on an idle machine (load average 0.6-1.2), 2026-12-07, the same command without nice:

                         step, batch 1        training, batch 10, seq/s
                         PyTorch    arnn      PyTorch    arnn
    stack                368 µs      9.9 µs   114        1111  (9.8x)
    queue                403 µs     10.3 µs   107        1000  (9.4x)
    deque                468 µs     11.7 µs    69         571  (8.3x)
    lstm (256)            87 µs      -        411         204  (0.5x: arnn's LSTM of 256 at batch 10 is
                                                                the one figure here where PyTorch leads)

Figures, 2026-12-07, this machine (2 cores), torch 2.15.0+cu132 on the CPU, one thread, `nice -n 10`,
`--seconds 5 --arnn .build/release/arnn --arnn-sequences 2000`; another engineer's training and builds kept
the load average at 4.1-4.7 (CPU-time figures in brackets):

                         step, batch 1        training, batch 10, seq/s        PyTorch episode, 16 symbols
                         PyTorch    arnn      PyTorch       arnn
    stack                491 µs     17.6 µs   72  (75)      741 (758)         29.8 per s, 645 µs a step
    queue                648 µs      9.5 µs   83  (96)      769 (772)         30.4 per s, 634 µs a step
    deque                777 µs     18.0 µs   52  (76)      426 (592)         20.0 per s, 963 µs a step
    lstm (256)           152 µs      -        261 (394)     131 (196)         65.8 per s, 292 µs a step

(`arnn bench lstm` runs on copy, not on a token task: 83 µs a step there, with 9 inputs.) arnn's episode
rows are not comparable: its fresh model writes `<eos>` after its own number of symbols, PyTorch's never did
(52 steps each).
"""
import argparse
import json
import os
import pathlib
import re
import resource
import subprocess
import sys
import tempfile
import time

import torch

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "python"))
from timing import median_us  # noqa: E402
import arnn_torch  # noqa: E402
from arnn_torch import RecurrentTokenRunner, SeededRNG  # noqa: E402
from arnn_torch.rng import batch_rng  # noqa: E402

BATCH = 10
EPISODE_LENGTH = 16


def make_runner(kind: str) -> RecurrentTokenRunner:
    torch.manual_seed(1)
    task = arnn_torch.make_task("reversal")
    x, y = RecurrentTokenRunner.widths(task)
    if kind == "lstm":
        model = arnn_torch.LSTMBaseline(arnn_torch.LSTMConfig(inputSize=x, outputSize=y))
    else:
        model = arnn_torch.MODELS[kind](arnn_torch.NeuralStackConfig(inputSize=x, outputSize=y))
    return RecurrentTokenRunner(model, task)


def step_us(runner: RecurrentTokenRunner) -> dict:
    """arnn's step probe: one step at batch 1, no tape, from the state after one step on the same input."""
    model = runner.model
    x = SeededRNG(2).uniform_tensor([1, model.config.inputSize])
    with torch.no_grad():
        state = model.step(x, runner._initial_state(1, x))[1]

        def step():
            model.step(x, state)
        cpu = time.process_time()
        us = median_us(step, 500)
        return {"us": round(us, 1), "cpu_us": round((time.process_time() - cpu) / (7 * 500) * 1e6, 1)}


def episode_rate(runner: RecurrentTokenRunner) -> dict:
    """Greedy episodes of a 16-symbol reversal at batch 1, as arnn's episode row (16 samples drawn with
    SeededRNG(3) at the task's first evaluation length)."""
    rng = SeededRNG(3)
    sources = [runner.task.sample(rng, EPISODE_LENGTH).source_ids for _ in range(16)]
    at, steps = [0], []

    def episode():
        tokens, logits = runner.greedy([sources[at[0] % len(sources)]])
        steps.append(logits.shape[1])
        at[0] += 1
    cpu = time.process_time()
    us = median_us(episode, 16)
    cpu_us = (time.process_time() - cpu) / (7 * 16) * 1e6
    mean_steps = sum(steps) / len(steps)
    return {"per_s": round(1e6 / us, 1), "per_cpu_s": round(1e6 / cpu_us, 1), "steps": mean_steps,
            "us_per_step": round(us / mean_steps, 1)}


def training_rate(runner: RecurrentTokenRunner, seconds: float) -> dict:
    """Sequences per second at batch 10 over about `seconds`, after one warm-up batch."""
    model, task = runner.model, runner.task
    params = list(model.parameters())
    opt = torch.optim.RMSprop(params, lr=1e-4, alpha=0.95, eps=1e-8, momentum=0.9)
    index = [0]

    def train():
        rng = batch_rng(1, index[0])
        index[0] += 1
        pairs = [task.sample(rng) for _ in range(BATCH)]
        sources, targets = [p.source_ids for p in pairs], [p.target_ids for p in pairs]
        loss = runner.loss(sources, targets) / runner.loss_units(targets)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 10)
        opt.step()

    train()
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        train()
        done += BATCH
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seq_per_s": round(done / elapsed, 1), "seq_per_cpu_s": round(done / cpu, 1), "batches": done // BATCH}


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def arnn_train_rate(binary: str, kind: str, sequences: int) -> dict:
    """`arnn train --task reversal --batch-size 10 --threads 1`: sequences over its own reported seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        cpu = children_cpu()
        out = subprocess.run([binary, "train", "--model", kind, "--task", "reversal", "--batch-size", str(BATCH),
                              "--threads", "1", "--sequences", str(sequences), "--seed", "1", "--quiet",
                              "--checkpoint-every", "0", "--out", str(pathlib.Path(tmp) / "run.safetensors")],
                             check=True, capture_output=True, text=True, cwd=tmp).stdout
        cpu = children_cpu() - cpu
    seconds = float(re.search(r"saved \d+ sequences to .* \(([\d.]+) s;", out).group(1))
    return {"seq_per_s": round(sequences / seconds, 1), "seq_per_cpu_s": round(sequences / cpu, 1),
            "seconds": seconds}


def arnn_bench(binary: str, kind: str) -> list:
    cpu = children_cpu()
    out = subprocess.run([binary, "bench", kind, "--json"], check=True, capture_output=True, text=True).stdout
    cpu = children_cpu() - cpu
    rows = json.loads(out)                      # one array of rows: name, value, unit, target, met, gflops
    return [dict(row, cpu_seconds_of_the_whole_bench=round(cpu, 1)) for row in rows]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default="stack,queue,deque,lstm", help="which to measure (default: all four)")
    p.add_argument("--seconds", type=float, default=8, help="length of each training measurement (default 8)")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--arnn", help="the arnn binary, to measure arnn in the same sitting")
    p.add_argument("--arnn-sequences", type=int, default=3000, help="sequences of each arnn train run (default 3000)")
    a = p.parse_args()
    if a.arnn:
        a.arnn = os.path.abspath(a.arnn)       # arnn train runs in a temporary directory
    torch.set_num_threads(a.threads)
    kinds = a.models.split(",")
    out = {"torch": torch.__version__, "threads": a.threads, "batch": BATCH, "cpus": os.cpu_count(),
           "task": arnn_torch.make_task("reversal").config(), "load_average_start": round(os.getloadavg()[0], 2),
           "figures": []}

    def add(figure: dict) -> None:
        figure["load_average"] = round(os.getloadavg()[0], 2)
        out["figures"].append(figure)
        per_step = f", {figure['us_per_step']} µs a step" if "us_per_step" in figure else ""
        print(f"{figure['name']}: {figure['value']} {figure['unit']}{per_step} (load {figure['load_average']})",
              file=sys.stderr, flush=True)

    for kind in kinds:
        runner = make_runner(kind)
        name = kind.upper()
        step = step_us(runner)
        add({"name": f"PyTorch {name} forward, one step, batch 1", "unit": "µs", "value": step["us"],
             "cpu_us": step["cpu_us"]})
        episode = episode_rate(runner)
        add({"name": f"PyTorch {name} episode (symbols {EPISODE_LENGTH}), batch 1", "unit": "per s",
             "value": episode["per_s"], "per_cpu_s": episode["per_cpu_s"], "steps": episode["steps"],
             "us_per_step": episode["us_per_step"]})
        training = training_rate(runner, a.seconds)
        add({"name": f"PyTorch {name} training, batch {BATCH}, {a.threads} thread{'s' if a.threads > 1 else ''}",
             "unit": "seq/s", "value": training["seq_per_s"], "per_cpu_s": training["seq_per_cpu_s"],
             "batches": training["batches"]})
        if a.arnn:
            rate = arnn_train_rate(a.arnn, kind, a.arnn_sequences)
            add({"name": f"arnn {name} train --batch-size {BATCH} --threads 1", "unit": "seq/s",
                 "value": rate["seq_per_s"], "per_cpu_s": rate["seq_per_cpu_s"], "seconds": rate["seconds"]})
            if kind != "lstm":    # arnn bench lstm runs on copy, not on a token task
                for row in arnn_bench(a.arnn, kind):
                    add(dict(row, name=f"arnn {row['name']}", value=round(row["value"], 1)))
    out["load_average_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
