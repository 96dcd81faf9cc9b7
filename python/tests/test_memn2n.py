"""The end-to-end memory network: the Swift parity fixture's numbers, the position encoding against hand values,
the memory of the last M statements, padding, times, its checkpoint layout and one-line refusals of bad input."""

import json
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import ArnnError, BabiTask, MemN2N, MemN2NConfig
from arnn_torch.models.memn2n import random_times
from arnn_torch.models.stories import position_encoding

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests" / "Fixtures" / "memn2n_parity.safetensors"
SMALL = dict(vocabularySize=11, answerWords=[2, 4, 7, 9], embeddingSize=6, hops=3, memorySize=4)


def small(seed=0, **sizes):
    torch.manual_seed(seed)
    model = MemN2N(MemN2NConfig(**{**SMALL, **sizes}))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(5)           # attention far from uniform, so the checks below see what they check
    return model


def test_reproduces_the_swift_parity_fixture_logits_attention_loss_and_gradients():
    """Tests/Fixtures/memn2n_parity.safetensors, which MemN2NParityTests checks arnn against."""
    with safe_open(str(FIXTURE), framework="pt") as f:
        meta = f.metadata()
    ref = load_file(str(FIXTURE))
    model = MemN2N(MemN2NConfig.from_json(meta["arnn.config"]))
    model.load_state_dict({n: ref[n] for n in model.state_dict()})
    stories, questions, answers = (json.loads(meta[k]) for k in ("stories", "questions", "answers"))
    logits, inner = model(stories, questions, internals=True)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(answers))
    loss.backward()
    assert torch.allclose(logits, ref["reference.logits"], atol=1e-6)
    assert torch.allclose(inner["attention"].transpose(0, 1), ref["reference.attention"], atol=1e-6)
    assert abs(loss.item() - ref["reference.loss"].item()) < 1e-6
    for name, p in model.named_parameters():
        assert torch.allclose(p.grad, ref[f"reference.grad.{name}"], atol=1e-6), name


def test_state_dict_is_the_docs_parameter_table():
    """docs/models/memn2n.md, "Parameters": E⁰ … Eᴷ [V, d], then T⁰ … Tᴷ [M, d], in that order."""
    model = small(hops=2)
    assert [(n, tuple(t.shape)) for n, t in model.state_dict().items()] == [
        ("embeddings.0.weight", (11, 6)), ("embeddings.1.weight", (11, 6)), ("embeddings.2.weight", (11, 6)),
        ("temporal.0.weight", (4, 6)), ("temporal.1.weight", (4, 6)), ("temporal.2.weight", (4, 6))]
    torch.manual_seed(0)
    fresh = MemN2N(MemN2NConfig(**SMALL))
    for table in fresh.embeddings:
        assert torch.equal(table.weight[0], torch.zeros(6))               # <pad> is zero
    everything = torch.cat([p.flatten() for p in fresh.parameters()])
    assert 0.08 < everything.std().item() < 0.12                          # N(0, 0.1²)


def test_position_encoding_is_equation_1_with_j_and_k_from_1():
    # J = 3 words, d = 4: l_kj = (1 − j/J) − (k/d)(1 − 2j/J), worked by hand.
    hand = torch.tensor([[7 / 12, 1 / 2, 5 / 12, 1 / 3],      # j = 1
                         [5 / 12, 1 / 2, 7 / 12, 2 / 3],      # j = 2
                         [1 / 4, 1 / 2, 3 / 4, 1.0]])         # j = 3: l_kJ = k/d
    l = position_encoding(torch.tensor([3, 1, 0]), 5, 4)
    assert torch.allclose(l[0, :3], hand, atol=1e-7)
    assert torch.equal(l[0, 3:], torch.zeros(2, 4))                        # padded positions weigh nothing
    assert torch.allclose(l[1, 0], torch.tensor([0.25, 0.5, 0.75, 1.0]))   # a one-word sentence: k/d
    assert torch.equal(l[1, 1:], torch.zeros(4, 4)) and torch.equal(l[2], torch.zeros(5, 4))
    # J = 4, d = 2, j = 1, as arnn's positionEncodingIsThePapers test.
    assert torch.allclose(position_encoding(torch.tensor([4]), 4, 2)[0, 0], torch.tensor([0.75 - 0.25, 0.75 - 0.5]))


