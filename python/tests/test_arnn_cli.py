"""A checkpoint written by arnn_torch opens in arnn with no flags and runs to the same logits (and a memn2n that
arnn trained opens in arnn_torch and runs to arnn's trace).

Needs the arnn binary: $ARNN, or .build/release/arnn of this repository (what `swift test -c release`
builds); skipped without it.
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest
import torch

import arnn_torch

REPO = pathlib.Path(__file__).resolve().parents[2]


def arnn_binary():
    for candidate in [os.environ.get("ARNN"), REPO / ".build" / "release" / "arnn", shutil.which("arnn")]:
        if candidate and pathlib.Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


ARNN = arnn_binary()
pytestmark = pytest.mark.skipif(ARNN is None, reason="no arnn binary (set ARNN or build .build/release/arnn)")


@pytest.mark.parametrize("kind, task, heads", [
    ("ntm", arnn_torch.RepeatCopyTask(maxLength=6), {}),
    # The priority-sort generator (float32 priorities) and several write heads with the feed-forward controller.
    ("ntm", arnn_torch.PrioritySortTask(minInputs=2, maxInputs=6, outputCount=4),
     {"writeHeads": 2, "controller": "feedforward"}),
    ("lstm", arnn_torch.CopyTask(maxLength=5), {})])
def test_arnn_traces_a_pytorch_checkpoint_without_flags(tmp_path, kind, task, heads):
    torch.manual_seed(0)
    if kind == "ntm":
        model = arnn_torch.NTM(arnn_torch.NTMConfig(inputSize=task.input_width, outputSize=task.output_width,
                                                    memoryRows=32, memoryWidth=8, controllerSize=20, readHeads=2,
                                                    **heads))
    else:
        model = arnn_torch.LSTMBaseline(arnn_torch.LSTMConfig(inputSize=task.input_width,
                                                              outputSize=task.output_width, hiddenSize=24))
    path = tmp_path / f"{kind}-{task.name}.safetensors"
    arnn_torch.save(model, path, task=task)
    out = subprocess.run([ARNN, "trace", str(path), "--seed", "4", "--length", "3"],
                         check=True, capture_output=True, text=True).stdout
    trace = json.loads(out)
    assert trace["model"]["kind"] == kind and trace["task"] == task.config()
    inputs = torch.tensor([f["input"] for f in trace["frames"]], dtype=torch.float32)
    assert torch.equal(inputs, task.example(arnn_torch.SeededRNG(4), 3).inputs)
    with torch.no_grad():
        ours = model(inputs[None])[0]
    theirs = torch.tensor([f[kind]["logits"] for f in trace["frames"]])
    assert (ours - theirs).abs().max().item() < 1e-5


@pytest.mark.parametrize("attention", ["additive", "dot"])
def test_arnn_translates_a_pytorch_seq2seq_checkpoint_without_flags(tmp_path, attention):
    torch.manual_seed(0)
    task = arnn_torch.TranslationTask(maxWords=8)
    model = arnn_torch.Seq2Seq(arnn_torch.Seq2SeqConfig(sourceVocabulary=80, targetVocabulary=124, embeddingSize=8,
                                                        encoderSize=12, decoderSize=16, attentionSize=10,
                                                        attention=attention))
    path = tmp_path / "s2s.safetensors"
    arnn_torch.save(model, path, task=task)
    sentence = "the small cats do not see the red car"
    out = subprocess.run([ARNN, "trace", str(path), "--sentence", sentence], check=True, capture_output=True, text=True).stdout
    trace = json.loads(out)
    assert trace["model"]["kind"] == "seq2seq" and trace["task"] == task.config()
    assert trace["model"]["config"] == model.config.to_dict()
    read = [f["inputToken"] for f in trace["frames"]]
    with torch.no_grad():
        ours, inner = model([task.encode(sentence)], [read[1:]], internals=True)
    theirs = torch.tensor([f["seq2seq"]["logits"] for f in trace["frames"]])
    assert (ours[0] - theirs).abs().max().item() < 1e-5
    weights = torch.tensor([f["seq2seq"]["weights"] for f in trace["frames"]])
    assert (inner["weights"][0] - weights).abs().max().item() < 1e-5
    tokens, _ = model.greedy([task.encode(sentence)])
    assert len(read) == 2 * 9 + 4  # untrained, it never writes <eos>: the whole 2S + 4 steps
    assert tokens[0, : len(read) - 1].tolist() == read[1:]
    # `arnn translate` (and the viewer, through the same loader) open it with no flags.
    text = subprocess.run([ARNN, "translate", "--model", str(path), "--quiet", sentence],
                          check=True, capture_output=True, text=True).stdout.strip()
    assert text == task.decode(tokens[0])
    screen = subprocess.run([ARNN, "render", "--checkpoint", str(path)], check=True, capture_output=True, text=True)
    assert screen.stdout.strip()


def test_arnn_refuses_a_pytorch_checkpoint_with_a_wrong_shape_in_one_line(tmp_path):
    from safetensors.torch import save_file
    model = arnn_torch.NTM(arnn_torch.NTMConfig(inputSize=9, outputSize=8, memoryRows=16, memoryWidth=4,
                                                controllerSize=8))
    state = dict(model.state_dict())
    state["output.weight"] = torch.zeros(8, 3)
    path = tmp_path / "bad.safetensors"
    save_file(state, path, metadata={"arnn.kind": "ntm", "arnn.config": model.config.to_json(),
                                     "arnn.task": "copy", "arnn.task_config": '{"name":"copy"}'})
    run = subprocess.run([ARNN, "trace", str(path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "output.weight" in run.stderr and run.stderr.strip().count("\n") == 0


STORY = "Mary moved to the bathroom. John went to the hallway. Mary went back to the kitchen. Where is Mary?"


def memn2n_matches_trace(model, path):
    """`arnn trace` of a typed story: each hop's attention, query and read, and the answer distribution, as
    arnn_torch computes them from the same checkpoint."""
    out = subprocess.run([ARNN, "trace", str(path), "--sentence", STORY], check=True, capture_output=True, text=True).stdout
    trace = json.loads(out)
    assert trace["model"]["kind"] == "memn2n" and trace["model"]["config"] == model.config.to_dict()
    sample = arnn_torch.BabiTask().sample_text(STORY)
    with torch.no_grad():
        _, inner = model([sample.sentence_ids], [sample.question_ids], internals=True)
    frames = [f["memn2n"] for f in trace["frames"]]
    assert len(frames) == model.config.hops
    for k, frame in enumerate(frames):
        for ours, theirs in ((inner["attention"][0, k], frame["attention"]), (inner["query"][0, k], frame["query"]),
                             (inner["read"][0, k], frame["read"])):
            assert (ours - torch.tensor(theirs)).abs().max().item() < 1e-5
    assert (inner["output"][0, -1] - torch.tensor(frames[-1]["answer"])).abs().max().item() < 1e-5


def test_arnn_traces_a_pytorch_memn2n_checkpoint_without_flags(tmp_path):
    torch.manual_seed(0)
    task = arnn_torch.BabiTask()
    model = arnn_torch.MemN2N(arnn_torch.MemN2NConfig(vocabularySize=56, answerWords=list(task.answer_words),
                                                      embeddingSize=12, memorySize=6))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(4)           # attention far from uniform
    path = tmp_path / "memn2n.safetensors"
    arnn_torch.save(model, path, task=task)
    memn2n_matches_trace(model, path)


def test_an_arnn_trained_memn2n_loads_in_pytorch(tmp_path):
    path = tmp_path / "arnn-memn2n.safetensors"
    subprocess.run([ARNN, "train", "--model", "memn2n", "--task", "babi", "--sequences", "64", "--batch-size", "32",
                    "--optimizer", "adam", "--lr", "0.01", "--set", "embeddingSize=10", "--set", "memorySize=8",
                    "--out", str(path)], check=True, capture_output=True, text=True)
    model, meta = arnn_torch.load(path)            # its optimizer.* tensors are skipped
    assert isinstance(model, arnn_torch.MemN2N) and meta["arnn.task"] == "babi"
    assert isinstance(arnn_torch.task_of(meta), arnn_torch.BabiTask)
    memn2n_matches_trace(model, path)


@pytest.mark.parametrize("text", ["Mary moved to the bathroom. Where is Marry?", "Mary went to the hall. Where is Mary?",
                                  "Mary moved to the bathroom. Where is the bathroom?", "Where is Mary?",
                                  "Where is Mary? Mary moved to the bathroom."])
def test_a_typed_story_is_refused_with_arnns_words(tmp_path, text):
    torch.manual_seed(0)
    task = arnn_torch.BabiTask()
    path = tmp_path / "memn2n.safetensors"
    model = arnn_torch.MemN2N(arnn_torch.MemN2NConfig(vocabularySize=56, answerWords=list(task.answer_words),
                                                      embeddingSize=4))
    arnn_torch.save(model, path, task=task)
    run = subprocess.run([ARNN, "trace", str(path), "--sentence", text], capture_output=True, text=True)
    with pytest.raises(arnn_torch.ArnnError) as e:
        task.sample_text(text)
    assert run.returncode == 2 and run.stderr.strip() == f"arnn: {e.value}"
