"""Writes Tests/Fixtures/np_parity.safetensors: arnn's Neural Programmer (docs/models/neural-programmer.md) in
PyTorch (arnn_torch's `NeuralProgrammer`, python/arnn_torch/models/np.py, imported from this repository), its
weights under arnn's names, a batch of three table questions of different sizes (no number, two numbers, one
number that comes first; tables of 3 × 2, 4 × 3 and 2 × 1), the answer records at soft and at hard selection,
every step's α^op, α^col, row selectors before and after, scalar, lookup and history state, β of greater and
lesser, the loss of (16), (17) summed over the batch for two number answers and one cell answer, and its
gradient for every parameter. The Swift test `NeuralProgrammerParityTests` checks arnn against it;
Tests/Fixtures/README.md says what the file holds. Usage: python3 Tests/Fixtures/make_np_fixture.py [OUT]
(torch, safetensors).

Before writing, the script re-runs every question alone with plain float64 loops written from the doc's
equations, at soft and at hard selection, and refuses to write the file if torch differs from them by 1e-5
or more (relative above 1). It also checks torch's float64 gradient of the loss against central differences
of the plain equations' loss at every parameter entry, to the same tolerance; torch's float32 gradients
against its float64 ones, to 2e-6; that four misreadings of the doc move what the file holds by far more
than the tolerance; that every argmax of the hard run wins by a clear margin; and that no lookup of the cell
question sits near the clamp of its log loss.
"""
import json
import math
import pathlib
import platform
import sys

import safetensors
import torch
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
from arnn_torch.models.np import OPERATIONS, NeuralProgrammer, NeuralProgrammerConfig, TableQuestion  # noqa: E402

# The seed is one of 0-1599 whose hard run (at these scales) answers one question with a nonzero number and another
# with cells, whose argmaxes all win clearly, and whose float32 gradients are within 1e-6 of float64's (most seeds
# answer every question with cells or 0, or leave the cell question's lookup near 0, where 1/lookup is large).
SEED = 1354
# Small λ and δ, and cells of 0.2-3.0, keep every gradient within about 10, so that float32 implementations can
# agree to 1e-5 of each entry (with the doc's λ = 50 and cells up to 30, entries of a few units beside entries of
# thousands differ by 1e-4 between torch's own float32 and float64 runs). Both are config fields; the loss is
# the same function of them.
CONFIG = dict(vocabularySize=10, embeddingSize=5, steps=5, maxRows=4, maxColumns=3, lookupWeight=2.0, huberDelta=1.0)
# Question words are ids 1-6, column names 7-9. Question 0 has no number; question 1 two (after its 3rd and 6th
# words); question 2 one, before its first word (ℓ = 0, Z = z₀ = 0).
QUESTIONS = [
    dict(wordIds=[3, 6, 2, 5], numberValues=[], numberContexts=[],
         cells=[[1.2, 0.7], [0.3, 2.5], [1.8, 0.9]], columnNameIds=[8, 9]),
    dict(wordIds=[4, 2, 7, 3, 6, 5, 1], numberValues=[1, 2.05], numberContexts=[3, 6],
         cells=[[0.5, 1.4, 3.0], [2.2, 0.8, 1.1], [1.7, 2.6, 0.2], [0.9, 1.9, 2.4]], columnNameIds=[9, 7, 8]),
    dict(wordIds=[5, 3, 6], numberValues=[1.5], numberContexts=[0],
         cells=[[1.6], [0.4]], columnNameIds=[8]),
]
# Right answers: numbers for questions 0 and 1 (question 0's beyond δ of s_T, on the linear part of (16),
# question 1's within it), the cell (0, 0) for question 2.
RIGHT_NUMBERS = [2.5, 0.5, None]
RIGHT_CELLS = [None, None, [0, 0]]
# The doc's initialisation has 𝐕, U ~ N(0, 0.1²) and W ~ U(±1/√fan-in): every softmax nearly uniform at d = 5.
# These scales make the choices far from uniform (peaks printed below).
SCALES = {"words.weight": 8.0, "operations.weight": 25.0, "question.weight": 1.0, "history.weight": 1.0,
          "operationSelector.weight": 2.0, "columnSelector.weight": 2.0, "pivotSelector.weight": 1.0}
TOLERANCE = 1e-5
CONDITIONING = 2e-6    # torch's float32 gradients within this of its float64 ones (each entry, relative above 1)
MARGIN = 1e-3          # every argmax of the hard run wins by at least this


def questions():
    return [TableQuestion(q["wordIds"], q["numberValues"], q["numberContexts"], q["cells"], q["columnNameIds"])
            for q in QUESTIONS]


