"""Writes Tests/Fixtures/memn2n_parity.safetensors: arnn's memn2n (docs/models/memn2n.md) in PyTorch
(arnn_torch's `MemN2N`, python/arnn_torch/models/memn2n.py, imported from this repository), its weights under
arnn's names, a batch of three stories of different lengths (one longer than the memory), the answer logits,
each hop's attention, the cross-entropy over the answers averaged over the batch (12) and its gradient for
every parameter. The Swift test `MemN2NParityTests` checks arnn against it; Tests/Fixtures/README.md says what
the file holds. Usage: python3 Tests/Fixtures/make_memn2n_fixture.py [OUT] (torch, safetensors).

Before writing, the script re-runs every story alone with plain float64 loops written from the doc's
equations (memory index i counting back from the question, τ_i = i, (1) with j and k from 1 and J the
sentence's own length) and refuses to write the file if torch differs from them by 1e-5 or more. It also
checks that three misreadings of the doc, which a test of the logits must catch, move them by far more than
the tolerance.
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
from arnn_torch.models.memn2n import MemN2N, MemN2NConfig  # noqa: E402

SEED = 0
CONFIG = dict(vocabularySize=11, answerWords=[2, 4, 7, 9], embeddingSize=6, hops=3, memorySize=4)
# Three stories, oldest statement first: 2 statements, 6 (the memory keeps the last 4) and 3; statements of
# 1-5 words, questions of 2, 4 and 1 words (a one-word question has l_k1 = k/d).
STORIES = [
    [[3, 5, 2], [6, 4, 8, 9]],
    [[2, 3], [5], [4, 6, 7, 8, 10], [9, 2, 3], [10, 5, 6], [3, 4]],
    [[8, 9, 10, 2], [7], [4, 1, 6]],
]
QUESTIONS = [[7, 3], [5, 9, 2, 6], [10]]
ANSWERS = [1, 3, 0]          # answer ids (indices of answerWords)
WEIGHT_SCALE = 5.0           # N(0, 0.5²) instead of the doc's N(0, 0.1²): attention far from uniform
TOLERANCE = 1e-5


def plain(model: MemN2N, story, question, pe_from_zero=False, time_from_oldest=False, one_table=False) -> list[float]:
    """One story's answer logits from the doc's equations in float64 loops. The flags are misreadings the
    fixture must tell apart: (1) with j and k counted from 0, τ counting from the oldest statement, and the
    answer read from E⁰ instead of Eᴷ."""
    c = model.config
    d, hops, m_size = c.embeddingSize, c.hops, c.memorySize
    e = [t.weight.detach().double().tolist() for t in model.embeddings]
    t_rows = [t.weight.detach().double().tolist() for t in model.temporal]

    def l(j, big, k):                                                        # (1)
        if pe_from_zero:
            j, k = j - 1, k - 1
        return (1 - j / big) - (k / d) * (1 - 2 * j / big)

    def phi(table, words):                                                   # (2)
        big = len(words)
        return [sum(l(j, big, k) * table[words[j - 1]][k - 1] for j in range(1, big + 1)) for k in range(1, d + 1)]

    kept = story[-m_size:]
    n = len(kept)
    x = {i: kept[n - i] for i in range(1, n + 1)}                            # x₁ the most recent
    tau = {i: (n + 1 - i if time_from_oldest else i) for i in x}              # (3)
    u = phi(e[0], question)                                                  # (4)
    for k in range(1, hops + 1):
        mem = {i: [a + b for a, b in zip(phi(e[k - 1], x[i]), t_rows[k - 1][tau[i] - 1])] for i in x}   # (5)
        out = {i: [a + b for a, b in zip(phi(e[k], x[i]), t_rows[k][tau[i] - 1])] for i in x}       # (6)
        s = {i: sum(a * b for a, b in zip(u, mem[i])) for i in x}            # (7)
        top = max(s.values())
        z = sum(math.exp(v - top) for v in s.values())
        p = {i: math.exp(s[i] - top) / z for i in x}                         # (8)
        o = [sum(p[i] * out[i][q] for i in x) for q in range(d)]             # (9)
        u = [a + b for a, b in zip(u, o)]                                    # (10)
    w = e[0] if one_table else e[hops]
    return [sum(a * b for a, b in zip(w[r], u)) for r in c.answerWords]      # (11)


def main(out: pathlib.Path) -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    model = MemN2N(MemN2NConfig(**CONFIG))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(WEIGHT_SCALE)                                             # row 0 of each Eᵏ stays zero
    logits, inner = model(STORIES, QUESTIONS, internals=True)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(ANSWERS))  # (12), the mean over the batch
    loss.backward()

    reference = torch.tensor([plain(model, s, q) for s, q in zip(STORIES, QUESTIONS)], dtype=torch.float64)
    difference = (logits.double() - reference).abs().max().item()
    assert difference < TOLERANCE, f"torch and the plain equations differ by {difference}"
    for flag in ("pe_from_zero", "time_from_oldest", "one_table"):
        wrong = torch.tensor([plain(model, s, q, **{flag: True}) for s, q in zip(STORIES, QUESTIONS)], dtype=torch.float64)
        moved = (wrong - reference).abs().max().item()
        assert moved > 100 * TOLERANCE, f"misreading {flag} moves the logits by only {moved}"
        print(f"misreading {flag}: logits move by {moved:.3g}")
    attention = inner["attention"].detach()                                  # [B, K, N], N = M here
    assert attention.shape[2] == CONFIG["memorySize"]
    peaks = [attention[b, k][inner["mask"][b]].max().item() for b in range(len(STORIES)) for k in range(CONFIG["hops"])]
    print(f"attention peaks per story and hop: {', '.join(f'{v:.2f}' for v in peaks)}")

    tensors = {name: p.detach().clone().contiguous() for name, p in model.named_parameters()}
    tensors["reference.logits"] = logits.detach().contiguous()                        # [B, A]
    tensors["reference.attention"] = attention.transpose(0, 1).contiguous()           # [K, B, M]
    tensors["reference.loss"] = loss.detach().reshape(1)
    for name, p in model.named_parameters():
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    metadata = {
        "arnn.kind": MemN2N.kind, "arnn.config": model.config.to_json(),
        "stories": json.dumps(STORIES), "questions": json.dumps(QUESTIONS), "answers": json.dumps(ANSWERS),
        "generator": "Tests/Fixtures/make_memn2n_fixture.py", "torch": torch.__version__,
        "safetensors": safetensors.__version__, "python": platform.python_version(), "seed": str(SEED),
        "dtype": "float32", "weight_scale": repr(WEIGHT_SCALE), "tolerance": repr(TOLERANCE),
        "loss": "cross_entropy(logits, answers), mean over the batch",
        "plain_equations_max_difference": f"{difference:.3g}",
    }
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out}: {len(tensors)} tensors; torch against the plain equations: {difference:.3g}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "memn2n_parity.safetensors")
