"""The dynamic memory network (DMN+): the parity fixture's numbers, the doc's parameter table and
initialisation, the AttnGRU as a GRU cell without its update gate, padding, the memory of the last M
statements, its checkpoint layout and one-line refusals of bad input."""

import json
import math
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import ArnnError, BabiTask, DMN, DMNConfig

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests" / "Fixtures" / "dmn_parity.safetensors"
SMALL = dict(embeddingSize=6, hiddenSize=5, memorySize=4, passes=3)
TASK = BabiTask()
STORY = "Mary got the milk there. John moved to the bedroom. Mary travelled to the hallway. Where is the milk?"


def small(seed=0, **sizes):
    torch.manual_seed(seed)
    return DMN(DMNConfig(**{**SMALL, **sizes}))


def sample(text=STORY):
    s = TASK.sample_text(text)
    return s.sentence_ids, s.question_ids


def test_reproduces_the_parity_fixture():
    """Tests/Fixtures/dmn_parity.safetensors, which arnn's dmn is to be checked against."""
    with safe_open(str(FIXTURE), framework="pt") as f:
        meta = f.metadata()
    ref = load_file(str(FIXTURE))
    model = DMN(DMNConfig.from_json(meta["arnn.config"]))
    model.load_state_dict({n: ref[n] for n in model.state_dict()})
    stories, questions, answers = (json.loads(meta[k]) for k in ("stories", "questions", "answers"))
    assert [TASK.sample_text(t).sentence_ids for t in json.loads(meta["texts"])] == stories
    logits, inner = model(stories, questions, internals=True)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(answers))
    loss.backward()
    assert torch.allclose(logits, ref["reference.logits"], atol=1e-6)
    assert abs(loss.item() - ref["reference.loss"].item()) < 1e-6
    for key, name in (("sentences", "sentences"), ("facts", "facts"), ("question", "question")):
        assert torch.allclose(inner[key], ref[f"reference.{name}"], atol=1e-6), name
    for key, name in (("gates", "gates"), ("episode", "episodes"), ("memory", "memories")):
        assert torch.allclose(inner[key].transpose(0, 1), ref[f"reference.{name}"], atol=1e-6), name
    for name, p in model.named_parameters():
        assert torch.allclose(p.grad, ref[f"reference.grad.{name}"], atol=1e-6), name


def test_state_dict_is_the_docs_parameter_table_in_its_order():
    """docs/models/dmn.md, "Parameters (checkpoint names)"."""
    v, d, h, t = 56, 6, 5, 2
    gru = lambda p, s="": [(f"{p}.weight_ih_l0{s}", (3 * h, d)), (f"{p}.weight_hh_l0{s}", (3 * h, h)),  # noqa: E731
                           (f"{p}.bias_ih_l0{s}", (3 * h,)), (f"{p}.bias_hh_l0{s}", (3 * h,))]
    expected = [("embedding.weight", (v, d)), *gru("question"), *gru("fusion"), *gru("fusion", "_reverse"),
                ("attention.hidden.weight", (h, 4 * h)), ("attention.hidden.bias", (h,)),
                ("attention.score.weight", (1, h)), ("attention.score.bias", (1,)),
                ("attn_gru.weight_ih", (2 * h, h)), ("attn_gru.weight_hh", (2 * h, h)),
                ("attn_gru.bias_ih", (2 * h,)), ("attn_gru.bias_hh", (2 * h,)),
                ("memory.0.weight", (h, 3 * h)), ("memory.0.bias", (h,)),
                ("memory.1.weight", (h, 3 * h)), ("memory.1.bias", (h,)),
                ("answer.weight", (12, 2 * h)), ("answer.bias", (12,))]
    assert [(n, tuple(p.shape)) for n, p in small(passes=t).state_dict().items()] == expected


def test_initialisation_is_the_docs():
    model = small(embeddingSize=40, hiddenSize=30)
    e = model.embedding.weight
    assert torch.equal(e[0], torch.zeros(40)) and e.abs().max() <= math.sqrt(3) and e.abs().max() > 1.6
    for name, p in model.named_parameters():
        if "bias" in name:
            assert torch.equal(p, torch.zeros_like(p)), name
        elif name != "embedding.weight":
            rows = 30 if name.startswith(("question.", "fusion.", "attn_gru.")) else p.shape[0]   # per gate block
            bound = math.sqrt(6 / (rows + p.shape[1]))
            assert p.abs().max() <= bound and p.abs().max() > 0.9 * bound, name