def rights():
    return [y if y is not None else tuple(c) for y, c in zip(RIGHT_NUMBERS, RIGHT_CELLS)]


# The doc's equations in float64 loops, one question alone.

def tanh_vec(v):
    return [math.tanh(x) for x in v]


def matvec(w, x):
    return [sum(a * b for a, b in zip(row, x)) for row in w]


def softmax(v):
    top = max(v)
    e = [math.exp(x - top) for x in v]
    s = sum(e)
    return [x / s for x in e]


def one_hot(v):
    best = max(range(len(v)), key=lambda i: (v[i], -i))      # the first of equal maxima
    return [1.0 if i == best else 0.0 for i in range(len(v))]


def plain(weights, q, hard=False, diff_reversed=False, print_after=False, context_after=False, history_swapped=False,
          pivot_fixed=False):
    """One question's answer record and trace from eqs. (1)-(15). The flags are misreadings the fixture must
    tell apart: difference as s_{t−1} − s_{t−3}, print reading rs_t instead of rs_{t−1}, Z_k the state after
    the word right of number k, the history RNN reading [h_{t−1}; c_t], and β the same at every step (the
    paper's, without W^β h_t)."""
    c = CONFIG
    d, steps, rmax, cmax = c["embeddingSize"], c["steps"], c["maxRows"], c["maxColumns"]
    V, U = weights["words.weight"], weights["operations.weight"]
    Wq, Wh = weights["question.weight"], weights["history.weight"]
    Wop, Wcol = weights["operationSelector.weight"], weights["columnSelector.weight"]
    Wb = weights["pivotSelector.weight"]
    m_rows, m_cols = len(q.cells), len(q.column_name_ids)
    M = q.cells
    z = [[0.0] * d]                                                          # z₀ = 0
    for w in q.word_ids:                                                     # (1)
        z.append(tanh_vec(matvec(Wq, z[-1] + V[w])))
    qv = z[-1]                                                               # (2)
    Z = [z[min(l + 1, len(q.word_ids)) if context_after else l] for l in q.number_contexts]
    P = [V[name] for name in q.column_name_ids]
    h = [0.0] * d
    prev = None
    rs = {-1: [1.0] * m_rows, 0: [1.0] * m_rows}                             # rs₀ = rs₋₁ = 1
    s = {-2: 0.0, -1: 0.0, 0: 0.0}                                           # s_t = 0 for t ≤ 0
    trace = []
    col_max = [max(M[i][j] for i in range(m_rows)) for j in range(m_cols)]
    col_min = [min(M[i][j] for i in range(m_rows)) for j in range(m_cols)]
    for t in range(1, steps + 1):
        if prev is None:
            ct = [0.0] * (2 * d)                                             # c₁ = 0
        else:
            a_op, a_col = prev
            ct = ([sum(a_op[o] * U[o][k] for o in range(len(U))) for k in range(d)]
                  + [sum(a_col[j] * P[j][k] for j in range(m_cols)) for k in range(d)])          # (3)
        h = tanh_vec(matvec(Wh, (h + ct) if history_swapped else (ct + h)))  # (4)
        key_op = tanh_vec(matvec(Wop, qv + h))
        alpha_op = softmax([sum(a * b for a, b in zip(U[o], key_op)) for o in range(len(U))])   # (5)
        key_col = tanh_vec(matvec(Wcol, qv + h))
        alpha_col = softmax([sum(a * b for a, b in zip(P[j], key_col)) for j in range(m_cols)])  # (6)
        key_piv = [0.0] * d if pivot_fixed else matvec(Wb, h)
        beta = {op: softmax([sum(a * (b + k) for a, b, k in zip(zk, U[OPERATIONS.index(op)], key_piv)) for zk in Z])
                if Z else [] for op in ("greater", "lesser")}                # (7), at step t
        used_beta = {op: (one_hot(b) if hard and b else b) for op, b in beta.items()}
        op = one_hot(alpha_op) if hard else alpha_op
        col = one_hot(alpha_col) if hard else alpha_col
        w = {name: op[i] for i, name in enumerate(OPERATIONS)}
        r1, r2 = rs[t - 1], rs[t - 2]
        total = sum(col[j] * sum(r1[i] * M[i][j] for i in range(m_rows)) for j in range(m_cols))   # (9)
        count = sum(r1)
        diff = (s[t - 1] - s[t - 3]) if diff_reversed else (s[t - 3] - s[t - 1])
        and_rows = [min(a, b) for a, b in zip(r1, r2)]                       # (10)
        or_rows = [max(a, b) for a, b in zip(r1, r2)]
        greater = [sum(col[j] * sum(bk * (1.0 if M[i][j] > qn else 0.0)
                                    for bk, qn in zip(used_beta["greater"], q.number_values))
                       for j in range(m_cols)) for i in range(m_rows)]       # (11)
        lesser = [sum(col[j] * sum(bk * (1.0 if M[i][j] < qn else 0.0)
                                   for bk, qn in zip(used_beta["lesser"], q.number_values))
                      for j in range(m_cols)) for i in range(m_rows)]
        greatest = [sum(col[j] * (1.0 if M[i][j] == col_max[j] else 0.0) for j in range(m_cols)) for i in range(m_rows)]
        lowest = [sum(col[j] * (1.0 if M[i][j] == col_min[j] else 0.0) for j in range(m_cols)) for i in range(m_rows)]
        first = [1.0 if i == 0 else 0.0 for i in range(m_rows)]              # (12)
        last = [1.0 if i == m_rows - 1 else 0.0 for i in range(m_rows)]
        s[t] = w["sum"] * total + w["count"] * count + w["difference"] * diff                # (13)
        rs[t] = [w["greater"] * greater[i] + w["lesser"] * lesser[i] + w["and"] * and_rows[i] + w["or"] * or_rows[i]
                 + w["reset"] + w["greatest"] * greatest[i] + w["lowest"] * lowest[i] + w["first"] * first[i]
                 + w["last"] * last[i] for i in range(m_rows)]               # (15)
        read = rs[t] if print_after else r1
        lookup = [[w["print"] * col[j] * read[i] for j in range(m_cols)] for i in range(m_rows)]  # (14)
        trace.append(dict(operation_weights=alpha_op, column_weights=alpha_col, used_operations=op, used_columns=col,
                          rows_before=r1, rows=rs[t], scalar=s[t], lookup=lookup, history=h,
                          greater_weights=beta["greater"], lesser_weights=beta["lesser"]))
        prev = (op, col)
    record = [s[steps], w["print"], float(m_rows * m_cols)]
    record += [lookup[i][j] if i < m_rows and j < m_cols else 0.0 for i in range(rmax) for j in range(cmax)]
    return record, trace, [step["greater_weights"] for step in trace]


