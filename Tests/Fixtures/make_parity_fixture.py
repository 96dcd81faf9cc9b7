#!/usr/bin/env python3
"""Write Tests/Fixtures/pytorch_parity.safetensors: PyTorch reference values for arnn's engine.

The Swift test suite reads the file this script writes and checks that arnn's layers, losses,
optimisers and gradient clipping agree with PyTorch to 1e-5. The suite never runs Python; this
script is only run by hand, when the fixture has to change, and both files are committed.

    python3 Tests/Fixtures/make_parity_fixture.py

Every tensor is float32 and stored under a name "<group>.<what>" (for example "lstm.grad.weight_ih").
Scalars (losses, the total norm) are stored with shape [1]; class indices are stored as float32.
Every hyperparameter the Swift side needs is in the file's __metadata__, as strings, under keys of
the same "<group>.<name>" form (for example "rmsprop.alpha" = "0.95"); booleans are "true"/"false".

Layer groups use an upstream gradient instead of a hand-picked loss: with outputs y and a random
tensor dy of the same shape, loss = (y * dy).sum(), so the stored gradients are exactly the
vector-Jacobian products that arnn's backward rules compute when handed dy.
"""

from __future__ import annotations

import pathlib
import sys

import safetensors
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

SEED = 0
OUT = pathlib.Path(__file__).resolve().parent / "pytorch_parity.safetensors"

tensors: dict[str, torch.Tensor] = {}
metadata: dict[str, str] = {}


def put(name: str, t: torch.Tensor) -> None:
    """Record one tensor: detached, float32, contiguous, owning its own memory."""
    assert name not in tensors, f"duplicate tensor name {name}"
    t = t.detach().to(torch.float32)
    if t.dim() == 0:
        t = t.reshape(1)
    tensors[name] = t.clone().contiguous()


def meta(key: str, value: object) -> None:
    """Record one metadata entry as a string (floats via repr, so they round-trip exactly)."""
    assert key not in metadata, f"duplicate metadata key {key}"
    if isinstance(value, bool):
        metadata[key] = "true" if value else "false"
    else:
        metadata[key] = repr(value) if isinstance(value, float) else str(value)


def unit(*shape: int) -> torch.Tensor:
    """Uniform in [-1, 1): inputs and states that keep the recurrent gates out of saturation."""
    return torch.rand(*shape) * 2 - 1


def leaf(t: torch.Tensor) -> torch.Tensor:
    return t.clone().requires_grad_(True)


# --------------------------------------------------------------------------------------------------
# Linear(in=5, out=4)
# --------------------------------------------------------------------------------------------------
def linear() -> None:
    n_in, n_out, batch = 5, 4, 3
    layer = torch.nn.Linear(n_in, n_out)  # PyTorch's default init under the seed
    x = leaf(torch.randn(batch, n_in))
    dy = torch.randn(batch, n_out)

    y = layer(x)
    (y * dy).sum().backward()

    put("linear.x", x)
    put("linear.weight", layer.weight)
    put("linear.bias", layer.bias)
    put("linear.y", y)
    put("linear.dy", dy)
    put("linear.grad.x", x.grad)
    put("linear.grad.weight", layer.weight.grad)
    put("linear.grad.bias", layer.bias.grad)
    meta("linear.in_features", n_in)
    meta("linear.out_features", n_out)
    meta("linear.batch", batch)


