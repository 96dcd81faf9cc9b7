"""The loop over time that arnn_torch's step-by-step models share (arnn's `RecurrentModel.unroll`): check
that x is [batch, time, X] and floating point, with arnn's messages; run `step` over the time axis from the
model's initial state; stack the logits [B, T, Y] and, when asked, the per-step internals."""

from __future__ import annotations

from typing import Any, Callable, Optional

import torch

from ..errors import ArnnError


def check_sequence_input(kind: str, x: torch.Tensor, width: int) -> None:
    """Raises arnn's one-line error unless x is a floating-point [batch, time, width] tensor."""
    if x.dim() != 3 or x.shape[-1] != width:
        raise ArnnError(f"{kind}: input must be [batch, time, {width}], got {list(x.shape)}")
    if not x.is_floating_point():
        raise ArnnError(f"{kind}: input must be floating point, got {x.dtype}")


def unroll(kind: str, width: int, x: torch.Tensor, initial_state: Callable[[], Any],
           step: Callable[[torch.Tensor, Any], tuple[torch.Tensor, Any, dict]],
           stack: Callable[[list], dict], internals: bool = False,
           keep: Optional[Callable[[dict], Any]] = None):
    """`model(x)`: the logits [B, T, Y]; with `internals`, also `stack` of every step's internals (each
    passed through `keep` first, to hold on to only what will be stacked)."""
    check_sequence_input(kind, x, width)
    state = initial_state()
    logits, steps = [], []
    for t in range(x.shape[1]):
        y, state, inner = step(x[:, t], state)
        logits.append(y)
        if internals:
            steps.append(keep(inner) if keep is not None else inner)
    out = torch.stack(logits, 1)
    if not internals:
        return out
    return out, stack(steps)
