"""Dyck-2 recognition (docs/tasks/dyck.md) as arnn draws it: labels worked out by hand, the grammar's weights
against its own recurrence, strings pinned from arnn's traces, arnn's messages, batching, training a stack on
it, and arnn running a PyTorch-trained checkpoint to the same labels and logits."""

import json
import math
import pathlib

import pytest
import torch

import arnn_torch
from arnn_torch import ArnnError, SeededRNG
from arnn_torch.dyck import LABEL_NAMES, NONE, PAD_LABEL, Dyck2Task, DyckGrammar, labels_of
from arnn_torch.train import train

from test_neural_stack import arnn, needs_arnn

# As `arnn trace CHECKPOINT --seed S --length L` draws them (Swift's Dyck2Task), one per line.
PINNED = [(7, 16, "(()()[][[]([])])"),
          (5, 30, "([]((()[]))([([[]])])(([[]])))"),
          (11, 64, "[([[[][(([([[(([])[[(((()[[]])))]])]()])])[[(([((()))]))]])]]])]")]


def test_labels_are_the_closer_of_the_innermost_open_bracket():
    s = Dyck2Task().sample_text("( [ ] ) [")
    assert s.label_words == [")", "]", ")", "none", "]"]
    assert labels_of([0, 0, 1, 1]) == [0, 0, 0, NONE]
    assert Dyck2Task().sample_text("([])").symbols == [0, 2, 3, 1]       # with or without spaces


@pytest.mark.parametrize("seed, length, text", PINNED)
def test_the_draws_are_arnns(seed, length, text):
    s = Dyck2Task().sample(SeededRNG(seed), length)
    assert "".join(s.symbol_words) == text and s.labels == labels_of(s.symbols)


def test_every_draw_is_balanced_and_exactly_as_long_as_asked():
    task = Dyck2Task()
    for length in range(2, 66, 2):
        for seed in range(3):
            s = task.sample(SeededRNG(seed), length)
            assert s.own_length == length and s.labels[-1] == NONE
            depth = 0
            for b in s.symbols:
                depth += 1 if b % 2 == 0 else -1
                assert depth >= 0
    lengths = {task.sample(SeededRNG(seed)).own_length for seed in range(200)}
    assert lengths <= set(range(8, 33, 2)) and len(lengths) > 8     # the training range, even lengths


def test_the_weights_follow_the_grammars_recurrence():
    # Z(0) = e + q Z(0)², and for n ≥ 1, Z(n) = p Z(n-1) + q Σ_{k=0..n} Z(k) Z(n-k), scaled by cⁿ.
    g = DyckGrammar(0.5, 0.25)
    z, c = g.weights(12), g.scale
    e = 1 - g.p - g.q
    assert math.isclose(z[0], e + g.q * z[0] ** 2, rel_tol=1e-12)
    for n in range(1, 13):
        rhs = g.p * c * z[n - 1] + g.q * sum(z[k] * z[n - k] for k in range(n + 1))
        assert math.isclose(z[n], rhs, rel_tol=1e-9)


@pytest.mark.parametrize("fields, message", [
    ({"nestProbability": 0}, r"dyck2: nestProbability must be in \(0, 1\]"),
    ({"concatProbability": 1}, r"dyck2: concatProbability must be in \[0, 1\), got 1.0"),
    ({"nestProbability": 0.6, "concatProbability": 0.4}, "must be below 1"),
    ({"minLength": 7}, r"dyck2: minLength must be even \(a balanced string\), got 7"),
    ({"maxLength": 258}, "dyck2: maxLength must be at most 256, got 258"),
    ({"minLength": 20, "maxLength": 10}, r"dyck2: maxLength \(10\) must not be less than minLength \(20\)"),
    ({"depth": 3}, "dyck2: unknown setting 'depth'"),
])
def test_settings_are_checked_with_arnns_messages(fields, message):
    with pytest.raises(ArnnError, match=message):
        Dyck2Task(**fields)


@pytest.mark.parametrize("text, message", [
    ("", r'^type brackets \( \) \[ \]'),
    ("( x )", r'^unknown character "x": dyck2 reads only the brackets'),
    ("( ]", r'^"\]" at bracket 2 does not close the "\(" of bracket 1: only prefixes of balanced strings'),
    (")", r'^"\)" at bracket 1 closes nothing'),
    ("(" * 257, "the string has 257 brackets; the model reads at most 256"),
])
def test_typed_brackets_are_refused_with_arnns_messages(text, message):
    with pytest.raises(ArnnError, match=message):
        Dyck2Task().sample_text(text)


