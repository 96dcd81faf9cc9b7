"""The transformer encoder-decoder (docs/models/transformer.md): the Swift parity fixtures (exact attention, the
Linformer's and the Performer's), PyTorch's own pre-norm layers, causality, padding, the key and value cache
against the masked parallel decoder, greedy decoding, its positions and initialisation, its checkpoint layout
and one-line refusals of bad input; the approximations (eqs. 13-20): the Performer's features drawn as arnn
draws them, the Linformer's E and F, padding under both, and the shipped sort-linformer and sort-performer
demos decoding as arnn decodes them."""

import importlib.util
import json
import math
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn

import arnn_torch
from arnn_torch import ArnnError, Transformer, TransformerConfig
from arnn_torch.models.transformer import EOS, PAD, pad_ids, sinusoidal_positions

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures"
FIXTURE = FIXTURES / "transformer_parity.safetensors"
ATTENTIONS = ("softmax", "linformer", "performer")
SMALL = dict(sourceVocabulary=11, targetVocabulary=13, modelSize=16, heads=4, feedForwardSize=32, encoderLayers=2,
             decoderLayers=3)


def small(seed=0, **sizes):
    """A small model whose biases and norms are moved off 0 and 1, so that none of them hides a mistake."""
    torch.manual_seed(seed)
    model = Transformer(TransformerConfig(**{**SMALL, **sizes}))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.uniform_(-0.5, 0.5)
            elif ".norm" in name or name.startswith("norm"):
                p.uniform_(0.5, 1.5)
    return model


