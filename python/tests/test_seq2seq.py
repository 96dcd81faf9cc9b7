"""The attention encoder-decoder: the Swift parity fixture's numbers, padding, its checkpoint layout, its
vocabularies and one-line refusals of bad input."""

import json
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import ArnnError, Seq2Seq, Seq2SeqConfig, TranslationTask
from arnn_torch.models.seq2seq import EOS, PAD, pad_ids

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests" / "Fixtures" / "seq2seq_parity.safetensors"
SMALL = dict(sourceVocabulary=11, targetVocabulary=13, embeddingSize=5, encoderSize=4, decoderSize=6, attentionSize=3)


def small(attention="additive", seed=0, **sizes):
    torch.manual_seed(seed)
    return Seq2Seq(Seq2SeqConfig(**{**SMALL, **sizes, "attention": attention}))


@pytest.mark.parametrize("kind", ["additive", "dot"])
def test_reproduces_the_swift_parity_fixture_logits_loss_and_gradients(kind):
    """Tests/Fixtures/seq2seq_parity.safetensors, which Seq2SeqTests checks arnn against."""
    with safe_open(str(FIXTURE), framework="pt") as f:
        meta = f.metadata()
    ref = load_file(str(FIXTURE))
    model = Seq2Seq(Seq2SeqConfig(**json.loads(meta[f"{kind}.config"])))
    model.load_state_dict({n: ref[f"{kind}.{n}"] for n in model.state_dict()})
    sources, targets = json.loads(meta["sources"]), json.loads(meta["targets"])
    logits = model(sources, targets)                                   # [B, T, V]
    wanted = model.teacher_targets(targets)
    loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), wanted, ignore_index=PAD, reduction="sum")
    loss.backward()
    assert torch.allclose(logits.transpose(0, 1), ref[f"{kind}.logits"], atol=1e-6)
    assert abs(loss.item() - ref[f"{kind}.loss"].item()) < 1e-5
    for name, p in model.named_parameters():
        assert torch.allclose(p.grad, ref[f"{kind}.grad.{name}"], atol=1e-6), name


def test_state_dict_is_arnns_checkpoint_layout():
    """docs/checkpoints.md, "Attention encoder-decoder": names and shapes, for both attention kinds."""
    he, hd, d, a = 4, 6, 5, 3
    gru = lambda p, x, h: {f"{p}.weight_ih": (3 * h, x), f"{p}.weight_hh": (3 * h, h),  # noqa: E731
                           f"{p}.bias_ih": (3 * h,), f"{p}.bias_hh": (3 * h,)}
    common = {"source_embedding.weight": (11, d), "target_embedding.weight": (13, d),
              **gru("encoder.forward", d, he), **gru("encoder.backward", d, he),
              "bridge.weight": (hd, he), "bridge.bias": (hd,), **gru("decoder", d + 2 * he, hd),
              "output.weight": (13, hd + 2 * he + d), "output.bias": (13,)}
    additive = {**common, "attention.key.weight": (a, 2 * he), "attention.query.weight": (a, hd), "attention.v": (a,)}
    dot = {**common, "attention.key.weight": (hd, 2 * he)}
    for kind, expected in (("additive", additive), ("dot", dot)):
        assert {n: tuple(t.shape) for n, t in small(kind).state_dict().items()} == expected


def test_padding_changes_nothing():
    """A sentence alone and in a batch padded to longer ones: the same logits, and no weight on padding."""
    model = small()
    with torch.no_grad():
        alone, inner_alone = model([[4, 5]], [[6]], internals=True)
        batch, inner = model([[4, 5], [7, 8, 9, 10, 4]], [[6], [5, 6, 7, 8]], internals=True)
    assert torch.allclose(batch[0, :2], alone[0], atol=1e-6)
    assert torch.equal(inner["weights"][0, :, 2:], torch.zeros(5, 3))
    assert torch.allclose(inner["weights"][0, :2, :2], inner_alone["weights"][0], atol=1e-6)
    assert model.teacher_targets([[6], [5, 6, 7, 8]]).tolist() == [[6, EOS, PAD, PAD, PAD], [5, 6, 7, 8, EOS]]
    # An empty target (a typed sentence has no reference): the first step alone, which should write <eos>.
    assert model.teacher_targets([[]]).tolist() == [[EOS]]
    with torch.no_grad():
        assert torch.equal(model([[4, 5]], [[]]), alone[:, :1])