def test_a_batch_is_one_hot_and_pads_the_labels_torch_ignores():
    task = Dyck2Task()
    x, labels = task.batch([task.sample_text("([])"), task.sample_text("()")])
    assert x.shape == (2, 4, 4) and labels.shape == (2, 4)
    assert x[0].argmax(-1).tolist() == [0, 2, 3, 1] and x[1, 2:].abs().sum() == 0
    assert labels.tolist() == [[0, 1, 0, NONE], [0, NONE, PAD_LABEL, PAD_LABEL]]


def test_train_labels_every_bracket_and_refuses_act(tmp_path):
    out = tmp_path / "dyck.safetensors"
    args = ["--model", "stack", "--task", "dyck2", "--sequences", "20", "--batch-size", "10", "--set", "hiddenSize=4",
            "--set", "valueSize=4", "--log-every", "0", "--device", "cpu"]
    assert train(args + ["--out", str(out)]) == 0
    model, meta = arnn_torch.load(out)
    task = arnn_torch.task_of(meta)
    assert isinstance(task, Dyck2Task) and model.config.io_sizes == (4, 3)
    assert set(json.loads(meta["arnn.last_results"])) == {"meanCEBits", "meanWrongLabels"}
    with pytest.raises(ArnnError, match="act has a ponder cost"):
        train(["--model", "act", "--task", "dyck2", "--sequences", "10", "--out", str(tmp_path / "act.safetensors")])


@needs_arnn
def test_arnn_labels_a_pytorch_trained_stack_as_it_does(tmp_path):
    out = tmp_path / "dyck.safetensors"
    train(["--model", "stack", "--task", "dyck2", "--sequences", "40", "--batch-size", "10", "--set", "hiddenSize=6",
           "--set", "valueSize=4", "--log-every", "0", "--device", "cpu", "--out", str(out)])
    model, _ = arnn_torch.load(out)
    trace = json.loads(arnn("trace", str(out), "--tokens", "( [ ( ) ] ) [ ]"))
    s = Dyck2Task().sample_text("( [ ( ) ] ) [ ]")
    assert trace["example"]["symbolWords"] == s.symbol_words
    assert [f["targetWord"] for f in trace["frames"]] == s.label_words
    x, _ = Dyck2Task().batch([s])
    with torch.no_grad():
        logits = model(x)[0]
    ours = torch.tensor([f["stack"]["logits"] for f in trace["frames"]])
    assert (logits - ours).abs().max().item() < 1e-4
    assert [f["outputWord"] for f in trace["frames"]] == [LABEL_NAMES[i] for i in logits.argmax(-1).tolist()]


DEMO = pathlib.Path(__file__).resolve().parents[2] / "demos" / "stack-dyck"
needs_demo = pytest.mark.skipif(not (DEMO / "demo.json").exists(), reason="demos/stack-dyck is not shipped")


@needs_demo
def test_the_shipped_stack_dyck_labels_strings_of_trained_lengths_right_in_pytorch():
    """The pinned strings of trained lengths are labelled right whole, and 100 fresh strings of 32 brackets
    (the longest trained) at least 99.5 % of positions right, as the demo's own check in arnn."""
    model, meta = arnn_torch.load(DEMO / "weights.safetensors")
    task = arnn_torch.task_of(meta)
    pinned = [task.sample(SeededRNG(seed), length) for seed, length, _ in PINNED if length <= 32]
    fresh = [task.sample(SeededRNG(2024 + i), 32) for i in range(100)]
    for samples, least in [(pinned, 1.0), (fresh, 0.995)]:
        x, labels = task.batch(samples)
        with torch.no_grad():
            written = model(x).argmax(-1)
        scored = labels != PAD_LABEL
        assert (written[scored] == labels[scored]).float().mean().item() >= least


@needs_demo
@needs_arnn
def test_arnn_and_pytorch_give_the_shipped_stack_dyck_the_same_logits():
    text = "( [ ( ( [ ] ) [ ( ) ] ) ] ) [ [ ( ) ] ( [ [ ] ] ) ]"
    model, _ = arnn_torch.load(DEMO / "weights.safetensors")
    trace = json.loads(arnn("trace", str(DEMO), "--tokens", text))
    x, _ = Dyck2Task().batch([Dyck2Task().sample_text(text)])
    with torch.no_grad():
        logits = model(x)[0]
    ours = torch.tensor([f["stack"]["logits"] for f in trace["frames"]])
    assert (logits - ours).abs().max().item() < 1e-4 * max(1.0, ours.abs().max().item())
    assert trace["score"]["wrongLabels"] == 0
