"""The neural stack, queue and deque (docs/models/neural-stack.md) and the transduction tasks they run on:
the strength operations by hand (the paper's worked example and footnote 1's ties), the model's names and
step, the parity fixture the Swift tests read, training, and checkpoints both ways with the arnn binary.

The tests that run arnn need the binary: $ARNN, or .build/release/arnn of this repository; they are skipped
without it.
"""

import json
import pathlib
import subprocess

import pytest
import torch
from safetensors import safe_open

import arnn_torch
from arnn_torch import ArnnError, NeuralDeque, NeuralQueue, NeuralStack, NeuralStackConfig, RecurrentTokenRunner
from arnn_torch.models.neural_stack import BOTTOM, TOP, neural_pop, neural_read_weights
from arnn_torch.recurrent_tokens import BOS, EOS
from arnn_torch.train import train

from test_arnn_cli import ARNN

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests" / "Fixtures" / "neural_stack_parity.safetensors"
MODELS = {"stack": NeuralStack, "queue": NeuralQueue, "deque": NeuralDeque}
needs_arnn = pytest.mark.skipif(ARNN is None, reason="no arnn binary (set ARNN or build .build/release/arnn)")


def step(s, pop, push, end):
    """One step on strengths s (oldest first): pop from `end`, push on top; the strengths and read weights."""
    popped = neural_pop(torch.tensor([s]).reshape(1, len(s)), torch.tensor([[pop]]), end)
    pushed = torch.cat([popped, torch.tensor([[push]])], 1)
    return pushed[0].tolist(), neural_read_weights(pushed, end)[0].tolist()


def close(a, b):
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b))


# The strength operations (the same cases as Tests/EngineTests/NeuralStackOperationTests.swift).

def test_the_stack_of_the_papers_figure():
    s1, w1 = step([], 0, 0.8, TOP)
    assert close(s1, [0.8]) and close(w1, [0.8])
    s2, w2 = step(s1, 0.1, 0.5, TOP)
    assert close(s2, [0.7, 0.5]) and close(w2, [0.5, 0.5])
    s3, w3 = step(s2, 0.9, 0.9, TOP)
    assert close(s3, [0.3, 0, 0.9]) and close(w3, [0.1, 0, 0.9])


def test_a_queue_pops_and_reads_the_oldest_rows_and_a_large_pop_empties_all():
    s3, w3 = step([0.7, 0.5], 0.9, 0.9, BOTTOM)
    assert close(s3, [0, 0.3, 0.9]) and close(w3, [0, 0.3, 0.7])
    s, w = step([0.4, 0.3], 2, 0, TOP)
    assert close(s, [0, 0, 0]) and close(w, [0, 0, 0])


def strength_gradient(s, r, f):
    x = torch.tensor([s], requires_grad=True)
    (f(x) * torch.tensor([r])).sum().backward()
    return x.grad[0].tolist()


def test_at_a_min_tie_the_read_weight_follows_its_own_strength():
    # min(0.5, 1 − 0.5) is a tie; footnote 1 takes the left argument: w₀ moves with s₀ alone.
    assert close(strength_gradient([0.5, 0.5], [1, 0], lambda x: neural_read_weights(x, TOP)), [1, 0])
    assert close(strength_gradient([0.6, 0.5], [1, 0], lambda x: neural_read_weights(x, TOP)), [0, -1])
    # torch.minimum would split the tie: the reason the module is written with torch.where.
    split = strength_gradient([0.5, 0.5], [1, 0], lambda x: torch.minimum(x, torch.clamp(1 - x.flip(1), min=0)))
    assert not close(split, [1, 0])


def test_at_a_max_tie_a_popped_row_passes_no_gradient():
    s = torch.tensor([[0.3, 0.5]], requires_grad=True)
    u = torch.tensor([[0.5]], requires_grad=True)
    neural_pop(s, u, TOP).sum().backward()
    assert close(s.grad[0].tolist(), [1, 0]) and close(u.grad[0].tolist(), [0])


# The model.

