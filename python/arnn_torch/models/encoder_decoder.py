"""What arnn's encoder-decoders (`seq2seq`, `transformer`) share in PyTorch: sentences of token ids in, checked
in one line each; the ids teacher forcing is scored against and arnn's loss; and greedy decoding over a
model's own decoder step (docs/models/seq2seq.md and docs/models/transformer.md, "Training and decoding").

Token ids are the task's (arnn_torch.translation): `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Optional, Sequence, Union

import torch
from torch import nn

from ..errors import ArnnError

PAD, BOS, EOS, UNK = 0, 1, 2, 3
Ids = Union[torch.Tensor, Sequence[Sequence[int]]]


def pad_ids(sentences: Sequence[Sequence[int]]) -> torch.Tensor:
    """Sentences of token ids as one LongTensor [B, S]: each padded with `<pad>` (0) at its end to the longest.
    The ids are not checked (the model checks what it is given)."""
    rows = [list(r) for r in sentences]
    width = max((len(r) for r in rows), default=0)
    return torch.tensor([r + [PAD] * (width - len(r)) for r in rows], dtype=torch.long).reshape(len(rows), width)


class EncoderDecoder(nn.Module):
    """The base of an encoder-decoder with `kind`, `config` (sourceVocabulary, targetVocabulary) and an
    `output` layer (whose device the ids move to). A subclass's `forward(source_ids, target_ids)` gives the
    teacher-forced logits [B, n + 1, V_t]."""

    kind = ""

    # Input checks: one line each, naming the argument.

    def _ids(self, ids: Ids, name: str, vocabulary: int, allow_empty: bool = False) -> torch.Tensor:
        if not isinstance(ids, torch.Tensor):
            rows = [list(r) for r in ids]
            if not rows:
                raise ArnnError(f"{self.kind}: {name} holds no sentence")
            bad = next((t for r in rows for t in r if isinstance(t, bool) or not isinstance(t, numbers.Integral)), None)
            if bad is not None:
                raise ArnnError(f"{self.kind}: {name} must be integer token ids, got {bad!r}")
            ids = pad_ids([[int(t) for t in r] for r in rows])
        if ids.dim() != 2 or ids.shape[0] == 0:
            raise ArnnError(f"{self.kind}: {name} must be token ids [batch, length], got shape {list(ids.shape)}")
        if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
            raise ArnnError(f"{self.kind}: {name} must be integer token ids, got {ids.dtype}")
        ids = ids.to(device=self.output.weight.device, dtype=torch.long)
        if ids.numel() and (ids.min() < 0 or ids.max() >= vocabulary):
            bad = ids[(ids < 0) | (ids >= vocabulary)][0].item()
            raise ArnnError(f"{self.kind}: {name} holds id {bad}, outside the vocabulary of {vocabulary}")
        if not allow_empty and bool(((ids != PAD).sum(1) == 0).any()):
            raise ArnnError(f"{self.kind}: every sentence of {name} needs at least one token")
        return ids

    def _pair(self, source_ids: Ids, target_ids: Ids) -> tuple[torch.Tensor, torch.Tensor]:
        """Checked sources [B, S] and targets [B, n]; a target may be empty (a typed sentence has none)."""
        c = self.config
        source = self._ids(source_ids, "source_ids", c.sourceVocabulary)
        target = self._ids(target_ids, "target_ids", c.targetVocabulary, allow_empty=True)
        if target.shape[0] != source.shape[0]:
            raise ArnnError(f"{self.kind}: source_ids has {source.shape[0]} sentences, target_ids {target.shape[0]}")
        return source, target

    @staticmethod
    def _decoder_inputs(target: torch.Tensor) -> torch.Tensor:
        """Teacher forcing's inputs `<bos> y_1 … y_n` [B, n + 1] (`<pad>` after a shorter sentence's end)."""
        bos = torch.full((target.shape[0], 1), BOS, dtype=torch.long, device=target.device)
        return torch.cat([bos, target], 1)

    def teacher_targets(self, target_ids: Ids) -> torch.Tensor:
        """The ids the teacher-forced logits should give: `y_1 … y_n <eos>`, then `<pad>` [B, n + 1]."""
        target_ids = self._ids(target_ids, "target_ids", self.config.targetVocabulary, allow_empty=True)
        column = torch.full((target_ids.shape[0], 1), PAD, dtype=torch.long, device=target_ids.device)
        out = torch.cat([target_ids, column], 1)
        lengths = (target_ids != PAD).sum(1)
        out[torch.arange(out.shape[0], device=out.device), lengths] = EOS
        return out

    def loss(self, source_ids: Ids, target_ids: Ids) -> torch.Tensor:
        """arnn's training loss: the cross-entropy summed over every target token and `<eos>` of the batch
        (padding ignored), divided by their number."""
        logits = self(source_ids, target_ids)
        return nn.functional.cross_entropy(logits.transpose(1, 2), self.teacher_targets(target_ids), ignore_index=PAD)

    def _greedy(self, source_ids: Ids, max_len: Optional[int], start: Callable[[torch.Tensor], Any],
                advance: Callable[[torch.Tensor, Any], tuple[Any, torch.Tensor, dict[str, torch.Tensor]]]):
        """Greedy decoding as arnn's viewer, `arnn translate` and `arnn trace` do it: the most likely token,
        the lower id on a tie, until `<eos>` or 2S + 4 tokens (S each sentence's own length; `max_len` caps
        every sentence instead). `start(source)` gives the decoder's first state and `advance(previous,
        state)` one step's (state, logits [B, V_t], record): tensors [B, …] to keep, zeroed after a row's end.
        Returns the tokens [B, L] (each row up to and including `<eos>`, then `<pad>`) and every step's
        record in order."""
        source = self._ids(source_ids, "source_ids", self.config.sourceVocabulary)
        if max_len is not None and (isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1):
            raise ArnnError(f"{self.kind}: max_len must be a positive integer, got {max_len!r}")
        b = source.shape[0]
        lengths = (source != PAD).sum(1)
        limits = 2 * lengths + 4 if max_len is None else torch.full_like(lengths, max_len)
        state = start(source)
        previous = torch.full((b,), BOS, dtype=torch.long, device=source.device)
        done = torch.zeros(b, dtype=torch.bool, device=source.device)
        tokens, records = [], []
        for t in range(int(limits.max())):
            state, logits, record = advance(previous, state)
            best = logits.argmax(-1)                          # the first maximum: the lower id on a tie
            tokens.append(torch.where(done, torch.full_like(best, PAD), best))
            keep = ~done
            records.append({k: v * keep.view(-1, *([1] * (v.dim() - 1))).to(v.dtype) for k, v in record.items()})
            done = done | (best == EOS) | (t + 1 >= limits)
            previous = best
            if bool(done.all()):
                break
        return torch.stack(tokens, 1), records
