"""One transformer self-attention layer's forward in PyTorch, exact against the Linformer and the Performer,
the way `arnn bench attention` measures arnn's: a source of n tokens (n = 64 ... 4096), batch 1, no
gradients, output alone, at the sort demos' sizes (d = 64 in 4 heads of 16; Linformer k = 16 with E and F
[k, n]; Performer m = 64 features). The layer is `nn.MultiheadAttention`'s work: the stacked projection to
queries, keys and values, the heads' attention, and the output projection.

- exact, two ways: `F.scaled_dot_product_attention`, and softmax(Q Kᵀ / √d_k) V written out (the T × T
  matrix materialised, as arnn does);
- Linformer (docs/models/transformer.md, eqs. 13-14): P = softmax(Q (E K)ᵀ / √d_k), output P (F V);
- Performer (eqs. 16-18): φ(x) = exp(W x̃ − ‖x̃‖²/2 − c) / √m with x̃ = x / d_k^¼, output
  D⁻¹ φ(Q) (φ(K)ᵀ V), D = φ(Q) (φ(K)ᵀ 1); W is m orthogonal Gaussian rows in blocks of d_k (eq. 20), one
  stabiliser c per query row and one for all of a head's keys (eq. 18).

arnn_torch's transformer has no Linformer or Performer, so the two are written here with torch ops, for
this measurement only. The crossover of an approximation is the shortest n from which it is faster than
exact at every longer n measured, from this run's ratios.

Usage: python3 scripts/bench_pytorch_attention.py [--threads 1] [--lengths 64,128,...,4096]
"""
import argparse
import math
import pathlib
import sys
import time

import torch
from torch.nn import functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_us  # noqa: E402

D, HEADS, K, M = 64, 4, 16, 64
DK = D // HEADS

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1, help="torch threads (arnn's bench runs on one)")
parser.add_argument("--lengths", default="64,128,256,512,1024,2048,4096", help="comma-separated source lengths")
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
lengths = [int(n) for n in args.lengths.split(",")]

in_proj = torch.nn.Linear(D, 3 * D)
out_proj = torch.nn.Linear(D, D)


def heads(x):
    """[1, n, d] → queries, keys and values [1, h, n, d_k] (eq. 5's split)."""
    n = x.shape[1]
    q, k, v = in_proj(x).view(1, n, 3, HEADS, DK).permute(2, 0, 3, 1, 4)
    return q, k, v


def merged(o):
    """The heads' outputs [1, h, n, d_k] side by side, through the output projection."""
    return out_proj(o.transpose(1, 2).reshape(1, o.shape[2], D))


def exact_sdpa(x):
    q, k, v = heads(x)
    return merged(F.scaled_dot_product_attention(q, k, v))


def exact_manual(x):
    q, k, v = heads(x)
    return merged(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(DK), dim=-1) @ v)


def linformer(e, f):
    """Eqs. (13)-(14) with projections e, f [k, n] shared by the heads."""
    def forward(x):
        q, k, v = heads(x)
        keys, values = e @ k, f @ v                          # [1, h, k, d_k]
        return merged(torch.softmax(q @ keys.transpose(-1, -2) / math.sqrt(DK), dim=-1) @ values)
    return forward