def small(kind, seed=0, **fields):
    torch.manual_seed(seed)
    return MODELS[kind](NeuralStackConfig(**{"inputSize": 3, "outputSize": 2, "hiddenSize": 4, "valueSize": 3,
                                              **fields}))


def test_parameters_are_named_and_shaped_as_arnns():
    names = {"controller.weight_ih": [16, 6], "controller.weight_hh": [16, 4], "controller.bias_ih": [16],
             "controller.bias_hh": [16], "initial_hidden": [4], "push.weight": [1, 4], "push.bias": [1],
             "pop.weight": [1, 4], "pop.bias": [1], "value.weight": [3, 4], "value.bias": [3],
             "output.weight": [4, 4], "output.bias": [4], "readout.weight": [2, 4], "readout.bias": [2]}
    assert {k: list(v.shape) for k, v in small("stack").state_dict().items()} == names
    deque = small("deque")
    shapes = {k: list(v.shape) for k, v in deque.state_dict().items()}
    assert shapes["controller.weight_ih"] == [16, 9] and shapes["value.weight"] == [6, 4] and shapes["pop.bias"] == [2]
    assert deque.pop.bias.tolist() == [-1, -1] and deque.push.bias.tolist() == [0, 0]     # Appendix B; pushBias
    assert small("queue", popBias=-2.5).pop.bias.tolist() == [-2.5]
    assert [arnn_torch.MODELS[k] for k in ("stack", "queue", "deque")] == [NeuralStack, NeuralQueue, NeuralDeque]
    assert [h.name for h in deque.heads] == ["top", "bottom"] and small("queue").heads[0].name == "front"


def test_config_is_checked_with_arnns_messages():
    with pytest.raises(ArnnError, match=r"^neural stack config: valueSize must be in 1\.\.\.4096, got 0$"):
        NeuralStackConfig(inputSize=3, outputSize=2, valueSize=0)
    with pytest.raises(ArnnError, match="unknown field 'memoryRows'"):
        NeuralStackConfig(inputSize=3, outputSize=2, memoryRows=8)
    assert NeuralStackConfig(inputSize=3, outputSize=2).to_json() == \
        '{"bottomPushBias":null,"hiddenSize":64,"inputSize":3,"outputSize":2,"popBias":-1.0,"pushBias":0.0,"valueSize":32}'


def test_bottom_push_bias_starts_only_the_deques_bottom_head():
    assert small("deque", pushBias=1.0, bottomPushBias=-2.0).push.bias.tolist() == [1, -2]
    assert small("deque", pushBias=1.0).push.bias.tolist() == [1, 1]
    for kind in ("stack", "queue"):
        with pytest.raises(ArnnError, match=f"^neural stack: bottomPushBias .* a {kind} pushes only on top"):
            small(kind, bottomPushBias=-2.0)
    with pytest.raises(ArnnError, match="bottomPushBias must be a finite number"):
        NeuralStackConfig(inputSize=3, outputSize=2, bottomPushBias=float("inf"))
    assert NeuralStackConfig.from_json('{"inputSize":3,"outputSize":2,"bottomPushBias":-2}').bottomPushBias == -2.0


@pytest.mark.parametrize("kind", ["stack", "queue", "deque"])
def test_stepping_gives_the_forward_logits_and_the_structure_grows_by_its_heads(kind):
    model = small(kind, seed=1)
    x = torch.rand(2, 5, 3) * 2 - 1
    logits, inner = model(x, internals=True)
    e = len(model.heads)
    assert inner["strengths"].shape == (2, 5, 5 * e) and inner["read_weights"].shape == (2, 5, e, 5 * e)
    state, steps = None, []
    for t in range(5):
        y, state, step_inner = model.step(x[:, t], state)
        steps.append(y)
        assert step_inner["strengths"].shape == (2, e * (t + 1))
        assert torch.equal(step_inner["strengths"], inner["strengths"][:, t, : e * (t + 1)])
        assert not inner["strengths"][:, t, e * (t + 1):].any()
        # (3), (6): each head reads at most depth 1.
        assert (step_inner["read_weights"].sum(-1) <= 1 + 1e-6).all()
    assert torch.equal(torch.stack(steps, 1), logits)
    (logits ** 2).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_a_deque_pushes_under_the_bottom_and_on_top():
    model = small("deque", seed=2)
    _, inner = model(torch.rand(1, 3, 3), internals=True)
    s = inner["strengths"][0, 2, :6]
    assert torch.equal(s[0], inner["push"][0, 2, 1]) and torch.equal(s[-1], inner["push"][0, 2, 0])


