"""The NTM module against arnn's own PyTorch transcription of docs/models/ntm.md (Tests/Fixtures/
make_ntm_fixture.py): several write heads, whose erases multiply and adds sum, and the feed-forward
controller, step by step, gradients included."""

import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import NTM, NTMConfig

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures"


@pytest.mark.parametrize("name", ["ntm_parity", "ntm_multiwrite_parity"])
def test_matches_the_fixture_step_by_step(name):
    path = FIXTURES / f"{name}.safetensors"
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
    tensors = load_file(str(path))
    model = NTM(NTMConfig.from_json(meta["arnn.config"]))
    model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("reference.")})
    x = tensors["reference.input"].transpose(0, 1)                       # [T, B, X] -> [B, T, X]
    logits, inner = model(x, internals=True)
    def close(a, b):
        assert (a - b).abs().max().item() <= 1e-5
    close(logits.transpose(0, 1), tensors["reference.logits"])
    reads, heads = model.config.readHeads, model.config.readHeads + model.config.writeHeads
    weightings = torch.stack([inner[f"heads.{i}.weighting"] for i in range(heads)], 2)  # [B, T, heads, N]
    close(weightings.transpose(0, 1), tensors["reference.weightings"])
    close(inner["memory"].transpose(0, 1), tensors["reference.memory"])
    assert inner["write_weightings"].shape[2] == model.config.writeHeads
    (logits.transpose(0, 1) * tensors["reference.upstream"]).sum().backward()
    for n, p in model.named_parameters():
        close(p.grad, tensors[f"reference.grad.{n}"])
    assert reads >= 1


def test_several_write_heads_and_the_feed_forward_controller_round_trip(tmp_path):
    torch.manual_seed(0)
    model = NTM(NTMConfig(inputSize=9, outputSize=8, memoryRows=16, memoryWidth=6, controllerSize=12,
                          readHeads=2, writeHeads=3, controller="feedforward"))
    names = set(model.state_dict())
    assert {"write_heads.0.fc.weight", "write_heads.2.fc.bias", "controller.fc.weight"} <= names
    assert not any(n.startswith(("write_head.", "controller.h0", "controller.weight_ih")) for n in names)
    path = tmp_path / "ff.safetensors"
    arnn_torch.save(model, path, task=arnn_torch.CopyTask())
    loaded, _ = arnn_torch.load(path)
    x = torch.rand(2, 7, 9)
    assert torch.equal(model(x), loaded(x))


def test_an_unknown_controller_is_refused_in_one_line():
    with pytest.raises(arnn_torch.ArnnError, match='controller must be "lstm" or "feedforward"'):
        NTMConfig(inputSize=9, outputSize=8, controller="gru")