def orthogonal_features(m, d, generator):
    """Eq. (20): m rows in blocks of d, orthonormal within a block, each given a chi(d) length."""
    blocks = []
    for _ in range(-(-m // d)):
        q, _ = torch.linalg.qr(torch.randn(d, d, generator=generator, dtype=torch.float64))
        lengths = torch.randn(d, d, generator=generator, dtype=torch.float64).norm(dim=1)
        blocks.append(q.T * lengths[:, None])
    return torch.cat(blocks)[:m].to(torch.float32)


def performer(w):
    """Eqs. (16)-(18) with features w [m, d_k] shared by the heads."""
    scale = DK ** -0.25

    def exponent(x):
        x = x * scale
        return x @ w.T - (x * x).sum(-1, keepdim=True) / 2   # [1, h, n, m]

    def forward(x):
        q, k, v = heads(x)
        eq, ek = exponent(q), exponent(k)
        phi_q = torch.exp(eq - eq.amax(-1, keepdim=True)) / math.sqrt(M)
        phi_k = torch.exp(ek - ek.amax((-1, -2), keepdim=True)) / math.sqrt(M)
        numerator = phi_q @ (phi_k.transpose(-1, -2) @ v)    # [1, h, n, d_k]
        normaliser = phi_q @ phi_k.sum(-2, keepdim=True).transpose(-1, -2)
        return merged(numerator / normaliser)
    return forward


def timed(fn, x):
    """Median µs of one call: rounds of enough calls to last about 50 ms (arnn's `medianMicroseconds`)."""
    for _ in range(3):
        fn(x)
    start = time.perf_counter()
    fn(x)
    once = time.perf_counter() - start
    repeats = max(1, int(0.05 / max(once, 1e-9)))
    return median_us(lambda: fn(x), repeats, rounds=3 if x.shape[1] >= 2048 else 5)


def interleaved(fns, x, rounds=3):
    """Each of `fns` timed in turn, `rounds` times over, as `arnn bench attention` does, so that a burst of
    load elsewhere slows them alike; each one's median over the rounds."""
    samples = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            samples[i].append(timed(fn, x))
    return [sorted(s)[rounds // 2] for s in samples]


def crossover(approximate, exact):
    """The shortest length from which `approximate` is faster at every longer length, or None."""
    start = None
    for n, a, e in reversed(list(zip(lengths, approximate, exact))):
        if not a < e:
            break
        start = n
    return start


generator = torch.Generator().manual_seed(1)
features = orthogonal_features(M, DK, generator)
with torch.no_grad():
    # The transcriptions' checks: the Linformer with E = F = I at k = n is exact attention; the
    # Performer's output is near it (eq. 21's relative error, at n = 64 on random inputs).
    x = torch.randn(1, 64, D, generator=generator)
    identity = torch.eye(64)
    assert (linformer(identity, identity)(x) - exact_manual(x)).abs().max() < 1e-5
    assert (exact_sdpa(x) - exact_manual(x)).abs().max() < 1e-5
    error = ((performer(features)(x) - exact_manual(x)).norm() / exact_manual(x).norm()).item()
    print(f"torch {torch.__version__}, {args.threads} thread{'s' if args.threads > 1 else ''}; "
          f"Performer m = {M} against exact at n = 64: relative error {error:.3f} (after the output projection)")

    times = {name: [] for name in ("sdpa", "manual", "linformer", "performer")}
    print(f"{'n':>5} {'exact sdpa':>11} {'exact manual':>13} {'Linformer':>10} {'Performer':>10}   "
          f"{'Lin/sdpa':>8} {'Perf/sdpa':>9} {'Lin/man':>8} {'Perf/man':>8}   (µs)")
    for n in lengths:
        x = torch.randn(1, n, D, generator=generator)
        e = torch.randn(K, n, generator=generator) / math.sqrt(K)
        f = torch.randn(K, n, generator=generator) / math.sqrt(K)
        row = dict(zip(("sdpa", "manual", "linformer", "performer"),
                       interleaved([exact_sdpa, exact_manual, linformer(e, f), performer(features)], x)))
        for name, us in row.items():
            times[name].append(us)
        print(f"{n:>5} {row['sdpa']:>11.0f} {row['manual']:>13.0f} {row['linformer']:>10.0f} {row['performer']:>10.0f}   "
              f"{row['linformer'] / row['sdpa']:>8.2f} {row['performer'] / row['sdpa']:>9.2f} "
              f"{row['linformer'] / row['manual']:>8.2f} {row['performer'] / row['manual']:>8.2f}", flush=True)

for approximation in ("linformer", "performer"):
    for exact in ("sdpa", "manual"):
        start = crossover(times[approximation], times[exact])
        said = f"from n = {start}" if start else f"not by n = {lengths[-1]}"
        print(f"{approximation} faster than exact ({exact}) {said}")
