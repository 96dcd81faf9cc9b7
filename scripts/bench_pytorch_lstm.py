"""The LSTM baseline in PyTorch, measured the way `arnn bench lstm` measures arnn's, for the figures in
the closing notes: one step at batch 1 without gradients, and training throughput on copy (lengths
1-20, 8 bits) at batch 1 and 16. Usage: python3 scripts/bench_pytorch_lstm.py [--threads N]
"""
import argparse
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

INPUT, HIDDEN, OUTPUT = 9, 256, 8
cell = torch.nn.LSTMCell(INPUT, HIDDEN)
out = torch.nn.Linear(HIDDEN, OUTPUT)


def median_us(fn, repeats=2000, rounds=7):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        times.append((time.perf_counter() - start) / repeats * 1e6)
    return statistics.median(times)


x = torch.rand(1, INPUT)
h, c = torch.zeros(1, HIDDEN), torch.zeros(1, HIDDEN)


def step():
    with torch.no_grad():
        h2, c2 = cell(x, (h, c))
        out(h2)


print(f"PyTorch LSTM forward, one step, batch 1: {median_us(step):.1f} µs")


def copy_batch(batch):
    length = torch.randint(1, 21, (1,)).item()
    steps = 2 * length + 1
    seq = (torch.rand(batch, length, 8) < 0.5).float()
    inputs = torch.zeros(steps, batch, INPUT)
    inputs[:length, :, :8] = seq.transpose(0, 1)
    inputs[length, :, 8] = 1
    targets = torch.zeros(steps, batch, OUTPUT)
    targets[length + 1:] = seq.transpose(0, 1)
    mask = torch.zeros(steps, batch, 1)
    mask[length + 1:] = 1
    return inputs, targets, mask


lstm = torch.nn.LSTM(INPUT, HIDDEN)
head = torch.nn.Linear(HIDDEN, OUTPUT)
opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
for batch in (1, 16):
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        inputs, targets, mask = copy_batch(batch)
        logits = head(lstm(inputs)[0])
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none") * mask).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        done += batch
    print(f"PyTorch LSTM training, batch {batch}, {args.threads} thread(s): {done / (time.perf_counter() - start):.0f} seq/s")
