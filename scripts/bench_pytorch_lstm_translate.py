"""lstm-translate in PyTorch (arnn_torch's LSTMBaseline through RecurrentTokenRunner, python/: two layers of
256, 204 one-hot inputs, 124 outputs), measured the way `arnn bench lstm-translate` measures arnn's: one
step at batch 1 without gradients, greedy translations of a 12-word sentence at batch 1, and training
throughput (teacher forcing, Adam) at batch 32 on sentences of 3-15 random words with a French side one
word longer. Usage: python3 scripts/bench_pytorch_lstm_translate.py [--threads N] [--seconds S]
"""
import argparse
import pathlib
import random
import sys
import time

import torch

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "python"))
from timing import median_us  # noqa: E402
import arnn_torch  # noqa: E402
from arnn_torch import RecurrentTokenRunner  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seconds", type=float, default=3)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

model, meta = arnn_torch.load(REPO / "demos" / "lstm-translate" / "weights.safetensors")
task = arnn_torch.task_of(meta)
runner = RecurrentTokenRunner(model, task)
X, Y = RecurrentTokenRunner.widths(task)




x = torch.rand(1, X)
state = [(torch.zeros(1, 256), torch.zeros(1, 256)) for _ in range(2)]


def step():
    with torch.no_grad():
        model.step(x, state)


print(f"PyTorch lstm-translate forward, one step, batch 1: {median_us(step, 2000):.1f} µs")

sentence = task.encode("the dog of the flowers has her cats that liked your dogs")


def translate():
    with torch.no_grad():
        runner.greedy([sentence])


print(f"PyTorch lstm-translate greedy translation, 12 words, batch 1: {1e6 / median_us(translate, 20):.0f} per s")

rng = random.Random(1)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
done, start, batch = 0, time.perf_counter(), 32
while time.perf_counter() - start < args.seconds:
    sources = [[rng.randrange(4, 80) for _ in range(rng.randint(3, 15))] for _ in range(batch)]
    targets = [[rng.randrange(4, 124) for _ in range(len(s) + 1)] for s in sources]
    loss = runner.loss(sources, targets) / runner.loss_units(targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
    done += batch
print(f"PyTorch lstm-translate training, batch {batch}, {args.threads} thread(s): {done / (time.perf_counter() - start):.0f} seq/s")
