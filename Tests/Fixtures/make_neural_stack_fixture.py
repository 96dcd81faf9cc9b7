#!/usr/bin/env python3
"""Write Tests/Fixtures/neural_stack_parity.safetensors: arnn_torch's neural stack, queue and deque (python/)
as a reference for arnn's.

The Swift test `NeuralStackParityTests` loads each structure's weights from this file as an arnn checkpoint
(kinds "stack", "queue", "deque") and checks every step's logits, push and pop strengths, strengths after the
step, read weights and reads, and the gradient of every parameter, against the values computed here, to
1e-5. The suite never runs Python; this script is run by hand when the fixture must change, and both files
are committed.

    python3 Tests/Fixtures/make_neural_stack_fixture.py

The models are `arnn_torch.NeuralStack`, `NeuralQueue` and `NeuralDeque` (python/arnn_torch/models/
neural_stack.py, a transcription of docs/models/neural-stack.md), with their documented initialisation under
the seed, except that the controller's input weights are multiplied by CONTROLLER_INPUT_SCALE (3), the push
and pop layers' weights by PUSH_POP_SCALE (12), and the pop bias is POP_BIAS (0): with the initialisation
alone (pop bias −1) h_t hardly moves and every pop is about 0.3, so pops never empty a row of the stack.
With these, pops range over 0.04-0.81 and pushes over 0.06-0.96, so some pops take part of a row, some
empty a row and reach the next, and rows popped to exactly 0 stay in the structure, are popped again and
are read at weight 0, some of them under rows of depth 1 or more (the tie of min(s, max(0, 1 − c)) at 0; a
queue cannot have that case: its emptied rows are its bottom rows, under which lies no strength).

Before writing, the script
- re-runs every example alone with plain float64 loops written from the doc's equations (no torch ops) and
  refuses to write the file if torch differs from them by 1e-5 or more;
- checks that the episode has every case the tests must see (partial pops, rows emptied, pops that reach
  past an emptied row, zero-strength rows, reads cut at depth 1, rows of strength below depth 1, rows at
  zero where min(s, max(0, 1 − c)) ties at 0), and that every max and min is either an exact tie (a row at
  zero) or at least KINK_MARGIN away from one, so a rounding difference between PyTorch and arnn cannot
  send a derivative down the other branch;
- checks torch's gradients (float64 copies of the models) against central differences on every parameter
  entry, and reports how far gradients with torch.clamp / torch.minimum's tie rules would be from these
  (nowhere on the episodes: every tie there is a row at zero, whose gradient the pop already stopped; the
  `ops.` group, the two operations alone on values that land on the ties, is where they differ, by 0.68).

Tensors (float32; `<kind>` is stack, queue or deque; sequence axis first):

    <kind>.<parameter>                  the weights under arnn's names (docs/models/neural-stack.md's table)
    <kind>.reference.input              [T, B, X]     inputs, uniform in [-1, 1)
    <kind>.reference.upstream           [T, B, Y]     fixed random upstream gradient dy (standard normal)
    <kind>.reference.logits             [T, B, Y]     (17)
    <kind>.reference.push, .pop         [T, B, E]     d_t (13), u_t (14)
    <kind>.reference.strengths          [T, B, E·T]   s_t after the step's pops and pushes, rows bottom to top,
                                                      E·(t+1) rows then zeros
    <kind>.reference.read_weights       [T, B, E, E·T] each head's read weights (3), (6), laid out as strengths
    <kind>.reference.reads              [T, B, E·m]   r_t = [r¹; …; r^E]
    <kind>.reference.grad.<parameter>   d(loss)/d(parameter) for loss = Σ_t (logits_t · dy_t).sum()
    ops.strengths [5, 3], ops.amount [5, 1]     the operations alone, on quarters that land on every tie
    ops.<end>.pop, .read_weights [5, 3]         neural_pop and neural_read_weights from `top` and `bottom`
    ops.<end>.pop_upstream, .read_upstream      upstream gradients (standard normal)
    ops.<end>.pop_grad_strengths, .pop_grad_amount, .read_grad_strengths    their gradients

Metadata: `<kind>.arnn.kind` and `<kind>.arnn.config` (so the weights under `<kind>.` minus `reference.`
load with `NeuralStack<S>(checkpoint:)`), and `generator`, `torch`, `safetensors`, `python`, `seed`,
`dtype`, `steps`, `batch`, `controller_input_scale`, `push_pop_scale`, `pop_bias`, `tolerance`,
`kink_margin`, and per kind `<kind>.plain_equations_max_difference`, `<kind>.finite_difference_max_error`,
`<kind>.closest_kink`, `<kind>.coverage` (JSON counts of the cases above),
`<kind>.torch_tie_rules_gradient_difference` (0: on the episode no tie carries a gradient, which is why the
ops group exists) and `ops.torch_tie_rules_gradient_difference`.
"""

