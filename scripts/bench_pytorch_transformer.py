"""arnn's transformer (arnn_torch's, python/: default sizes d = 64, h = 4, F = 256, 2 + 2 layers, the translation
task's vocabularies of 80 and 124 from arnn_torch's TranslationTask) measured in PyTorch the way `arnn bench`
measures an encoder-decoder, for each thread count asked for:

- one decoder step at batch 1 without gradients, as arnn's step probe: the first position (an empty key and
  value cache) of a 10-word sentence; and, beside it, position 10 over a cache of 10 positions;
- greedy translation at batch 1: encoding a 15-word sentence and 15 cached decoder steps, each reading the
  argmax of the one before (a fixed 15: an untrained model rarely writes `<eos>`);
- training sentences per second at batch 32 with Adam: teacher forcing over every target position at once
  under the causal mask (arnn steps one position at a time; the numbers are the same), arnn's loss (the mean
  over the target tokens), backward and the update. Sentences are random ids of 3-15 source and target words
  (the translation task's lengths).

`--attention linformer` (with `--projection K`, default 16) or `--attention performer` (with `--features M`,
default 64) measures the same with the encoder's self-attention and the cross-attention approximated
(docs/models/transformer.md, eqs. 13-20), as `arnn bench transformer --set attention=…` does. The Performer
trains as arnn's trainer does: draw 0 of its features for the first `redrawEvery` batches (100), then a fresh
draw every 100 batches; each redraw (about 0.2 s at the default sizes, in pure Python) is timed with the
training.

Usage: python3 scripts/bench_pytorch_transformer.py [--threads 1,2] [--seconds 5]
       [--attention softmax|linformer|performer] [--projection K] [--features M]
"""
import argparse
import pathlib
import random
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from arnn_torch import ArnnError, TranslationTask  # noqa: E402
from arnn_torch.models.transformer import BOS, Transformer, TransformerConfig, pad_ids  # noqa: E402
from arnn_torch.translation import SPECIAL_TOKENS  # noqa: E402
from timing import median_us  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
parser.add_argument("--seconds", type=float, default=5, help="how long each training measurement runs")
parser.add_argument("--attention", choices=["softmax", "linformer", "performer"], default="softmax",
                    help="the encoder's self-attention and the cross-attention: exact (default) or an approximation")
parser.add_argument("--projection", type=int, default=16, help="the Linformer's k (default 16)")
parser.add_argument("--features", type=int, default=64, help="the Performer's m (default 64)")
args = parser.parse_args()
torch.manual_seed(1)
random.seed(1)
VS, VT = TranslationTask().io_sizes                           # 80, 124
try:
    config = TransformerConfig(sourceVocabulary=VS, targetVocabulary=VT, attention=args.attention,
                               projection=args.projection, features=args.features)
except ArnnError as e:
    parser.error(str(e))
model = Transformer(config)
approximation = {"softmax": "", "linformer": f", Linformer k = {config.projection} of n = {config.maxSourceLength}",
                 "performer": f", Performer m = {config.features}, redrawn every {config.redrawEvery} batches"}
print(f"transformer{approximation[args.attention]}: {sum(p.numel() for p in model.parameters()):,} parameters, "
      f"torch {torch.__version__}")


def sentence(n=None):
    """Random word ids (no special token), n of them or 3-15."""
    return [random.randrange(len(SPECIAL_TOKENS), VS) for _ in range(n or random.randint(3, 15))]


def rate(body, seconds):
    """Runs `body` (which returns how many sentences it did) for `seconds` of wall time; sentences per wall
    second and per CPU second of this process (all its threads), which the machine's other load disturbs less."""
    done, wall, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        done += body()
    return done / (time.perf_counter() - wall), done / (time.process_time() - cpu)


for threads in (int(t) for t in args.threads.split(",")):
    torch.set_num_threads(threads)
    label = f"{threads} thread{'s' if threads > 1 else ''}"
    with torch.no_grad():
        memory = model.encode(pad_ids([sentence(10)]))
        bos = torch.tensor([BOS])
        first = median_us(lambda: model.step(bos, None, memory), 1000)
        state = None
        for _ in range(10):
            state, _, _ = model.step(bos, state, memory)
        later = median_us(lambda: model.step(bos, state, memory), 1000)
    print(f"PyTorch transformer decoder step, batch 1, {label}: {first:.0f} µs at position 0 (arnn's probe), "
          f"{later:.0f} µs at position 10")

    def translate():
        memory = model.encode(pad_ids([sentence(15)]))
        previous, state = torch.tensor([BOS]), None
        for _ in range(15):                                   # a translation's length, <eos> or not
            state, logits, _ = model.step(previous, state, memory)
            previous = logits.argmax(-1)
        return 1

    with torch.no_grad():
        wall, cpu = rate(translate, 3)
    print(f"PyTorch transformer greedy translation, 15 words, batch 1, {label}: {wall:.0f} sentences/s "
          f"({1e6 / wall / 15:.0f} µs a word; {cpu:.0f} per CPU second)")

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = 0

    def train():
        global batches
        redraw = batches > 0 and model.training_draw(batches) != model.training_draw(batches - 1)
        if args.attention == "performer" and redraw:
            model.use_features(model.training_draw(batches))      # arnn's cadence (eq. 20)
        batches += 1
        sources = [sentence() for _ in range(32)]
        targets = [sentence() for _ in range(32)]
        loss = model.loss(sources, targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return 32

    wall, cpu = rate(train, args.seconds)
    print(f"PyTorch transformer training, batch 32, {label}: {wall:.0f} sentences/s ({cpu:.0f} per CPU second)")
    if args.attention == "performer":
        model.use_features(0)                                     # the next thread count decodes on draw 0 again
