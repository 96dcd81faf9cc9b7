"""Writes Tests/Fixtures/seq2seq_parity.safetensors: arnn's seq2seq model (docs/models/seq2seq.md) in
PyTorch (scripts/seq2seq_torch.py), both attention kinds, its weights under arnn's names, a padded batch of
three sentences, the teacher-forced logits of every step, the summed cross-entropy and its gradient for
every parameter. Usage: python3 Tests/Fixtures/make_seq2seq_fixture.py (torch, safetensors).
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from seq2seq_torch import Seq2Seq, PAD  # noqa: E402

torch.manual_seed(0)
torch.set_num_threads(1)
VS, VT = 11, 13
SOURCES = [[4, 5, 6, 7], [8, 9], [10, 4, 6]]
TARGETS = [[5, 6, 7], [8, 9, 10, 11, 12], [4]]

tensors, metadata = {}, {}
for kind in ("additive", "dot"):
    model = Seq2Seq(VS, VT, d=5, he=4, hd=6, a=3, attention=kind)
    logits, targets = model.teacher_forcing(SOURCES, TARGETS)              # [T, B, V], [T, B]
    flat = logits.reshape(-1, VT)
    loss = torch.nn.functional.cross_entropy(flat, targets.reshape(-1), ignore_index=PAD, reduction="sum")
    loss.backward()
    for name, p in model.arnn_state_dict().items():
        tensors[f"{kind}.{name}"] = p.detach().clone().contiguous()
        tensors[f"{kind}.grad.{name}"] = p.grad.detach().clone().contiguous()
    tensors[f"{kind}.logits"] = logits.detach().contiguous()
    tensors[f"{kind}.loss"] = loss.detach().reshape(1)
    metadata[f"{kind}.config"] = json.dumps({"sourceVocabulary": VS, "targetVocabulary": VT, "embeddingSize": 5,
                                             "encoderSize": 4, "decoderSize": 6, "attentionSize": 3,
                                             "attention": kind}, sort_keys=True)
metadata["sources"] = json.dumps(SOURCES)
metadata["targets"] = json.dumps(TARGETS)
metadata["torch"] = torch.__version__
out = os.path.join(os.path.dirname(__file__), "seq2seq_parity.safetensors")
save_file(tensors, out, metadata=metadata)
print(f"wrote {out}: {len(tensors)} tensors")
