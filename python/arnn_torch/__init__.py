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

    task = arnn_torch.BabiTask()                                                # bAbI: word ids and answers
    sample = task.sample_text("Mary moved to the bathroom. John went to the hallway. Where is Mary?")
    model = arnn_torch.MemN2N(arnn_torch.MemN2NConfig(vocabularySize=56, answerWords=list(task.answer_words)))
    logits = model([sample.sentence_ids], [sample.question_ids])                # [1, 12]; DMN the same way

    task = arnn_torch.make_task("reversal")                                     # symbols 12, lengths 8-32
    model = arnn_torch.NeuralStack(arnn_torch.NeuralStackConfig(inputSize=32, outputSize=16))
    runner = arnn_torch.RecurrentTokenRunner(model, task)                       # as lstm-translate
    pair = task.sample(arnn_torch.SeededRNG(3))                                 # arnn's sample for seed 3
    loss = runner.loss([pair.source_ids], [pair.target_ids])
"""

from .babi import BabiTask, StoryQuestion, read_babi_file
from .checkpoint import load, save, task_of
from .dyck import BracketString, Dyck2Task
from .errors import ArnnError
from .models import (ACT, DMN, DNC, MODELS, NTM, ACTConfig, DMNConfig, DNCConfig, LSTMBaseline, LSTMConfig, MemN2N,
                     MemN2NConfig, NeuralDeque, NeuralProgrammer, NeuralProgrammerConfig, NeuralQueue, NeuralStack,
                     NeuralStackConfig, NTMConfig, Seq2Seq, Seq2SeqConfig, TableQuestion, Transformer,
                     TransformerConfig)
from .recurrent_tokens import RecurrentTokenRunner
from .rng import SeededRNG
from .tasks import AssociativeRecallTask, CopyEpisodesTask, CopyTask, ParityTask, PrioritySortTask, RepeatCopyTask, make_task
from .transduction import (BigramFlipTask, ReversalTask, SortTask, SVOPair, SVOToSOVTask, SymbolCopyTask, SymbolPair,
                           TransductionTask)
from .translation import SOURCE_VOCABULARY, TARGET_VOCABULARY, TranslationTask, Vocabulary, join_french, tokenize

__version__ = "0.1.0"

__all__ = ["load", "save", "task_of", "BracketString", "Dyck2Task", "ArnnError", "MODELS", "ACT", "ACTConfig", "DMN", "DMNConfig", "DNC", "DNCConfig",
           "MemN2N", "MemN2NConfig", "NeuralProgrammer", "NeuralProgrammerConfig", "TableQuestion", "NeuralStack",
           "NeuralQueue", "NeuralDeque", "NeuralStackConfig", "NTM",
           "NTMConfig", "LSTMBaseline", "LSTMConfig", "Seq2Seq", "Seq2SeqConfig", "Transformer", "TransformerConfig",
           "BabiTask", "StoryQuestion", "read_babi_file", "RecurrentTokenRunner", "SeededRNG", "CopyTask", "CopyEpisodesTask",
           "RepeatCopyTask", "PrioritySortTask", "ParityTask", "AssociativeRecallTask", "TranslationTask", "Vocabulary",
           "SOURCE_VOCABULARY", "TARGET_VOCABULARY", "tokenize", "join_french", "make_task", "TransductionTask",
           "SymbolCopyTask", "ReversalTask", "BigramFlipTask", "SortTask", "SymbolPair", "SVOToSOVTask", "SVOPair"]