def _fixture_script():
    spec = importlib.util.spec_from_file_location("make_transformer_fixture", FIXTURES / "make_transformer_fixture.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@pytest.mark.parametrize("attention", ATTENTIONS)
def test_regenerates_the_swift_parity_fixture(tmp_path, attention):
    """Tests/Fixtures/transformer_parity.safetensors and its Linformer and Performer siblings, which
    TransformerParityTests checks arnn against: the script draws the same weights (and the Performer's
    features) bit for bit, and computes the same values (to rounding, which another CPU or torch build may do
    in another order)."""
    script = _fixture_script()
    fixture = FIXTURES / script.FILES[attention]
    script.main(tmp_path / "again.safetensors", attention)
    old, new = load_file(str(fixture)), load_file(str(tmp_path / "again.safetensors"))
    assert sorted(old) == sorted(new)
    for name in old:
        if name.startswith("reference.") and not name.endswith("performer_features"):
            scale = max(1.0, old[name].abs().max().item())
            assert torch.allclose(new[name], old[name], rtol=0, atol=1e-6 * scale), name
        else:
            assert torch.equal(new[name], old[name]), name
    with safe_open(str(fixture), framework="pt") as f:
        meta = f.metadata()
    assert meta["arnn.kind"] == "transformer"
    config = script.APPROXIMATIONS[attention]["config"] if attention != "softmax" else script.CONFIG
    assert TransformerConfig.from_json(meta["arnn.config"]) == TransformerConfig(**config)
    assert json.loads(meta["sources"]) == script.SOURCES and json.loads(meta["targets"]) == script.TARGETS


@pytest.mark.parametrize("attention", ATTENTIONS)
def test_the_fixture_loads_as_a_checkpoint_and_gives_its_logits_loss_gradients_and_attention(tmp_path, attention):
    """Each fixture's weights, loaded as a checkpoint, give its logits, loss, gradients (E and F's among them
    for the Linformer) and maps; the Performer's, with the features this package draws from the config's
    seed, which are the fixture's bit for bit."""
    fixture = FIXTURES / _fixture_script().FILES[attention]
    ref = load_file(str(fixture))
    with safe_open(str(fixture), framework="pt") as f:
        meta = f.metadata()
    weights = tmp_path / "weights.safetensors"
    save_file({n: t for n, t in ref.items() if not n.startswith("reference.")}, str(weights),
              metadata={"arnn.kind": meta["arnn.kind"], "arnn.config": meta["arnn.config"]})
    model, _ = arnn_torch.load(weights)
    assert model.config.attention == attention
    for name, w in model.named_buffers():
        assert torch.equal(w, ref[f"reference.{name}"]), name
    assert len(list(model.named_buffers())) == (4 if attention == "performer" else 0)
    sources, targets = json.loads(meta["sources"]), json.loads(meta["targets"])
    logits, inner = model(sources, targets, internals=True)
    loss = model.loss(sources, targets)
    loss.backward()
    assert torch.allclose(logits.transpose(0, 1), ref["reference.logits"], atol=1e-6)
    assert abs(loss.item() - ref["reference.loss"].item()) < 1e-6
    for name, p in model.named_parameters():
        assert torch.allclose(p.grad, ref[f"reference.grad.{name}"], atol=1e-6), name
    assert torch.allclose(inner["encoder_attention"].transpose(0, 1), ref["reference.encoder_attention"], atol=1e-7)
    assert torch.allclose(inner["cross_attention"].permute(3, 1, 0, 2, 4), ref["reference.cross_attention"], atol=1e-7)
    assert torch.allclose(inner["self_attention"].permute(3, 1, 0, 2, 4), ref["reference.self_attention"], atol=1e-7)


def test_the_loss_is_the_cross_entropy_summed_over_target_tokens_over_their_number():
    model = small()
    sources, targets = [[4, 5], [6, 7, 8]], [[5, 6, 7], [8]]
    logits = model(sources, targets)
    wanted = model.teacher_targets(targets)
    assert wanted.tolist() == [[5, 6, 7, EOS], [8, EOS, PAD, PAD]]
    total = sum(-torch.log_softmax(logits[b, t], -1)[wanted[b, t]] for b in range(2) for t in range(4)
                if wanted[b, t] != PAD)
    assert torch.allclose(model.loss(sources, targets), total / 6, atol=1e-6)      # 4 + 2 target tokens


def test_pytorchs_own_pre_norm_layers_give_the_same_numbers():
    """The doc: PyTorch builds the same layers with norm_first=True and a final LayerNorm on each stack. Loaded
    with this model's state_dict, nn.TransformerEncoder and nn.TransformerDecoder give its memory and logits,
    and nn.MultiheadAttention its per-head weights."""
    model = small(seed=4)
    c = model.config
    d, h, f = c.modelSize, c.heads, c.feedForwardSize
    source, target = pad_ids([[4, 5, 6, 7], [8, 9]]), pad_ids([[5, 6], [7, 8, 9, 10]])
    layer = dict(d_model=d, nhead=h, dim_feedforward=f, dropout=0.0, batch_first=True, norm_first=True)
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**layer), c.encoderLayers, norm=nn.LayerNorm(d),
                                    enable_nested_tensor=False)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**layer), c.decoderLayers, norm=nn.LayerNorm(d))
    state = model.state_dict()
    for prefix, module in (("encoder.", encoder), ("decoder.", decoder)):
        module.load_state_dict({n[len(prefix):]: t for n, t in state.items() if n.startswith(prefix)})
    logits, inner = model(source, target, internals=True)
    with torch.no_grad():
        inputs = model._decoder_inputs(target)
        padding = source == PAD
        memory = encoder(model._embed(model.source_embedding, source), src_key_padding_mask=padding)
        causal = nn.Transformer.generate_square_subsequent_mask(inputs.shape[1])
        out = decoder(model._embed(model.target_embedding, inputs), memory, tgt_mask=causal, tgt_is_causal=True,
                      memory_key_padding_mask=padding)
        # The first encoder layer's attention maps, from nn.MultiheadAttention on the first norm's output.
        first = encoder.layers[0]
        a = first.norm1(model._embed(model.source_embedding, source))
        _, maps = first.self_attn(a, a, a, key_padding_mask=padding, need_weights=True, average_attn_weights=False)
    assert torch.allclose(memory, inner["memory"], atol=1e-5)
    assert torch.allclose(model.output(out), logits, atol=1e-5)
    assert torch.allclose(maps, inner["encoder_attention"][:, 0], atol=1e-6)


def test_a_position_is_blind_to_the_targets_after_it():
    model = small()
    with torch.no_grad():
        one = model([[4, 6, 7]], [[5, 8, 3, 9]])
        other = model([[4, 6, 7]], [[5, 8, 7, 4]])
    # Positions 0 … 2 read <bos>, 5, 8 in both; positions 3 and 4 read different tokens.
    assert torch.equal(one[:, :3], other[:, :3])
    assert not torch.allclose(one[:, 3:], other[:, 3:])


def test_padding_changes_nothing_and_padded_source_positions_get_exactly_zero_weight():
    model = small(seed=2)
    with torch.no_grad():
        alone, inner_alone = model([[8, 4]], [[5, 6, 7]], internals=True)
        batch, inner = model([[8, 4], [4, 5, 6, 7, 10]], [[5, 6, 7], [9]], internals=True)
    assert torch.allclose(batch[0], alone[0], atol=1e-6)                    # 4 positions each: no target padding
    assert torch.allclose(inner["encoder_attention"][0, :, :, :2, :2], inner_alone["encoder_attention"][0], atol=1e-6)
    assert torch.equal(inner["encoder_attention"][0, ..., 2:], torch.zeros(2, 4, 5, 3))
    assert torch.equal(inner["cross_attention"][0, ..., 2:], torch.zeros(3, 4, 4, 3))
    assert torch.allclose(inner["cross_attention"][0, ..., :2], inner_alone["cross_attention"][0], atol=1e-6)
    # The second sentence's target is padded after its <eos>: its real positions are those it has alone.
    with torch.no_grad():
        second = model([[4, 5, 6, 7, 10]], [[9]])
    assert torch.allclose(batch[1, :2], second[0], atol=1e-6)


