"""arnn's models, tasks and checkpoints in PyTorch.

    model, metadata = arnn_torch.load("demos/ntm-copy/weights.safetensors")
    logits = model(x)                       # x [batch, time, input] -> [batch, time, output]
    logits, internals = model(x, internals=True)
    arnn_torch.save(model, "copy.safetensors", task="copy")

    model, metadata = arnn_torch.load("demos/translate/weights.safetensors")   # seq2seq: token ids
    task = arnn_torch.task_of(metadata)                                         # TranslationTask
    tokens, attention = model.greedy([task.encode("the small cats do not see the red car")])
    task.decode(tokens[0])                                                      # 'les petits chats ...'

    model, metadata = arnn_torch.load("demos/lstm-translate/weights.safetensors")   # an LSTM, no attention
    runner = arnn_torch.RecurrentTokenRunner(model, arnn_torch.task_of(metadata))
    runner.translate(["the cats do not see the red car"])   # ['les chats ne voient pas la voiture rouge']
"""

from .checkpoint import load, save, task_of
from .errors import ArnnError
from .models import ACT, DNC, ACTConfig, MODELS, NTM, DNCConfig, LSTMBaseline, LSTMConfig, NTMConfig, Seq2Seq, Seq2SeqConfig
from .recurrent_tokens import RecurrentTokenRunner
from .rng import SeededRNG
from .tasks import AssociativeRecallTask, CopyTask, ParityTask, PrioritySortTask, RepeatCopyTask, make_task
from .translation import SOURCE_VOCABULARY, TARGET_VOCABULARY, TranslationTask, Vocabulary, join_french, tokenize

__version__ = "0.1.0"

__all__ = ["load", "save", "task_of", "ArnnError", "MODELS", "ACT", "ACTConfig", "DNC", "DNCConfig", "NTM", "NTMConfig",
           "LSTMBaseline", "LSTMConfig", "Seq2Seq", "Seq2SeqConfig", "RecurrentTokenRunner", "SeededRNG", "CopyTask",
           "RepeatCopyTask", "PrioritySortTask", "ParityTask", "AssociativeRecallTask", "TranslationTask", "Vocabulary",
           "SOURCE_VOCABULARY", "TARGET_VOCABULARY", "tokenize", "join_french", "make_task"]
