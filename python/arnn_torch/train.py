"""Train an arnn model in PyTorch, on a CPU, a GPU, or data-parallel under torchrun.

    python -m arnn_torch.train --model ntm --task copy --sequences 20000 --seed 1 --out copy.safetensors
    torchrun --nproc_per_node 2 -m arnn_torch.train --model ntm --task copy --batch-size 16 ...

The loop is arnn's (Sources/Training/Trainer.swift): batch i of a run draws its sequences from
`batch_rng(seed, i)`; on a bit task the loss is the binary cross-entropy with logits summed over the scored
bits and divided by the batch's scored bits (plus τ·ρ for ACT); on a transduction task (`symbol-copy`,
`reversal`, `bigram-flip`, `svo-sov`) a recurrent model reads the source and writes the target under teacher forcing
(`RecurrentTokenRunner`), and the loss is the cross-entropy summed over every target symbol and `<eos>` and
divided by their number; on `dyck2` it labels every bracket, the cross-entropy summed over the positions and
divided by their number; gradients are clamped elementwise to ±clip (then, with --clip-norm, scaled to
that ℓ2 norm); RMSprop (lr 1e-4, α 0.95, momentum 0.9, ε 1e-8) by default. Under torchrun each of the K
processes takes its share of every batch (the same split arnn's --threads makes), DistributedDataParallel
adds the gradients (gloo on CPU, NCCL on GPU), and rank 0 writes the checkpoint, atomically, every
--checkpoint-every sequences and at the end. `--batch-size` is the global batch, as in arnn, so K processes
see exactly the sequences one would.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F

from . import __version__
from .checkpoint import save
from .errors import ArnnError
from .models import MODELS
from .dyck import PAD_LABEL
from .recurrent_tokens import PAD, RecurrentTokenRunner
from .rng import batch_rng
from .tasks import TASKS, make_task


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m arnn_torch.train", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, choices=sorted(MODELS), help="model kind")
    p.add_argument("--task", choices=sorted(TASKS), help="task (required)")
    p.add_argument("--sequences", type=int, default=20000, help="sequences to train on in all (default 20000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the data stream and the initial weights")
    p.add_argument("--out", required=True, help="checkpoint to write (arnn opens it with no flags)")
    p.add_argument("--force", action="store_true", help="replace an existing --out")
    p.add_argument("--batch-size", type=int, default=1, help="sequences per optimiser step, over all processes")
    p.add_argument("--optimizer", choices=["rmsprop", "adam", "sgd"], default="rmsprop")
    p.add_argument("--lr", type=float, default=1e-4, help="learning rate (default 1e-4)")
    p.add_argument("--momentum", type=float, default=0.9, help="RMSprop and SGD momentum (default 0.9)")
    p.add_argument("--alpha", type=float, default=0.95, help="RMSprop's alpha (default 0.95)")
    p.add_argument("--clip", type=float, default=10.0, help="clamp gradients elementwise to ±clip (0: off)")
    p.add_argument("--clip-norm", type=float, default=0.0,
                   help="then scale the whole gradient to at most this ℓ2 norm, as arnn's --clip-norm (0: off)")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="a model config field, e.g. --set memoryRows=64 (repeatable)")
    p.add_argument("--task-set", action="append", default=[], metavar="FIELD=VALUE",
                   help="a task setting, e.g. --task-set maxLength=10 (repeatable)")
    p.add_argument("--checkpoint-every", type=int, default=1000, help="write the checkpoint every N sequences")
    p.add_argument("--log-every", type=int, default=500, help="print progress every N sequences (0: never)")
    p.add_argument("--device", default="auto", help="auto (cuda when available), cpu, cuda, cuda:1, ...")
    p.add_argument("--threads", type=int, default=1, help="torch threads per process (default 1)")
    a = p.parse_args(argv)
    # The models arnn_torch cannot train here get their own message, with --task or without it.
    if a.task == "babi" or MODELS[a.model].Config.reads == "stories":
        # Nor is the babi task's story generator (arnn_torch/babi.py): the memory networks train in arnn.
        raise ArnnError("arnn_torch.train has no babi task; train memn2n and dmn with arnn train")
    if a.task == "translation" or MODELS[a.model].Config.reads != "bits":
        # The translation task's sentence generator is not transcribed (arnn_torch/translation.py).
        raise ArnnError("arnn_torch.train has no translation task; train seq2seq with arnn train")
    if a.task is None:
        p.error(f"--task is required (one of {', '.join(sorted(TASKS))})")
    checks = [
        (a.sequences >= 1, "--sequences must be at least 1"),
        (1 <= a.batch_size <= 4096, "--batch-size must be in 1...4096"),
        (a.lr > 0 and math.isfinite(a.lr), "--lr must be a positive number"),
        (0 <= a.momentum < 1, "--momentum must be in [0, 1)"),
        (0 < a.alpha < 1, "--alpha must be in (0, 1)"),
        (a.clip >= 0 and math.isfinite(a.clip), "--clip must be 0 or a positive number"),
        (a.clip_norm >= 0 and math.isfinite(a.clip_norm), "--clip-norm must be 0 or a positive number"),
        (a.checkpoint_every >= 0, "--checkpoint-every must be 0 or more"),
        (a.threads >= 1, "--threads must be at least 1"),
        (0 <= a.seed < 2**64, "--seed must be in 0...2^64-1"),
    ]
    for ok, message in checks:
        if not ok:
            raise ArnnError(message)
    return a


def _settings(pairs: list[str], what: str) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ArnnError(f"{what} wants FIELD=VALUE, got {pair!r}")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def bce_loss_sum(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy with logits (nats), summed over the scored bits: the objective arnn trains."""
    per_bit = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    return (per_bit * mask.unsqueeze(-1)).sum()


