"""The LSTM baseline in PyTorch (arnn_torch's LSTMBaseline, python/: H = 256, one layer), measured the way
`arnn bench lstm` measures arnn's, for the figures in the closing notes: one step at batch 1 without
gradients (LSTMBaseline.step), and training throughput on copy (arnn_torch's CopyTask.random_batch:
lengths 1-20, 8 bits) at batch 1 and 16. Usage: python3 scripts/bench_pytorch_lstm.py [--threads N]
"""
import argparse
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
from timing import median_us  # noqa: E402
from arnn_torch import CopyTask, LSTMBaseline, LSTMConfig  # noqa: E402
from arnn_torch.train import bce_loss_sum  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

task = CopyTask(bitWidth=8, minLength=1, maxLength=20)
INPUT, OUTPUT = task.io_sizes
model = LSTMBaseline(LSTMConfig(inputSize=INPUT, outputSize=OUTPUT, hiddenSize=256))




x = torch.rand(1, INPUT)
zero = torch.zeros(1, model.config.hiddenSize)
state = [(zero, zero)]


def step():
    with torch.no_grad():
        model.step(x, state)


print(f"PyTorch LSTM forward, one step, batch 1: {median_us(step, 2000):.1f} µs")


opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for batch in (1, 16):
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        inputs, targets, mask = task.random_batch(batch)      # one length per batch, uniform in 1-20
        logits = model(inputs)
        loss = bce_loss_sum(logits, targets, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        done += batch
    print(f"PyTorch LSTM training, batch {batch}, {args.threads} thread(s): {done / (time.perf_counter() - start):.0f} seq/s")