def test_a_sentence_is_its_position_weighted_sum_and_the_question_starts_the_query():
    model = small()
    with torch.no_grad():
        _, inner = model([[[3, 5, 8]]], [[7, 3]], internals=True)
        e0, e1, t0 = model.embeddings[0].weight, model.embeddings[1].weight, model.temporal[0].weight
        l3, l2 = position_encoding(torch.tensor([3, 2]), 3, 6)
        u1 = (l2[:2] * e0[[7, 3]]).sum(0)                                   # (4)
        m1 = (l3 * e0[[3, 5, 8]]).sum(0) + t0[0]                            # (5), τ = 1
        c1 = (l3 * e1[[3, 5, 8]]).sum(0) + model.temporal[1].weight[0]      # (6)
    assert torch.allclose(inner["query"][0, 0], u1, atol=1e-6)
    assert torch.allclose(inner["memory_in"][0, 0, 0], m1, atol=1e-6)
    assert torch.allclose(inner["memory_out"][0, 0, 0], c1, atol=1e-6)
    assert torch.allclose(inner["scores"][0, 0, 0], u1 @ m1, atol=1e-5)    # (7)
    assert inner["attention"][0, 0, 0].item() == 1.0                        # one memory takes it all
    # (10) and tying: hop k + 1 reads the memories hop k wrote, and its query is the last one plus the read.
    assert torch.equal(inner["memory_in"][:, 1:], inner["memory_out"][:, :-1])
    assert torch.allclose(inner["next_query"], inner["query"] + inner["read"])
    assert torch.equal(inner["query"][:, 1:], inner["next_query"][:, :-1])


def test_the_memory_keeps_the_last_m_statements_right_aligned():
    model = small()
    story = [[2, 3], [5], [4, 6, 7], [9, 2], [10, 5, 6], [3, 4]]             # 6 statements, memory of 4
    with torch.no_grad():
        full, inner = model([story], [[5, 9]], internals=True)
        last = model([story[-4:]], [[5, 9]])
    assert torch.equal(full, last)
    assert inner["time"].tolist() == [[4, 3, 2, 1]]                          # (3): the most recent has time 1
    batch = model.batch([story, story[:2]], [[5], [5]])
    assert batch.mask.tolist() == [[True] * 4, [False, False, True, True]]
    assert batch.sentences[1, 2:, :2].tolist() == [[2, 3], [5, 0]] and batch.lengths[1].tolist() == [0, 0, 2, 1]


def test_padding_changes_nothing_and_empty_slots_take_no_attention_and_no_gradient():
    model = small()
    alone_story, alone_question = [[3, 5, 2], [6, 4, 8, 9]], [7, 3]
    with torch.no_grad():
        alone, inner_alone = model([alone_story], [alone_question], internals=True)
    logits, inner = model([alone_story, [[2, 3], [5], [4, 6, 7, 8, 10], [1]]], [alone_question, [5, 9, 2, 6, 10]],
                          internals=True)
    assert torch.allclose(logits[0], alone[0], atol=1e-6)
    assert torch.equal(inner["attention"][0, :, :2], torch.zeros(3, 2))     # (8): exactly 0 on empty slots
    assert torch.allclose(inner["attention"][0, :, 2:], inner_alone["attention"][0], atol=1e-6)
    logits[0].sum().backward()
    for table in model.temporal:                                             # time rows 3 and 4 are empty slots'
        assert torch.equal(table.weight.grad[2:], torch.zeros(2, 6))
    for table in model.embeddings:
        assert torch.equal(table.weight.grad[0], torch.zeros(6))             # <pad> never learns


def test_linear_start_reads_with_the_raw_scores():
    model = small()
    with torch.no_grad():
        _, inner = model([[[3, 5]], [[2], [4, 6]]], [[7], [8]], linear=True, internals=True)
    assert torch.equal(inner["attention"], inner["scores"].masked_fill(~inner["mask"][:, None], 0))
    assert inner["attention"][0, 0, 0].item() == 0                          # story 0's empty slot


def test_random_times_follow_equation_3_prime():
    model = small(memorySize=40)
    story = [[2, 3]] * 40
    batch = model.batch([story, story[:30], story[:1]], [[5]] * 3)
    g = torch.Generator().manual_seed(3)
    for _ in range(200):
        times = random_times(batch, 40, generator=g)
        # τ_1 … τ_n, the most recent first: distinct and rising within {1, …, n + b}, b ≤ ⌈n/10⌉ (30 + 3 < M).
        t = times[1, 10:].flip(0).tolist()
        assert all(a < b for a, b in zip(t, t[1:])) and 1 <= t[0] and t[-1] <= 33
        # A full memory: the same below M, and every time past M becomes M (several sentences may share it).
        full = times[0].flip(0).tolist()
        below = [x for x in full if x < 40]
        assert all(a < b for a, b in zip(below, below[1:])) and full[len(below):] == [40] * (40 - len(below))
    # One statement, b ∈ {0, 1}: its time is 1 or 2.
    assert {random_times(batch, 40, generator=g)[2, -1].item() for _ in range(100)} == {1, 2}
    with torch.no_grad():
        assert model(batch, times=random_times(batch, 40, generator=g)).shape == (3, 4)