# --------------------------------------------------------------------------------------------------
# LSTMCell(in=5, hidden=6), batch 3, gate order i, f, g, o
# --------------------------------------------------------------------------------------------------
def lstm() -> None:
    n_in, hidden, batch = 5, 6, 3
    cell = torch.nn.LSTMCell(n_in, hidden)  # default init: U(-1/sqrt(hidden), 1/sqrt(hidden))
    x, h0, c0 = leaf(unit(batch, n_in)), leaf(unit(batch, hidden)), leaf(unit(batch, hidden))
    dh, dc = torch.randn(batch, hidden), torch.randn(batch, hidden)

    h1, c1 = cell(x, (h0, c0))
    ((h1 * dh).sum() + (c1 * dc).sum()).backward()

    # Self-check: the documented equations (gate order i, f, g, o) reproduce torch's output, and
    # the pre-activations stay small enough that the sigmoid/tanh derivatives are far from zero.
    with torch.no_grad():
        pre = x @ cell.weight_ih.T + cell.bias_ih + h0 @ cell.weight_hh.T + cell.bias_hh
        i, f, g, o = pre.chunk(4, dim=1)
        c_ref = torch.sigmoid(f) * c0 + torch.sigmoid(i) * torch.tanh(g)
        h_ref = torch.sigmoid(o) * torch.tanh(c_ref)
        assert torch.allclose(c_ref, c1, atol=1e-6) and torch.allclose(h_ref, h1, atol=1e-6)
        max_pre = pre.abs().max().item()
        assert max_pre < 3.0, f"LSTM gates saturated: max |pre-activation| = {max_pre}"

    put("lstm.x", x)
    put("lstm.h0", h0)
    put("lstm.c0", c0)
    put("lstm.weight_ih", cell.weight_ih)
    put("lstm.weight_hh", cell.weight_hh)
    put("lstm.bias_ih", cell.bias_ih)
    put("lstm.bias_hh", cell.bias_hh)
    put("lstm.h1", h1)
    put("lstm.c1", c1)
    put("lstm.dh", dh)
    put("lstm.dc", dc)
    put("lstm.grad.x", x.grad)
    put("lstm.grad.h0", h0.grad)
    put("lstm.grad.c0", c0.grad)
    put("lstm.grad.weight_ih", cell.weight_ih.grad)
    put("lstm.grad.weight_hh", cell.weight_hh.grad)
    put("lstm.grad.bias_ih", cell.bias_ih.grad)
    put("lstm.grad.bias_hh", cell.bias_hh.grad)
    meta("lstm.input_size", n_in)
    meta("lstm.hidden_size", hidden)
    meta("lstm.batch", batch)
    meta("lstm.gate_order", "i,f,g,o")
    meta("lstm.max_abs_preactivation", round(max_pre, 4))


# --------------------------------------------------------------------------------------------------
# GRUCell(in=5, hidden=6), batch 3, gate order r, z, n
# --------------------------------------------------------------------------------------------------
def gru() -> None:
    n_in, hidden, batch = 5, 6, 3
    cell = torch.nn.GRUCell(n_in, hidden)
    x, h0 = leaf(unit(batch, n_in)), leaf(unit(batch, hidden))
    dh = torch.randn(batch, hidden)

    h1 = cell(x, h0)
    (h1 * dh).sum().backward()

    # Self-check against PyTorch's documented GRU equations: note that the reset gate multiplies
    # (W_hn h + b_hn), bias included, not h alone.
    with torch.no_grad():
        gi = x @ cell.weight_ih.T + cell.bias_ih
        gh = h0 @ cell.weight_hh.T + cell.bias_hh
        i_r, i_z, i_n = gi.chunk(3, dim=1)
        h_r, h_z, h_n = gh.chunk(3, dim=1)
        r, z = torch.sigmoid(i_r + h_r), torch.sigmoid(i_z + h_z)
        n = torch.tanh(i_n + r * h_n)
        h_ref = (1 - z) * n + z * h0
        assert torch.allclose(h_ref, h1, atol=1e-6)
        max_pre = torch.cat([i_r + h_r, i_z + h_z, i_n + r * h_n], dim=1).abs().max().item()
        assert max_pre < 3.0, f"GRU gates saturated: max |pre-activation| = {max_pre}"

    put("gru.x", x)
    put("gru.h0", h0)
    put("gru.weight_ih", cell.weight_ih)
    put("gru.weight_hh", cell.weight_hh)
    put("gru.bias_ih", cell.bias_ih)
    put("gru.bias_hh", cell.bias_hh)
    put("gru.h1", h1)
    put("gru.dh", dh)
    put("gru.grad.x", x.grad)
    put("gru.grad.h0", h0.grad)
    put("gru.grad.weight_ih", cell.weight_ih.grad)
    put("gru.grad.weight_hh", cell.weight_hh.grad)
    put("gru.grad.bias_ih", cell.bias_ih.grad)
    put("gru.grad.bias_hh", cell.bias_hh.grad)
    meta("gru.input_size", n_in)
    meta("gru.hidden_size", hidden)
    meta("gru.batch", batch)
    meta("gru.gate_order", "r,z,n")
    meta("gru.max_abs_preactivation", round(max_pre, 4))


