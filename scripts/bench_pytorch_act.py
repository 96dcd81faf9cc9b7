"""arnn's ACT model (docs/models/act.md: tanh RNN of H = 128 with the first-sub-step flag, ε = 0.01, at most
100 sub-steps, τ = 1e-3) in PyTorch, arnn_torch's ACT (python/), measured the way `arnn bench act` and
`arnn bench act-parity` measure arnn's, for the figures in Sources/Registry/Registry.swift:

(a) one input step at batch 1 without gradients (torch.no_grad), on the very input and state arnn's step
    row uses (RecurrentLearner.stepProbe: x uniform in [0, 1) from SeededRNG(seed: 2), drawn here with
    arnn_torch's SeededRNG, the same xoshiro256** stream, and the state after one step on it from zero),
    so with the same weights both sides take the same number N of sub-steps; the script prints N and the
    time per sub-step (µs per step / N). That input is no parity vector (the demo halts on it after one
    sub-step), so also: one input step from s = 0 on parity vectors with size/4 entries ±1 (the length
    of arnn's episode row; ParityTask.random_batch), µs per input step and per sub-step, and the mean N.
(b) training sequences per second (forward, backward, gradient clipping at ±10, Adam step) at batch 32 and
    128 on parity vectors, as `arnn bench act`'s training rows: a fresh model on 64 entries, the loss
    (Σ BCE + τ Σ ρ) / scored bits. (arnn's rows step RMSprop, its default; per parameter it costs about
    what Adam does, next to the forward and backward.) Both sides take N = 2 sub-steps throughout: the
    script prints the mean N, and `arnn eval --json` of a fresh checkpoint gives meanPonder ≈ 0.00227,
    that is ρ = N + R ≈ 2.27.

Two models: 16 entries with the shipped demo's weights (demos/act-parity/weights.safetensors, read with
arnn_torch.load), so N is the trained model's, about 3-4 per input; and 64 entries freshly initialised as
arnn initialises (PyTorch's defaults, halting bias 1, so h ≈ σ(1) ≈ 0.73 and N = 2 on nearly every input).
With --train-demo, training also runs from the demo's weights on 16 entries (more sub-steps; arnn's bench
has no such row).

The batched step (arnn_torch's ACT.step) runs sub-steps until every example has halted, reading h after
each sub-step to build the constant masks `going` and `stopping` (docs/models/act.md, "Batching"), as arnn
does.

With --cell lstm the fresh 64-entry model ponders with the LSTM cell (state [h ; c]), to set beside
`arnn bench act --set cell=lstm`; the demo rows stay the tanh demo's.

Usage: python3 scripts/bench_pytorch_act.py [--threads 2] [--demo PATH] [--train-demo] [--cell rnn|lstm]
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The model, the seeded generator, the parity task and the loss are arnn_torch's (python/), the code the
# parity fixture and the shipped-demo tests check.
sys.path.insert(0, str(ROOT / "python"))
import arnn_torch  # noqa: E402
from arnn_torch import ACT, ACTConfig, ParityTask, SeededRNG  # noqa: E402
from arnn_torch.train import bce_loss_sum  # noqa: E402


CELL = "rnn"


def fresh_model(size: int) -> ACT:
    """arnn's default ACT (H = 128, ε = 0.01, at most 100 sub-steps, τ = 1e-3) on `size` entries, one output,
    around the tanh cell or, with --cell lstm, the LSTM cell (`arnn bench act --set cell=lstm`)."""
    return ACT(ACTConfig(inputSize=size, outputSize=1, cell=CELL))


def median_us(fn, rounds=7, seconds=0.05):
    for _ in range(3):
        fn()
    calls, dt = 1, 0.0
    while dt < seconds / 4:
        calls *= 4
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        dt = time.perf_counter() - start
    calls = max(1, int(calls * seconds / dt))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times)


def inference(name: str, model: ACT, size: int):
    hidden = model.state_size                                  # H, or 2H for the LSTM's [h ; c]
    with torch.no_grad():
        x = SeededRNG(2).uniform_tensor([1, size], 0, 1)          # RecurrentLearner.stepProbe's input
        warm = model.step(x, torch.zeros(1, hidden))["state"]     # the probe's carried state
        out = model.step(x, warm)
        rho, n = out["ponder"], out["steps"]
        us = median_us(lambda: model.step(x, warm))
        n = int(n)
        print(f"PyTorch ACT {name}: forward, one input step, batch 1 (arnn's probe input, N = {n}, ρ = {float(rho):.3f}): "
              f"{us:.1f} µs, {us / n:.1f} µs per sub-step")
        # Parity vectors with size/4 entries (the length of arnn's episode row), from s = 0 as the task
        # runs them: the time of one input step and of its sub-steps, over 200 vectors.
        entries = max(1, size // 4)
        task = ParityTask(size=size)
        vectors = [task.random_batch(1, entries)[0][:, 0] for _ in range(200)]
        zero = torch.zeros(1, hidden)
        steps = [int(model.step(v, zero)["steps"]) for v in vectors]
        i = 0

        def one():
            nonlocal i
            model.step(vectors[i % len(vectors)], zero)
            i += 1
        us = median_us(one, seconds=0.2)
        mean_n = sum(steps) / len(steps)
        print(f"PyTorch ACT {name}: forward, one input step, batch 1, parity vectors of {entries} entries "
              f"(mean N = {mean_n:.2f}): "
              f"{us:.1f} µs, {us / mean_n:.1f} µs per sub-step")


def training(name: str, model: ACT, size: int, batch: int, seconds: float):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    task = ParityTask(size=size)

    def train_batch():
        x, target, mask = task.random_batch(batch)                # k uniform in 1...size per vector
        out = model.step(x[:, 0], torch.zeros(batch, model.state_size))
        # arnn's BitObjective: (Σ BCE over scored bits + τ Σ ρ) / scored bits.
        loss = (bce_loss_sum(out["logits"], target[:, 0], mask[:, 0])
                + model.config.tau * out["ponder"].sum()) / batch
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), 10)
        opt.step()
        return float(out["steps"].mean())

    train_batch()
    done, sub, start = 0, 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        sub += train_batch()
        done += 1
    rate = done * batch / (time.perf_counter() - start)
    print(f"PyTorch ACT {name}: training, batch {batch}, {torch.get_num_threads()} threads: {rate:.0f} seq/s "
          f"(mean N = {sub / done:.2f})")


def demo_model(path: str) -> ACT:
    model, _ = arnn_torch.load(path)
    if not isinstance(model, ACT):
        raise SystemExit(f"{path}: a {model.kind} checkpoint, not an ACT")
    return model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--demo", default=str(ROOT / "demos/act-parity/weights.safetensors"))
    parser.add_argument("--train-demo", action="store_true", help="also train from the demo's weights on 16 entries")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each training measurement")
    parser.add_argument("--cell", choices=("rnn", "lstm"), default="rnn", help="the fresh models' cell")
    args = parser.parse_args()
    global CELL
    CELL = args.cell
    torch.set_num_threads(args.threads)
    # With two threads, every parallel region waits for both: another busy process on the machine can stall
    # each op by a scheduler tick (steps of ~8 ms instead of ~0.2 ms were seen). The load shows it.
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}")

    torch.manual_seed(1)
    demo = demo_model(args.demo)
    size = demo.config.inputSize
    inference(f"act-parity (demo, {size} entries)", demo, size)
    torch.manual_seed(1)
    inference(f"act (fresh, 64 entries, {CELL})", fresh_model(64), 64)
    for batch in (32, 128):
        torch.manual_seed(1)
        training(f"act (fresh, 64 entries, {CELL})", fresh_model(64), 64, batch, args.seconds)
    if args.train_demo:
        for batch in (32, 128):
            torch.manual_seed(1)
            training(f"act-parity (from the demo, {size} entries)", demo_model(args.demo), size, batch, args.seconds)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
