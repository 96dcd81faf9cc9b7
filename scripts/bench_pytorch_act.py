"""arnn's ACT model (docs/models/act.md: tanh RNN of H = 128 with the first-sub-step flag, ε = 0.01, at most
100 sub-steps, τ = 1e-3) in PyTorch, measured the way `arnn bench act` and `arnn bench act-parity` measure
arnn's, for the figures in Sources/Registry/Registry.swift:

(a) one input step at batch 1 without gradients (torch.no_grad), on the very input and state arnn's step
    row uses (RecurrentLearner.stepProbe: x uniform in [0, 1) from SeededRNG(seed: 2), drawn here with
    the same xoshiro256** stream, and the state after one step on it from zero), so with the same
    weights both sides take the same number N of sub-steps; the script prints N and the time per
    sub-step (µs per step / N). That input is no parity vector (the demo halts on it after one
    sub-step), so also: one input step from s = 0 on parity vectors with size/4 entries ±1 (the length
    of arnn's episode row), µs per input step and per sub-step, and the mean N.
(b) training sequences per second (forward, backward, gradient clipping at ±10, Adam step) at batch 32 and
    128 on parity vectors, as `arnn bench act`'s training rows: a fresh model on 64 entries, the loss
    (Σ BCE + τ Σ ρ) / scored bits. (arnn's rows step RMSprop, its default; per parameter it costs about
    what Adam does, next to the forward and backward.) Both sides take N = 2 sub-steps throughout: the
    script prints the mean N, and `arnn eval --json` of a fresh checkpoint gives meanPonder ≈ 0.00227,
    that is ρ = N + R ≈ 2.27.

Two models: 16 entries with the shipped demo's weights (demos/act-parity/weights.safetensors, read with
safetensors: the names are PyTorch's, `cell.bias` is the cell's one bias), so N is the trained model's,
about 3-4 per input; and 64 entries freshly initialised as arnn initialises (PyTorch's defaults, halting
bias 1, so h ≈ σ(1) ≈ 0.73 and N = 2 on nearly every input). With --train-demo, training also runs from
the demo's weights on 16 entries (more sub-steps; arnn's bench has no such row).

The batched step runs sub-steps until every example has halted, reading h after each sub-step to build the
constant masks `going` and `stopping` (docs/models/act.md, "Batching"), as arnn does.

Usage: python3 scripts/bench_pytorch_act.py [--threads 2] [--demo PATH] [--train-demo]
"""
import argparse
import os
import pathlib
import statistics
import time

import torch
from safetensors.torch import load_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
HIDDEN, EPSILON, MAX_STEPS, TAU = 128, 0.01, 100, 1e-3


class ACT(torch.nn.Module):
    def __init__(self, inputs: int, hidden: int = HIDDEN, outputs: int = 1):
        super().__init__()
        k = hidden ** -0.5
        self.cell = torch.nn.Module()
        self.cell.weight_ih = torch.nn.Parameter(torch.empty(hidden, inputs + 1).uniform_(-k, k))
        self.cell.weight_hh = torch.nn.Parameter(torch.empty(hidden, hidden).uniform_(-k, k))
        self.cell.bias = torch.nn.Parameter(torch.empty(hidden).uniform_(-k, k))
        self.output = torch.nn.Linear(hidden, outputs)
        self.halt = torch.nn.Linear(hidden, 1)
        with torch.no_grad():
            self.halt.bias.fill_(1.0)  # the paper's section 2, as arnn
        self.threshold = 1 - EPSILON

    def step(self, x, s):
        """One input step of a batch: x [B, X], s [B, H] -> (s_t, y_t, ρ_t [B], N [B])."""
        b = x.shape[0]
        w_x, flag = self.cell.weight_ih[:, :-1], self.cell.weight_ih[:, -1]
        later = x @ w_x.T + self.cell.bias                      # (1) for n ≥ 2: δ = 0
        first = later + flag                                    # (1) for n = 1: δ = 1
        halted = torch.zeros(b, dtype=torch.bool)
        budget = torch.zeros(b)
        steps = torch.zeros(b)
        kept = torch.zeros(b, 1)                                # Σ going ⊙ h
        states, outputs, halts, goings, stoppings = [], [], [], [], []
        n = 0
        while n < MAX_STEPS and not bool(halted.all()):
            n += 1
            s = torch.tanh((first if n == 1 else later) + s @ self.cell.weight_hh.T)   # (1)
            y = self.output(s)                                                         # (2)
            h = torch.sigmoid(self.halt(s))                                            # (3)
            hv = h.detach()[:, 0]
            total = budget + hv
            stops = ~halted & ((total >= self.threshold) | (n == MAX_STEPS))          # (4)
            goes = ~halted & ~stops
            budget = torch.where(goes, total, budget)
            steps = torch.where(stops, torch.full_like(steps, n), steps)
            halted = halted | stops
            going, stopping = goes.float()[:, None], stops.float()[:, None]
            kept = kept + going * h
            states.append(s); outputs.append(y); goings.append(going); stoppings.append(stopping); halts.append(h)
        remainder = 1 - kept                                                           # (5)
        state = 0
        logits = 0
        for s_n, y_n, h_n, going, stopping in zip(states, outputs, halts, goings, stoppings):
            p = going * h_n + stopping * remainder                                     # (6)
            state = state + p * s_n                                                    # (7)
            logits = logits + p * y_n
        return state, logits, steps + remainder[:, 0], steps                          # (8)