from __future__ import annotations

import json
import math
import pathlib
import platform
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "python"))

import safetensors  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

from arnn_torch.models import neural_stack as ns  # noqa: E402
from arnn_torch.models.neural_stack import NeuralDeque, NeuralQueue, NeuralStack, NeuralStackConfig  # noqa: E402

SEED = 0
STEPS, BATCH = 8, 3
CONFIG = dict(inputSize=5, outputSize=4, hiddenSize=6, valueSize=3)
CONTROLLER_INPUT_SCALE, PUSH_POP_SCALE, POP_BIAS = 3.0, 12.0, 0.0
TOLERANCE = 1e-5
KINK_MARGIN = 1e-4
# The ops group: strengths (bottom to top) and pop amounts in quarters, exact in float32, chosen so that from
# each end some pop empties a row exactly (max(0, x) at x = 0), some reaches a row with nothing left to take
# (max(0, u − c) at 0), and some read lands exactly at depth 1 (min(s, 1 − c) with s = 1 − c, and
# max(0, 1 − c) at 0), among zero rows, partial pops and pops larger than the structure.
OPS_STRENGTHS = [[0.25, 0.5, 0.25], [0.5, 0.0, 0.5], [0.75, 0.25, 1.0], [0.5, 0.5, 0.0], [0.5, 0.5, 0.5]]
OPS_AMOUNTS = [[0.25], [0.75], [0.5], [1.0], [0.5]]
OUT = HERE / "neural_stack_parity.safetensors"