def test_the_cached_steps_are_the_masked_parallel_decoder():
    """docs/models/transformer.md, "Same numbers as a masked parallel decoder": one position per step over the
    key and value cache gives the logits and weights of every position at once under the causal mask."""
    model = small(seed=5)
    sources, targets = pad_ids([[4, 5, 6], [7, 8, 9, 10, 4]]), pad_ids([[5, 6, 7, 8], [9]])
    with torch.no_grad():
        logits, inner = model(sources, targets, internals=True)
        memory = model.encode(sources)
        inputs = model._decoder_inputs(targets)
        state, steps = None, []
        for t in range(inputs.shape[1]):
            state, step_logits, step_inner = model.step(inputs[:, t], state, memory)
            steps.append((step_logits, step_inner))
            assert state.position == t + 1 and all(k.shape == (2, 4, t + 1, 4) for k in state.keys)
    for t, (step_logits, step_inner) in enumerate(steps):
        assert torch.allclose(step_logits, logits[:, t], atol=1e-5)
        assert torch.allclose(step_inner["self_attention"], inner["self_attention"][:, :, :, t, :t + 1], atol=1e-6)
        assert torch.allclose(step_inner["cross_attention"], inner["cross_attention"][:, :, :, t], atol=1e-6)
        assert torch.allclose(step_inner["weights"], inner["weights"][:, t], atol=1e-6)
    # Row t of the masked map: exact zeros after t, and every row sums to 1.
    own = inner["self_attention"]
    assert torch.equal(own.triu(1), torch.zeros_like(own))
    for key in ("encoder_attention", "self_attention", "cross_attention", "weights"):
        assert torch.allclose(inner[key].sum(-1), torch.ones(()), atol=1e-5), key


def test_greedy_writes_the_argmax_of_teacher_forcing_on_its_own_output_and_stops():
    model = small(seed=3)
    sources = [[4, 5, 6], [7]]
    tokens, weights, inner = model.greedy(sources, internals=True)
    length = tokens.shape[1]
    assert inner["self_attention"].shape == (2, 3, 4, length, length)
    assert inner["cross_attention"].shape == (2, 3, 4, length, 3)
    for j, source in enumerate(sources):
        row, limit = tokens[j].tolist(), 2 * len(source) + 4
        written = row[: row.index(EOS) + 1] if EOS in row[:limit] else row[:limit]
        assert all(t == PAD for t in row[len(written):])
        n = len(written)
        with torch.no_grad():
            logits, forced = model([source], [written[:-1]], internals=True)
        assert logits[0].argmax(-1).tolist() == written
        # The attention decoding computed is teacher forcing's on the written tokens, and zero after the end.
        assert torch.allclose(inner["self_attention"][j, :, :, :n, :n], forced["self_attention"][0], atol=1e-6)
        assert torch.allclose(inner["cross_attention"][j, :, :, :n, :len(source)], forced["cross_attention"][0], atol=1e-6)
        assert torch.allclose(weights[j, :n, :len(source)], forced["weights"][0], atol=1e-6)
        assert torch.equal(weights[j, n:], torch.zeros(length - n, 3))
    with torch.no_grad():
        encoded = model(sources, [[4], [4]], internals=True)[1]["encoder_attention"]
    assert torch.equal(inner["encoder_attention"], encoded)
    capped, uncapped = model.greedy([[4, 5, 6, 7, 8]], max_len=2)[0], model.greedy([[4, 5, 6, 7, 8]])[0]
    assert capped.shape[1] <= 2 and torch.equal(capped, uncapped[:, :capped.shape[1]])


def test_sinusoidal_positions_follow_the_formula_by_hand():
    """Eq. (2) and the doc's examples: P_0 = (0, 1, 0, 1, …); at d = 4, P_1 = (sin 1, cos 1, sin 0.01, cos 0.01)."""
    assert sinusoidal_positions(1, 6).tolist() == [[0.0, 1.0, 0.0, 1.0, 0.0, 1.0]]
    p1 = sinusoidal_positions(2, 4)[1]
    assert torch.allclose(p1, torch.tensor([0.841470985, 0.540302306, 0.00999983333, 0.999950000]), atol=1e-7)
    p5 = sinusoidal_positions(1, 8, start=5)[0]                                # angles 5, 0.5, 0.05, 0.005
    assert torch.allclose(p5, torch.tensor([math.sin(5), math.cos(5), math.sin(0.5), math.cos(0.5), math.sin(0.05),
                                            math.cos(0.05), math.sin(0.005), math.cos(0.005)]), atol=1e-7)
    assert torch.equal(sinusoidal_positions(6, 8)[5], p5)
    # The last pair at d = 64 turns by 10000^(−62/64) ≈ 1.3e-4 radian per position.
    assert abs(sinusoidal_positions(2, 64)[1, 62].item() - 10000 ** (-62 / 64)) < 1e-9


