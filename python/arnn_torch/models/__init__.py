"""arnn's models in PyTorch, by `arnn.kind`."""

from .act import ACT, ACTConfig
from .dnc import DNC, DNCConfig
from .lstm import LSTMBaseline, LSTMConfig
from .ntm import NTM, NTMConfig
from .seq2seq import Seq2Seq, Seq2SeqConfig

# The one table of models: `arnn.kind` -> module class (each has `kind` and `Config`).
MODELS = {cls.kind: cls for cls in (NTM, LSTMBaseline, DNC, ACT, Seq2Seq)}

__all__ = ["MODELS", "ACT", "ACTConfig", "DNC", "DNCConfig", "NTM", "NTMConfig", "LSTMBaseline", "LSTMConfig", "Seq2Seq",
           "Seq2SeqConfig"]