def xoshiro_uniform(seed: int, count: int) -> torch.Tensor:
    """SeededRNG(seed: seed).uniformTensor([1, count], 0, 1) of arnn (Sources/Engine/SeededRNG.swift)."""
    mask = (1 << 64) - 1
    x = seed

    def splitmix():
        nonlocal x
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    s = [splitmix() for _ in range(4)]

    def rotl(v, k):
        return ((v << k) | (v >> (64 - k))) & mask

    values = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & mask, 7) * 9) & mask
        t = (s[1] << 17) & mask
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        values.append((result >> 40) * 2.0 ** -24)
    return torch.tensor(values, dtype=torch.float32).reshape(1, count)


def parity_batch(size: int, batch: int, entries: int | None = None):
    """Vectors of `size` entries, k of them ±1 (k = `entries`, or uniform in 1…size); target: odd number of
    +1 entries."""
    x = torch.zeros(batch, size)
    for i in range(batch):
        k = entries or int(torch.randint(1, size + 1, ()))
        positions = torch.randperm(size)[:k]
        x[i, positions] = torch.randint(0, 2, (k,)).float() * 2 - 1
    target = ((x == 1).sum(1, keepdim=True) % 2).float()
    return x, target


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
    with torch.no_grad():
        x = xoshiro_uniform(2, size)
        warm, *_ = model.step(x, torch.zeros(1, HIDDEN))           # the probe's carried state
        _, _, rho, n = model.step(x, warm)
        us = median_us(lambda: model.step(x, warm))
        n = int(n)
        print(f"PyTorch ACT {name}: forward, one input step, batch 1 (arnn's probe input, N = {n}, ρ = {float(rho):.3f}): "
              f"{us:.1f} µs, {us / n:.1f} µs per sub-step")
        # Parity vectors with size/4 entries (the length of arnn's episode row), from s = 0 as the task
        # runs them: the time of one input step and of its sub-steps, over 200 vectors.
        entries = max(1, size // 4)
        vectors = [parity_batch(size, 1, entries)[0] for _ in range(200)]
        zero = torch.zeros(1, HIDDEN)
        steps = [int(model.step(v, zero)[3]) for v in vectors]
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

    def train_batch():
        x, target = parity_batch(size, batch)
        state, logits, rho, n = model.step(x, torch.zeros(batch, HIDDEN))
        # arnn's BitObjective: (Σ BCE over scored bits + τ Σ ρ) / scored bits.
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="sum")
                + TAU * rho.sum()) / batch
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), 10)
        opt.step()
        return float(n.mean())

    train_batch()
    done, sub, start = 0, 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        sub += train_batch()
        done += 1
    rate = done * batch / (time.perf_counter() - start)
    print(f"PyTorch ACT {name}: training, batch {batch}, {torch.get_num_threads()} threads: {rate:.0f} seq/s "
          f"(mean N = {sub / done:.2f})")


def demo_model(path: str) -> ACT:
    weights = {k: v for k, v in load_file(path).items() if not k.startswith("optimizer.")}
    model = ACT(16)
    model.load_state_dict(weights)
    return model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--demo", default=str(ROOT / "demos/act-parity/weights.safetensors"))
    parser.add_argument("--train-demo", action="store_true", help="also train from the demo's weights on 16 entries")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each training measurement")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    # With two threads, every parallel region waits for both: another busy process on the machine can stall
    # each op by a scheduler tick (steps of ~8 ms instead of ~0.2 ms were seen). The load shows it.
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}")

    torch.manual_seed(1)
    inference("act-parity (demo, 16 entries)", demo_model(args.demo), 16)
    torch.manual_seed(1)
    inference("act (fresh, 64 entries)", ACT(64), 64)
    for batch in (32, 128):
        torch.manual_seed(1)
        training("act (fresh, 64 entries)", ACT(64), 64, batch, args.seconds)
    if args.train_demo:
        for batch in (32, 128):
            torch.manual_seed(1)
            training("act-parity (from the demo, 16 entries)", demo_model(args.demo), 16, batch, args.seconds)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