def plain_loss(record, q, right_number, right_cell):
    """(16) for a number, λ · (17) over the table's M × C cells for a cell (lookup clamped to [1e-6, 1 − 1e-6])."""
    lam, delta, cmax = CONFIG["lookupWeight"], CONFIG["huberDelta"], CONFIG["maxColumns"]
    if right_number is not None:
        a = abs(record[0] - right_number)
        return 0.5 * a * a if a <= delta else delta * a - 0.5 * delta * delta
    total = 0.0
    for i in range(len(q.cells)):
        for j in range(len(q.column_name_ids)):
            x = min(max(record[3 + i * cmax + j], 1e-6), 1 - 1e-6)
            y = 1.0 if [i, j] == right_cell else 0.0
            total -= y * math.log(x) + (1 - y) * math.log(1 - x)
    return lam * total / (len(q.cells) * len(q.column_name_ids))


def plain_total_loss(weights, qs) -> float:
    return sum(plain_loss(plain(weights, q)[0], q, y, cell) for q, y, cell in zip(qs, RIGHT_NUMBERS, RIGHT_CELLS))


def finite_differences(model, qs, step=1e-6) -> float:
    """The largest difference between torch's float64 gradient of the summed loss and central differences of
    the plain equations' loss, over every parameter entry, relative above 1."""
    double = NeuralProgrammer(model.config).double()
    double.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    double.loss(double(qs), rights(), qs).sum().backward()
    weights = {name: p.detach().double().tolist() for name, p in model.named_parameters()}
    worst = 0.0
    for name, p in double.named_parameters():
        grad = p.grad.flatten().tolist()
        columns = p.shape[1]
        for k, g in enumerate(grad):
            i, j = divmod(k, columns)
            row = weights[name][i]
            keep = row[j]
            row[j] = keep + step
            up = plain_total_loss(weights, qs)
            row[j] = keep - step
            down = plain_total_loss(weights, qs)
            row[j] = keep
            estimate = (up - down) / (2 * step)
            worst = max(worst, abs(g - estimate) / max(1.0, abs(estimate)))
    return worst


def padded(trace, key, width):
    return [list(step[key]) + [0.0] * (width - len(step[key])) for step in trace]


def scaled_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a.double() - b.double()).abs() / b.double().abs().clamp(min=1)).max().item()