def test_the_attention_gru_is_a_gru_cell_without_its_update_gate():
    """(11): with g = 1 the new state is nn.GRUCell's candidate (its z forced to 0); with g = 0 the old state."""
    model = small()
    cell, h = model.attn_gru, 5
    x, state = torch.randn(3, h), torch.randn(3, h)
    reference = torch.nn.GRUCell(h, h)
    with torch.no_grad():
        for ours, theirs in ((cell.weight_ih, reference.weight_ih), (cell.weight_hh, reference.weight_hh),
                             (cell.bias_ih, reference.bias_ih), (cell.bias_hh, reference.bias_hh)):
            ours.uniform_(-0.5, 0.5)
            theirs.zero_()
            theirs[:h] = ours[:h]                    # r
            theirs[2 * h:] = ours[h:]                # n
        reference.bias_ih[h:2 * h] = -1e4            # z = σ(−10⁴) = 0: h′ = n
        assert torch.allclose(cell(x, state, torch.ones(3, 1)), reference(x, state), atol=1e-6)
        assert torch.equal(cell(x, state, torch.zeros(3, 1)), state)
        g = torch.tensor([[0.25], [0.5], [0.75]])
        assert torch.allclose(cell(x, state, g), g * reference(x, state) + (1 - g) * state, atol=1e-6)


def test_the_input_module_is_position_encoding_a_question_gru_and_summed_fusion_directions():
    model = small()
    stories, question = sample()
    with torch.no_grad():
        _, inner = model([stories], [question], internals=True)
        gru = model.question
        _, last = gru(model.embedding(torch.tensor([question])))           # (3), from a zero state
        assert torch.allclose(inner["question"], last[0], atol=1e-6)
        both, _ = model.fusion(inner["sentences"])                         # (4), (5) over the 3 facts
        assert torch.allclose(inner["facts"], both[..., :5] + both[..., 5:], atol=1e-6)   # (6): summed
    assert torch.allclose(inner["memory_before"][:, 0], inner["question"])  # (7): m⁰ = q
    assert torch.equal(inner["memory_before"][:, 1:], inner["memory"][:, :-1])
    assert torch.allclose(inner["episode"], inner["states"][:, :, -1])      # (12): the AttnGRU's last state


def test_padding_changes_nothing_and_padded_facts_take_no_gate():
    model = small()
    short, q_short = sample("Mary moved to the bathroom. Where is Mary?")
    long, q_long = sample(STORY)
    with torch.no_grad():
        alone, inner_alone = model([short], [q_short], internals=True)
    logits, inner = model([short, long], [q_short, q_long], internals=True)
    assert torch.allclose(logits[0], alone[0], atol=1e-6)
    assert torch.allclose(inner["facts"][0, :1], inner_alone["facts"][0], atol=1e-6)
    assert torch.equal(inner["gates"][0, :, 1:], torch.zeros(3, 2))          # (10): exactly 0 past the story
    assert torch.allclose(inner["gates"].sum(-1), torch.ones(2, 3), atol=1e-6)
    logits.sum().backward()
    # b⁽²⁾ adds the same to every score: it cancels in the softmax, and its gradient is 0.
    assert abs(model.attention["score"].bias.grad.item()) < 1e-6
    assert torch.equal(model.embedding.weight.grad[0], torch.zeros(6))


def test_the_memory_keeps_the_last_m_statements():
    model = small(memorySize=2)
    stories, question = sample()
    with torch.no_grad():
        assert torch.equal(model([stories], [question]), model([stories[-2:]], [question]))
        _, inner = model([stories], [question], internals=True)
    assert inner["facts"].shape == (1, 2, 5)


def test_save_and_load_round_trip_with_the_babi_task(tmp_path):
    model = small()
    path = tmp_path / "dmn.safetensors"
    arnn_torch.save(model, path, task="babi")
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, DMN) and loaded.config == model.config
    assert json.loads(meta["arnn.config"]) == {**SMALL, "vocabularySize": 56, "answerCount": 12, "dropout": 0.0}
    stories, question = sample()
    assert torch.equal(model([stories], [question]), loaded([stories], [question]))
    # A config as the doc proposes it, without vocabularySize: the babi task's 56 words.
    assert DMNConfig.from_json('{"embeddingSize":80,"hiddenSize":80,"memorySize":50,"passes":3}').vocabularySize == 56
    with pytest.raises(ArnnError, match=r"task babi has words/answers \(56, 12\), the model \(40, 12\)"):
        arnn_torch.save(small(vocabularySize=40), tmp_path / "x.safetensors", task="babi")


@pytest.mark.parametrize("call, message", [
    (lambda m: m([[[3, 56]]], [[5]]), "dmn: a story holds id 56, outside the vocabulary of 56"),
    (lambda m: m([[[3]]], [[]]), "dmn: every sentence of a question needs at least one word"),
    (lambda m: m([[]], [[5]]), "dmn: story 0 has no statement"),
    (lambda m: m([[[3]], [[4]]], [[5]]), "dmn: 2 stories but 1 questions"),
])
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(ArnnError, match=message):
        call(small())


def test_config_checks():
    with pytest.raises(ArnnError, match="DMN config: passes must be in 1...10, got 0"):
        DMNConfig(passes=0)
    with pytest.raises(ArnnError, match="DMN config: unknown field 'hops'"):
        DMNConfig.from_json('{"hops":3}')
