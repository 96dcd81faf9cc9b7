"""Reading and writing arnn checkpoints (docs/checkpoints.md): safetensors with arnn's names and metadata."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, Optional, Union

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save as safetensors_bytes
from torch import nn

from .babi import BabiTask
from .dyck import Dyck2Task
from .errors import ArnnError
from .models import MODELS
from .recurrent_tokens import RecurrentTokenRunner
from .tasks import _BitTask, make_task, task_from_config
from .transduction import TransductionTask
from .translation import TranslationTask

KIND, CONFIG, TASK, TASK_CONFIG = "arnn.kind", "arnn.config", "arnn.task", "arnn.task_config"
# dtypes arnn reads (everything becomes float32), as docs/checkpoints.md "What arnn reads".
_READABLE = {torch.float32, torch.float16, torch.bfloat16, torch.float64}


def _shape(dims) -> str:
    return "[" + ", ".join(str(d) for d in dims) + "]"


def load(path: Union[str, os.PathLike], map_location: Union[str, torch.device] = "cpu"):
    """Opens an arnn checkpoint (written by arnn or by `save`): returns (model, metadata).

    The model's kind and config come from the `arnn.kind` and `arnn.config` metadata; every tensor
    must be there with the shape the config implies, and no other (besides arnn's `optimizer.*` state,
    which is skipped). F16, BF16 and F64 tensors are converted to float32, as arnn does. Raises
    `ArnnError` with a one-line message naming the file and what is wrong.
    """
    path = Path(path)
    if not path.exists():
        raise ArnnError(f"{path}: no such file")
    if path.is_dir():
        raise ArnnError(f"{path}: is a directory, not a checkpoint")
    try:
        with safe_open(str(path), framework="pt", device="cpu") as f:
            metadata = dict(f.metadata() or {})
            names = [n for n in f.keys() if not n.startswith("optimizer.")]
            model = _model_for(path, metadata)
            expected = model.state_dict()
            missing = [n for n in expected if n not in names]
            if missing:
                raise ArnnError(f"{path}: tensor {missing[0]!r} is missing (a {model.kind} with this config "
                                f"needs {len(expected)} tensors; the file has {len(names)})")
            extra = [n for n in names if n not in expected]
            if extra:
                raise ArnnError(f"{path}: unexpected tensor {extra[0]!r} for a {model.kind} "
                                f"(is the file of another model or config?)")
            state = {}
            for name in names:
                t = f.get_tensor(name)
                if t.dtype not in _READABLE:
                    raise ArnnError(f"{path}: tensor {name!r} has dtype {t.dtype} "
                                    "(arnn reads F32, F16, BF16 and F64)")
                want = tuple(expected[name].shape)
                if tuple(t.shape) != want:
                    raise ArnnError(f"{path}: tensor {name!r} has shape {_shape(t.shape)}, "
                                    f"the config needs {_shape(want)}")
                state[name] = t.to(torch.float32)
    except SafetensorError as e:
        raise ArnnError(f"{path}: not a readable safetensors file ({str(e).splitlines()[0]})") from None
    except OSError as e:
        raise ArnnError(f"{path}: cannot read ({e.strerror or e})") from None
    model.load_state_dict(state)
    return model.to(map_location), metadata


def _model_for(path: Path, metadata: dict[str, str]) -> nn.Module:
    kind = metadata.get(KIND)
    if kind is None:
        raise ArnnError(f"{path}: names no model (no {KIND} in its metadata)")
    if kind not in MODELS:
        raise ArnnError(f"{path}: {KIND} is {kind!r}; arnn_torch has {', '.join(sorted(MODELS))}")
    if CONFIG not in metadata:
        raise ArnnError(f"{path}: no {CONFIG} in its metadata")
    cls = MODELS[kind]
    try:
        config = cls.Config.from_json(metadata[CONFIG])
    except ArnnError as e:
        raise ArnnError(f"{path}: {e}") from None
    # Building the module initialises its weights (soon overwritten): keep the caller's torch generator
    # as it was, so loading a checkpoint does not change the random numbers a script draws next.
    with torch.random.fork_rng(devices=[]):
        return cls(config)


def task_of(metadata: dict[str, str]) -> Optional[Union[_BitTask, TranslationTask, TransductionTask, BabiTask]]:
    """The task a checkpoint's metadata names (`arnn.task_config`), or None when it names none."""
    text = metadata.get(TASK_CONFIG)
    if text is None:
        return None
    try:
        return task_from_config(json.loads(text))
    except json.JSONDecodeError:
        raise ArnnError(f"{TASK_CONFIG} is not JSON") from None


