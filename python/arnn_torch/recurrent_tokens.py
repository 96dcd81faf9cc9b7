"""A recurrent model on a token task: arnn's recurrent token runner (Sources/Episodes/RecurrentTokenLearner.swift;
docs/models/lstm.md, "On tokens").

The model (the LSTM baseline, the NTM, the DNC, the neural stack, queue or deque: any arnn_torch model with a
per-step `step(x, state)`) reads the source sentence one word a step, then writes the target one a word a
step, reading back the word it wrote one step before. Its input at each step is one-hot over both
vocabularies, the source block (V_s) first, then the target block (V_t), so X = V_s + V_t; its output is
logits over the target vocabulary, Y = V_t. On translation V_s = 80 and V_t = 124; on a transduction task
(`symbol-copy`, `reversal`, `bigram-flip`) both are 4 + symbols, on `svo-sov` 4 + 3·wordsPerClass + 1. For source ids s_1 … s_n and target ids
y_1 … y_m (y_0 = `<bos>`, y_{m+1} = `<eos>`), the T = n + m + 1 steps are

    x_t = onehot(s_{t+1})           t = 0 … n−1   (reading; nothing is scored)
    x_t = onehot(V_s + y_{t−n})     t = n … n+m   (writing; logits_t is scored against y_{t−n+1})

with the true previous word in training (teacher forcing) and the model's own greedy choice when decoding.
Everything the model knows of the sentence when it starts writing is its state: no attention.
"""

from __future__ import annotations

import numbers
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .errors import ArnnError
from .transduction import TransductionTask
from .translation import TranslationTask

PAD, BOS, EOS = 0, 1, 2
Ids = Union[torch.Tensor, Sequence[Sequence[int]]]


