"""arnn's models, tasks and checkpoints in PyTorch.

    model, metadata = arnn_torch.load("demos/ntm-copy/weights.safetensors")
    logits = model(x)                       # x [batch, time, input] -> [batch, time, output]
    logits, internals = model(x, internals=True)
    arnn_torch.save(model, "copy.safetensors", task="copy")
"""

from .checkpoint import load, save, task_of
from .errors import ArnnError
from .models import ACT, DNC, ACTConfig, MODELS, NTM, DNCConfig, LSTMBaseline, LSTMConfig, NTMConfig
from .rng import SeededRNG
from .tasks import AssociativeRecallTask, CopyTask, ParityTask, RepeatCopyTask, make_task

__version__ = "0.1.0"

__all__ = ["load", "save", "task_of", "ArnnError", "MODELS", "ACT", "ACTConfig", "DNC", "DNCConfig", "NTM", "NTMConfig", "LSTMBaseline",
           "LSTMConfig", "SeededRNG", "CopyTask", "RepeatCopyTask", "ParityTask", "AssociativeRecallTask", "make_task"]