def save(model: nn.Module, path: Union[str, os.PathLike], task: Any = None,
         metadata: Optional[dict[str, Any]] = None) -> Path:
    """Writes `model` as an arnn checkpoint that `arnn view/eval/trace` open with no flags.

    `task` is a task object (`arnn_torch.tasks`), a task name (default settings) or an
    `arnn.task_config`-style dict; it is recorded as `arnn.task` and `arnn.task_config`, and its widths
    must match the model's (a recurrent model on a token task, translation or a transduction task, reads
    both vocabularies and writes the target's: `RecurrentTokenRunner.widths`). `metadata` adds string
    entries (numbers and dicts are written as JSON text); it may not set `arnn.kind`, `arnn.config` or the
    task keys. The file is written to a temporary file in the same directory, flushed and renamed over
    `path`, so a reader never sees half of it.
    """
    model = getattr(model, "module", model)  # DistributedDataParallel / DataParallel wrap the model
    kind = getattr(model, "kind", None)
    if kind not in MODELS or not isinstance(model, MODELS[kind]):
        raise ArnnError(f"save: {type(model).__name__} is not an arnn_torch model ({', '.join(sorted(MODELS))})")
    meta: dict[str, str] = {KIND: kind, CONFIG: model.config.to_json()}
    if task is not None:
        if isinstance(task, str):
            task = make_task(task)
        elif isinstance(task, dict):
            task = task_from_config(task)
        if not isinstance(task, (_BitTask, TranslationTask, TransductionTask, BabiTask, Dyck2Task)):
            raise ArnnError(f"save: task must be a task, a task name or a task config, got {type(task).__name__}")
        if task.reads == "tokens" and model.config.reads == "bits":
            # A recurrent model on a token task: one-hot over both vocabularies in, the target's out
            # (RecurrentTokenRunner), and no auxiliary cost, which token tasks do not train.
            try:
                RecurrentTokenRunner(model, task)
            except ArnnError as e:
                raise ArnnError(f"save: {e}") from None
        elif task.reads == "labels" and model.config.reads == "bits":
            # A recurrent model labelling brackets: the task's symbols in, its labels out.
            if task.io_sizes != model.config.io_sizes:
                raise ArnnError(f"save: task {task.name} has symbols/labels {task.io_sizes}, the model "
                                f"{model.config.io_sizes}")
        elif task.reads != model.config.reads:
            raise ArnnError(f"save: task {task.name} is a task of {task.reads}, a {kind} reads {model.config.reads}")
        elif task.io_sizes != model.config.io_sizes:
            what = {"bits": "input/output widths", "tokens": "source/target vocabularies",
                    "stories": "words/answers"}[task.reads]
            raise ArnnError(f"save: task {task.name} has {what} {task.io_sizes}, the model {model.config.io_sizes}")
        elif hasattr(model.config, "answerWords") and list(model.config.answerWords) != list(task.answer_words):
            # A model whose answers are rows of its word tables (memn2n) must name the task's answer words.
            raise ArnnError(f"save: task {task.name}'s answers are the words {list(task.answer_words)}, "
                            f"the model's answerWords {model.config.answerWords}")
        meta[TASK] = task.name
        meta[TASK_CONFIG] = json.dumps(task.config(), sort_keys=True, separators=(",", ":"))
    for key, value in (metadata or {}).items():
        if key in (KIND, CONFIG, TASK, TASK_CONFIG):
            raise ArnnError(f"save: metadata may not set {key!r} (it comes from the model and the task)")
        if not isinstance(value, str):
            value = json.dumps(value, sort_keys=True, separators=(",", ":"))
        meta[str(key)] = value
    tensors = {name: t.detach().to("cpu", torch.float32).contiguous().clone()
               for name, t in model.state_dict().items()}
    data = safetensors_bytes(tensors, metadata=meta)
    return _write_atomically(Path(path), data)


def _write_atomically(path: Path, data: bytes) -> Path:
    """Temporary file `.<name>.tmp-<pid>-<random>` beside `path`, fsync, rename, fsync the directory."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ArnnError(f"{path}: directory {directory} does not exist")
    tmp = directory / f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return path