class Distributed:
    """The process group under torchrun (RANK, WORLD_SIZE set), or a single process."""

    def __init__(self, device_arg: str) -> None:
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if device_arg == "auto":
            device_arg = "cuda" if torch.cuda.is_available() else "cpu"
        if device_arg == "cuda" and self.world > 1:
            device_arg = f"cuda:{local}"
        self.device = torch.device(device_arg)
        if self.device.type == "cuda":
            torch.cuda.set_device(self.device)
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")

    @property
    def active(self) -> bool:
        return self.world > 1

    def sum(self, values: list[float]) -> list[float]:
        if not self.active:
            return values
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return t.tolist()

    def close(self, finished: bool = False) -> None:
        if self.active:
            # After a finished run every process leaves together: one that tore gloo down while rank 0 was
            # still writing the checkpoint sometimes aborted at exit ("terminate called without an active
            # exception"). After a failure no process waits for the others.
            if finished:
                dist.barrier()
            dist.destroy_process_group()


def train(argv: list[str]) -> int:
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    out = Path(a.out)
    if out.exists() and not a.force:
        raise ArnnError(f"{out} exists; pass --force to replace it")
    if not out.parent.is_dir():
        raise ArnnError(f"{out}: directory {out.parent} does not exist")
    task = make_task(a.task, **_settings(a.task_set, "--task-set"))
    cls = MODELS[a.model]
    # A recurrent model on a token task reads both vocabularies one-hot and writes the target's.
    x, y = RecurrentTokenRunner.widths(task) if task.reads == "tokens" else (task.input_width, task.output_width)
    config = cls.Config(**{"inputSize": x, "outputSize": y, **_settings(a.set, "--set")})
    env = Distributed(a.device)
    if a.batch_size < env.world:
        raise ArnnError(f"--batch-size {a.batch_size} is smaller than the {env.world} processes")
    try:
        result = _run(a, task, cls, config, env, out)
    except BaseException:
        env.close()
        raise
    env.close(finished=True)
    return result


