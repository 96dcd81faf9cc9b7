"""arnn's models in PyTorch, by `arnn.kind`."""

from .act import ACT, ACTConfig
from .dmn import DMN, DMNConfig
from .dnc import DNC, DNCConfig
from .lstm import LSTMBaseline, LSTMConfig
from .memn2n import MemN2N, MemN2NConfig
from .neural_stack import NeuralDeque, NeuralQueue, NeuralStack, NeuralStackConfig
from .np import NeuralProgrammer, NeuralProgrammerConfig, TableQuestion
from .ntm import NTM, NTMConfig
from .seq2seq import Seq2Seq, Seq2SeqConfig
from .transformer import Transformer, TransformerConfig

# The one table of models: `arnn.kind` -> module class (each has `kind` and `Config`).
MODELS = {cls.kind: cls for cls in (NTM, LSTMBaseline, DNC, ACT, Seq2Seq, Transformer, MemN2N, DMN, NeuralStack,
                                    NeuralQueue, NeuralDeque, NeuralProgrammer)}

__all__ = ["MODELS", "ACT", "ACTConfig", "DMN", "DMNConfig", "DNC", "DNCConfig", "MemN2N", "MemN2NConfig",
           "NeuralDeque", "NeuralQueue", "NeuralStack", "NeuralStackConfig", "NeuralProgrammer",
           "NeuralProgrammerConfig", "TableQuestion", "NTM", "NTMConfig", "LSTMBaseline",
           "LSTMConfig", "Seq2Seq", "Seq2SeqConfig", "Transformer", "TransformerConfig"]
