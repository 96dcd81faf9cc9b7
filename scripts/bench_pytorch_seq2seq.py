"""arnn's seq2seq model (arnn_torch's, python/: default sizes, the translation task's vocabularies of 80
and 124 from arnn_torch's TranslationTask) measured in PyTorch the way `arnn bench seq2seq` measures arnn's:
one greedy decoder step at batch 1, sentences translated greedily per second at batch 1, and training
sentences per second at batch 32 (Adam). Sentences are random ids of 3-15 source and target tokens (the
same work as the translation task's). Usage: python3 scripts/bench_pytorch_seq2seq.py [--threads N]
"""
import argparse
import pathlib
import random
import statistics
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
from arnn_torch import TranslationTask  # noqa: E402
from arnn_torch.models.seq2seq import BOS, PAD, Seq2Seq, Seq2SeqConfig, pad_ids  # noqa: E402
from arnn_torch.translation import SPECIAL_TOKENS  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
random.seed(1)
VS, VT = TranslationTask().io_sizes                           # 80, 124
model = Seq2Seq(Seq2SeqConfig(sourceVocabulary=VS, targetVocabulary=VT))


def sentence(n=None):
    """Random word ids (no special token), n of them or 3-15."""
    return [random.randrange(len(SPECIAL_TOKENS), VS) for _ in range(n or random.randint(3, 15))]


# One decoder step at batch 1 on a 10-word sentence, without gradients.
with torch.no_grad():
    ann, keys, bias, s0 = model.encode(pad_ids([sentence(10)]))
    bos = torch.tensor([BOS])
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(2000):
            model.step(bos, s0, ann, keys, bias)
        times.append((time.perf_counter() - start) / 2000 * 1e6)
print(f"PyTorch seq2seq decoder step, batch 1: {statistics.median(times):.1f} µs")

# Greedy translation of 15-word sentences at batch 1 (up to 2S + 4 steps, stopping at <eos>).
with torch.no_grad():
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        ann, keys, bias, state = model.encode(pad_ids([sentence(15)]))
        prev = torch.tensor([BOS])
        for _ in range(15):                                   # a translation's length, eos or not
            state, logits, *_ = model.step(prev, state, ann, keys, bias)
            prev = logits.argmax(-1)
        done += 1
print(f"PyTorch seq2seq greedy translation, 15 words, batch 1: {done / (time.perf_counter() - start):.0f} sentences/s")

opt = torch.optim.Adam(model.parameters(), lr=2e-3)
done, start = 0, time.perf_counter()
while time.perf_counter() - start < 5:
    sources = [sentence() for _ in range(32)]
    targets = [sentence() for _ in range(32)]
    logits = model(sources, targets)
    outs = model.teacher_targets(targets)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VT), outs.reshape(-1), ignore_index=PAD, reduction="sum")
    opt.zero_grad()
    (loss / (outs != PAD).sum()).backward()
    opt.step()
    done += 32
print(f"PyTorch seq2seq training, batch 32, {args.threads} thread(s): {done / (time.perf_counter() - start):.0f} sentences/s")
