"""Writes Tests/Fixtures/transformer_parity.safetensors: arnn's transformer (docs/models/transformer.md) in
PyTorch (arnn_torch's `Transformer`, python/arnn_torch/models/transformer.py, imported from this repository),
its weights under arnn's names, a batch of three sentences padded on both sides, the teacher-forced logits of
every position, the training loss (the cross-entropy summed over the target tokens and divided by their
number), its gradient for every parameter, and every layer's and head's encoder, decoder self- and cross-
attention. With `--attention linformer` or `--attention performer` it writes the same for a smaller model
whose encoder self-attention and cross-attention are that approximation (eqs. 13-20):
transformer_linformer_parity.safetensors (with the learned E and F among the weights) and
transformer_performer_parity.safetensors (with the features W arnn_torch drew, under `reference.`).
`TransformerParityTests` (Tests/ModelsTests) checks arnn against them; Tests/Fixtures/README.md says exactly
what each file holds. Usage: python3 Tests/Fixtures/make_transformer_fixture.py [--attention A] [OUT] (torch,
safetensors).

Before writing, the script re-runs every sentence alone, unpadded, with the doc's equations written out in
float64 (one head and one query position at a time) and refuses to write the file if torch differs from them
by 1e-5 or more. It also checks that misreadings of the doc (six for exact attention, two more for each
approximation) move the logits by far more than that.
"""
import argparse
import json
import math
import pathlib
import platform
import sys

import safetensors
import torch
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
from arnn_torch.models.transformer import PAD, Transformer, TransformerConfig  # noqa: E402

SEED = 0
CONFIG = dict(sourceVocabulary=11, targetVocabulary=13, modelSize=16, heads=4, feedForwardSize=32,
              encoderLayers=2, decoderLayers=2, attention="softmax")
# The approximations' fixtures: d = 8 in 2 heads of d_k = 4 and F = 8, so that each file stays small; 2 + 2
# layers, so that every attention's own E and F (or features, from a stream of its own) count. The Linformer
# projects to k = 3 rows and covers n = 7 > S = 5 positions, so that E and F are cut to their first S columns;
# the Performer has m = 10 features, blocks of 4, 4 and 2 rows (eq. 20), drawn from a seed that is not the
# default.
SMALL = dict(sourceVocabulary=11, targetVocabulary=13, modelSize=8, heads=2, feedForwardSize=8, encoderLayers=2,
             decoderLayers=2)
APPROXIMATIONS = {
    "linformer": dict(seed=1, config=dict(SMALL, attention="linformer", projection=3, maxSourceLength=7),
                      misreadings=("swapped_projections", "last_columns")),
    "performer": dict(seed=2, config=dict(SMALL, attention="performer", features=10, featureSeed=7, redrawEvery=0),
                      misreadings=("unscaled_features", "no_half_norm")),
}
SOURCES = [[4, 5, 6, 7], [8, 9], [10, 4, 6, 7, 5]]        # S = 5: the first two padded
TARGETS = [[5, 6, 7], [8, 9, 10, 11, 12], [4]]            # n + 1 = 6 positions: the first and last padded
BIAS_RANGE = 0.5      # every bias uniform in ±0.5 instead of the doc's zeros, so that every bias path counts
GAIN_RANGE = (0.5, 1.5)   # every norm's γ uniform in [0.5, 1.5] (β in ±0.5) instead of 1 and 0
TOLERANCE = 1e-5
MISREADINGS = ("post_norm", "unscaled_embedding", "blocked_positions", "strided_heads", "unnormed_memory",
               "width_scaled_scores")


