"""The Differentiable Neural Computer in PyTorch on the copy task's widths (input 9 = 8 bits + delimiter,
output 8), to sit beside `arnn bench dnc`'s figures. Two implementations:

- package: the public `dnc` package from PyPI (ixaxaar/pytorch-dnc, `pip install dnc`; 1.1.0 measured):
  DNC(9, H, rnn_type='lstm', num_layers=1, num_hidden_layers=1, nr_cells=N, cell_size=W, read_heads=R,
  batch_first=True, gpu_id=-1). num_hidden_layers=1 so that the controller is one LSTM layer as in arnn
  (the package's default is a 2-layer nn.LSTM). The package's output layer maps [h, reads] back to
  input_size (9) and it has no output-size option, so an nn.Linear(9, 8) is added after it. Its step is
  the package's forward() on a length-1 sequence with the returned (controller, memory, reads) state
  passed back in. Two training rows: the usual whole-sequence call (the package builds every step's
  controller input from the read vectors it was given at the call's start, so within one call the
  controller never sees the reads; they reach only the output layer), and one forward() call per step
  with the state carried, which feeds each step's reads back to the controller as the DNC does.
- transcription: the project's own transcription of docs/models/dnc.md, arnn_torch's DNC (python/, which
  the parity fixture and the shipped-demo tests check) with its sizes as arguments: nn.LSTMCell
  controller, one interface Linear, one output Linear from [h, reads] to 8, PyTorch's default
  initialisation (no fixture rescaling).

Two sizes: N = 32 slots × W = 16, 1 read head, controller 128 (the demo dnc-copy, arnn's default DNC
config); and N = 128 × W = 20, 4 read heads, controller 128.

Measured, for each implementation and size:
(a) µs per step at batch 1 in inference (torch.no_grad), step by step with the whole state carried,
    over a stream of copy inputs (episodes of length 10 back to back); the median of 7 timed rounds.
(b) training sequences per second at batch 16: forward, BCE-with-logits on the answer steps (summed,
    divided by the scored bits as arnn's loss), backward, gradient clamping at ±10 (arnn's default
    clipValue), Adam lr 1e-3. Copy as arnn lays it out (arnn_torch's CopyTask.random_batch): L random
    8-bit vectors (delimiter channel 0), one delimiter step (channel 8 only), L answer steps with zero
    input; T = 2L + 1. One L per batch
    (as scripts/bench_pytorch_lstm.py), drawn in pairs (L, 21 - L) from a fixed seed, so the lengths
    have the mean of arnn's per-sequence draws from 1-20 (L = 10.5, T = 22; arnn runs each sequence at
    its own length, so the work per sequence matches without padding). A DNC step costs the same at
    every length, so each batch's rate is scaled to a 22-step sequence (batch · T / 22 / seconds) and
    the figure is the median over the batches timed, after one warm-up batch.

Each row is timed for about --seconds (default 8; a training row's last batch may run over). Rows are at
--threads (default 2, as the other scripts and arnn's batch-16 row) and, with 2, also at 1 thread: with
another process busy on the CPU each of PyTorch's parallel ops waits for the preempted second thread, a
scheduler tick at a time, so the 2-thread rows measure the load more than the model. The load average is
printed at the start, after each row and at the end.

Usage: pip install dnc; python3 scripts/bench_pytorch_dnc.py [--threads 2] [--seconds 8] [--only package|transcription]

Figures, 2026-12-01, this machine (2 cores), torch 2.15.0+cu132 on the CPU, dnc 1.1.0, the default
--seconds 8, one full run of 3 min 13 s. Another training job (arnn, one core at ~90 %) was running: load
average 3.13 at the start, 3.2-3.7 during, 3.61 at the end. Batch-16 rows are seq/s at mean T = 22.

                                              N=32 W=16 R=1 (dnc-copy)    N=128 W=20 R=4
                                              1 thread    2 threads       1 thread    2 threads
    package, step, batch 1, µs                   691.6     24,279.7          818.7    100,803.6
    package, training, whole-sequence, seq/s     210.8          1.7 *         75.8          0.9 *
    package, training, call per step, seq/s      224.0          2.0 *         68.8          0.8 *
    transcription, step, batch 1, µs             418.6     16,162.5          678.4    113,608.5
    transcription, training, seq/s               277.9          1.5 *         86.2          1.5 *

    * one batch in the 8 s: each parallel op waited for the preempted second thread. The 1-thread
      training rows are medians of 34-134 batches. Under this load only the 1-thread figures measure the
      models; the 2-thread rows were not measured on an idle CPU.
"""
import argparse
import os
import pathlib
import random
import statistics
import sys
import time