def test_pad_ids_pads_each_sentence_at_its_end():
    ids = pad_ids([[4, 5, 6], [7], (8, 9)])
    assert ids.dtype == torch.long and ids.tolist() == [[4, 5, 6], [7, PAD, PAD], [8, 9, PAD]]
    assert pad_ids([[], []]).shape == (2, 0)
    model = small()
    assert torch.equal(model([[4, 5, 6], [7]], [[4], [5, 6]]), model(pad_ids([[4, 5, 6], [7]]), pad_ids([[4], [5, 6]])))


def test_greedy_writes_the_argmax_of_teacher_forcing_on_its_own_output_and_stops():
    model = small("dot", seed=3)
    sources = [[4, 5, 6], [7]]
    tokens, attention = model.greedy(sources)
    for j, source in enumerate(sources):
        row, limit = tokens[j].tolist(), 2 * len(source) + 4
        # Up to <eos> or the limit (an untrained model may write <pad> itself, so the fill does not tell).
        written = row[: row.index(EOS) + 1] if EOS in row[:limit] else row[:limit]
        assert all(t == PAD for t in row[len(written):])
        with torch.no_grad():
            logits = model([source], [written[:-1]])[0]
        assert logits.argmax(-1).tolist() == written
        # Attention over the source words while the row writes, none after its end.
        sums = attention[j].sum(-1)
        assert torch.allclose(sums[: len(written)], torch.ones(len(written)), atol=1e-6)
        assert torch.equal(sums[len(written):], torch.zeros(len(row) - len(written)))
    assert model.greedy([[4, 5, 6]], max_len=2)[0].shape == (1, 2)


def test_save_and_load_round_trip_with_the_translation_task(tmp_path):
    model = small("dot", sourceVocabulary=80, targetVocabulary=124)
    path = tmp_path / "s2s.safetensors"
    arnn_torch.save(model, path, task="translation")
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, Seq2Seq) and loaded.config == model.config
    assert meta["arnn.kind"] == "seq2seq" and meta["arnn.task"] == "translation"
    assert json.loads(meta["arnn.config"]) == {**SMALL, "sourceVocabulary": 80, "targetVocabulary": 124, "attention": "dot"}
    assert json.loads(meta["arnn.task_config"]) == {"name": "translation", "minWords": 3, "maxWords": 15,
                                                    "split": "train", "splitSeed": 9, "heldOutPercent": 10,
                                                    "validationPercent": 5}
    assert isinstance(arnn_torch.task_of(meta), TranslationTask)
    assert torch.equal(model([[4, 5]], [[6, 7]]), loaded([[4, 5]], [[6, 7]]))


def test_save_refuses_a_task_that_does_not_fit(tmp_path):
    with pytest.raises(ArnnError, match=r"task translation has source/target vocabularies \(80, 124\), the model \(11, 13\)"):
        arnn_torch.save(small(), tmp_path / "x.safetensors", task="translation")
    with pytest.raises(ArnnError, match="task copy is a task of bits, a seq2seq reads tokens"):
        arnn_torch.save(small(), tmp_path / "x.safetensors", task="copy")
    ntm = arnn_torch.NTM(arnn_torch.NTMConfig(inputSize=9, outputSize=8, memoryRows=8, memoryWidth=4, controllerSize=8))
    # A recurrent model on translation reads both vocabularies one-hot and writes the target's (204, 124).
    with pytest.raises(ArnnError, match=r"save: a ntm reads 9 and writes 8 channels, but a recurrent model on "
                                        r"translation reads 204 \(both vocabularies\) and writes 124"):
        arnn_torch.save(ntm, tmp_path / "x.safetensors", task={"name": "translation"})


