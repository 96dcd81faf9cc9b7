"""The seeded generator and the task encodings (the same inputs as arnn for the same seed: test_demos.py)."""

import math

import pytest
import torch

from arnn_torch import ArnnError, AssociativeRecallTask, CopyTask, RepeatCopyTask, SeededRNG, make_task
from arnn_torch.rng import batch_rng


def test_seeding_is_splitmix64():
    # SplitMix64's published first outputs for seed 0 are the generator's four state words.
    assert SeededRNG(0)._s == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC]


def test_draws_are_in_range_and_unbiased_enough():
    rng = SeededRNG(42)
    ints = [rng.int_below(3) for _ in range(3000)]
    assert set(ints) == {0, 1, 2} and all(abs(ints.count(k) - 1000) < 120 for k in range(3))
    us = [rng.uniform() for _ in range(2000)]
    assert all(0 <= u < 1 for u in us) and abs(sum(us) / len(us) - 0.5) < 0.03
    assert all(u * 2**24 == int(u * 2**24) for u in us)  # 24 random bits, as arnn's Float
    assert all(5 <= rng.int_in(5, 7) <= 7 for _ in range(100))


def test_batch_generators_differ_per_batch_and_repeat_per_seed():
    assert batch_rng(1, 0).next() == batch_rng(1, 0).next()
    assert batch_rng(1, 0).next() != batch_rng(1, 1).next() != batch_rng(2, 1).next()


def test_copy_layout():
    ex = CopyTask().example(SeededRNG(1), 5)
    assert ex.inputs.shape == (11, 9) and ex.targets.shape == (11, 8)
    assert torch.equal(ex.targets[6:], ex.inputs[:5, :8])
    assert ex.inputs[5].tolist() == [0] * 8 + [1] and ex.inputs[6:].abs().sum() == 0
    assert ex.mask.tolist() == [False] * 6 + [True] * 5
    assert ex.phases == ["input"] * 5 + ["delimiter"] + ["answer"] * 5


def test_repeat_copy_layout_and_count_encoding():
    task = RepeatCopyTask()
    ex = task.example(SeededRNG(2), 3, repeats=4)
    assert ex.steps == 3 + 3 + 12
    bits = ex.inputs[:3, :8]
    for k in range(4):
        assert torch.equal(ex.targets[5 + 3 * k : 8 + 3 * k, :8], bits)
    assert ex.targets[-1].tolist() == [0] * 8 + [1] and ex.targets[:-1, 8].sum() == 0
    assert ex.inputs[4, 9].item() == pytest.approx((4 - 5.5) / math.sqrt(99 / 12))
    assert ex.mask.sum() == 13 and not ex.mask[:5].any()
    assert RepeatCopyTask(minRepeats=3, maxRepeats=3).encoded_count(3) == 0


def test_assoc_recall_items_are_distinct_and_the_answer_follows_the_query():
    task = AssociativeRecallTask()
    for seed in range(20):
        ex = task.example(SeededRNG(seed), 4)
        v, b = 3, 6
        items = [ex.inputs[1 + i * (v + 1) : 1 + i * (v + 1) + v, :b] for i in range(4)]
        assert len({tuple(x.flatten().tolist()) for x in items}) == 4
        query = ex.inputs[4 * (v + 1) + 1 : 4 * (v + 1) + 1 + v, :b]
        q = next(i for i, x in enumerate(items) if torch.equal(x, query))
        assert q < 3 and torch.equal(ex.targets[-v:], items[q + 1])
        assert ex.mask.sum() == v and ex.mask[-v:].all()


def test_unknown_tasks_and_settings_are_refused():
    with pytest.raises(ArnnError, match="unknown task 'sort'"):
        make_task("sort")
    with pytest.raises(ArnnError, match="copy: unknown setting 'length'"):
        make_task("copy", length=3)
    with pytest.raises(ArnnError, match="minLength must be at most maxLength"):
        CopyTask(minLength=5, maxLength=2)


def test_priority_sort_answers_the_highest_priorities_first_and_ties_go_to_the_earlier_input():
    task = make_task("priority-sort", bitWidth=2, minInputs=3, maxInputs=3, outputCount=2)
    ex = task.example_from_vectors([[1, 0], [0, 1], [1, 1]], [0.5, 0.9, 0.5])
    assert ex.steps == 3 + 1 + 2 and ex.phases == ["input"] * 3 + ["delimiter"] + ["answer"] * 2
    assert ex.targets[4].tolist() == [0, 1] and ex.targets[5].tolist() == [1, 0]   # 0.9, then the first 0.5
    assert ex.inputs[:3, 3].tolist() == pytest.approx([0.5, 0.9, 0.5]) and ex.inputs[3].tolist() == [0, 0, 1, 0]
    drawn = make_task("priority-sort").example(SeededRNG(5))
    priorities = drawn.inputs[:20, 9]
    assert drawn.steps == 37 and all(-1 <= p < 1 for p in priorities.tolist())
    assert torch.equal(priorities, priorities.to(torch.float32))  # float32 draws, as arnn's
