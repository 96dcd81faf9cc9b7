"""A recurrent model on translation (RecurrentTokenRunner, arnn's RecurrentTokenLearner): the input layout,
the teacher-forced loss, padding, and greedy decoding against the arnn binary on demos/lstm-translate.

The tests that run arnn need the binary: $ARNN, or .build/release/arnn of this repository; they are skipped
without it. test_demos.py checks the same demo against the stored reference, without the binary.
"""

import json
import pathlib
import subprocess

import pytest
import torch

import arnn_torch
from arnn_torch import ArnnError, RecurrentTokenRunner
from arnn_torch.recurrent_tokens import BOS, EOS, PAD

from test_arnn_cli import ARNN

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO = REPO / "demos" / "lstm-translate"
# As test_demos.py: |a - b| <= TOLERANCE * max(1, |b|).
TOLERANCE = 5e-5
needs_arnn = pytest.mark.skipif(ARNN is None, reason="no arnn binary (set ARNN or build .build/release/arnn)")
# Typed sentences of 3 to 15 words (the demo's range), none of them test_demos.py's.
SENTENCES = [
    "the cats do not see the red car",
    "a dog eats",
    "the boys that saw my small house want the green apples",
    "we do not like the big horses of their girls",
    "you did not eat three red apples",
    "the woman sees the man that has the blue book of the girl",
]


def demo_runner():
    model, meta = arnn_torch.load(DEMO / "weights.safetensors")
    return RecurrentTokenRunner(model, arnn_torch.task_of(meta))


def small(kind="lstm", seed=0):
    """An untrained recurrent model with the translation task's widths (204 in, 124 out)."""
    torch.manual_seed(seed)
    if kind == "lstm":
        model = arnn_torch.LSTMBaseline(arnn_torch.LSTMConfig(inputSize=204, outputSize=124, hiddenSize=12, layers=2))
    elif kind == "ntm":
        model = arnn_torch.NTM(arnn_torch.NTMConfig(inputSize=204, outputSize=124, memoryRows=8, memoryWidth=5,
                                                    controllerSize=12))
    else:
        model = arnn_torch.DNC(arnn_torch.DNCConfig(inputSize=204, outputSize=124, memoryRows=8, memoryWidth=5,
                                                    controllerSize=12))
    return RecurrentTokenRunner(model)


def relative(a, b):
    return ((a - b).abs() / b.abs().clamp(min=1)).max().item()


def test_the_demo_loads_as_an_lstm_on_translation():
    model, meta = arnn_torch.load(DEMO / "weights.safetensors")
    assert isinstance(model, arnn_torch.LSTMBaseline)
    assert model.config.to_dict() == {"inputSize": 204, "outputSize": 124, "hiddenSize": 256, "layers": 2}
    task = arnn_torch.task_of(meta)
    assert isinstance(task, arnn_torch.TranslationTask) and task.config() == arnn_torch.TranslationTask().config()
    assert RecurrentTokenRunner.widths(task) == (80 + 124, 124)


def test_inputs_read_the_source_then_bos_and_the_previous_target_word():
    runner = small()
    x, wanted = runner.inputs([4, 30, 10], [6, 42])
    # docs/models/lstm.md, "On tokens": T = n + m + 1 steps; source ids, then 80 + <bos>, 80 + y_1, 80 + y_2.
    assert x.shape == (6, 204) and x.dtype == torch.float32
    assert torch.equal(x.sum(-1), torch.ones(6))
    assert x.argmax(-1).tolist() == [4, 30, 10, 80 + BOS, 80 + 6, 80 + 42]
    assert wanted.tolist() == [PAD, PAD, PAD, 6, 42, EOS]
    x, wanted = runner.inputs([5], [])                        # an empty target: <bos> alone, scored against <eos>
    assert x.argmax(-1).tolist() == [5, 80 + BOS] and wanted.tolist() == [PAD, EOS]


def test_a_batch_pads_with_zero_inputs_and_pad_targets():
    runner = small()
    x, wanted = runner.batch([[4, 30, 10], [7]], [[6, 42], [8]])
    assert x.shape == (2, 6, 204)
    assert torch.equal(x[0], runner.inputs([4, 30, 10], [6, 42])[0])
    assert torch.equal(x[1, :3], runner.inputs([7], [8])[0]) and not x[1, 3:].any()
    assert wanted[1].tolist() == [PAD, 8, EOS, PAD, PAD, PAD]
    # A padded LongTensor reads as the lists.
    y, w = runner.batch(torch.tensor([[4, 30, 10], [7, 0, 0]]), torch.tensor([[6, 42], [8, 0]]))
    assert torch.equal(y, x) and torch.equal(w, wanted)


