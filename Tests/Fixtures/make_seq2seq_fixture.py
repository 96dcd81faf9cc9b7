"""Writes Tests/Fixtures/seq2seq_parity.safetensors: arnn's seq2seq model (docs/models/seq2seq.md) in
PyTorch (arnn_torch's `Seq2Seq`, python/arnn_torch/models/seq2seq.py, imported from this repository), both
attention kinds, its weights under arnn's names, a padded batch of three sentences, the teacher-forced
logits of every step, the summed cross-entropy and its gradient for every parameter. The Swift test
`Seq2SeqTests` checks arnn against it. Usage: python3 Tests/Fixtures/make_seq2seq_fixture.py (torch,
safetensors).
"""
import json
import pathlib
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
from arnn_torch.models.seq2seq import PAD, Seq2Seq, Seq2SeqConfig  # noqa: E402

torch.manual_seed(0)
torch.set_num_threads(1)
VS, VT = 11, 13
SOURCES = [[4, 5, 6, 7], [8, 9], [10, 4, 6]]
TARGETS = [[5, 6, 7], [8, 9, 10, 11, 12], [4]]


def main(out: pathlib.Path) -> None:
    tensors, metadata = {}, {}
    for kind in ("additive", "dot"):
        config = dict(sourceVocabulary=VS, targetVocabulary=VT, embeddingSize=5, encoderSize=4, decoderSize=6,
                      attentionSize=3, attention=kind)
        model = Seq2Seq(Seq2SeqConfig(**config))                    # both models from one generator, in turn
        logits = model(SOURCES, TARGETS).transpose(0, 1)            # [T, B, V], the sequence axis first
        targets = model.teacher_targets(TARGETS).T                  # y… <eos>, then <pad>: [T, B]
        flat = logits.reshape(-1, VT)
        loss = torch.nn.functional.cross_entropy(flat, targets.reshape(-1), ignore_index=PAD, reduction="sum")
        loss.backward()
        for name, p in model.named_parameters():                   # arnn's names (docs/checkpoints.md)
            tensors[f"{kind}.{name}"] = p.detach().clone().contiguous()
            tensors[f"{kind}.grad.{name}"] = p.grad.detach().clone().contiguous()
        tensors[f"{kind}.logits"] = logits.detach().contiguous()
        tensors[f"{kind}.loss"] = loss.detach().reshape(1)
        metadata[f"{kind}.config"] = json.dumps(config, sort_keys=True)
    metadata["sources"] = json.dumps(SOURCES)
    metadata["targets"] = json.dumps(TARGETS)
    metadata["torch"] = torch.__version__
    save_file(tensors, str(out), metadata=metadata)
    print(f"wrote {out}: {len(tensors)} tensors")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent / "seq2seq_parity.safetensors")