def test_initialisation_follows_the_doc():
    torch.manual_seed(1)
    model = Transformer(TransformerConfig(sourceVocabulary=80, targetVocabulary=124))
    d = 64
    state = model.state_dict()
    assert abs(state["source_embedding.weight"].std().item() - d ** -0.5) < 0.01        # N(0, 1/d): 0.125
    assert abs(state["target_embedding.weight"].std().item() - d ** -0.5) < 0.01
    for name, t in state.items():
        if name.endswith("in_proj_weight"):
            bound = math.sqrt(6 / (4 * d))                                          # ±0.153
            assert t.abs().max() <= bound and t.abs().max() > 0.95 * bound, name
        elif name.endswith("in_proj_bias") or name.endswith("out_proj.bias"):
            assert torch.equal(t, torch.zeros_like(t)), name
        elif name.endswith("out_proj.weight"):
            assert t.abs().max() <= d ** -0.5 and t.abs().max() > 0.95 * d ** -0.5, name
        elif ".norm" in name:
            assert torch.equal(t, torch.ones_like(t) if name.endswith("weight") else torch.zeros_like(t)), name
        elif "linear2" in name:
            assert t.abs().max() <= 256 ** -0.5 and t.abs().max() > 0.9 * 256 ** -0.5, name
        elif "linear1" in name or name.startswith("output."):
            assert t.abs().max() <= d ** -0.5 and t.abs().max() > 0.9 * d ** -0.5, name


def test_state_dict_is_the_docs_checkpoint_layout():
    """docs/models/transformer.md, "Checkpoint tensors": names in the order of Transformer.parameters, shapes, and
    the doc's count of 254,844 numbers for the translation task's vocabularies."""
    d, f = 4, 5
    attention = lambda p: {f"{p}.in_proj_weight": (3 * d, d), f"{p}.in_proj_bias": (3 * d,),  # noqa: E731
                           f"{p}.out_proj.weight": (d, d), f"{p}.out_proj.bias": (d,)}
    feed_forward = lambda p: {f"{p}.linear1.weight": (f, d), f"{p}.linear1.bias": (f,),  # noqa: E731
                              f"{p}.linear2.weight": (d, f), f"{p}.linear2.bias": (d,)}
    norms = lambda p, n: {f"{p}.norm{i}.{w}": (d,) for i in range(1, n + 1) for w in ("weight", "bias")}  # noqa: E731
    expected = {"source_embedding.weight": (6, d), "target_embedding.weight": (7, d),
                **attention("encoder.layers.0.self_attn"), **feed_forward("encoder.layers.0"),
                **norms("encoder.layers.0", 2), "encoder.norm.weight": (d,), "encoder.norm.bias": (d,),
                **attention("decoder.layers.0.self_attn"), **attention("decoder.layers.0.multihead_attn"),
                **feed_forward("decoder.layers.0"), **norms("decoder.layers.0", 3),
                "decoder.norm.weight": (d,), "decoder.norm.bias": (d,), "output.weight": (7, d), "output.bias": (7,)}
    model = Transformer(TransformerConfig(sourceVocabulary=6, targetVocabulary=7, modelSize=d, heads=2,
                                          feedForwardSize=f, encoderLayers=1, decoderLayers=1))
    assert [(n, tuple(t.shape)) for n, t in model.state_dict().items()] == list(expected.items())
    default = Transformer(TransformerConfig(sourceVocabulary=80, targetVocabulary=124))
    assert sum(p.numel() for p in default.parameters()) == 254_844 == 233_728 + 64 * 80 + 129 * 124