@pytest.mark.parametrize("kind", ["stack", "queue", "deque"])
def test_the_parity_fixture_is_what_this_package_computes(kind):
    """Tests/Fixtures/neural_stack_parity.safetensors (which NeuralStackParityTests checks arnn against) holds
    this module's logits and gradients: a change to the module that moves them must regenerate it."""
    with safe_open(str(FIXTURE), framework="pt") as f:
        meta = f.metadata()
        tensors = {k[len(kind) + 1:]: f.get_tensor(k) for k in f.keys() if k.startswith(kind + ".")}
    assert meta[f"{kind}.arnn.kind"] == kind
    model = MODELS[kind](NeuralStackConfig.from_json(meta[f"{kind}.arnn.config"]))
    model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("reference.")})
    x, dy = tensors["reference.input"], tensors["reference.upstream"]
    logits = model(x.transpose(0, 1)).transpose(0, 1)
    (logits * dy).sum().backward()
    assert (logits - tensors["reference.logits"]).abs().max() < 1e-6
    for name, p in model.named_parameters():
        assert (p.grad - tensors[f"reference.grad.{name}"]).abs().max() < 1e-6, name


# Transduction tasks.

def test_each_rule_rewrites_the_sequence_as_the_paper_says():
    s = list("abcdef")
    assert arnn_torch.SymbolCopyTask.target(s) == s
    assert arnn_torch.ReversalTask.target(s) == list("fedcba")
    assert arnn_torch.BigramFlipTask.target(s) == list("badcfe")
    assert arnn_torch.SortTask.target(list("qbxbma")) == list("abbmqx")


def test_samples_and_lengths_follow_arnns_rules():
    task = arnn_torch.make_task("reversal", symbols=8)
    assert task.io_sizes == (12, 12) and RecurrentTokenRunner.widths(task) == (24, 12)
    assert task.vocabulary.tokens[:5] == ("<pad>", "<bos>", "<eos>", "<unk>", "a")
    rng = arnn_torch.SeededRNG(3)
    for n in (1, 8, 33, 128):
        p = task.sample(rng, n)
        assert p.own_length == n and p.target_words == p.source_words[::-1]
        assert all(4 <= i < 12 for i in p.source_ids)
    copy = arnn_torch.make_task("symbol-copy")
    assert {copy.sample(rng).own_length for _ in range(2000)} == set(range(8, 33))
    flip = arnn_torch.make_task("bigram-flip", minLength=8, maxLength=32)     # odd bounds are refused, as arnn's
    assert {flip.sample(rng).own_length for _ in range(2000)} == set(range(8, 33, 2))
    # The draws, in order: the length, then each symbol.
    a, b = arnn_torch.SeededRNG(9), arnn_torch.SeededRNG(9)
    n = b.int_in(8, 32)
    assert copy.sample(a) == copy.sample(b, n)
    assert arnn_torch.ReversalTask().evaluation_lengths == [16, 32, 64, 128]
    assert arnn_torch.BigramFlipTask(minLength=8, maxLength=30).evaluation_lengths == [16, 30, 60, 120]
    # Sorting: 32-64 letters of 26, scored inside the trained range.
    sort = arnn_torch.make_task("sort")
    assert (sort.symbols, sort.length_range, sort.evaluation_lengths) == (26, (32, 64), [32, 48, 64])
    p = sort.sample(arnn_torch.SeededRNG(4))
    assert 32 <= p.own_length <= 64 and p.target_words == sorted(p.source_words) and p.target_words != p.source_words


