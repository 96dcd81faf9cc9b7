"""Every shipped NTM, LSTM, DNC and ACT demo opens unchanged, and gives arnn's inputs and logits.

The reference (data/demo_reference.safetensors, written by make_demo_reference.py with `arnn trace`)
holds, per demo, the example arnn generated from a seed and arnn's logits and weightings for it.
"""

import json
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import SeededRNG

REPO = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = pathlib.Path(__file__).resolve().parent / "data" / "demo_reference.safetensors"
with safe_open(str(REFERENCE), framework="pt") as f:
    CASES = json.loads(f.metadata()["cases"])
REF = load_file(str(REFERENCE))
# Trained demos have logits up to about 40 in size; two float32 implementations that sum in different
# orders agree to 1e-6 to 3e-5 of that over tens of steps (the NTM's each as far from a float64 run as from
# the other), so logits are compared relative to their size above 1, as the Swift parity tests do:
# |a - b| <= TOLERANCE * max(1, |b|).
TOLERANCE = 5e-5


def test_every_shipped_demo_of_a_model_arnn_torch_has_is_checked():
    shipped = {p.parent.name for p in REPO.glob("demos/*/demo.json")
               if json.loads(p.read_text())["model"] in arnn_torch.MODELS}
    assert shipped == {demo for demo, _, _ in CASES}


@pytest.mark.parametrize("demo, seed, length", CASES)
def test_demo_matches_arnn(demo, seed, length):
    model, meta = arnn_torch.load(REPO / "demos" / demo / "weights.safetensors")
    task = arnn_torch.task_of(meta)
    example = task.example(SeededRNG(seed), length)
    # The same seed gives arnn's example exactly (the task generators and SeededRNG, draw for draw).
    assert torch.equal(example.inputs, REF[f"{demo}.input"])
    assert torch.equal(example.targets, REF[f"{demo}.target"])
    with torch.no_grad():
        logits, inner = model(example.inputs[None], internals=True)
    ref = REF[f"{demo}.logits"]
    diff = (logits[0] - ref).abs().max().item()
    scaled = ((logits[0] - ref).abs() / ref.abs().clamp(min=1)).max().item()
    assert scaled < TOLERANCE, f"{demo}: logits differ by {diff} ({scaled} relative)"
    # The DNC's internals are not compared: where unused slots' usages tie to within an ulp, float rounding
    # decides which one the allocation picks (dnc-repeat-copy's reference does this at step 23: arnn
    # writes to slot 59, torch to slot 22), and the logits agree all the same.
    if model.kind == "act":
        assert torch.equal(inner["steps"][0], REF[f"{demo}.steps"].float())  # the same ponder steps N(t)
    if model.kind == "ntm":
        heads = model.config.readHeads + 1
        ours = torch.stack([inner[f"heads.{i}.weighting"][0] for i in range(heads)], 1)
        wdiff = (ours - REF[f"{demo}.weightings"]).abs().max().item()
        assert wdiff < TOLERANCE, f"{demo}: weightings differ by {wdiff}"
        assert (inner["memory"][0, -1] - REF[f"{demo}.memory"]).abs().max().item() < TOLERANCE
    # The trained demos answer this example perfectly, in both implementations.
    wrong = ((logits[0] >= 0).float() != example.targets)[example.mask].sum().item()
    assert wrong == 0
    print(f"{demo}: {example.steps} steps, max |logit difference| {diff:.2e} ({scaled:.1e} relative)")