def test_padding_in_a_batch_changes_nothing():
    runner = small(seed=1)
    sources = [[4, 30, 10, 9, 65], [7], [11, 12, 13]]
    targets = [[6, 42, 14], [8, 9, 10, 11, 12, 13], []]
    batch_logits = runner.logits(sources, targets)
    batch_loss = runner.loss(sources, targets)
    alone = 0
    for j, (s, y) in enumerate(zip(sources, targets)):
        logits = runner.logits([s], [y])[0]
        steps = len(s) + len(y) + 1
        assert torch.allclose(batch_logits[j, :steps], logits, atol=1e-6)
        alone = alone + runner.loss([s], [y])
    assert torch.allclose(batch_loss, alone, atol=1e-5)
    assert runner.loss_units(targets) == 4 + 7 + 1
    # Greedy decoding: each row writes what it writes alone, with the same logits at every step.
    tokens, logits = runner.greedy(sources)
    for j, s in enumerate(sources):
        row, row_logits = runner.greedy([s])
        assert tokens[j, : row.shape[1]].tolist() == row[0].tolist()
        assert (tokens[j, row.shape[1]:] == PAD).all()
        assert torch.allclose(logits[j, : row_logits.shape[1]], row_logits[0], atol=1e-6)
        assert not logits[j, row_logits.shape[1]:].any()


def test_the_loss_is_the_summed_cross_entropy_of_the_answer_steps_and_has_a_gradient():
    runner = small(seed=2)
    sources, targets = [[4, 30, 10], [7, 8]], [[6, 42], [9]]
    loss = runner.loss(sources, targets)
    logits = runner.logits(sources, targets)
    by_hand = 0
    for j, (s, y) in enumerate(zip(sources, targets)):
        for k, want in enumerate(y + [EOS]):
            by_hand = by_hand - torch.log_softmax(logits[j, len(s) + k], -1)[want]
    assert torch.allclose(loss, by_hand, atol=1e-5)
    loss.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in runner.model.parameters())


def test_teacher_forced_on_its_own_output_the_model_gives_the_greedy_logits():
    runner = demo_runner()
    source = runner.task.encode(SENTENCES[0])
    tokens, steps = runner.greedy([source])
    written = tokens[0].tolist()
    assert written[-1] == EOS
    with torch.no_grad():
        assert relative(runner.logits([source], [written[:-1]])[0], steps[0]) < 1e-5
        loss = runner.loss([source], [written[:-1]])
    assert torch.allclose(loss, torch.nn.functional.cross_entropy(steps[0, len(source):], tokens[0], reduction="sum"))


@pytest.mark.parametrize("kind", ["ntm", "dnc"])
def test_any_recurrent_model_with_a_step_decodes(kind):
    runner = small(kind, seed=3)
    sources = [[4, 30, 10], [7]]
    tokens, logits = runner.greedy(sources)
    assert logits.shape[0] == 2 and logits.shape[2] == 124
    # Untrained, it may never write <eos>: then a row stops at 2n + 4 words.
    for j, s in enumerate(sources):
        row = tokens[j].tolist()
        length = row.index(EOS) + 1 if EOS in row else 2 * len(s) + 4
        assert length <= 2 * len(s) + 4
        # The logits of its writing steps are those it took the argmax of.
        assert logits[j, len(s): len(s) + length].argmax(-1).tolist() == row[:length]
    # Teacher forcing on its own output gives the same logits (model(x) against step by step).
    row = tokens[1].tolist()
    written = row[: row.index(EOS)] if EOS in row else row[: 2 * 1 + 4]
    forced = runner.logits([[7]], [written])[0]
    assert torch.allclose(forced[: 1 + len(written)], logits[1, : 1 + len(written)], atol=1e-5)
    runner.loss(sources, [[6], [8, 9]]).backward()


def test_refusals_name_the_problem():
    act = arnn_torch.ACT(arnn_torch.ACTConfig(inputSize=204, outputSize=124, hiddenSize=8))
    with pytest.raises(ArnnError, match="^a act model has an auxiliary cost, which token tasks do not train; use a bit task$"):
        RecurrentTokenRunner(act)
    lstm = arnn_torch.LSTMBaseline(arnn_torch.LSTMConfig(inputSize=9, outputSize=8, hiddenSize=4))
    with pytest.raises(ArnnError, match=r"^a lstm reads 9 and writes 8 channels, but a recurrent model on translation "
                                        r"reads 204 \(both vocabularies\) and writes 124 \(the target vocabulary\)$"):
        RecurrentTokenRunner(lstm)
    s2s = arnn_torch.Seq2Seq(arnn_torch.Seq2SeqConfig(sourceVocabulary=80, targetVocabulary=124, embeddingSize=4,
                                                      encoderSize=4, decoderSize=4, attentionSize=4))
    with pytest.raises(ArnnError, match="a seq2seq is not a recurrent model with a step"):
        RecurrentTokenRunner(s2s)
    runner = small()
    with pytest.raises(ArnnError, match="^lstm: sources holds id 80, outside the vocabulary of 80$"):
        runner.greedy([[4, 80]])
    with pytest.raises(ArnnError, match="^lstm: targets holds id 124, outside the vocabulary of 124$"):
        runner.loss([[4]], [[124]])
    with pytest.raises(ArnnError, match="^lstm: every sentence of sources needs at least one token$"):
        runner.greedy([[4], []])
    with pytest.raises(ArnnError, match="^lstm: sources has 2 sentences, targets 1$"):
        runner.batch([[4], [5]], [[6]])
    with pytest.raises(ArnnError, match="^lstm: max_len must be a positive integer, got 0$"):
        runner.greedy([[4]], max_len=0)
    assert runner.greedy([[4, 5, 6]], max_len=2)[0].shape == (1, 2)


