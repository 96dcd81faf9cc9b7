"""Writes Tests/Fixtures/dmn_parity.safetensors: arnn's dmn (DMN+, docs/models/dmn.md) in PyTorch (arnn_torch's
`DMN`, python/arnn_torch/models/dmn.py, imported from this repository), its weights under the doc's names, a
batch of three bAbI stories of different lengths (one longer than the memory), the answer logits, the
cross-entropy over the answers averaged over the batch (15) and its gradient for every parameter, and the
quantities between (sentences, facts, question, gates, episodes, memories) to find a mismatch by. A Swift test
of arnn's dmn is to check arnn against it; Tests/Fixtures/README.md says exactly what the file holds.
Usage: python3 Tests/Fixtures/make_dmn_fixture.py [OUT] (torch, safetensors).

Before writing, the script re-runs every story alone with the doc's equations written out step by step in
float64 (its own GRU, fusion, gates, AttnGRU and memory update, not nn.GRU's) and refuses to write the file
if torch differs from them by 1e-5 or more. It also checks that four misreadings of the doc move the logits
by far more than the tolerance.
"""
import json
import pathlib
import platform
import sys

import safetensors
import torch
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
from arnn_torch.babi import ANSWERS as ANSWER_WORDS, BabiTask  # noqa: E402
from arnn_torch.models.dmn import DMN, DMNConfig  # noqa: E402
from arnn_torch.models.stories import position_encoding  # noqa: E402

SEED = 0
CONFIG = dict(vocabularySize=56, embeddingSize=6, hiddenSize=5, memorySize=4, passes=3)
TEXTS = [   # 2 statements (qa1), 6 (qa2; the memory keeps the last 4) and 3 (qa6); questions of 3, 4 and 5 words
    ("Mary moved to the bathroom. John went to the hallway. Where is Mary?", "bathroom"),
    ("Mary got the milk there. John moved to the bedroom. Sandra went back to the kitchen. Mary travelled to the "
     "hallway. Daniel journeyed to the office. Sandra picked up the football there. Where is the milk?", "hallway"),
    ("Daniel went to the garden. Mary journeyed to the office. John went back to the kitchen. "
     "Is Daniel in the garden?", "yes"),
]
BIAS_RANGE = 0.5     # biases uniform in ±0.5 instead of the doc's zeros, so every bias path is exercised
ATTENTION_SCALE = 3  # the scorer's weights (9) times 3: gates far from uniform
TOLERANCE = 1e-5


def plain(model: DMN, story, question, n_max, backward_from_padding=False, bias_outside_reset=False,
          swapped_gate=False, tied_memory=False) -> torch.Tensor:
    """One story's logits from the doc's equations, in float64, one vector at a time. The flags are
    misreadings the fixture must tell apart: the backward fusion GRU starting at the batch's padded end
    rather than the story's last statement, the paper's candidate with b_hn outside the reset product
    (PyTorch's has it inside), the AttnGRU's gate on the old state instead of the candidate, and one memory
    update shared by every pass."""
    p = {name: t.detach().double() for name, t in model.named_parameters()}
    c = model.config
    h_size, d = c.hiddenSize, c.embeddingSize
    sig = torch.sigmoid

    def gru(prefix, x, h):    # PyTorch's GRU: rows r, z, n; h′ = (1 − z) ⊙ n + z ⊙ h
        gi = p[f"{prefix.replace('#', 'weight_ih')}"] @ x + p[f"{prefix.replace('#', 'bias_ih')}"]
        gh = p[f"{prefix.replace('#', 'weight_hh')}"] @ h + p[f"{prefix.replace('#', 'bias_hh')}"]
        r = sig(gi[:h_size] + gh[:h_size])
        z = sig(gi[h_size:2 * h_size] + gh[h_size:2 * h_size])
        if bias_outside_reset:
            b_hn = p[f"{prefix.replace('#', 'bias_hh')}"][2 * h_size:]
            n = torch.tanh(gi[2 * h_size:] + r * (gh[2 * h_size:] - b_hn) + b_hn)
        else:
            n = torch.tanh(gi[2 * h_size:] + r * gh[2 * h_size:])
        return (1 - z) * n + z * h

    e = p["embedding.weight"]

    def sentence(words):      # (2)
        l = position_encoding(torch.tensor([len(words)]), len(words), d, torch.float64)[0]
        return (l * e[words]).sum(0)

    facts_in = [sentence(s) for s in story[-c.memorySize:]]
    n = len(facts_in)
    q = torch.zeros(h_size, dtype=torch.float64)
    for w in question:                                                          # (3)
        q = gru("question.#_l0", e[w], q)
    forward, h = [], torch.zeros(h_size, dtype=torch.float64)
    for f in facts_in:                                                          # (4)
        h = gru("fusion.#_l0", f, h)
        forward.append(h)
    backward, h = [None] * n, torch.zeros(h_size, dtype=torch.float64)
    if backward_from_padding:
        for _ in range(n_max - n):
            h = gru("fusion.#_l0_reverse", torch.zeros(d, dtype=torch.float64), h)
    for i in reversed(range(n)):                                                # (5)
        h = gru("fusion.#_l0_reverse", facts_in[i], h)
        backward[i] = h
    facts = [a + b for a, b in zip(forward, backward)]                          # (6)
    m = q                                                                       # (7)
    for t in range(c.passes):
        scores = []
        for f in facts:
            z = torch.cat([f * q, f * m, (f - q).abs(), (f - m).abs()])       # (8)
            hidden = torch.tanh(p["attention.hidden.weight"] @ z + p["attention.hidden.bias"])
            scores.append(p["attention.score.weight"] @ hidden + p["attention.score.bias"])   # (9)
        gates = torch.softmax(torch.cat(scores), 0)                             # (10)
        h = torch.zeros(h_size, dtype=torch.float64)
        for f, g in zip(facts, gates):                                          # (11)
            gi = p["attn_gru.weight_ih"] @ f + p["attn_gru.bias_ih"]
            gh = p["attn_gru.weight_hh"] @ h + p["attn_gru.bias_hh"]
            r = sig(gi[:h_size] + gh[:h_size])
            candidate = torch.tanh(gi[h_size:] + r * gh[h_size:])
            h = (g * h + (1 - g) * candidate) if swapped_gate else (g * candidate + (1 - g) * h)
        u = 0 if tied_memory else t                                             # (12), (13)
        m = torch.relu(p[f"memory.{u}.weight"] @ torch.cat([m, h, q]) + p[f"memory.{u}.bias"])
    return p["answer.weight"] @ torch.cat([m, q]) + p["answer.bias"]            # (14)


