"""The SVO → SOV task (Grefenstette et al. 2015, §4.2; docs/tasks/transduction.md, "SVO to SOV") as arnn draws
it: the rules on sentences written out by hand, the paper's example, the draws pinned with arnn's tests
(Tests/TasksTests/SVOToSOVTaskTests.swift), arnn's messages, training, and arnn's trace of a PyTorch checkpoint.
"""

import json

import pytest
import torch

import arnn_torch
from arnn_torch import ArnnError, NeuralStackConfig, RecurrentTokenRunner, SVOToSOVTask
from arnn_torch.train import train

from test_neural_stack import MODELS, TINY, arnn, check_trace, needs_arnn

GOLDEN = [
    ("si1 vi2 oi3", "so1 oo3 vo2", ["noClause"]),
    ("si4 si2 vi1 oi3 oi3", "so4 so2 oo3 oo3 vo1", ["noClause"]),
    ("si1 rpi si2 vi1 vi2 oi3", "so1 rpo so2 vo1 oo3 vo2", ["subjectClause"]),
    ("si1 rpi si2 rpi si3 vi1 vi2 vi3 oi1", "so1 rpo so2 rpo so3 vo1 vo2 oo1 vo3", ["subjectClause", "nestedClause"]),
    ("si1 si2 rpi si3 vi1 vi2 oi1 si4 rpi si1 vi3", "so1 so2 rpo so3 vo1 oo1 so4 rpo so1 vo3 vo2",
     ["subjectClause", "objectClause"]),
    ("si1 vi4 si2 rpi si3 vi1 rpi si4 vi2", "so1 so2 rpo so3 vo1 rpo so4 vo2 vo4", ["objectClause"]),
]

# The same words as SVOToSOVTaskTests.pinnedAt12 and .pinnedTraining.
PINNED_AT_12 = "si1 rpi si3 si4 si4 vi2 rpi si1 vi2 si3 vi1 oi4"
PINNED_TRAINING = "si1 vi1 si1 rpi si4 rpi si2 si2 vi3 rpi si1 vi4 si1 rpi si3 si3 vi4 vi3"


@pytest.mark.parametrize("source, target, categories", GOLDEN)
def test_typed_sentences_are_reordered_as_the_rules_say(source, target, categories):
    pair = SVOToSOVTask().sample_text(source)
    assert " ".join(pair.target_words) == target and pair.categories == categories


def test_the_papers_example_and_the_vocabularies():
    task = SVOToSOVTask(wordsPerClass=33)
    pair = task.sample_text("si1 vi28 oi5 oi7 si15 rpi si19 vi16 oi10 oi24")
    assert " ".join(pair.target_words) == "so1 oo5 oo7 so15 rpo so19 vo16 oo10 oo24 vo28"
    small = arnn_torch.make_task("svo-sov", wordsPerClass=2)
    assert small.vocabulary.tokens[4:] == ("si1", "si2", "vi1", "vi2", "oi1", "oi2", "rpi")
    assert small.target_vocabulary.tokens[4:] == ("so1", "so2", "vo1", "vo2", "oo1", "oo2", "rpo")
    assert SVOToSOVTask().io_sizes == (17, 17) and RecurrentTokenRunner.widths(SVOToSOVTask()) == (34, 17)
    assert SVOToSOVTask().config() == {"name": "svo-sov", "wordsPerClass": 4, "minLength": 8, "maxLength": 32}
    assert SVOToSOVTask().evaluation_lengths == [16, 32, 64, 128]
    assert small.decode(small.sample_text("si1 vi2 oi1").target_ids + [2, 5]) == "so1 oo1 vo2"


def test_the_draws_are_arnns():
    task = SVOToSOVTask()
    assert " ".join(task.sample(arnn_torch.SeededRNG(7), 12).source_words) == PINNED_AT_12
    assert " ".join(task.sample(arnn_torch.SeededRNG(7)).source_words) == PINNED_TRAINING
    rng = arnn_torch.SeededRNG(11)
    for n in (3, 8, 33, 128):
        pair = task.sample(rng, n)
        assert pair.own_length == n == len(pair.target_words)
        assert task.sample_text(" ".join(pair.source_words)) == pair        # the parser finds the drawn verb
    lengths = [task.sample(rng).own_length for _ in range(800)]
    assert set(lengths) <= set(range(8, 33)) and 14 < sum(lengths) / len(lengths) < 16.3


def test_bad_input_and_settings_are_refused_in_one_line():
    task = SVOToSOVTask()
    with pytest.raises(ArnnError, match=r'^not a sentence of the grammar: "si2" \(word 3\) in the object belongs to no'):
        task.sample_text("si1 vi1 si2 oi1")
    with pytest.raises(ArnnError, match=r"^not a sentence of the grammar: expected an object .* but the sentence ends$"):
        task.sample_text("si1 vi1")
    with pytest.raises(ArnnError, match=r'^unknown word "so1" \(closest known word: "si1"; the words are si1–si4'):
        task.sample_text("so1 vi1 oi1")
    with pytest.raises(ArnnError, match="^type a sentence"):
        task.sample_text(" ")
    with pytest.raises(ArnnError, match="at most 256"):
        task.sample_text("si1 " * 257)
    with pytest.raises(ArnnError, match=r"^svo-sov: wordsPerClass must be at most 33 \(the paper's\), got 34$"):
        SVOToSOVTask(wordsPerClass=34)
    with pytest.raises(ArnnError, match=r"^svo-sov: length must be at least 3 \(subject, verb, object\), got 2$"):
        task.sample(arnn_torch.SeededRNG(1), 2)


def test_train_writes_a_checkpoint_on_svo_sov(tmp_path):
    out = tmp_path / "stack.safetensors"
    assert train(["--model", "stack", "--task", "svo-sov", "--out", str(out), "--set", "hiddenSize=8",
                  "--set", "valueSize=4"] + TINY) == 0
    model, meta = arnn_torch.load(out)
    assert meta["arnn.task"] == "svo-sov" and model.config.io_sizes == (34, 17)
    assert isinstance(arnn_torch.task_of(meta), SVOToSOVTask)


@needs_arnn
def test_arnn_draws_and_parses_as_this_package(tmp_path):
    task = SVOToSOVTask(wordsPerClass=5)
    torch.manual_seed(0)
    x, y = RecurrentTokenRunner.widths(task)
    model = MODELS["stack"](NeuralStackConfig(inputSize=x, outputSize=y, hiddenSize=12, valueSize=5))
    path = tmp_path / "stack.safetensors"
    arnn_torch.save(model, path, task=task)
    for length in (20, 64):
        trace = json.loads(arnn("trace", str(path), "--seed", "5", "--length", str(length)))
        pair = task.sample(arnn_torch.SeededRNG(5), length)
        assert trace["task"] == task.config()
        assert trace["example"]["sourceTokens"] == pair.source_ids and trace["example"]["targetTokens"] == pair.target_ids
    check_trace(model, task, trace, "stack")
    typed = json.loads(arnn("trace", str(path), "--sentence", "si1 rpi si2 vi1 vi5 oi3 si4 rpi si5 vi2"))
    assert typed["example"]["targetTokens"] == task.sample_text("si1 rpi si2 vi1 vi5 oi3 si4 rpi si5 vi2").target_ids
    check_trace(model, task, typed, "stack")