@pytest.mark.parametrize("call, message", [
    (lambda m: m([[4, 11]], [[5]]), "seq2seq: source_ids holds id 11, outside the vocabulary of 11"),
    (lambda m: m([[4]], [[-1]]), "seq2seq: target_ids holds id -1, outside the vocabulary of 13"),
    (lambda m: m(torch.tensor([[4.0]]), [[5]]), "seq2seq: source_ids must be integer token ids, got torch.float32"),
    (lambda m: m([[4]], [[5.5]]), "seq2seq: target_ids must be integer token ids, got 5.5"),
    (lambda m: m(torch.tensor([4, 5]), [[5]]), r"seq2seq: source_ids must be token ids \[batch, length\], got shape \[2\]"),
    (lambda m: m([[4], [0]], [[5], [5]]), "seq2seq: every sentence of source_ids needs at least one token"),
    (lambda m: m([[4], [5]], [[5]]), "seq2seq: source_ids has 2 sentences, target_ids 1"),
    (lambda m: m.greedy([[4]], max_len=0), "seq2seq: max_len must be a positive integer, got 0"),
])
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(ArnnError, match=message):
        call(small())


def test_config_is_checked_as_arnn_checks_it():
    with pytest.raises(ArnnError, match='seq2seq config: attention must be "additive" or "dot", got \'luong\''):
        Seq2SeqConfig(sourceVocabulary=80, targetVocabulary=124, attention="luong")
    with pytest.raises(ArnnError, match="seq2seq config: targetVocabulary must be at least 5"):
        Seq2SeqConfig(sourceVocabulary=80, targetVocabulary=4)
    with pytest.raises(ArnnError, match="seq2seq config: missing field 'sourceVocabulary'"):
        Seq2SeqConfig(targetVocabulary=124)
    c = Seq2SeqConfig.from_json('{"sourceVocabulary":80,"targetVocabulary":124}')   # arnn's defaults fill the rest
    assert (c.embeddingSize, c.encoderSize, c.decoderSize, c.attentionSize, c.attention) == (64, 128, 256, 128, "additive")


def test_vocabularies_and_tokenizer():
    task = TranslationTask()
    assert task.io_sizes == (80, 124)                       # docs/tasks/translation.md: 76 and 120 words
    assert task.source_vocabulary.tokens[:5] == ("<pad>", "<bos>", "<eos>", "<unk>", "the")
    assert task.encode("The small cats, do NOT see!") == [4, 63, 30, 10, 9, 65]
    assert arnn_torch.tokenize("L'oiseau n’aime pas", "french") == ["l'", "oiseau", "n'", "aime", "pas"]
    assert arnn_torch.tokenize("don't", "english") == ["don", "t"]
    with pytest.raises(ArnnError, match="unknown word 'cta'"):
        task.encode("the cta")
    assert task.source_vocabulary.encode(["the", "cta"], unknown="unk") == [4, 3]
    assert task.decode([6, 42, 2, 5]) == "les chats"        # up to <eos>
    # As `arnn translate` prints it: an elided word is written against the next one.
    assert task.decode([20, 15, 120, 16, 102, 7, 55, 2]) == "il n'a pas vu l'homme"
    assert arnn_torch.join_french(["j'", "ai", "un", "chat"]) == "j'ai un chat"
    # Duplicate forms keep their first id: `rouge` is both the masculine and the feminine.
    assert task.target_vocabulary.tokens.count("rouge") == 1 and len(set(task.target_vocabulary.tokens)) == 124


@pytest.mark.parametrize("settings, message", [
    ({"minWords": 2}, "translation: minWords must be at least 3, got 2"),
    ({"minWords": 8, "maxWords": 5}, r"translation: maxWords \(5\) must not be less than minWords \(8\)"),
    ({"maxWords": 40}, r"translation: maxWords must be at most 27 \(the longest sentence of the grammar\), got 40"),
    ({"heldOutPercent": 0}, r"translation: heldOutPercent must be at least 1 \(the heldOut split needs a share\), got 0"),
    ({"heldOutPercent": 60, "validationPercent": 50}, "translation: heldOutPercent \\+ validationPercent must be at most 100, got 110"),
    ({"split": "test"}, "translation: split must be train, validation or heldOut, got 'test'"),
    ({"words": 3}, "translation: unknown setting 'words'"),
])
def test_translation_settings_are_refused_with_arnns_messages(settings, message):
    with pytest.raises(ArnnError, match=message):
        TranslationTask(**settings)


def test_translation_task_has_no_generator():
    with pytest.raises(ArnnError, match="translation: arnn_torch has no sentence generator"):
        TranslationTask().example(arnn_torch.SeededRNG(1), 5)