def test_save_and_load_round_trip_with_the_translation_task(tmp_path):
    model = small(sourceVocabulary=80, targetVocabulary=124)
    path = tmp_path / "transformer.safetensors"
    arnn_torch.save(model, path, task="translation")
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, Transformer) and loaded.config == model.config
    assert meta["arnn.kind"] == "transformer" and meta["arnn.task"] == "translation"
    assert json.loads(meta["arnn.config"]) == {**SMALL, "sourceVocabulary": 80, "targetVocabulary": 124,
                                               "attention": "softmax", "projection": 16, "maxSourceLength": 64,
                                               "features": 64, "featureSeed": 1, "redrawEvery": 100}
    assert torch.equal(model([[4, 5]], [[6, 7]]), loaded([[4, 5]], [[6, 7]]))
    with pytest.raises(ArnnError, match=r"task translation has source/target vocabularies \(80, 124\), the model \(11, "):
        arnn_torch.save(small(), tmp_path / "x.safetensors", task="translation")


def test_config_is_checked_as_arnn_checks_it():
    c = TransformerConfig.from_json('{"sourceVocabulary":80,"targetVocabulary":124}')   # arnn's defaults fill the rest
    assert (c.modelSize, c.heads, c.feedForwardSize, c.encoderLayers, c.decoderLayers, c.attention) == \
        (64, 4, 256, 2, 2, "softmax")
    for fields, message in [
        (dict(modelSize=7, heads=1), r"transformer config: modelSize must be even and in 2...4096"),
        (dict(modelSize=8, heads=3), "transformer config: heads must be a divisor of modelSize 8, got 3"),
        (dict(heads=0), "transformer config: heads must be in 1...64, got 0"),
        (dict(feedForwardSize=0), "transformer config: feedForwardSize must be in 1...16384, got 0"),
        (dict(decoderLayers=25), "transformer config: decoderLayers must be in 1...24, got 25"),
        (dict(targetVocabulary=4), "transformer config: targetVocabulary must be at least 5"),
        (dict(attention="nystrom"), r"transformer config: attention must be \"softmax\", \"linformer\" or "
                                    r"\"performer\", got 'nystrom'"),
        (dict(projection=9, maxSourceLength=8), r"transformer config: projection must be in 1...maxSourceLength 8 "
                                                r"\(k projected rows of at most n\), got 9"),
        (dict(features=0), r"transformer config: features must be in 1...16384, got 0"),
        (dict(featureSeed=2 ** 64), r"transformer config: featureSeed must be in 0...2\^64-1"),
        (dict(redrawEvery=-1), r"transformer config: redrawEvery must be at least 0"),
    ]:
        with pytest.raises(ArnnError, match=message):
            TransformerConfig(**{"sourceVocabulary": 9, "targetVocabulary": 9, **fields})


@pytest.mark.parametrize("call, message", [
    (lambda m: m([[4, 11]], [[5]]), "transformer: source_ids holds id 11, outside the vocabulary of 11"),
    (lambda m: m([[4]], [[5.5]]), "transformer: target_ids must be integer token ids, got 5.5"),
    (lambda m: m([[4], [0]], [[5], [5]]), "transformer: every sentence of source_ids needs at least one token"),
    (lambda m: m([[4], [5]], [[5]]), "transformer: source_ids has 2 sentences, target_ids 1"),
    (lambda m: m.greedy([[4]], max_len=0), "transformer: max_len must be a positive integer, got 0"),
])
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(ArnnError, match=message):
        call(small())


def test_an_empty_target_gives_the_first_position_alone():
    model = small()
    with torch.no_grad():
        assert torch.allclose(model([[4, 5]], [[]]), model([[4, 5]], [[6]])[:, :1], atol=1e-6)
    assert model.teacher_targets([[]]).tolist() == [[EOS]]


# The approximations (docs/models/transformer.md, "Approximate attention", eqs. 13-20).

APPROXIMATE = dict(SMALL, decoderLayers=2, projection=3, maxSourceLength=7, features=10, featureSeed=5)


def approximate(attention, seed=0, **sizes):
    """`small`, under the Linformer or the Performer (k = 3 of n = 7; m = 10 features of d_k = 4)."""
    return small(seed, **{**APPROXIMATE, "attention": attention, **sizes})


def exact_twin(model):
    """A softmax model with every weight `model` shares (all but E and F)."""
    twin = Transformer(TransformerConfig(**{**model.config.to_dict(), "attention": "softmax"}))
    twin.load_state_dict({n: t for n, t in model.state_dict().items() if "linformer" not in n})
    return twin


def test_normal_draws_are_marsaglia_pairs_of_mean_0_and_variance_1():
    rng = arnn_torch.SeededRNG(11)
    z = torch.tensor([rng.normal() for _ in range(20000)], dtype=torch.float64)
    assert abs(z.mean().item()) < 0.03 and abs(z.var().item() - 1) < 0.04
    # A pair is two uniform doubles in the unit disc: u·f then v·f, f = √(−2 ln s / s); the second is kept.
    twin = arnn_torch.SeededRNG(11)
    while True:
        u, v = 2 * twin.uniform_double() - 1, 2 * twin.uniform_double() - 1
        s = u * u + v * v
        if 0 < s < 1:
            break
    f = math.sqrt(-2 * math.log(s) / s)
    first = arnn_torch.SeededRNG(11)
    assert (first.normal(), first.normal()) == (float(torch.tensor(u * f)), float(torch.tensor(v * f)))
    assert arnn_torch.SeededRNG(11).normal(1.5, 2.0) == float(torch.tensor(1.5) + 2 * torch.tensor(u * f))


