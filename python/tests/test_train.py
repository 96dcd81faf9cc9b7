"""The trainer: one process, and two processes data-parallel over gloo, train the same model."""

import socket

import pytest
import torch

import arnn_torch
from arnn_torch import ArnnError
from arnn_torch.train import run_processes, train

TINY = ["--model", "ntm", "--task", "copy", "--task-set", "maxLength=3", "--set", "memoryRows=8",
        "--set", "memoryWidth=4", "--set", "controllerSize=8", "--seed", "3", "--batch-size", "2",
        "--sequences", "6", "--log-every", "0", "--lr", "1e-3", "--device", "cpu"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_processes_train_the_same_weights_as_one(tmp_path):
    one, two = tmp_path / "one.safetensors", tmp_path / "two.safetensors"
    assert train(TINY + ["--out", str(one)]) == 0
    try:
        run_processes(TINY + ["--out", str(two)], processes=2, port=free_port())
    except Exception as e:  # another process took the free port between free_port() and gloo's bind
        if "address already in use" not in str(e).lower():
            raise
        run_processes(TINY + ["--out", str(two)], processes=2, port=free_port())
    a, meta_a = arnn_torch.load(one)
    b, meta_b = arnn_torch.load(two)
    assert meta_b["arnn.steps"] == "6" and meta_b["arnn_torch.processes"] == "2"
    assert meta_b["arnn.task"] == "copy" and '"maxLength":3' in meta_b["arnn.task_config"]
    for (name, pa), pb in zip(a.state_dict().items(), b.state_dict().values()):
        # Each process took half of every batch; DDP's sum of the halves is the whole batch's gradient.
        assert torch.allclose(pa, pb, atol=2e-6), name
    torch.manual_seed(3)
    start = arnn_torch.NTM(a.config)
    moved = max((pa - p0).abs().max().item() for pa, p0 in zip(a.state_dict().values(), start.state_dict().values()))
    assert moved > 1e-4  # the weights did train (the same seed gives the same start)


def test_bad_options_are_refused_before_any_work(tmp_path):
    with pytest.raises(ArnnError, match="--batch-size must be in 1...4096"):
        train(TINY + ["--batch-size", "0", "--out", str(tmp_path / "x")])
    existing = tmp_path / "exists.safetensors"
    existing.write_bytes(b"")
    with pytest.raises(ArnnError, match="exists; pass --force"):
        train(TINY + ["--out", str(existing)])
    with pytest.raises(ArnnError, match="NTM config: unknown field 'rows'"):
        train(TINY + ["--set", "rows=3", "--out", str(tmp_path / "y")])


@pytest.mark.parametrize("model, task", [("seq2seq", "translation"), ("seq2seq", "copy"), ("ntm", "translation")])
def test_translation_is_refused_clearly(tmp_path, model, task):
    with pytest.raises(ArnnError, match="^arnn_torch.train has no translation task; train seq2seq with arnn train$"):
        train(["--model", model, "--task", task, "--out", str(tmp_path / "x.safetensors")])
    assert not (tmp_path / "x.safetensors").exists()


def test_a_model_it_cannot_train_is_named_without_task_too(tmp_path, capsys):
    with pytest.raises(ArnnError, match="^arnn_torch.train has no translation task; train seq2seq with arnn train$"):
        train(["--model", "seq2seq", "--out", str(tmp_path / "x.safetensors")])
    with pytest.raises(SystemExit):
        train(["--model", "ntm", "--out", str(tmp_path / "x.safetensors")])
    assert "--task is required (one of assoc-recall," in capsys.readouterr().err


@pytest.mark.parametrize("model, task", [("memn2n", "babi"), ("dmn", "babi"), ("memn2n", "copy"), ("ntm", "babi"),
                                         ("dmn", "translation")])
def test_babi_is_refused_clearly(tmp_path, model, task):
    """The memory networks are registered (their checkpoints load and save), but their stories come from arnn."""
    with pytest.raises(ArnnError, match="^arnn_torch.train has no babi task; train memn2n and dmn with arnn train$"):
        train(["--model", model, "--task", task, "--out", str(tmp_path / "x.safetensors")])
    assert not (tmp_path / "x.safetensors").exists()