def main(out: pathlib.Path) -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    model = NeuralProgrammer(NeuralProgrammerConfig(**CONFIG))
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.mul_(SCALES[name])                                             # row 0 of 𝐕 stays zero
    qs = questions()
    record, inner = model(qs, internals=True)
    losses = model.loss(record, rights(), qs)
    loss = losses.sum()
    loss.backward()
    hard, hard_inner = model(qs, selection="hard", internals=True)

    weights = {name: p.detach().double().tolist() for name, p in model.named_parameters()}
    rmax, cmax = CONFIG["maxRows"], CONFIG["maxColumns"]
    worst = {}

    def check(name, ours, theirs):
        worst[name] = max(worst.get(name, 0.0), scaled_difference(ours, theirs))

    for b, q in enumerate(qs):
        for is_hard, (rec, inn) in ((False, (record, inner)), (True, (hard, hard_inner))):
            tag = "hard." if is_hard else ""
            ref_record, trace, beta = plain(weights, q, hard=is_hard)
            check(tag + "answer", rec[b].detach(), torch.tensor(ref_record))
            for key, width in (("operation_weights", len(OPERATIONS)), ("column_weights", cmax),
                               ("used_operations", len(OPERATIONS)), ("used_columns", cmax),
                               ("rows_before", rmax), ("rows", rmax), ("history", CONFIG["embeddingSize"])):
                check(tag + key, inn[key][b].detach(), torch.tensor(padded(trace, key, width)))
            check(tag + "scalar", inn["scalar"][b].detach(), torch.tensor([step["scalar"] for step in trace]))
            lookups = [[row + [0.0] * (cmax - len(row)) for row in step["lookup"]] for step in trace]
            lookups = [rows + [[0.0] * cmax] * (rmax - len(rows)) for rows in lookups]
            check(tag + "lookup", inn["lookup"][b].detach(), torch.tensor(lookups))
            n = len(q.number_values)
            for op in ("greater", "lesser"):
                if n:
                    check(tag + op + "_weights", inn[op + "_weights"][b, :, :n].detach(),
                          torch.tensor([step[op + "_weights"] for step in trace]))
            if not is_hard:
                check("loss", losses[b].detach(),
                      torch.tensor(plain_loss(ref_record, q, RIGHT_NUMBERS[b], RIGHT_CELLS[b])))
            else:
                # Every argmax of the hard run wins clearly, so arnn's float32 argmax picks the same.
                for step in trace:
                    for key in ("operation_weights", "column_weights"):
                        v = sorted(step[key], reverse=True)
                        assert len(v) < 2 or v[0] - v[1] > MARGIN, f"question {b}: a near tie in {key}: {v[:2]}"
                for step in trace:
                    for op in ("greater", "lesser"):
                        v = sorted(step[op + "_weights"], reverse=True)
                        assert len(v) < 2 or v[0] - v[1] > MARGIN, f"question {b}: a near tie in β of {op}: {v[:2]}"
    difference = max(worst.values())
    for k, v in sorted(worst.items()):
        print(f"torch against the plain equations, {k}: {v:.3g}")
    assert difference < TOLERANCE, f"torch and the plain equations differ by {difference}"

    # The gradients: torch's in float64 against central differences of the plain equations' loss, every entry.
    fd_error = finite_differences(model, qs)
    print(f"float64 gradients against central differences of the plain loss: {fd_error:.3g} (relative above 1)")
    assert fd_error < TOLERANCE, f"torch's gradients and the central differences differ by {fd_error}"

    # Conditioning: torch's own float32 gradients against its float64 ones. arnn's float32 run can be expected to
    # be about as far from them, so this leaves the 1e-5 of the Swift test for real disagreements.
    double = NeuralProgrammer(model.config).double()
    double.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    double.loss(double(qs), rights(), qs).sum().backward()
    conditioning = max(scaled_difference(p.grad, q.grad) for p, q in zip(model.parameters(), double.parameters()))
    print(f"float32 gradients against float64: {conditioning:.3g}")
    assert conditioning < CONDITIONING, f"float32 and float64 gradients differ by {conditioning}: ill-conditioned"
    s_t = record[:, 0].tolist()
    assert abs(s_t[0] - RIGHT_NUMBERS[0]) > CONFIG["huberDelta"] > abs(s_t[1] - RIGHT_NUMBERS[1]), "both parts of (16)"

    # Misreadings of the doc that a test of these quantities must catch.
    def held(trace_record):
        rec, trace, _ = trace_record
        return torch.tensor(rec + [x for step in trace for x in step["operation_weights"] + step["rows"]])
    for flag in ("diff_reversed", "print_after", "context_after", "history_swapped", "pivot_fixed"):
        for is_hard in (False, True):
            moved = max(scaled_difference(held(plain(weights, q, hard=is_hard, **{flag: True})),
                                          held(plain(weights, q, hard=is_hard))) for q in qs)
            if not is_hard:
                assert moved > 100 * TOLERANCE, f"misreading {flag} moves the soft run by only {moved}"
            print(f"misreading {flag}: the {'hard' if is_hard else 'soft'} run moves by {moved:.3g}")

    # The cell question's lookups are away from the clamp of (17), where arnn and torch could pass or stop the
    # gradient differently.
    for b, cell in enumerate(RIGHT_CELLS):
        if cell is not None:
            q = qs[b]
            x = record[b, 3:].detach().reshape(rmax, cmax)[:q.rows, :q.columns]
            assert bool(((x > 2e-6) & (x < 1 - 2e-6)).all()), f"question {b}'s lookup is at the clamp: {x}"

    peaks = inner["operation_weights"].detach().amax(-1)
    print("α^op peaks per question and step:", [[round(v, 2) for v in row] for row in peaks.tolist()])
    print("α^col peaks:", [[round(v, 2) for v in row] for row in inner["column_weights"].detach().amax(-1).tolist()])
    print("soft records:", [[round(v, 3) for v in row[:3]] for row in record.tolist()], "losses:", losses.tolist())
    print("hard programs:", [[(OPERATIONS[o], c) for o, c in zip(ops.argmax(-1).tolist(), cols.argmax(-1).tolist())]
                             for ops, cols in zip(hard_inner["used_operations"], hard_inner["used_columns"])])
    print("hard records:", [[round(v, 3) for v in row[:3]] for row in hard.tolist()])

    def steps_first(x):                                                      # [B, T, …] -> [T, B, …]
        return x.detach().transpose(0, 1).contiguous()

    def real_numbers(beta):                                                  # β [B, T, N] on the question's numbers, 0 past them
        mask = torch.zeros_like(beta)
        for b, q in enumerate(qs):
            mask[b, :, :len(q.number_values)] = 1
        return steps_first(beta.detach() * mask)

    tensors = {name: p.detach().clone().contiguous() for name, p in model.named_parameters()}
    for tag, rec, inn in (("reference.", record, inner), ("reference.hard.", hard, hard_inner)):
        tensors[tag + "answer"] = rec.detach().contiguous()                              # [B, 3 + R·C]
        for key in ("operation_weights", "column_weights", "rows_before", "rows", "scalar", "history"):
            tensors[tag + key] = steps_first(inn[key])                                   # [T, B, …]
        tensors[tag + "lookup"] = steps_first(inn["lookup"].flatten(2))                  # [T, B, R·C]
        tensors[tag + "greater_weights"] = real_numbers(inn["greater_weights"])          # [T, B, N]
        tensors[tag + "lesser_weights"] = real_numbers(inn["lesser_weights"])
    for key in ("used_operations", "used_columns"):                                      # the one-hots of the hard run
        tensors["reference.hard." + key] = steps_first(hard_inner[key])
    tensors["reference.losses"] = losses.detach().contiguous()                           # [B]
    tensors["reference.loss"] = loss.detach().reshape(1)
    for name, p in model.named_parameters():
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    metadata = {
        "arnn.kind": NeuralProgrammer.kind, "arnn.config": model.config.to_json(),
        "questions": json.dumps(QUESTIONS), "right_numbers": json.dumps(RIGHT_NUMBERS),
        "right_cells": json.dumps(RIGHT_CELLS),
        "generator": "Tests/Fixtures/make_np_fixture.py", "torch": torch.__version__,
        "safetensors": safetensors.__version__, "python": platform.python_version(), "seed": str(SEED),
        "dtype": "float32", "weight_scales": json.dumps(SCALES), "tolerance": repr(TOLERANCE),
        "loss": "Huber (16) for a number, lookupWeight × mean log loss (17) over the table's M × C cells (lookup "
                "clamped to [1e-6, 1 − 1e-6]) for a cell; summed over the batch",
        "plain_equations_max_difference": f"{difference:.3g}",
        "finite_difference_max_error": f"{fd_error:.3g}",
        "float32_against_float64_gradients": f"{conditioning:.3g}",
    }
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out}: {len(tensors)} tensors; torch against the plain equations: {difference:.3g}")


if __name__ == "__main__":
    default = pathlib.Path(__file__).resolve().parent / "np_parity.safetensors"
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default)