def test_typed_symbols_and_bad_settings_are_refused_in_one_line():
    task = arnn_torch.ReversalTask(symbols=8)
    assert task.sample_text("a b c").target_words == ["c", "b", "a"]
    assert task.sample_text("abcd").source_words == list("abcd")
    with pytest.raises(ArnnError, match="^type a sequence of symbols a–h"):
        task.sample_text("  ")
    with pytest.raises(ArnnError, match='^unknown symbol "z": the task\'s symbols are a–h'):
        task.sample_text("a b z")
    with pytest.raises(ArnnError, match="at most 256"):
        task.sample_text("a " * 257)
    with pytest.raises(ArnnError, match="needs an even number of symbols"):
        arnn_torch.BigramFlipTask().sample_text("a b c")
    with pytest.raises(ArnnError, match=r"^reversal: symbols must be at most 26 \(the letters a–z\), got 27$"):
        arnn_torch.ReversalTask(symbols=27)
    with pytest.raises(ArnnError, match=r"^reversal: maxLength \(8\) must not be less than minLength \(9\)$"):
        arnn_torch.ReversalTask(minLength=9, maxLength=8)
    with pytest.raises(ArnnError, match="^bigram-flip: length must be even"):
        arnn_torch.BigramFlipTask().sample(arnn_torch.SeededRNG(1), 9)
    assert task.decode([6, 5, 4, EOS, 7]) == "c b a"


def test_a_batch_of_reversals_pads_without_changing_any_row():
    task = arnn_torch.make_task("reversal")
    runner = RecurrentTokenRunner(small("deque", seed=3, inputSize=32, outputSize=16), task)
    rng = arnn_torch.SeededRNG(4)
    pairs = [task.sample(rng, n) for n in (3, 9, 5)]
    sources, targets = [p.source_ids for p in pairs], [p.target_ids for p in pairs]
    batch = runner.logits(sources, targets)
    for j, (s, y) in enumerate(zip(sources, targets)):
        alone = runner.logits([s], [y])[0]
        assert torch.allclose(batch[j, : len(s) + len(y) + 1], alone, atol=1e-6)
    tokens, _ = runner.greedy(sources)
    for j, s in enumerate(sources):
        row, _ = runner.greedy([s])
        assert tokens[j, : row.shape[1]].tolist() == row[0].tolist()


# Training.

TINY = ["--task-set", "maxLength=10", "--seed", "3", "--batch-size", "2", "--sequences", "6", "--log-every", "0",
        "--lr", "1e-3", "--device", "cpu"]


@pytest.mark.parametrize("kind, task", [("stack", "reversal"), ("queue", "symbol-copy"), ("deque", "bigram-flip"),
                                        ("lstm", "reversal")])
def test_train_writes_a_checkpoint_on_a_transduction_task(tmp_path, kind, task):
    out = tmp_path / f"{kind}.safetensors"
    sizes = ["--set", "hiddenSize=8"] + ([] if kind == "lstm" else ["--set", "valueSize=4"])
    assert train(["--model", kind, "--task", task, "--out", str(out), "--clip-norm", "1"] + sizes + TINY) == 0
    model, meta = arnn_torch.load(out)
    assert meta["arnn.kind"] == kind and meta["arnn.task"] == task and meta["arnn.steps"] == "6"
    assert set(json.loads(meta["arnn.last_results"])) == {"meanCEBits", "meanWrongTokens"}
    assert json.loads(meta["arnn.training"])["clipNorm"] == 1
    assert model.config.io_sizes == (32, 16) and isinstance(arnn_torch.task_of(meta), type(arnn_torch.make_task(task)))


def test_train_refuses_act_on_a_token_task(tmp_path):
    with pytest.raises(ArnnError, match="^a act model has an auxiliary cost, which token tasks do not train"):
        train(["--model", "act", "--task", "reversal", "--out", str(tmp_path / "x.safetensors")] + TINY[:2])
    assert not (tmp_path / "x.safetensors").exists()