def plain_episode(model, x: torch.Tensor) -> dict:
    """docs/models/neural-stack.md in plain float64 Python loops, one example at a time. Also counts the
    cases the fixture must cover and the distance of every max and min from its tie."""
    c, heads = model.config, model.HEADS
    H, m, E = c.hiddenSize, c.valueSize, len(heads)
    P = {k: v.detach().double().tolist() for k, v in model.state_dict().items()}
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731

    def affine(w, b, v):
        return [sum(wi * vi for wi, vi in zip(row, v)) + bi for row, bi in zip(w, b)]

    def linear(name, v):
        return affine(P[f"{name}.weight"], P[f"{name}.bias"], v)

    cover = dict(partial_pops=0, rows_emptied=0, pops_past_an_emptied_row=0, zero_rows_kept=0, reads_cut_at_depth=0,
                 rows_below_depth=0, zero_rows_at_a_min_tie=0, exact_ties=0)
    margin = [float("inf")]

    def near(value):                                     # distance from a kink that is not an exact tie
        if value == 0:
            cover["exact_ties"] += 1
        else:
            margin[0] = min(margin[0], abs(value))

    def order(n, end):                                   # rows from `end` inwards
        return list(range(n - 1, -1, -1)) if end == ns.TOP else list(range(n))

    out = {"logits": [], "push": [], "pop": [], "strengths": [], "read_weights": [], "reads": []}
    for b in range(x.shape[1]):
        h, cell, read = list(P["initial_hidden"]), [0.0] * H, [0.0] * (E * m)
        s, V = [], []
        rows = {k: [] for k in out}
        for t in range(x.shape[0]):
            inp = [float(v) for v in x[t, b]] + read
            z = [p + q for p, q in zip(affine(P["controller.weight_ih"], P["controller.bias_ih"], inp),
                                       affine(P["controller.weight_hh"], P["controller.bias_hh"], h))]   # (12)
            i_g, f_g = [sig(v) for v in z[:H]], [sig(v) for v in z[H:2 * H]]       # gates i, f, g, o
            g_g, o_g = [math.tanh(v) for v in z[2 * H:3 * H]], [sig(v) for v in z[3 * H:]]
            cell = [f * cc + i * g for f, cc, i, g in zip(f_g, cell, i_g, g_g)]
            h = [o * math.tanh(cc) for o, cc in zip(o_g, cell)]
            d = [sig(v) for v in linear("push", h)]                                                     # (13)
            u = [sig(v) for v in linear("pop", h)]                                                      # (14)
            v = [math.tanh(q) for q in linear("value", h)]                                              # (15)
            o = [math.tanh(q) for q in linear("output", h)]                                             # (16)
            logits = linear("readout", o)                                                               # (17)
            for k, head in enumerate(heads):                                                            # (2), (5)
                before, above, emptied = list(s), 0.0, False
                for i in order(len(s), head.pops_at):
                    a = u[k] - above
                    x_i = before[i] - max(0.0, a)
                    if before[i] > 0:
                        near(a)
                        near(x_i)
                        if a > 0 and x_i > 0:
                            cover["partial_pops"] += 1
                        if a > 0 and x_i <= 0:
                            cover["rows_emptied"] += 1
                        if a > 0 and emptied:
                            cover["pops_past_an_emptied_row"] += 1
                    if before[i] == 0 and a > 0:
                        emptied = True
                    if before[i] > 0 and x_i <= 0 < a:
                        emptied = True
                    s[i] = max(0.0, x_i)
                    above += before[i]
            for k, head in enumerate(heads):                                                            # (1), (9)
                value = v[k * m:(k + 1) * m]
                if head.pushes_at == ns.TOP:
                    s, V = s + [d[k]], V + [value]
                else:
                    s, V = [d[k]] + s, [value] + V
            cover["zero_rows_kept"] += sum(1 for q in s if q == 0)
            weights, read = [], []
            for head in heads:                                                                          # (3), (6)
                w, above = [0.0] * len(s), 0.0
                for i in order(len(s), head.pops_at):
                    room = 1 - above
                    w[i] = min(s[i], max(0.0, room))
                    if s[i] > 0:
                        near(room)
                        near(s[i] - max(0.0, room))
                        cover["reads_cut_at_depth"] += 0 < room < s[i]
                        cover["rows_below_depth"] += room <= 0       # weight 0: the read is full above it
                    else:
                        cover["zero_rows_at_a_min_tie"] += room <= 0  # min(0, max(0, room)) = min(0, 0)
                    above += s[i]
                weights.append(w)
                read += [sum(w[i] * V[i][j] for i in range(len(s))) for j in range(m)]
            for key, value in (("logits", logits), ("push", d), ("pop", u), ("strengths", list(s)),
                               ("read_weights", weights), ("reads", read)):
                rows[key].append(value)
        for key in out:
            out[key].append(rows[key])
    out["coverage"], out["margin"] = cover, margin[0]
    return out


def padded(steps: list, width: int) -> list:
    """Each step's rows zero-padded to `width` (the last step's row count)."""
    def pad(r):
        return r + [0.0] * (width - len(r)) if not isinstance(r[0], list) else [pad(q) for q in r]
    return [pad(r) for r in steps]


