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
    with pytest.raises(ArnnError, match="unknown task 'shuffle'"):
        make_task("shuffle")
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


def test_uniform_tensor_is_arnns_uniform_tensor_draw_for_draw():
    # RecurrentLearner.stepProbe's input: SeededRNG(seed: 2).uniformTensor([1, X], 0, 1), row-major.
    rng = SeededRNG(2)
    expected = [rng.uniform() for _ in range(6)]
    t = SeededRNG(2).uniform_tensor([2, 3])
    assert t.dtype == torch.float32 and t.shape == (2, 3) and t.flatten().tolist() == expected
    rng = SeededRNG(7)
    assert SeededRNG(7).uniform_tensor([4], -1, 1).tolist() == [rng.uniform_range(-1, 1) for _ in range(4)]


def test_copy_random_batch_is_example_from_bits_stacked():
    task = CopyTask(bitWidth=3, minLength=2, maxLength=4)
    x, y, m = task.random_batch(5, generator=torch.Generator().manual_seed(1))
    n = (x.shape[1] - 1) // 2
    assert 2 <= n <= 4 and x.shape == (5, 2 * n + 1, 4) and y.shape == (5, 2 * n + 1, 3) and m.shape == (5, 2 * n + 1)
    bx, by, bm = task.batch([task.example_from_bits(x[j, :n, :3]) for j in range(5)])
    assert torch.equal(x, bx) and torch.equal(y, by) and torch.equal(m, bm)
    again = task.random_batch(5, generator=torch.Generator().manual_seed(1))[0]
    assert torch.equal(x, again)
    assert task.random_batch(2, 7)[0].shape == (2, 15, 4)   # a given length may lie outside the range
    with pytest.raises(ArnnError, match="copy: length must be at least 1"):
        task.random_batch(2, 0)


def test_parity_random_batch_has_k_signed_entries_and_their_parity():
    task = make_task("parity", size=16, minEntries=3, maxEntries=5)
    x, y, m = task.random_batch(50, generator=torch.Generator().manual_seed(2))
    assert x.shape == (50, 1, 16) and y.shape == (50, 1, 1) and torch.equal(m, torch.ones(50, 1))
    entries = (x != 0).sum(-1).flatten()
    assert set(entries.tolist()) == {3, 4, 5} and set(x.unique().tolist()) == {-1.0, 0.0, 1.0}
    assert torch.equal(y.flatten(), ((x == 1).sum(-1).flatten() % 2).float())
    x, _, _ = task.random_batch(10, 7)                       # a fixed number of entries
    assert (x != 0).sum(-1).flatten().tolist() == [7] * 10
    with pytest.raises(ArnnError, match=r"parity: entries must be in 1\.\.\.16, got 17"):
        task.random_batch(1, 17)