def main(out: pathlib.Path) -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    task = BabiTask()
    samples = [task.sample_text(text) for text, _ in TEXTS]
    stories = [s.sentence_ids for s in samples]
    questions = [s.question_ids for s in samples]
    answers = [ANSWER_WORDS.index(a) for _, a in TEXTS]
    model = DMN(DMNConfig(**CONFIG))                                     # the doc's initialisation
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "bias" in name:
                p.uniform_(-BIAS_RANGE, BIAS_RANGE)
            elif name.startswith("attention."):
                p.mul_(ATTENTION_SCALE)
    logits, inner = model(stories, questions, internals=True)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(answers))   # (15), the mean over the batch
    loss.backward()

    n_max = max(min(len(s), CONFIG["memorySize"]) for s in stories)
    reference = torch.stack([plain(model, s, q, n_max) for s, q in zip(stories, questions)])
    difference = (logits.double() - reference).abs().max().item()
    assert difference < TOLERANCE, f"torch and the plain equations differ by {difference}"
    for flag in ("backward_from_padding", "bias_outside_reset", "swapped_gate", "tied_memory"):
        wrong = torch.stack([plain(model, s, q, n_max, **{flag: True}) for s, q in zip(stories, questions)])
        moved = (wrong - reference).abs().max().item()
        assert moved > 100 * TOLERANCE, f"misreading {flag} moves the logits by only {moved}"
        print(f"misreading {flag}: logits move by {moved:.3g}")
    gates = inner["gates"].detach()
    mask = inner["mask"]
    peaks = [gates[b, t][mask[b]].max().item() for b in range(len(stories)) for t in range(CONFIG["passes"])]
    print(f"gate peaks per story and pass: {', '.join(f'{v:.2f}' for v in peaks)}")
    assert abs(model.attention["score"].bias.grad.item()) < 1e-6, "b⁽²⁾ cancels in the softmax (10)"

    tensors = {name: p.detach().clone().contiguous() for name, p in model.named_parameters()}
    pass_first = lambda key: inner[key].detach().transpose(0, 1).contiguous()   # noqa: E731  [T, B, ...]
    tensors.update({
        "reference.logits": logits.detach().contiguous(),                       # [B, 12]
        "reference.loss": loss.detach().reshape(1),
        "reference.sentences": inner["sentences"].detach().contiguous(),        # [B, N, D]
        "reference.facts": inner["facts"].detach().contiguous(),                # [B, N, H]
        "reference.question": inner["question"].detach().contiguous(),          # [B, H]
        "reference.gates": pass_first("gates"),                                 # [T, B, N]
        "reference.episodes": pass_first("episode"),                            # [T, B, H]
        "reference.memories": pass_first("memory"),                             # [T, B, H]
    })
    for name, p in model.named_parameters():
        tensors[f"reference.grad.{name}"] = p.grad.detach().clone().contiguous()
    metadata = {
        "arnn.kind": DMN.kind, "arnn.config": model.config.to_json(),
        "stories": json.dumps(stories), "questions": json.dumps(questions), "answers": json.dumps(answers),
        "texts": json.dumps([text for text, _ in TEXTS]),
        "generator": "Tests/Fixtures/make_dmn_fixture.py", "torch": torch.__version__,
        "safetensors": safetensors.__version__, "python": platform.python_version(), "seed": str(SEED),
        "dtype": "float32", "bias_range": repr(BIAS_RANGE),
        "attention_scale": repr(ATTENTION_SCALE), "tolerance": repr(TOLERANCE),
        "loss": "cross_entropy(logits, answers), mean over the batch",
        "plain_equations_max_difference": f"{difference:.3g}",
    }
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out}: {len(tensors)} tensors; torch against the plain equations: {difference:.3g}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "dmn_parity.safetensors")