# --------------------------------------------------------------------------------------------------
# Optimisers: three steps on one parameter p0 [7] with given gradients g1, g2, g3
# --------------------------------------------------------------------------------------------------
OPTIMISERS: list[tuple[str, type[torch.optim.Optimizer], dict[str, object]]] = [
    # eps=1e-8 is also PyTorch's default for RMSprop (added after the square root).
    ("rmsprop", torch.optim.RMSprop,
     dict(lr=1e-2, alpha=0.95, eps=1e-8, weight_decay=0.0, momentum=0.9, centered=False)),
    ("rmsprop_centered", torch.optim.RMSprop,
     dict(lr=1e-2, alpha=0.95, eps=1e-8, weight_decay=0.0, momentum=0.5, centered=True)),
    ("adam", torch.optim.Adam,
     dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False)),
    # Adam's weight_decay is L2 added to the gradient (g + wd * p), not AdamW's decoupled decay.
    ("adam_wd", torch.optim.Adam,
     dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1, amsgrad=False)),
    # The first SGD step sets the momentum buffer to the gradient itself (no dampening applied).
    ("sgd", torch.optim.SGD,
     dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False)),
    ("sgd_nesterov", torch.optim.SGD,
     dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=True)),
]
OPT_STEPS = 3
OPT_SIZE = 7


def optimisers() -> None:
    meta("optim.steps", OPT_STEPS)
    for group, cls, hyper in OPTIMISERS:
        p0 = torch.randn(OPT_SIZE)
        grads = [torch.randn(OPT_SIZE) for _ in range(OPT_STEPS)]
        param = torch.nn.Parameter(p0.clone())
        # foreach=False: the plain single-tensor code path, the reference the others must match.
        opt = cls([param], foreach=False, **hyper)

        put(f"{group}.p0", p0)
        for step, g in enumerate(grads, start=1):
            param.grad = g.clone()
            opt.step()
            put(f"{group}.g{step}", g)
            put(f"{group}.p{step}", param)

        meta(f"{group}.optimizer", cls.__name__)
        for key, value in hyper.items():
            if key == "betas":
                meta(f"{group}.beta1", float(value[0]))
                meta(f"{group}.beta2", float(value[1]))
            else:
                meta(f"{group}.{key}", value)
        if cls is torch.optim.Adam:
            meta(f"{group}.decoupled_weight_decay", False)


# --------------------------------------------------------------------------------------------------
# Gradient clipping: by global L2 norm (max_norm=1.0) and by value (0.5)
# --------------------------------------------------------------------------------------------------
def clipping() -> None:
    max_norm, clip_value = 1.0, 0.5
    shapes = {"a": (4,), "b": (2, 3), "c": (5,)}
    grads = {k: torch.randn(*s) for k, s in shapes.items()}

    def params_with(gs: dict[str, torch.Tensor]) -> list[torch.nn.Parameter]:
        ps = []
        for g in gs.values():
            p = torch.nn.Parameter(torch.zeros_like(g))
            p.grad = g.clone()
            ps.append(p)
        return ps

    by_norm = params_with(grads)
    # The returned value is the total norm of the gradients BEFORE clipping. PyTorch scales by
    # min(1, max_norm / (total_norm + 1e-6)).
    total = torch.nn.utils.clip_grad_norm_(by_norm, max_norm=max_norm, norm_type=2.0, foreach=False)
    assert total.item() > max_norm, "fixture should exercise actual clipping"

    by_value = params_with(grads)
    torch.nn.utils.clip_grad_value_(by_value, clip_value=clip_value, foreach=False)

    for k, p_norm, p_value in zip(grads, by_norm, by_value):
        put(f"clip.g.{k}", grads[k])
        put(f"clip.norm.{k}", p_norm.grad)
        put(f"clip.value.{k}", p_value.grad)
    put("clip.total_norm", total)
    meta("clip.max_norm", max_norm)
    meta("clip.norm_type", 2.0)
    meta("clip.norm_eps", 1e-6)
    meta("clip.clip_value", clip_value)