def test_performer_features_are_orthogonal_within_a_block_and_nest_across_m():
    """Eq. (20): blocks of d_k exactly orthogonal rows (to float32 rounding), each row with a length of its
    own; an attention's features at m are the first m rows at any larger m; every attention, draw and seed
    has features of its own."""
    from arnn_torch.models import performer
    config = TransformerConfig(**{**APPROXIMATE, "attention": "performer"})
    features = performer.draw(config)
    assert list(features) == ["encoder.layers.0.self_attn.performer_features",
                              "encoder.layers.1.self_attn.performer_features",
                              "decoder.layers.0.multihead_attn.performer_features",
                              "decoder.layers.1.multihead_attn.performer_features"]
    for name, w in features.items():
        assert w.shape == (10, 4) and w.dtype == torch.float32
        for block in (w[0:4], w[4:8], w[8:10]):
            unit = (block / block.norm(dim=1, keepdim=True)).double()
            assert torch.allclose(unit @ unit.T, torch.eye(len(block), dtype=torch.float64), atol=1e-6), name
        lengths = w.norm(dim=1)
        assert len(set(lengths.tolist())) == 10 and 0.3 < lengths.mean().item() / 2 < 1.5, name  # chi(4): mean ≈ 1.88
    larger = performer.draw(TransformerConfig(**{**APPROXIMATE, "attention": "performer", "features": 23}))
    assert all(torch.equal(larger[n][:10], w) for n, w in features.items())
    values = list(features.values()) + list(performer.draw(config, draw=1).values()) \
        + list(performer.draw(config, seed=6).values())
    assert len({tuple(w.flatten().tolist()) for w in values}) == len(values)


def test_linformer_with_k_equal_to_n_and_identity_projections_is_exact_attention():
    """The doc: at k = n = S with E = F = I, eq. (14) is eq. (4), and the implied map (15) is A."""
    model = approximate("linformer", projection=5, maxSourceLength=5)
    with torch.no_grad():
        for _, attention in model._approximated():
            attention.linformer_e.copy_(torch.eye(5))
            attention.linformer_f.copy_(torch.eye(5))
    sources, targets = [[4, 5, 6, 7, 8], [9, 10, 4, 5, 6]], [[5, 6], [7, 8, 9]]
    with torch.no_grad():
        logits, inner = model(sources, targets, internals=True)
        wanted, exact = exact_twin(model)(sources, targets, internals=True)
    assert torch.allclose(logits, wanted, atol=1e-5)
    for key in ("encoder_attention", "cross_attention"):
        assert torch.allclose(inner[key], exact[key], atol=1e-6), key
    # E and F act: other projections change the logits.
    with torch.no_grad():
        model.encoder.layers[0].self_attn.linformer_e.mul_(0.5)
        assert not torch.allclose(model(sources, targets), wanted, atol=1e-3)


@pytest.mark.parametrize("attention", ["linformer", "performer"])
def test_an_approximation_gives_a_padded_sentence_the_logits_and_maps_it_has_alone(attention):
    """Padded keys and values add nothing (eqs. 13, 17): the Linformer's first S_b columns of E and F, the
    Performer's φ = 0 at padding. Padded columns of the implied maps are exactly 0; the Performer's rows sum
    to 1 (19), the Linformer's need not."""
    model = approximate(attention, seed=6)
    with torch.no_grad():
        alone, inner_alone = model([[8, 4]], [[5, 6, 7]], internals=True)
        batch, inner = model([[8, 4], [4, 5, 6, 7, 10]], [[5, 6, 7], [9]], internals=True)
    assert torch.allclose(batch[0], alone[0], atol=1e-5)
    assert torch.allclose(inner["encoder_attention"][0, :, :, :2, :2], inner_alone["encoder_attention"][0], atol=1e-6)
    assert torch.allclose(inner["cross_attention"][0, ..., :2], inner_alone["cross_attention"][0], atol=1e-6)
    assert inner["encoder_attention"].shape == (2, 2, 4, 5, 5) and inner["cross_attention"].shape == (2, 2, 4, 4, 5)
    assert (inner["encoder_attention"][0, ..., 2:] == 0).all() and (inner["cross_attention"][0, ..., 2:] == 0).all()
    sums = torch.cat([inner["encoder_attention"][1].flatten(0, -2), inner["cross_attention"][1].flatten(0, -2)]).sum(-1)
    if attention == "performer":
        assert torch.allclose(sums, torch.ones(()), atol=1e-5)
    else:
        assert not torch.allclose(sums, torch.ones(()), atol=1e-2)