# Against the arnn binary.

def arnn(*args, cwd=REPO):
    return subprocess.run([ARNN, *args], check=True, capture_output=True, text=True, cwd=cwd).stdout


def check_trace(model, task, trace, kind):
    """Greedy decoding in PyTorch on arnn's traced example writes arnn's tokens with arnn's logits, and the
    structure after every step (strengths, read weights, reads) is arnn's."""
    runner = RecurrentTokenRunner(model, task)
    frames = trace["frames"]
    source = trace["example"]["sourceTokens"]
    tokens, logits = runner.greedy([source])
    assert tokens[0].tolist() == [f["outputToken"] for f in frames if f["phase"] == "answer"]
    assert [f["inputToken"] for f in frames] == source + [BOS] + tokens[0, :-1].tolist()
    theirs = torch.tensor([f[kind]["logits"] for f in frames])
    assert (logits[0] - theirs).abs().max().item() < 1e-5
    with torch.no_grad():
        x, _ = runner.batch([source], [tokens[0, :-1].tolist()])
        _, inner = model(x, internals=True)
    for t, f in enumerate(frames):
        n = len(f[kind]["strengths"])
        assert n == len(model.heads) * (t + 1)
        assert torch.allclose(inner["strengths"][0, t, :n], torch.tensor(f[kind]["strengths"]), atol=1e-5)
        assert torch.allclose(inner["read_weights"][0, t, :, :n], torch.tensor(f[kind]["readWeights"]), atol=1e-5)
        assert torch.allclose(inner["reads"][0, t], torch.tensor(f[kind]["reads"]), atol=1e-5)


@needs_arnn
@pytest.mark.parametrize("kind", ["stack", "queue", "deque"])
def test_a_checkpoint_arnn_trained_loads_and_runs_to_arnns_trace(tmp_path, kind):
    path = tmp_path / f"{kind}.safetensors"
    arnn("train", "--model", kind, "--task", "reversal", "--sequences", "200", "--batch-size", "10", "--lr", "1e-3",
         "--seed", "2", "--out", str(path), cwd=tmp_path)
    model, meta = arnn_torch.load(path)                    # the optimiser state in the file is skipped
    assert isinstance(model, MODELS[kind]) and meta["arnn.steps"] == "200"
    task = arnn_torch.task_of(meta)
    assert isinstance(task, arnn_torch.ReversalTask)
    trace = json.loads(arnn("trace", str(path), "--seed", "3", "--length", "12"))
    # arnn's example for the seed is this package's.
    pair = task.sample(arnn_torch.SeededRNG(3), 12)
    assert trace["example"]["sourceTokens"] == pair.source_ids and trace["example"]["targetTokens"] == pair.target_ids
    check_trace(model, task, trace, kind)


@needs_arnn
@pytest.mark.parametrize("kind, task", [("stack", arnn_torch.ReversalTask(symbols=6)),
                                        ("queue", arnn_torch.SymbolCopyTask()),
                                        ("deque", arnn_torch.BigramFlipTask(maxLength=20))])
def test_arnn_traces_a_pytorch_checkpoint_without_flags(tmp_path, kind, task):
    torch.manual_seed(0)
    x, y = RecurrentTokenRunner.widths(task)
    model = MODELS[kind](NeuralStackConfig(inputSize=x, outputSize=y, hiddenSize=12, valueSize=5, popBias=0.5))
    with torch.no_grad():
        model.pop.weight.mul_(4)                           # pops that empty rows
    path = tmp_path / f"{kind}.safetensors"
    arnn_torch.save(model, path, task=task)
    trace = json.loads(arnn("trace", str(path), "--seed", "5", "--length", "8"))
    assert trace["model"]["kind"] == kind and trace["task"] == task.config()
    assert trace["example"]["sourceTokens"] == task.sample(arnn_torch.SeededRNG(5), 8).source_ids
    check_trace(model, task, trace, kind)
    typed = json.loads(arnn("trace", str(path), "--sentence", "abcdef"))
    check_trace(model, task, typed, kind)