import torch

# The model, the copy task and the loss are arnn_torch's (python/), the code the parity fixture and the demo
# tests check.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
from arnn_torch import CopyTask, DNC, DNCConfig  # noqa: E402
from arnn_torch.train import bce_loss_sum  # noqa: E402

TASK = CopyTask(bitWidth=8)
(INPUT, OUTPUT), BITS = TASK.io_sizes, TASK.bitWidth      # 9, 8, 8
SIZES = [  # (label, N, W, R, H)
    ("N=32 W=16 R=1 H=128 (dnc-copy)", 32, 16, 1, 128),
    ("N=128 W=20 R=4 H=128", 128, 20, 4, 128),
]


# ---------------------------------------------------------------------------------------------------------
# The project's transcription: arnn_torch's DNC (docs/models/dnc.md) with its sizes as arguments.

def transcribed_dnc(rows: int, width: int, reads: int, hidden: int) -> DNC:
    return DNC(DNCConfig(inputSize=INPUT, outputSize=OUTPUT, memoryRows=rows, memoryWidth=width,
                         readHeads=reads, controllerSize=hidden))


# ---------------------------------------------------------------------------------------------------------
# The `dnc` package, with a Linear(9, 8) head.

class PackageDNC(torch.nn.Module):
    def __init__(self, rows: int, width: int, reads: int, hidden: int) -> None:
        super().__init__()
        from dnc import DNC
        self.dnc = DNC(INPUT, hidden, rnn_type="lstm", num_layers=1, num_hidden_layers=1, nr_cells=rows,
                       cell_size=width, read_heads=reads, batch_first=True, gpu_id=-1)
        self.head = torch.nn.Linear(INPUT, OUTPUT)   # the package's output is input_size (9) wide

    def step(self, x: torch.Tensor, state):
        """x [B, X]; state None or the package's (controller, memory, reads) -> ([B, Y], state)."""
        out, state = self.dnc(x[:, None, :], state if state is not None else (None, None, None))
        return self.head(out[:, 0]), state

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [B, T, X] -> logits [B, T, Y] in one package call."""
        out, _ = self.dnc(x.contiguous())
        return self.head(out)

    def forward_stepwise(self, x: torch.Tensor) -> torch.Tensor:
        state, logits = None, []
        for t in range(x.shape[1]):
            y, state = self.step(x[:, t], state)
            logits.append(y)
        return torch.stack(logits, 1)


# ---------------------------------------------------------------------------------------------------------

def load() -> float:
    return os.getloadavg()[0]


def inference_us(model, seconds: float, rounds: int = 7) -> float:
    """Median µs per step at batch 1, no gradients, the state carried over back-to-back copy episodes."""
    stream = torch.cat([TASK.random_batch(1, 10)[0] for _ in range(8)], 1)    # [1, 168, 9]
    steps = stream.shape[1]
    state = model.initial_state(1) if isinstance(model, DNC) else None
    i = 0
    with torch.no_grad():
        def run(calls):
            nonlocal state, i
            start = time.perf_counter()
            for _ in range(calls):
                state = model.step(stream[:, i % steps], state)[1]          # (logits, state, ...)
                i += 1
            return time.perf_counter() - start
        run(20)
        calls, dt = 8, 0.0
        while dt < 0.2:
            calls *= 2
            dt = run(calls)
        calls = max(1, int(calls * seconds / rounds / dt))
        return statistics.median(run(calls) / calls * 1e6 for _ in range(rounds))


def training_rate(model, forward, seconds: float, batch: int = 16) -> tuple[float, int]:
    """Training sequences per second at mean T = 22; returns (rate, batches timed).

    Batches come in pairs of lengths (L, 21 - L), L uniform in 1-20 from a fixed seed, so every pair is
    44 steps a sequence, and the lengths have arnn's mean (10.5). A DNC step costs the same at every
    length (the memory is N × W throughout), so each batch's time is scaled to a 22-step sequence:
    its rate is batch · T / 22 / seconds, and the figure is the median over the batches timed until
    `seconds` have passed (at least one; the last may run over)."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train(length):
        inputs, targets, mask = TASK.random_batch(batch, length)          # [B, T, 9], [B, T, 8], [B, T]
        logits = forward(inputs)
        loss = bce_loss_sum(logits, targets, mask) / (length * batch * BITS)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), 10)
        opt.step()

    train(1)                                   # warm-up
    rng = random.Random(7)
    rates = []
    begin = time.perf_counter()
    while not rates or time.perf_counter() - begin < seconds:
        length = rng.randint(1, 20)
        for l in (length, 21 - length):
            start = time.perf_counter()
            train(l)
            rates.append(batch * (2 * l + 1) / 22 / (time.perf_counter() - start))
            if time.perf_counter() - begin >= seconds:
                break
    return statistics.median(rates), len(rates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2, help="threads of every row; with 2, each row also at 1")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each measurement")
    parser.add_argument("--only", choices=["package", "transcription"], help="measure one implementation")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    # Under load two threads stall: each parallel op waits for the second thread, which the other process
    # has preempted, a scheduler tick at a time (18 s instead of 0.12 s for one batch of 16 was seen). One
    # thread is also measured for that reason.
    counts = [args.threads] + ([1] if args.threads != 1 else [])
    try:
        import dnc  # noqa: F401
        from importlib.metadata import version
        dnc_version = version("dnc")
    except ImportError:
        dnc_version = None
    print(f"torch {torch.__version__}, dnc {dnc_version or 'not installed (pip install dnc)'}, "
          f"threads {counts}, load average {load():.2f}", flush=True)

    rows = []

    def report(impl, size, what, threads, value, unit, extra=""):
        what = f"{what}, {threads} thread{'s' if threads > 1 else ''}"
        rows.append((impl, size, what, value, unit, load()))
        print(f"PyTorch DNC, {impl}, {size}: {what}: {value:,.1f} {unit}{extra} (load {load():.2f})", flush=True)

    def step_rows(impl, label, model):
        for threads in counts:
            torch.set_num_threads(threads)
            us = inference_us(model, args.seconds / len(counts))
            report(impl, label, "forward, one step, batch 1", threads, us, "µs")

    def train_rows(impl, label, what, make, stepwise=False):
        for threads in counts:
            torch.set_num_threads(threads)
            torch.manual_seed(1)
            model = make()
            rate, k = training_rate(model, model.forward_stepwise if stepwise else model.forward, args.seconds)
            report(impl, label, what, threads, rate, "seq/s", f" (median of {k} batches)")

    for label, n, w, r, h in SIZES:
        if args.only != "transcription" and dnc_version:
            make = lambda: PackageDNC(n, w, r, h)                                  # noqa: E731
            torch.manual_seed(1)
            step_rows("package", label, make())
            train_rows("package", label, "training, batch 16, whole-sequence call", make)
            train_rows("package", label, "training, batch 16, one call per step", make, stepwise=True)
        if args.only != "package":
            make = lambda: transcribed_dnc(n, w, r, h)                             # noqa: E731
            torch.manual_seed(1)
            step_rows("transcription", label, make())
            train_rows("transcription", label, "training, batch 16", make)

    print(f"load average {load():.2f}")
    print()
    for impl, size, what, value, unit, at in rows:
        print(f"  {impl:<13}  {size:<30}  {what:<50}  {value:>9,.1f} {unit:<5}  load {at:.2f}")


if __name__ == "__main__":
    main()