# --------------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------------
def losses() -> None:
    # Binary cross-entropy with logits, summed. Logits spread over about ±4 to cover both tails.
    logits = leaf(torch.randn(3, 4) * 2)
    targets = torch.bernoulli(torch.full((3, 4), 0.5))
    loss = F.binary_cross_entropy_with_logits(logits, targets, reduction="sum")
    loss.backward()
    put("bce.logits", logits)
    put("bce.targets", targets)
    put("bce.loss", loss)
    put("bce.grad.logits", logits.grad)
    meta("bce.reduction", "sum")

    # Cross-entropy over 5 classes, mean over the batch of 3; targets are class indices.
    logits = leaf(torch.randn(3, 5) * 2)
    targets = torch.randint(0, 5, (3,))
    loss = F.cross_entropy(logits, targets, reduction="mean")
    loss.backward()
    put("ce.logits", logits)
    put("ce.targets", targets.to(torch.float32))
    put("ce.loss", loss)
    put("ce.grad.logits", logits.grad)
    meta("ce.reduction", "mean")
    meta("ce.classes", 5)


# --------------------------------------------------------------------------------------------------
# Added after the groups above (it draws after them, so their values do not change)
# --------------------------------------------------------------------------------------------------
def bigru() -> None:
    """nn.GRU(4, 3, bidirectional=True) over 3 steps of a batch of 2: an encoder's two directions."""
    n_in, hidden, batch, steps = 4, 3, 2, 3
    gru = torch.nn.GRU(n_in, hidden, bidirectional=True)  # input [T, B, in], default init
    x, h0 = leaf(unit(steps, batch, n_in)), leaf(unit(2, batch, hidden))
    dy, dh = torch.randn(steps, batch, 2 * hidden), torch.randn(2, batch, hidden)

    y, hn = gru(x, h0)
    ((y * dy).sum() + (hn * dh).sum()).backward()

    # Self-check: two GRUCells with the same weights, one run forward in time and one backward, give
    # torch's output (forward half, then backward half, of every step) and final states.
    with torch.no_grad():
        halves = []
        for d, suffix in enumerate(["_l0", "_l0_reverse"]):
            cell = torch.nn.GRUCell(n_in, hidden)
            for w in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
                getattr(cell, w).copy_(getattr(gru, w + suffix))
            h, out = h0[d], [None] * steps
            for t in (range(steps) if d == 0 else reversed(range(steps))):
                h = cell(x[t], h)
                out[t] = h
            halves.append(torch.stack(out))
        assert torch.allclose(torch.cat(halves, dim=2), y, atol=1e-6)

    put("bigru.x", x)
    put("bigru.h0", h0)
    for suffix in ["_l0", "_l0_reverse"]:
        for w in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            put(f"bigru.{w}{suffix}", getattr(gru, w + suffix))
    put("bigru.y", y)
    put("bigru.hn", hn)
    put("bigru.dy", dy)
    put("bigru.dh", dh)
    put("bigru.grad.x", x.grad)
    put("bigru.grad.h0", h0.grad)
    for suffix in ["_l0", "_l0_reverse"]:
        for w in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            put(f"bigru.grad.{w}{suffix}", getattr(gru, w + suffix).grad)
    meta("bigru.input_size", n_in)
    meta("bigru.hidden_size", hidden)
    meta("bigru.batch", batch)
    meta("bigru.steps", steps)


def padded_losses() -> None:
    """cross_entropy with ignore_index over 4 rows, one of them padding: mean, and per row."""
    logits = leaf(torch.randn(4, 5) * 2)
    targets = torch.tensor([3, -100, 0, 4])
    loss = F.cross_entropy(logits, targets, ignore_index=-100, reduction="mean")
    loss.backward()
    put("ce_ignore.logits", logits)
    put("ce_ignore.targets", targets.to(torch.float32))
    put("ce_ignore.loss", loss)
    put("ce_ignore.grad.logits", logits.grad)
    put("ce_ignore.losses", F.cross_entropy(logits, targets, ignore_index=-100, reduction="none"))
    meta("ce_ignore.ignore_index", -100)


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # single-threaded reductions: the same bits on every run

    meta("generator", "make_parity_fixture.py")
    meta("torch", torch.__version__)
    meta("safetensors", safetensors.__version__)
    meta("python", sys.version.split()[0])
    meta("seed", SEED)
    meta("dtype", "float32")
    meta("tolerance", 1e-5)

    # The order matters: every group draws from the one seeded generator in turn.
    linear()
    lstm()
    gru()
    optimisers()
    clipping()
    losses()
    bigru()
    padded_losses()

    for name, t in tensors.items():
        assert t.dtype == torch.float32 and torch.isfinite(t).all(), name
    save_file(tensors, str(OUT), metadata=metadata)
    print(f"wrote {OUT.name}: {len(tensors)} tensors, {OUT.stat().st_size} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