def test_save_and_load_an_lstm_on_translation(tmp_path):
    runner = small()
    path = tmp_path / "lstm-translation.safetensors"
    arnn_torch.save(runner.model, path, task="translation")
    loaded, meta = arnn_torch.load(path)
    assert meta["arnn.kind"] == "lstm" and meta["arnn.task"] == "translation"
    assert isinstance(arnn_torch.task_of(meta), arnn_torch.TranslationTask)
    assert torch.equal(RecurrentTokenRunner(loaded).greedy([[4, 5]])[1], runner.greedy([[4, 5]])[1])
    lstm = arnn_torch.LSTMBaseline(arnn_torch.LSTMConfig(inputSize=80, outputSize=124))
    with pytest.raises(ArnnError, match="^save: a lstm reads 80 and writes 124 channels, but a recurrent model on translation"):
        arnn_torch.save(lstm, tmp_path / "x.safetensors", task="translation")
    act = arnn_torch.ACT(arnn_torch.ACTConfig(inputSize=204, outputSize=124, hiddenSize=8))
    with pytest.raises(ArnnError, match="^save: a act model has an auxiliary cost"):
        arnn_torch.save(act, tmp_path / "x.safetensors", task="translation")


# Against the arnn binary.

def arnn(*args):
    return subprocess.run([ARNN, *args], check=True, capture_output=True, text=True, cwd=REPO).stdout


@needs_arnn
@pytest.mark.parametrize("sentence", SENTENCES)
def test_greedy_decoding_writes_arnns_tokens_with_arnns_logits(sentence):
    runner = demo_runner()
    trace = json.loads(arnn("trace", str(DEMO), "--sentence", sentence))
    frames = trace["frames"]
    source = runner.task.encode(sentence)
    assert trace["example"]["sourceTokens"] == source
    n = len(source)
    assert [f["phase"] for f in frames] == ["source"] * n + ["answer"] * (len(frames) - n)
    tokens, logits = runner.greedy([source])
    assert tokens[0].tolist() == [f["outputToken"] for f in frames[n:]]
    # What each step read: the source word, then <bos> and the word written one step before.
    assert [f["inputToken"] for f in frames] == source + [BOS] + tokens[0, :-1].tolist()
    theirs = torch.tensor([f["lstm"]["logits"] for f in frames])
    assert logits.shape == (1, len(frames), 124)
    assert relative(logits[0], theirs) < TOLERANCE
    # Teacher forcing on arnn's output gives the same logits from model(x).
    with torch.no_grad():
        forced = runner.logits([source], [tokens[0, :-1].tolist()])[0]
    assert relative(forced, theirs) < TOLERANCE


@needs_arnn
def test_translate_prints_arnns_french():
    runner = demo_runner()
    ours = runner.translate(SENTENCES)                       # one padded batch
    theirs = [arnn("translate", "--model", "lstm-translate", "--quiet", s).strip() for s in SENTENCES]
    assert ours == theirs


@needs_arnn
@pytest.mark.parametrize("kind", ["lstm", "ntm", "dnc"])
def test_arnn_traces_a_pytorch_recurrent_model_on_translation_without_flags(tmp_path, kind):
    runner = small(kind, seed=5)
    path = tmp_path / f"{kind}-translation.safetensors"
    arnn_torch.save(runner.model, path, task="translation")
    sentence = "the small cats do not see the red car"
    trace = json.loads(arnn("trace", str(path), "--sentence", sentence))
    assert trace["model"]["kind"] == kind and trace["task"] == arnn_torch.TranslationTask().config()
    frames = trace["frames"]
    tokens, logits = runner.greedy([runner.task.encode(sentence)])
    assert tokens[0].tolist() == [f["outputToken"] for f in frames if f["phase"] == "answer"]
    theirs = torch.tensor([f[kind]["logits"] for f in frames])
    assert (logits[0] - theirs).abs().max().item() < 1e-5
    text = arnn("translate", "--model", str(path), "--quiet", sentence).strip()
    assert text == runner.translate([sentence])[0]