class RecurrentTokenRunner:
    """arnn's `RecurrentTokenLearner`: a recurrent model (`LSTMBaseline`, `NTM`, `DNC`, `NeuralStack`,
    `NeuralQueue`, `NeuralDeque`) on a token task (translation, the default, or a transduction task).

        model, metadata = arnn_torch.load("demos/lstm-translate/weights.safetensors")
        runner = arnn_torch.RecurrentTokenRunner(model, arnn_torch.task_of(metadata))
        runner.translate(["the cats do not see the red car"])   # ['les chats ne voient pas la voiture rouge']

    - `runner.inputs(source, target)`: one sentence pair under teacher forcing, the one-hot inputs x [T, X]
      and the ids each step is scored against [T] (`<pad>`, 0, while it reads).
    - `runner.batch(sources, targets)`: the same for a batch, [B, T, X] and [B, T], each row padded after
      its end with zero inputs and `<pad>` targets (padding changes no row's logits or loss).
    - `runner.logits(sources, targets)`: the teacher-forced logits [B, T, Y] of every step.
    - `runner.loss(sources, targets)`: arnn's token loss, the cross-entropy (nats) of every target word and
      `<eos>` summed over the batch (arnn divides it by `runner.loss_units(targets)`, Σ (m + 1)).
    - `runner.greedy(sources)`: greedy decoding as `arnn translate`, `arnn trace --sentence` and the viewer
      do it; `runner.translate(texts)`: the text `arnn translate` prints (French, or the target symbols).

    Sentences are lists of token ids (the task's; `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3), without
    `<bos>`/`<eos>`, or LongTensors [B, S] padded with `<pad>` at the end.
    """

    def __init__(self, model: nn.Module, task: Optional[Union[TranslationTask, TransductionTask]] = None) -> None:
        task = TranslationTask() if task is None else task
        if not isinstance(task, (TranslationTask, TransductionTask)):
            raise ArnnError("recurrent tokens: the task must be a token task (translation, symbol-copy, reversal, svo-sov, "
                            f"bigram-flip), got {type(task).__name__}")
        kind = getattr(model, "kind", type(model).__name__)
        config = getattr(model, "config", None)
        if getattr(config, "reads", None) != "bits" or not hasattr(model, "step"):
            raise ArnnError(f"recurrent tokens: a {kind} is not a recurrent model with a step (LSTM, NTM, DNC, "
                            "stack, queue or deque)")
        if hasattr(model, "auxiliary_weight"):
            raise ArnnError(f"a {kind} model has an auxiliary cost, which token tasks do not train; use a bit task")
        x, y = self.widths(task)
        if config.io_sizes != (x, y):
            raise ArnnError(f"a {kind} reads {config.inputSize} and writes {config.outputSize} channels, but a "
                            f"recurrent model on {task.name} reads {x} (both vocabularies) and writes {y} "
                            "(the target vocabulary)")
        self.model = model
        self.task = task
        self.kind = kind
        self.source_size, self.target_size = task.io_sizes

    @staticmethod
    def widths(task: Union[TranslationTask, TransductionTask]) -> tuple[int, int]:
        """The widths a model must have for `task`: (inputs, outputs) = (V_s + V_t, V_t)."""
        v_s, v_t = task.io_sizes
        return v_s + v_t, v_t

    # Input checks: one line each, naming the argument.

    def _rows(self, ids: Ids, name: str, vocabulary: int, allow_empty: bool = False) -> list[list[int]]:
        if isinstance(ids, torch.Tensor):
            if ids.dim() != 2 or ids.shape[0] == 0:
                raise ArnnError(f"{self.kind}: {name} must be token ids [batch, length], got shape {list(ids.shape)}")
            if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
                raise ArnnError(f"{self.kind}: {name} must be integer token ids, got {ids.dtype}")
            rows = [[t for t in r if t != PAD] for r in ids.tolist()]
        else:
            rows = [list(r) for r in ids]
            if not rows:
                raise ArnnError(f"{self.kind}: {name} holds no sentence")
            bad = next((t for r in rows for t in r if isinstance(t, bool) or not isinstance(t, numbers.Integral)), None)
            if bad is not None:
                raise ArnnError(f"{self.kind}: {name} must be integer token ids, got {bad!r}")
            rows = [[int(t) for t in r] for r in rows]
        bad = next((t for r in rows for t in r if not 0 <= t < vocabulary), None)
        if bad is not None:
            raise ArnnError(f"{self.kind}: {name} holds id {bad}, outside the vocabulary of {vocabulary}")
        if not allow_empty and any(not r for r in rows):
            raise ArnnError(f"{self.kind}: every sentence of {name} needs at least one token")
        return rows

    def _pairs(self, sources: Ids, targets: Ids) -> tuple[list[list[int]], list[list[int]]]:
        s = self._rows(sources, "sources", self.source_size)
        y = self._rows(targets, "targets", self.target_size, allow_empty=True)
        if len(s) != len(y):
            raise ArnnError(f"{self.kind}: sources has {len(s)} sentences, targets {len(y)}")
        return s, y

    def _parameter(self) -> torch.Tensor:
        return next(self.model.parameters())

    # Teacher forcing.

    def batch(self, sources: Ids, targets: Ids) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher-forced inputs x [B, T, X] (one-hot, zero after a row's end) and the ids each step is
        scored against [B, T] (`<pad>` while a row reads and after its end), T = max (n + m + 1)."""
        sources, targets = self._pairs(sources, targets)
        p = self._parameter()
        lengths = [len(s) + len(y) + 1 for s, y in zip(sources, targets)]
        steps = max(lengths)
        x = torch.zeros(len(sources), steps, self.source_size + self.target_size, dtype=p.dtype, device=p.device)
        wanted = torch.full((len(sources), steps), PAD, dtype=torch.long, device=p.device)
        for j, (s, y) in enumerate(zip(sources, targets)):
            n = len(s)
            for t in range(lengths[j]):
                if t < n:
                    x[j, t, s[t]] = 1                                             # the source word t
                else:
                    x[j, t, self.source_size + ([BOS] + y)[t - n]] = 1            # <bos>, then y_{t-n}
                    wanted[j, t] = (y + [EOS])[t - n]                             # y_{t-n+1}, <eos> last
        return x, wanted

    def inputs(self, source: Sequence[int], target: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """One sentence pair under teacher forcing: x [T, X] and the ids each step is scored against [T]."""
        x, wanted = self.batch([source], [target])
        return x[0], wanted[0]

    def logits(self, sources: Ids, targets: Ids) -> torch.Tensor:
        """The teacher-forced logits [B, T, Y] of every step (`model(x)` on `batch`'s inputs)."""
        x, _ = self.batch(sources, targets)
        return self.model(x)

    def loss(self, sources: Ids, targets: Ids) -> torch.Tensor:
        """arnn's `TokenObjective` under teacher forcing: −log softmax(logits_t)[y_{t−n+1}] summed over every
        target word and `<eos>` of every sentence (nats; steps that read and padding are left out)."""
        x, wanted = self.batch(sources, targets)
        logits = self.model(x)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), wanted.reshape(-1), ignore_index=PAD,
                               reduction="sum")

    def loss_units(self, targets: Ids) -> int:
        """Target words and `<eos>`, Σ (m + 1): what arnn divides the summed loss by."""
        return sum(len(y) + 1 for y in self._rows(targets, "targets", self.target_size, allow_empty=True))

    # Greedy decoding.

    def _initial_state(self, batch: int, like: torch.Tensor):
        if hasattr(self.model, "initial_state"):                           # NTM, DNC, stack, queue, deque
            return self.model.initial_state(batch, device=like.device, dtype=like.dtype)
        return None                                                         # LSTM: the zero state

    @torch.no_grad()
    def greedy(self, sources: Ids, max_len: Optional[int] = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Greedy decoding: each sentence is read, then the most likely word (the lower id on a tie) is
        written and read back, until `<eos>` or 2n + 4 words (n each sentence's own length; `max_len` caps
        every sentence instead). Returns the tokens [B, L] (each row up to and including `<eos>`, then
        `<pad>`) and the logits [B, T, Y] of every step, reading and writing, as `arnn trace --sentence`'s
        frames (zeros after a row's end)."""
        written, logits = self._decode(sources, max_len)
        longest = max(len(w) for w in written)
        tokens = torch.tensor([w + [PAD] * (longest - len(w)) for w in written], dtype=torch.long, device=logits.device)
        return tokens, logits

    def _decode(self, sources: Ids, max_len: Optional[int]) -> tuple[list[list[int]], torch.Tensor]:
        """Each row's written ids (an untrained model may write `<pad>` itself) and every step's logits."""
        sources = self._rows(sources, "sources", self.source_size)
        if max_len is not None and (isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1):
            raise ArnnError(f"{self.kind}: max_len must be a positive integer, got {max_len!r}")
        p = self._parameter()
        b, width = len(sources), self.source_size + self.target_size
        limits = [2 * len(s) + 4 if max_len is None else max_len for s in sources]
        previous, written, done = [BOS] * b, [[] for _ in range(b)], [False] * b
        state = self._initial_state(b, p)
        steps, t = [], 0
        # As teacher forcing, but the next input depends on this step's output; a finished row reads zeros.
        while not all(done):
            x = torch.zeros(b, width, dtype=p.dtype, device=p.device)
            for j, s in enumerate(sources):
                if not done[j]:
                    x[j, s[t] if t < len(s) else self.source_size + previous[j]] = 1
            out = self.model.step(x, state)                    # (logits, state) or (logits, state, internals)
            logits, state = out[0], out[1]
            live = torch.tensor([not d for d in done], dtype=logits.dtype, device=logits.device)
            steps.append(logits * live[:, None])
            best = logits.argmax(-1).tolist()                  # the first maximum: the lower id on a tie
            for j, s in enumerate(sources):
                if not done[j] and t >= len(s):
                    written[j].append(best[j])
                    previous[j] = best[j]
                    done[j] = best[j] == EOS or len(written[j]) >= limits[j]
            t += 1
        return written, torch.stack(steps, 1)

    def translate(self, texts: Sequence[str]) -> list[str]:
        """The text `arnn translate --quiet` prints for each source sentence (one batch): French for an
        English sentence, the target symbols for typed symbols of a transduction task."""
        if isinstance(texts, str):
            raise ArnnError(f"{self.kind}: translate takes a list of sentences, got one string")
        with torch.no_grad():
            written, _ = self._decode([self.task.encode(text) for text in texts], None)
        return [self.task.decode(row) for row in written]