@pytest.mark.parametrize("attention", ["linformer", "performer"])
def test_under_an_approximation_the_cached_steps_are_the_masked_parallel_decoder(attention):
    model = approximate(attention, seed=7)
    sources, targets = pad_ids([[4, 5, 6], [7, 8, 9, 10, 4]]), pad_ids([[5, 6, 7, 8], [9]])
    with torch.no_grad():
        logits, inner = model(sources, targets, internals=True)
        memory = model.encode(sources)
        inputs = model._decoder_inputs(targets)
        state = None
        for t in range(inputs.shape[1]):
            state, step_logits, step_inner = model.step(inputs[:, t], state, memory)
            assert torch.allclose(step_logits, logits[:, t], atol=1e-5)
            assert torch.allclose(step_inner["cross_attention"], inner["cross_attention"][:, :, :, t], atol=1e-6)


@pytest.mark.parametrize("attention", ["linformer", "performer"])
def test_the_decoders_self_attention_stays_exact(attention):
    """The approximations replace the encoder's self-attention and the cross-attention only: the first decoder
    layer's causal self-attention, which reads the target alone, is the exact model's."""
    model = approximate(attention, seed=8)
    assert all(layer.self_attn.attention == "softmax" and layer.multihead_attn.attention == attention
               for layer in model.decoder.layers)
    sources, targets = [[4, 5, 6], [7, 8]], [[5, 6, 7, 8], [9]]
    with torch.no_grad():
        _, inner = model(sources, targets, internals=True)
        _, exact = exact_twin(model)(sources, targets, internals=True)
    assert torch.equal(inner["self_attention"][:, 0], exact["self_attention"][:, 0])
    assert not torch.allclose(inner["cross_attention"], exact["cross_attention"], atol=1e-3)


def test_a_linformer_refuses_a_source_longer_than_its_max_source_length():
    model = approximate("linformer")
    model([[4] * 7], [[5]])
    message = (r"transformer config: maxSourceLength must be at least 8 \(the longest source to read; the "
               r"Linformer's projections cover 7 positions\), got 7")
    for call in (lambda: model([[4] * 8], [[5]]), lambda: model.greedy([[4] * 8, [5]])):
        with pytest.raises(ArnnError, match=message):
            call()
    approximate("performer")([[4] * 8], [[5]])                     # the others read any length


def test_the_approximations_checkpoint_layout_initialisation_and_round_trip(tmp_path):
    """The doc's "Checkpoint tensors": a Linformer adds linformer_e and linformer_f [k, n] to each encoder
    self-attention and cross-attention, drawn N(0, 1/k) after every other weight, which are then a softmax
    model's of the same seed; a Performer adds nothing (its features are not in the checkpoint)."""
    torch.manual_seed(3)
    sizes = {**APPROXIMATE, "projection": 4, "maxSourceLength": 50}
    exact = Transformer(TransformerConfig(**sizes, attention="softmax"))
    torch.manual_seed(3)
    linformer = Transformer(TransformerConfig(**sizes, attention="linformer"))
    extra = {f"{a}.linformer_{m}" for a in ("encoder.layers.0.self_attn", "encoder.layers.1.self_attn",
                                            "decoder.layers.0.multihead_attn", "decoder.layers.1.multihead_attn")
             for m in "ef"}
    state, shared = linformer.state_dict(), exact.state_dict()
    assert set(state) == set(shared) | extra
    assert all(torch.equal(state[n], t) for n, t in shared.items())
    projections = torch.stack([state[n] for n in sorted(extra)])
    assert projections.shape == (8, 4, 50) and abs(projections.std().item() - 0.5) < 0.03    # N(0, 1/k), k = 4
    torch.manual_seed(3)
    performer = Transformer(TransformerConfig(**{**APPROXIMATE, "attention": "performer"}))
    assert performer.state_dict().keys() == shared.keys()
    for model in (approximate("linformer"), approximate("performer")):
        path = tmp_path / f"{model.config.attention}.safetensors"
        arnn_torch.save(model, path)
        loaded, _ = arnn_torch.load(path)
        assert loaded.config == model.config
        assert torch.equal(loaded([[4, 5, 6]], [[7, 8]]), model([[4, 5, 6]], [[7, 8]]))


