"""arnn's models in PyTorch, by `arnn.kind`."""

from .lstm import LSTMBaseline, LSTMConfig
from .ntm import NTM, NTMConfig

# The one table of models: `arnn.kind` -> module class (each has `kind` and `Config`).
MODELS = {cls.kind: cls for cls in (NTM, LSTMBaseline)}

__all__ = ["MODELS", "NTM", "NTMConfig", "LSTMBaseline", "LSTMConfig"]