def plain(model: Transformer, source, target, post_norm=False, unscaled_embedding=False, blocked_positions=False,
          strided_heads=False, unnormed_memory=False, width_scaled_scores=False, swapped_projections=False,
          last_columns=False, unscaled_features=False, no_half_norm=False) -> torch.Tensor:
    """One sentence's teacher-forced logits [n + 1, V_t] from the doc's equations, in float64, one head and
    one query position at a time. The flags are misreadings the fixture must tell apart: the paper's
    post-norm x ← LN(x + Sublayer(x)), eq. (1) without √d, eq. (2) with all sines before all cosines, head
    j taking every h-th column instead of a block of d_k, cross-attention over x^{N_e} without LN_enc (8),
    and scores divided by √d instead of √d_k; for the Linformer, keys projected by F and values by E, and
    E_S, F_S taken as the last S columns instead of the first (13); for the Performer, features of x instead
    of x̃ = x / d_k^{1/4}, and exp(W x̃) without the −‖x̃‖²/2 (16)."""
    p = {name: t.detach().double() for name, t in model.named_parameters()}
    p.update({name: t.double() for name, t in model.named_buffers()})
    c = model.config
    d, h = c.modelSize, c.heads
    dk = d // h

    def approximate(prefix, q, k, v):                                           # (13)-(14) or (16)-(17), one head
        """The approximation's output rows for one head's q [T_q, d_k] over k, v [S, d_k], sentence alone."""
        s = len(k)
        if c.attention == "linformer":
            e, f = p[f"{prefix}.linformer_e"], p[f"{prefix}.linformer_f"]
            if swapped_projections:
                e, f = f, e
            cut = slice(e.shape[1] - s, None) if last_columns else slice(0, s)
            keys, values = e[:, cut] @ k, f[:, cut] @ v                          # K' = E_S K, V' = F_S V [k, d_k]
            return torch.stack([sum(a * values[r] for r, a in enumerate(torch.softmax(keys @ row / math.sqrt(dk), 0)))
                                for row in q])
        w = p[f"{prefix}.performer_features"]
        m = len(w)

        def phi(x):                                                             # (16), no stabiliser
            scaled = x if unscaled_features else x / dk ** 0.25
            half = 0.0 if no_half_norm else (scaled @ scaled) / 2
            return torch.exp(w @ scaled - half) / math.sqrt(m)

        keys = [phi(row) for row in k]
        rows = []
        for row in q:
            products = [phi(row) @ key for key in keys]                          # φ(q_i)ᵀ φ(k_s)
            rows.append(sum(a * v[r] for r, a in enumerate(products)) / sum(products))
        return torch.stack(rows)

    def norm(prefix, z):                                                        # (3)
        mu = z.mean(-1, keepdim=True)
        var = ((z - mu) ** 2).mean(-1, keepdim=True)
        return (z - mu) / torch.sqrt(var + 1e-5) * p[f"{prefix}.weight"] + p[f"{prefix}.bias"]

    def position(q):                                                            # (2)
        angles = [q / 10000 ** (2 * i / d) for i in range(d // 2)]
        if blocked_positions:
            return torch.tensor([math.sin(a) for a in angles] + [math.cos(a) for a in angles], dtype=torch.float64)
        return torch.tensor([f(a) for a in angles for f in (math.sin, math.cos)], dtype=torch.float64)

    def embed(table, ids):                                                      # (1)
        factor = 1.0 if unscaled_embedding else math.sqrt(d)
        return torch.stack([factor * p[table][w] + position(q) for q, w in enumerate(ids)])

    def columns(j):
        return list(range(j, d, h)) if strided_heads else list(range(j * dk, (j + 1) * dk))

    def attention(prefix, xq, xkv, causal):                                     # (4), (5)
        w, b = p[f"{prefix}.in_proj_weight"], p[f"{prefix}.in_proj_bias"]
        q = xq @ w[:d].T + b[:d]
        k = xkv @ w[d:2 * d].T + b[d:2 * d]
        v = xkv @ w[2 * d:].T + b[2 * d:]
        heads = torch.zeros(len(xq), d, dtype=torch.float64)
        for j in range(h):
            cols = columns(j)
            if c.attention != "softmax" and not causal:                        # the encoder's and the cross-attention
                heads[:, cols] = approximate(prefix, q[:, cols], k[:, cols], v[:, cols])
                continue
            for i in range(len(xq)):
                seen = range(i + 1) if causal else range(len(xkv))
                scale = math.sqrt(d if width_scaled_scores else dk)
                scores = torch.stack([q[i, cols] @ k[s, cols] / scale for s in seen])
                a = torch.softmax(scores, 0)
                heads[i, cols] = sum(a[n] * v[s, cols] for n, s in enumerate(seen))
        return heads @ p[f"{prefix}.out_proj.weight"].T + p[f"{prefix}.out_proj.bias"]

    def ffn(prefix, z):                                                         # (6)
        hidden = torch.relu(z @ p[f"{prefix}.linear1.weight"].T + p[f"{prefix}.linear1.bias"])
        return hidden @ p[f"{prefix}.linear2.weight"].T + p[f"{prefix}.linear2.bias"]

    def sublayer(x, prefix_norm, f):
        """Pre-norm x + f(LN(x)), or the paper's post-norm LN(x + f(x))."""
        return norm(prefix_norm, x + f(x)) if post_norm else x + f(norm(prefix_norm, x))

    x = embed("source_embedding.weight", source)
    for l in range(c.encoderLayers):                                            # (7)
        e = f"encoder.layers.{l}"
        x = sublayer(x, f"{e}.norm1", lambda a: attention(f"{e}.self_attn", a, a, causal=False))
        x = sublayer(x, f"{e}.norm2", lambda z: ffn(e, z))
    m = x if unnormed_memory else norm("encoder.norm", x)                       # (8)
    u = embed("target_embedding.weight", [1] + list(target))                    # (9): <bos> y_1 … y_n
    for l in range(c.decoderLayers):                                            # (10)
        e = f"decoder.layers.{l}"
        u = sublayer(u, f"{e}.norm1", lambda a: attention(f"{e}.self_attn", a, a, causal=True))
        u = sublayer(u, f"{e}.norm2", lambda a: attention(f"{e}.multihead_attn", a, m, causal=False))
        u = sublayer(u, f"{e}.norm3", lambda z: ffn(e, z))
    return norm("decoder.norm", u) @ p["output.weight"].T + p["output.bias"]   # (11), (12)


def main(out: pathlib.Path, attention: str = "softmax") -> None:
    approximation = APPROXIMATIONS.get(attention, {})
    seed, config = approximation.get("seed", SEED), approximation.get("config", CONFIG)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    model = Transformer(TransformerConfig(**config))                      # the doc's initialisation (and draw 0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            owner, leaf = name.rsplit(".", 1)
            if isinstance(model.get_submodule(owner), torch.nn.LayerNorm):
                p.uniform_(*GAIN_RANGE) if leaf == "weight" else p.uniform_(-BIAS_RANGE, BIAS_RANGE)
            elif leaf.endswith("bias"):
                p.uniform_(-BIAS_RANGE, BIAS_RANGE)
    logits, inner = model(SOURCES, TARGETS, internals=True)              # [B, T, V_t], T = n_max + 1
    loss = model.loss(SOURCES, TARGETS)
    loss.backward()

    reference = [plain(model, s, t) for s, t in zip(SOURCES, TARGETS)]
    difference = max((logits[b, :len(t) + 1].double() - reference[b]).abs().max().item()
                     for b, t in enumerate(TARGETS))
    assert difference < TOLERANCE, f"torch and the plain equations differ by {difference}"
    for flag in MISREADINGS + approximation.get("misreadings", ()):
        moved = max((plain(model, s, t, **{flag: True}) - r).abs().max().item()
                    for s, t, r in zip(SOURCES, TARGETS, reference))
        assert moved > 100 * TOLERANCE, f"misreading {flag} moves the logits by only {moved}"
        print(f"misreading {flag}: logits move by {moved:.3g}")
    lengths = [len(s) for s in SOURCES]
    peaks = [inner["cross_attention"][b, :, :, :len(t) + 1].amax(-1) for b, t in enumerate(TARGETS)]
    peaks += [inner["encoder_attention"][b, :, :, :n, :n].amax(-1) for b, n in enumerate(lengths)]
    low, high = min(v.min().item() for v in peaks), max(v.max().item() for v in peaks)
    print(f"encoder and cross-attention peaks between {low:.2f} and {high:.2f}")

    tensors = {name: p.detach().clone().contiguous() for name, p in model.named_parameters()}
    position_first = lambda v: v.detach().permute(3, 1, 0, 2, 4).contiguous()   # noqa: E731  [T, N_d, B, h, ·]
    tensors.update({
        "reference.logits": logits.detach().transpose(0, 1).contiguous(),       # [T, B, V_t]
        "reference.loss": loss.detach().reshape(1),
        "reference.encoder_attention": inner["encoder_attention"].detach().transpose(0, 1).contiguous(),  # [N_e, B, h, S, S]
        "reference.self_attention": position_first(inner["self_attention"]),    # [T, N_d, B, h, T]
        "reference.cross_attention": position_first(inner["cross_attention"]),  # [T, N_d, B, h, S]
    })
    for name, p in model.named_parameters():
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    for name, w in model.named_buffers():                                 # the Performer's features (eq. 20)
        tensors[f"reference.{name}"] = w.clone().contiguous()
    metadata = {
        "arnn.kind": Transformer.kind, "arnn.config": model.config.to_json(),
        "sources": json.dumps(SOURCES), "targets": json.dumps(TARGETS),
        "generator": "Tests/Fixtures/make_transformer_fixture.py", "torch": torch.__version__,
        "safetensors": safetensors.__version__, "python": platform.python_version(), "seed": str(seed),
        "dtype": "float32", "bias_range": repr(BIAS_RANGE), "gain_range": repr(GAIN_RANGE),
        "tolerance": repr(TOLERANCE),
        "loss": "cross_entropy over y_1 … y_n <eos> of every sentence, padding ignored, mean over those tokens",
        "plain_equations_max_difference": f"{difference:.3g}",
    }
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out}: {len(tensors)} tensors; torch against the plain equations: {difference:.3g}")


FILES = {"softmax": "transformer_parity.safetensors", "linformer": "transformer_linformer_parity.safetensors",
         "performer": "transformer_performer_parity.safetensors"}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attention", choices=sorted(FILES), default="softmax",
                        help="which fixture: exact attention (default), the Linformer's or the Performer's")
    parser.add_argument("out", nargs="?", help="the file to write (default: Tests/Fixtures/<the fixture's name>)")
    a = parser.parse_args()
    main(pathlib.Path(a.out or pathlib.Path(__file__).resolve().parent / FILES[a.attention]), a.attention)
