"""save -> load round trips, and one-line errors for files that are not what they claim."""

import json
import os
import stat

import pytest
import torch
from safetensors.torch import load_file, save_file

import arnn_torch
from arnn_torch import ArnnError, LSTMBaseline, LSTMConfig, NTM, NTMConfig

SMALL_NTM = dict(inputSize=9, outputSize=8, memoryRows=16, memoryWidth=6, controllerSize=12, readHeads=2)


def small_ntm(seed=0):
    torch.manual_seed(seed)
    return NTM(NTMConfig(**SMALL_NTM))


def test_ntm_round_trip_keeps_weights_config_logits_and_task(tmp_path):
    model = small_ntm()
    path = tmp_path / "ntm.safetensors"
    arnn_torch.save(model, path, task="copy", metadata={"arnn.seed": 4, "note": "hello"})
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, NTM) and loaded.config == model.config
    for (n1, a), (n2, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert n1 == n2 and torch.equal(a, b)
    x = torch.rand(3, 7, 9)
    assert torch.equal(model(x), loaded(x))
    assert meta["arnn.kind"] == "ntm"
    assert json.loads(meta["arnn.config"]) == {**SMALL_NTM, "shiftRange": 1, "memoryInit": 1e-6,
                                                "writeHeads": 1, "controller": "lstm"}
    assert meta["arnn.task"] == "copy"
    assert json.loads(meta["arnn.task_config"]) == {"name": "copy", "bitWidth": 8, "minLength": 1, "maxLength": 20}
    assert meta["arnn.seed"] == "4" and meta["note"] == "hello"
    assert arnn_torch.task_of(meta).config() == arnn_torch.CopyTask().config()


def test_lstm_round_trip(tmp_path):
    torch.manual_seed(1)
    model = LSTMBaseline(LSTMConfig(inputSize=9, outputSize=8, hiddenSize=16, layers=2))
    path = tmp_path / "lstm.safetensors"
    arnn_torch.save(model, path, task=arnn_torch.CopyTask(maxLength=10))
    loaded, meta = arnn_torch.load(path)
    assert loaded.config.layers == 2 and meta["arnn.kind"] == "lstm"
    x = torch.rand(2, 5, 9)
    assert torch.equal(model(x), loaded(x))
    # The step-by-step path with internals gives the same logits as nn.LSTM's fused one.
    logits, inner = loaded(x, internals=True)
    assert torch.allclose(logits, model(x), atol=1e-6)
    assert inner["hidden"].shape == (2, 5, 2, 16)


def test_saved_file_is_exactly_arnns_layout(tmp_path):
    """F32 tensors under the state_dict names of docs/checkpoints.md, no temporary files left behind."""
    path = tmp_path / "ntm.safetensors"
    arnn_torch.save(small_ntm(), path)
    tensors = load_file(path)
    names = {"controller.weight_ih", "controller.weight_hh", "controller.bias_ih", "controller.bias_hh",
             "controller.h0", "controller.c0", "read_init", "read_heads.0.fc.weight", "read_heads.0.fc.bias",
             "read_heads.1.fc.weight", "read_heads.1.fc.bias", "write_head.fc.weight", "write_head.fc.bias",
             "output.weight", "output.bias"}
    assert set(tensors) == names
    assert all(t.dtype == torch.float32 for t in tensors.values())
    assert tensors["controller.weight_ih"].shape == (4 * 12, 9 + 2 * 6)
    assert tensors["write_head.fc.weight"].shape == (3 * 6 + 3 + 3, 12)
    assert tensors["output.weight"].shape == (8, 12 + 2 * 6)
    assert os.listdir(tmp_path) == ["ntm.safetensors"]


def test_replacing_a_checkpoint_keeps_its_permissions(tmp_path):
    path = tmp_path / "ntm.safetensors"
    arnn_torch.save(small_ntm(0), path)
    os.chmod(path, 0o640)
    arnn_torch.save(small_ntm(1), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    loaded, _ = arnn_torch.load(path)
    assert torch.equal(loaded.read_init, small_ntm(1).read_init)


def test_loads_half_precision_tensors_as_float32(tmp_path):
    model = small_ntm()
    path = tmp_path / "half.safetensors"
    state = {k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}
    save_file(state, path, metadata={"arnn.kind": "ntm", "arnn.config": model.config.to_json()})
    loaded, _ = arnn_torch.load(path)
    assert loaded.output.weight.dtype == torch.float32
    assert torch.equal(loaded.output.weight, model.output.weight.to(torch.bfloat16).float())


def write_raw(path, model, tensors=None, **meta):
    metadata = {"arnn.kind": "ntm", "arnn.config": model.config.to_json(), **meta}
    save_file(tensors if tensors is not None else model.state_dict(), path, metadata=metadata)


@pytest.mark.parametrize("change, message", [
    (lambda s, m: s.__setitem__("output.weight", torch.zeros(8, 5)),
     "tensor 'output.weight' has shape [8, 5], the config needs [8, 24]"),
    (lambda s, m: s.pop("controller.h0"), "tensor 'controller.h0' is missing"),
    (lambda s, m: s.__setitem__("write_heads.1.fc.weight", torch.zeros(2)), "unexpected tensor 'write_heads.1.fc.weight'"),
    (lambda s, m: s.__setitem__("read_init", torch.zeros(2, 6, dtype=torch.int64)), "has dtype torch.int64"),
    (lambda s, m: m.__setitem__("arnn.kind", "neural-gpu"),
     "arnn.kind is 'neural-gpu'; arnn_torch has act, deque, dmn, dnc, lstm, memn2n, np, ntm, queue, seq2seq, stack, "
     "transformer"),
    (lambda s, m: m.pop("arnn.kind"), "names no model (no arnn.kind"),
    (lambda s, m: m.__setitem__("arnn.config", json.dumps({**SMALL_NTM, "readOnlyHeads": 2})),
     "NTM config: unknown field 'readOnlyHeads'"),
    (lambda s, m: m.__setitem__("arnn.config", json.dumps({**SMALL_NTM, "writeHeads": 2})),
     "tensor 'write_heads.0.fc.weight' is missing"),
    (lambda s, m: m.__setitem__("arnn.config", json.dumps({**SMALL_NTM, "memoryRows": 0})),
     "memoryRows must be in 1...65536, got 0"),
    (lambda s, m: m.__setitem__("arnn.config", "{not json"), "arnn.config is not JSON"),
])
def test_bad_checkpoints_are_refused_with_one_line(tmp_path, change, message):
    model = small_ntm()
    state = dict(model.state_dict())
    meta = {"arnn.kind": "ntm", "arnn.config": model.config.to_json()}
    change(state, meta)
    path = tmp_path / "bad.safetensors"
    save_file(state, path, metadata=meta)
    with pytest.raises(ArnnError) as e:
        arnn_torch.load(path)
    assert message in str(e.value) and "\n" not in str(e.value) and str(path) in str(e.value)


def test_missing_damaged_and_foreign_files_are_refused(tmp_path):
    with pytest.raises(ArnnError, match="no such file"):
        arnn_torch.load(tmp_path / "absent.safetensors")
    with pytest.raises(ArnnError, match="is a directory"):
        arnn_torch.load(tmp_path)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\xff" * 40)
    with pytest.raises(ArnnError, match="not a readable safetensors file"):
        arnn_torch.load(junk)


def test_optimizer_state_in_arnn_training_checkpoints_is_skipped(tmp_path):
    model = small_ntm()
    state = dict(model.state_dict())
    state["optimizer.output.bias.square_avg"] = torch.ones(8)
    path = tmp_path / "train.safetensors"
    write_raw(path, model, state)
    loaded, _ = arnn_torch.load(path)
    assert torch.equal(loaded.output.bias, model.output.bias)


def test_save_refuses_a_task_of_other_widths_and_reserved_metadata(tmp_path):
    with pytest.raises(ArnnError, match="task repeat-copy has input/output widths"):
        arnn_torch.save(small_ntm(), tmp_path / "x.safetensors", task="repeat-copy")
    with pytest.raises(ArnnError, match="may not set 'arnn.kind'"):
        arnn_torch.save(small_ntm(), tmp_path / "x.safetensors", metadata={"arnn.kind": "lstm"})
    with pytest.raises(ArnnError, match="not an arnn_torch model"):
        arnn_torch.save(torch.nn.Linear(2, 2), tmp_path / "x.safetensors")
    assert os.listdir(tmp_path) == []


def test_model_refuses_input_of_the_wrong_width():
    with pytest.raises(ArnnError, match=r"input must be \[batch, time, 9\], got \[2, 3, 7\]"):
        small_ntm()(torch.zeros(2, 3, 7))


def test_loading_leaves_the_callers_random_numbers_alone(tmp_path):
    path = tmp_path / "ntm.safetensors"
    arnn_torch.save(small_ntm(), path)
    torch.manual_seed(9)
    expected = torch.rand(3)
    torch.manual_seed(9)
    arnn_torch.load(path)
    assert torch.equal(torch.rand(3), expected)


def test_integer_inputs_are_refused_by_name():
    with pytest.raises(ArnnError, match="input must be floating point, got torch.int64"):
        small_ntm()(torch.zeros(1, 2, 9, dtype=torch.int64))


def test_dnc_round_trip_and_its_config_limits(tmp_path):
    torch.manual_seed(2)
    model = arnn_torch.DNC(arnn_torch.DNCConfig(inputSize=10, outputSize=9, memoryRows=12, memoryWidth=5,
                                                readHeads=2, controllerSize=16))
    path = tmp_path / "dnc.safetensors"
    arnn_torch.save(model, path, task="repeat-copy")
    loaded, meta = arnn_torch.load(path)
    assert meta["arnn.kind"] == "dnc" and loaded.config == model.config
    x = torch.rand(2, 6, 10)
    logits, inner = loaded(x, internals=True)
    assert torch.equal(logits, model(x)) and inner["link"].shape == (2, 6, 12, 12)
    with pytest.raises(ArnnError, match="memoryRows must be in 1...1024, got 2048"):
        arnn_torch.DNCConfig(inputSize=1, outputSize=1, memoryRows=2048)
