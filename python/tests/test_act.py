"""ACT against its PyTorch parity fixtures (Tests/Fixtures/act_parity.safetensors for the tanh cell and
act_lstm_parity.safetensors for the LSTM cell, both written by make_act_fixture.py).

That fixture's model runs each example alone; arnn_torch's ACT runs the batch together with the masks of
docs/models/act.md ("Batching"), so this also checks that batching changes nothing.
"""

import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures"


@pytest.mark.parametrize("fixture,cell", [("act_parity", "rnn"), ("act_lstm_parity", "lstm")])
def test_batched_act_matches_the_fixture_step_counts_logits_and_gradients(fixture, cell):
    path = FIXTURES / f"{fixture}.safetensors"
    ref = load_file(str(path))
    with safe_open(str(path), framework="pt") as f:
        config = arnn_torch.ACTConfig.from_json(f.metadata()["arnn.config"])
    assert config.cell == cell
    model = arnn_torch.ACT(config)
    model.load_state_dict({k: v for k, v in ref.items() if not k.startswith("reference.")}, strict=True)
    x = ref["reference.input"].transpose(0, 1)                 # [B, T, X]
    logits, inner = model(x, internals=True)
    assert torch.equal(inner["steps"], ref["reference.steps"].T)
    assert (logits - ref["reference.logits"].transpose(0, 1)).abs().max() < 1e-5
    assert (inner["ponder"] - ref["reference.ponder"].T).abs().max() < 1e-5
    s = ref["reference.weights"].shape[-1]
    assert (inner["weights"][..., :s] - ref["reference.weights"].transpose(0, 1)).abs().max() < 1e-5
    # The fixture's loss: masked BCE (nats, summed) + τ·Σρ; its gradient for every parameter.
    mask = ref["reference.mask"].T
    bce = torch.nn.functional.binary_cross_entropy_with_logits(
        logits, ref["reference.targets"].transpose(0, 1), weight=mask[..., None].expand_as(logits), reduction="sum")
    loss = bce + config.tau * inner["ponder"].sum()
    assert abs(loss.item() - ref["reference.loss"].item()) < 1e-5 * max(1, abs(ref["reference.loss"].item()))
    loss.backward()
    for name, p in model.named_parameters():
        assert (p.grad - ref[f"reference.grad.{name}"]).abs().max() < 1e-5, name


def test_parity_examples():
    task = arnn_torch.ParityTask(size=16)
    ex = task.example(arnn_torch.SeededRNG(4), 5)
    assert ex.inputs.shape == (1, 16) and (ex.inputs != 0).sum() == 5
    assert ex.targets.item() == float((ex.inputs == 1).sum().item() % 2)
    assert task.config() == {"name": "parity", "size": 16, "minEntries": 1, "maxEntries": 16}