def test_save_and_load_round_trip_with_the_babi_task(tmp_path):
    task = BabiTask()
    torch.manual_seed(1)
    model = MemN2N(MemN2NConfig(vocabularySize=56, answerWords=list(task.answer_words), embeddingSize=8))
    path = tmp_path / "memn2n.safetensors"
    arnn_torch.save(model, path, task=task)
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, MemN2N) and loaded.config == model.config
    # arnn's MemN2NConfig fields, sorted, as arnn writes them.
    assert meta["arnn.config"] == ('{"answerWords":[7,8,18,22,28,37,55,35,33,41,53,10],"embeddingSize":8,"emptySlots":0,"hops":3,'
                                   '"linearStart":0,"memorySize":50,"timeNoise":true,"vocabularySize":56}')
    assert json.loads(meta["arnn.task_config"]) == {"name": "babi", "tasks": [1, 2, 3, 6, 15], "trainingStories": 2000,
                                                    "split": "train", "storySeed": 19}
    assert isinstance(arnn_torch.task_of(meta), BabiTask)
    sample = task.sample_text("Mary moved to the bathroom. John went to the hallway. Where is Mary?")
    assert torch.equal(model([sample.sentence_ids], [sample.question_ids]),
                       loaded([sample.sentence_ids], [sample.question_ids]))


def test_save_refuses_a_task_that_does_not_fit(tmp_path):
    with pytest.raises(ArnnError, match=r"task babi has words/answers \(56, 12\), the model \(11, 4\)"):
        arnn_torch.save(small(), tmp_path / "x.safetensors", task="babi")
    other = MemN2N(MemN2NConfig(vocabularySize=56, answerWords=list(range(2, 14))))
    with pytest.raises(ArnnError, match=r"task babi's answers are the words \[7, 8, 18"):
        arnn_torch.save(other, tmp_path / "x.safetensors", task="babi")
    with pytest.raises(ArnnError, match="task copy is a task of bits, a memn2n reads stories"):
        arnn_torch.save(small(), tmp_path / "x.safetensors", task="copy")


@pytest.mark.parametrize("call, message", [
    (lambda m: m([[[3, 11]]], [[5]]), "memn2n: a story holds id 11, outside the vocabulary of 11"),
    (lambda m: m([[[3]]], [[-1]]), "memn2n: a question holds id -1, outside the vocabulary of 11"),
    (lambda m: m([[[3.5]]], [[5]]), "memn2n: a story must be integer word ids, got 3.5"),
    (lambda m: m([[[3], []]], [[5]]), "memn2n: every sentence of a story needs at least one word"),
    (lambda m: m([[[3]]], [[0, 0]]), "memn2n: every sentence of a question needs at least one word"),
    (lambda m: m([[]], [[5]]), "memn2n: story 0 has no statement"),
    (lambda m: m([[[3]], [[4]]], [[5]]), "memn2n: 2 stories but 1 questions"),
    (lambda m: m([[[3]]]), "memn2n: give the questions with the stories"),
    (lambda m: m([[[3]]], [[5]], times=torch.tensor([[5]])), r"memn2n: times must be in 1...4"),
])
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(ArnnError, match=message):
        call(small())


def test_config_is_checked_as_arnn_checks_it():
    with pytest.raises(ArnnError, match=r"MemN2N config: answerWords must be ids of the vocabulary, got \[0, 3\]"):
        MemN2NConfig(vocabularySize=11, answerWords=[0, 3])
    with pytest.raises(ArnnError, match="MemN2N config: hops must be in 1...10, got 11"):
        MemN2NConfig(vocabularySize=11, answerWords=[3], hops=11)
    with pytest.raises(ArnnError, match="MemN2N config: missing field 'answerWords'"):
        MemN2NConfig(vocabularySize=11)
    c = MemN2NConfig.from_json('{"vocabularySize":56,"answerWords":[7]}')   # arnn's defaults fill the rest
    assert (c.embeddingSize, c.hops, c.memorySize) == (50, 3, 50)