def test_performer_features_can_be_another_draw_or_given_ones():
    """`use_features`: draw r of the config's seed (arnn's training draw for batch β is ⌊β / redrawEvery⌋), or
    named tensors, as arnn's withFeatures; checked in one line."""
    from arnn_torch.models import performer
    model = approximate("performer", redrawEvery=100)
    sources, targets = [[4, 5, 6, 7]], [[8, 9]]
    with torch.no_grad():
        first = model(sources, targets)
        model.use_features(model.training_draw(250))
        assert not torch.allclose(model(sources, targets), first, atol=1e-4)
        model.use_features(performer.draw(model.config))
        assert torch.equal(model(sources, targets), first)
    assert [model.training_draw(b) for b in (0, 99, 100, 250)] == [0, 0, 1, 2]
    assert approximate("performer", redrawEvery=0).training_draw(10 ** 6) == 0
    named = performer.draw(model.config)
    with pytest.raises(ArnnError, match=r"transformer: encoder.layers.0.self_attn.performer_features has shape "
                                        r"\[3, 4\], the config needs \[10, 4\]"):
        model.use_features({**named, "encoder.layers.0.self_attn.performer_features": torch.zeros(3, 4)})
    with pytest.raises(ArnnError, match="transformer: Performer features must be named"):
        model.use_features({n: w for n, w in named.items() if "decoder.layers.1" not in n})
    with pytest.raises(ArnnError, match="transformer: only a performer has random features"):
        approximate("linformer").use_features(0)


# The shipped approximation demos against arnn (python/tests/data/demo_reference.safetensors, written with
# `arnn trace` by make_demo_reference.py; test_demos.py checks every sort demo sequence by sequence).

DEMO_REFERENCE = pathlib.Path(__file__).resolve().parent / "data" / "demo_reference.safetensors"


def _sort_reference(demo):
    """The reference's sequences of a sort demo: (sources, what arnn wrote after <bos>, arnn's scores)."""
    ref = load_file(str(DEMO_REFERENCE))
    with safe_open(str(DEMO_REFERENCE), framework="pt") as f:
        meta = f.metadata()
    count = len(json.loads(meta[f"{demo}.sequences"]))
    sources = [ref[f"{demo}.sequence{i}.source"].long().tolist() for i in range(count)]
    written = [ref[f"{demo}.sequence{i}.input"].long().tolist()[1:] for i in range(count)]
    return sources, written, json.loads(meta[f"{demo}.scores"]), ref


@pytest.mark.parametrize("demo, attention", [("sort-linformer", "linformer"), ("sort-performer", "performer")])
def test_an_approximation_demo_decodes_arnns_letters_in_one_padded_batch(demo, attention):
    """The demo's checkpoint loads with its approximation and, decoding the reference's sequences (32 to 64
    letters) all in one padded batch, writes arnn's letters, <eos> last, with arnn's score and arnn's logits
    along the way (teacher-forced, also in one batch)."""
    model, _ = arnn_torch.load(REPO / "demos" / demo / "weights.safetensors")
    assert model.config.attention == attention
    sources, written, scores, ref = _sort_reference(demo)
    assert len({len(s) for s in sources}) > 1, "the batch is padded"
    tokens, _ = model.greedy(sources)
    for row, wrote, score, source in zip(tokens.tolist(), written, scores, sources):
        assert row[:len(wrote) + 1] == wrote + [EOS] and all(t == PAD for t in row[len(wrote) + 1:])
        wanted = sorted(source) + [EOS]
        assert sum(a != b for a, b in zip(wrote + [EOS], wanted)) == score["wrongWords"]
    with torch.no_grad():
        logits = model(sources, written)
    for i, wrote in enumerate(written):
        arnn = ref[f"{demo}.sequence{i}.logits"]
        assert ((logits[i, :len(wrote) + 1] - arnn).abs() / arnn.abs().clamp(min=1)).max() < 5e-5, i


def test_sort_performer_sorts_only_on_the_draw_arnn_trained_and_evaluates_it_on():
    """sort-performer was trained on draw 0 of its features and follows it (docs/models/transformer.md,
    "What happened on sort"): on draw 0, which this package draws as arnn does, it writes arnn's letters; on
    the next draws it sorts none of the reference's sequences."""
    model, _ = arnn_torch.load(REPO / "demos" / "sort-performer" / "weights.safetensors")
    sources, written, _, _ = _sort_reference("sort-performer")
    assert [row[:len(w)] for row, w in zip(model.greedy(sources)[0].tolist(), written)] == written
    for draw in (1, 2):
        model.use_features(draw)
        rows = model.greedy(sources)[0].tolist()
        assert not any(row[:len(s) + 1] == sorted(s) + [EOS] for row, s in zip(rows, sources)), draw