def gradients(model, x, dy, rules: str = "doc") -> dict:
    """Parameter gradients of Σ_t (logits_t · dy_t); `rules` "torch" swaps in torch.clamp and torch.minimum,
    which split ties differently, to show what the doc's rules change here."""
    saved = ns.neural_pop, ns.neural_read_weights
    ns.neural_pop, ns.neural_read_weights = tie_rules(rules)
    try:
        model.zero_grad()
        (model(x.transpose(0, 1)).transpose(0, 1) * dy).sum().backward()
        return {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    finally:
        ns.neural_pop, ns.neural_read_weights = saved


def finite_difference_error(model, x, dy, eps: float = 1e-6) -> float:
    """The largest difference between float64 autograd and central differences over every parameter entry
    (scaled by max(1, |g|))."""
    with torch.random.fork_rng(devices=[]):          # the copy's initialisation must not move the seed's stream
        m64 = type(model)(model.config).double()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    x64, dy64 = x.double(), dy.double()
    grads = gradients(m64, x64, dy64)
    worst = 0.0
    with torch.no_grad():
        loss = lambda: (m64(x64.transpose(0, 1)).transpose(0, 1) * dy64).sum().item()  # noqa: E731
        for name, p in m64.named_parameters():
            flat = p.view(-1)
            for i in range(flat.numel()):
                keep = flat[i].item()
                flat[i] = keep + eps
                up = loss()
                flat[i] = keep - eps
                down = loss()
                flat[i] = keep
                g = grads[name].view(-1)[i].item()
                worst = max(worst, abs((up - down) / (2 * eps) - g) / max(1.0, abs(g)))
    return worst


def tie_rules(name: str):
    """The two operations under the doc's tie rules (arnn_torch's), or under torch.clamp and torch.minimum's."""
    if name == "doc":
        return ns.neural_pop, ns.neural_read_weights

    def pop(s, u, end):
        e = ns._from_end(s, end)
        return ns._from_end(torch.clamp(e - torch.clamp(u - ns._nearer(e), min=0), min=0), end)

    def read_weights(s, end):
        e = ns._from_end(s, end)
        return ns._from_end(torch.minimum(e, torch.clamp(1 - ns._nearer(e), min=0)), end)
    return pop, read_weights


def operations(tensors: dict, metadata: dict) -> None:
    """The `ops.` group: neural_pop and neural_read_weights alone on strengths made of quarters, so pops and
    reads land exactly on the ties of max and min, from each end, with their gradients."""
    s = torch.tensor(OPS_STRENGTHS)
    u = torch.tensor(OPS_AMOUNTS)
    tensors["ops.strengths"], tensors["ops.amount"] = s, u
    moved = 0.0
    for end in (ns.TOP, ns.BOTTOM):
        dy_pop, dy_read = torch.randn(s.shape), torch.randn(s.shape)
        results = {}
        for rules in ("doc", "torch"):
            pop, read_weights = tie_rules(rules)
            sv, uv = s.clone().requires_grad_(), u.clone().requires_grad_()
            popped = pop(sv, uv, end)
            (popped * dy_pop).sum().backward()
            sr = s.clone().requires_grad_()
            weights = read_weights(sr, end)
            (weights * dy_read).sum().backward()
            results[rules] = dict(pop=popped.detach(), pop_grad_strengths=sv.grad, pop_grad_amount=uv.grad,
                                  read_weights=weights.detach(), read_grad_strengths=sr.grad)
        for key in ("pop", "read_weights"):
            assert torch.equal(results["doc"][key], results["torch"][key]), "the tie rules change no value"
        moved = max(moved, *((results["doc"][k] - results["torch"][k]).abs().max().item()
                             for k in ("pop_grad_strengths", "pop_grad_amount", "read_grad_strengths")))
        tensors[f"ops.{end}.pop_upstream"], tensors[f"ops.{end}.read_upstream"] = dy_pop, dy_read
        for key, value in results["doc"].items():
            tensors[f"ops.{end}.{key}"] = value.contiguous()
    assert moved > 0.1, f"the ops group does not tell the tie rules apart (gradients move by {moved})"
    metadata["ops.torch_tie_rules_gradient_difference"] = f"{moved:.3g}"
    print(f"ops: gradients with torch's tie rules would move by {moved:.3g}")


def build(cls, config: NeuralStackConfig):
    model = cls(config)
    with torch.no_grad():
        model.controller.weight_ih.mul_(CONTROLLER_INPUT_SCALE)
        model.push.weight.mul_(PUSH_POP_SCALE)
        model.pop.weight.mul_(PUSH_POP_SCALE)
        model.pop.bias.fill_(POP_BIAS)
    x = torch.rand(STEPS, BATCH, config.inputSize) * 2 - 1
    dy = torch.randn(STEPS, BATCH, config.outputSize)
    return model, x, dy


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    tensors, metadata = {}, {
        "generator": "Tests/Fixtures/make_neural_stack_fixture.py", "torch": torch.__version__,
        "safetensors": safetensors.__version__, "python": platform.python_version(), "seed": str(SEED),
        "dtype": "float32", "steps": str(STEPS), "batch": str(BATCH),
        "controller_input_scale": repr(CONTROLLER_INPUT_SCALE), "push_pop_scale": repr(PUSH_POP_SCALE),
        "pop_bias": repr(POP_BIAS), "tolerance": repr(TOLERANCE), "kink_margin": repr(KINK_MARGIN),
        "loss": "sum over steps of (logits_t * upstream_t).sum()"}
    config = NeuralStackConfig(**CONFIG)
    for cls in (NeuralStack, NeuralQueue, NeuralDeque):
        kind, e = cls.kind, len(cls.HEADS)
        model, x, dy = build(cls, config)
        logits, inner = model(x.transpose(0, 1), internals=True)                      # [B, T, ...]
        grads = gradients(model, x, dy)
        plain = plain_episode(model, x)
        width = e * STEPS

        def compare(name, ours, theirs):
            difference = (ours.double() - torch.tensor(theirs, dtype=torch.float64)).abs().max().item()
            assert difference < TOLERANCE, f"{kind} {name}: torch and the plain equations differ by {difference}"
            return difference

        # The plain loops are per example [B, T, ...]; the file's layout is [T, B, ...].
        first = lambda t: t.transpose(0, 1).contiguous()  # noqa: E731
        worst = max(compare("logits", logits, plain["logits"]),
                    compare("push", inner["push"], plain["push"]),
                    compare("pop", inner["pop"], plain["pop"]),
                    compare("strengths", inner["strengths"], [padded(r, width) for r in plain["strengths"]]),
                    compare("read_weights", inner["read_weights"], [padded(r, width) for r in plain["read_weights"]]),
                    compare("reads", inner["reads"].reshape(BATCH, STEPS, -1), plain["reads"]))
        cover, margin = plain["coverage"], plain["margin"]
        # exact_ties counts a max or min exactly at its tie on a row of positive strength: information only.
        impossible = {"exact_ties"} | ({"zero_rows_at_a_min_tie"} if cls is NeuralQueue else set())
        for case, count in cover.items():
            assert count > 0 or case in impossible, f"{kind}: the episode has no case of {case} ({cover})"
        assert margin >= KINK_MARGIN, f"{kind}: a max or min is {margin:.3g} from its tie"
        fd = finite_difference_error(model, x, dy)
        assert fd < 1e-5, f"{kind}: autograd and central differences differ by {fd}"
        torch_rules = gradients(model, x, dy, rules="torch")
        tie_difference = max((grads[n] - torch_rules[n]).abs().max().item() for n in grads)
        print(f"{kind}: torch vs plain equations {worst:.3g}; vs central differences {fd:.3g}; "
              f"closest kink {margin:.3g}; gradients with torch's tie rules move by {tie_difference:.3g}; {cover}")

        for name, p in model.state_dict().items():
            tensors[f"{kind}.{name}"] = p.detach().clone().contiguous()
        reference = {"input": x, "upstream": dy, "logits": first(logits), "push": first(inner["push"]),
                     "pop": first(inner["pop"]), "strengths": first(inner["strengths"]),
                     "read_weights": first(inner["read_weights"]),
                     "reads": first(inner["reads"].reshape(BATCH, STEPS, -1))}
        for name, t in reference.items():
            tensors[f"{kind}.reference.{name}"] = t.detach().contiguous()
        for name, g in grads.items():
            tensors[f"{kind}.reference.grad.{name}"] = g.contiguous()
        metadata.update({f"{kind}.arnn.kind": kind, f"{kind}.arnn.config": model.config.to_json(),
                         f"{kind}.plain_equations_max_difference": f"{worst:.3g}",
                         f"{kind}.finite_difference_max_error": f"{fd:.3g}",
                         f"{kind}.closest_kink": f"{margin:.3g}",
                         f"{kind}.coverage": json.dumps(cover, sort_keys=True),
                         f"{kind}.torch_tie_rules_gradient_difference": f"{tie_difference:.3g}"})
    operations(tensors, metadata)
    save_file(tensors, str(OUT), metadata=metadata)
    print(f"wrote {OUT}: {len(tensors)} tensors")


if __name__ == "__main__":
    main()