def _run(a, task, cls, config, env: Distributed, out: Path) -> int:
    torch.manual_seed(a.seed)  # the same initial weights in every process (DDP also broadcasts rank 0's)
    model = cls(config).to(env.device)
    net = model
    if env.active:
        ids = [env.device.index] if env.device.type == "cuda" else None
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=ids)
    params = list(model.parameters())
    if a.optimizer == "rmsprop":
        opt = torch.optim.RMSprop(params, lr=a.lr, alpha=a.alpha, eps=1e-8, momentum=a.momentum)
    elif a.optimizer == "adam":
        opt = torch.optim.Adam(params, lr=a.lr)
    else:
        opt = torch.optim.SGD(params, lr=a.lr, momentum=a.momentum)

    # This process's share of every batch: the same split as arnn's worker threads.
    lo = env.rank * a.batch_size // env.world
    hi = (env.rank + 1) * a.batch_size // env.world
    command = " ".join(shlex.quote(x) for x in [sys.executable, "-m", "arnn_torch.train"] + sys.argv[1:])
    training = {"alpha": a.alpha, "batchSize": a.batch_size, "checkpointEvery": a.checkpoint_every,
                "clipNorm": a.clip_norm, "clipValue": a.clip, "curriculum": False, "learningRate": a.lr,
                "momentum": a.momentum, "optimizer": a.optimizer, "seed": a.seed, "sequences": a.sequences,
                "threads": 1}

    def write(done: int, recent: dict) -> None:
        save(model, out, task=task, metadata={
            "arnn.steps": str(done), "arnn.seed": str(a.seed), "arnn.command": command,
            "arnn.training": training, "arnn.last_results": recent,
            "arnn_torch.version": __version__, "arnn_torch.torch": torch.__version__,
            "arnn_torch.processes": str(env.world), "arnn_torch.device": env.device.type})

    tokens = task.reads == "tokens"
    labels = task.reads == "labels"
    if labels and getattr(model, "auxiliary_weight", 0.0):
        raise ArnnError(f"arnn_torch.train: {model.kind} has a ponder cost, which {task.name}'s labelling loss "
                        "does not train (arnn does not train it on labels either)")
    runner = RecurrentTokenRunner(model, task) if tokens else None   # refuses ACT, whose ponder cost it lacks
    done, batch_index, last_saved = 0, 0, 0
    window = {"loss": 0.0, "wrong": 0.0, "seqs": 0}
    recent = {}
    start = time.perf_counter()
    while done < a.sequences:
        rng = batch_rng(a.seed, batch_index)
        if tokens:
            # arnn's RecurrentTokenLearner under teacher forcing: the cross-entropy summed over every target
            # symbol and <eos>, divided by their number in the whole batch.
            pairs = [task.sample(rng) for _ in range(a.batch_size)]
            units = sum(len(p.target_ids) + 1 for p in pairs)
            x, wanted = runner.batch([p.source_ids for p in pairs[lo:hi]], [p.target_ids for p in pairs[lo:hi]])
            x, wanted = x.to(env.device), wanted.to(env.device)
            logits = net(x)
            loss_sum = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), wanted.reshape(-1), ignore_index=PAD,
                                       reduction="sum")
        elif labels:
            # arnn's RecurrentLabellingLearner: one label per bracket, the cross-entropy summed over every
            # position of the batch and divided by their number.
            strings = [task.sample(rng) for _ in range(a.batch_size)]
            units = sum(s.own_length for s in strings)
            x, wanted = task.batch(strings[lo:hi])
            x, wanted = x.to(env.device), wanted.to(env.device)
            logits = net(x)
            loss_sum = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), wanted.reshape(-1),
                                       ignore_index=PAD_LABEL, reduction="sum")
        else:
            examples = [task.example(rng) for _ in range(a.batch_size)]
            units = sum(int(e.mask.sum()) for e in examples) * task.output_width
            x, y, m = task.batch(examples[lo:hi])
            x, y, m = x.to(env.device), y.to(env.device), m.to(env.device)
            weight = getattr(model, "auxiliary_weight", 0.0)
            if weight:
                # A model with an auxiliary loss (ACT's ponder cost ρ, docs/models/act.md (9)): τ·ρ summed over
                # each example's own steps, added to the BCE before the division by the scored bits.
                logits, inner = net(x, internals=True)
                valid = torch.zeros_like(m)
                for j, e in enumerate(examples[lo:hi]):
                    valid[j, : e.steps] = 1
                loss_sum = bce_loss_sum(logits, y, m) + weight * (inner["auxiliary_cost"] * valid).sum()
            else:
                logits = net(x)
                loss_sum = bce_loss_sum(logits, y, m)
        # DDP averages gradients over processes; scaling by K makes it the sum arnn's threads add.
        (loss_sum * (env.world / max(units, 1))).backward()
        if a.clip > 0:
            torch.nn.utils.clip_grad_value_(params, a.clip)
        if a.clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(params, a.clip_norm)
        opt.step()
        opt.zero_grad(set_to_none=True)
        done += a.batch_size
        batch_index += 1
        if not math.isfinite(loss_sum.item()):
            raise ArnnError(f"training diverged at sequence {done}: the loss is {loss_sum.item()}")
        with torch.no_grad():
            if tokens:   # target symbols (and <eos>) whose teacher-forced argmax is wrong
                wrong = ((logits.argmax(-1) != wanted) & (wanted != PAD)).sum().item()
            elif labels:  # positions labelled wrong
                wrong = ((logits.argmax(-1) != wanted) & (wanted != PAD_LABEL)).sum().item()
            else:
                wrong = (((logits >= 0).float() != y).float() * m.unsqueeze(-1)).sum().item()
        window["loss"] += loss_sum.item() / math.log(2)
        window["wrong"] += wrong
        window["seqs"] += hi - lo
        log_now = a.log_every > 0 and done // a.log_every != (done - a.batch_size) // a.log_every
        save_now = a.checkpoint_every > 0 and done - last_saved >= a.checkpoint_every
        if log_now or save_now or done >= a.sequences:
            loss, wrong, seqs = env.sum([window["loss"], window["wrong"], float(window["seqs"])])
            # arnn's metric names on a token task (TokenObjective: CE bits and wrong words per sentence).
            names = (("meanCEBits", "meanWrongTokens") if tokens else ("meanCEBits", "meanWrongLabels") if labels
                     else ("loss_bits_per_sequence", "wrong_bits_per_sequence"))
            recent = {names[0]: loss / max(seqs, 1), names[1]: wrong / max(seqs, 1)}
            window = {"loss": 0.0, "wrong": 0.0, "seqs": 0}
            if env.rank == 0 and log_now:
                rate = done / (time.perf_counter() - start)
                unit = (("bits/sent", "words/sent") if tokens else ("bits/seq", "labels/seq") if labels
                        else ("bits/seq", "bits/seq"))
                print(f"{done:>9} seqs  loss {recent[names[0]]:8.3f} {unit[0]}  "
                      f"wrong {recent[names[1]]:7.3f} {unit[1]}  {rate:7.1f} seq/s", flush=True)
        if save_now and done < a.sequences:
            if env.rank == 0:
                write(done, recent)
            last_saved = done
    if env.rank == 0:
        write(done, recent)
        elapsed = time.perf_counter() - start
        print(f"wrote {out} after {done} sequences in {elapsed:.1f} s ({env.world} process"
              f"{'es' if env.world > 1 else ''}, {env.device.type})", flush=True)
    return 0


def run_processes(argv: list[str], processes: int, port: int) -> None:
    """Runs `train(argv)` in `processes` local processes joined by gloo (what torchrun does on one node),
    for tests and for machines without torchrun. Raises if any process fails."""
    import torch.multiprocessing as mp

    mp.spawn(_process, args=(processes, port, argv), nprocs=processes, join=True)


def _process(rank: int, world: int, port: int, argv: list[str]) -> None:
    os.environ.update({"RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(world),
                       "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    train(argv)


def main() -> None:
    try:
        sys.exit(train(sys.argv[1:]))
    except ArnnError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
