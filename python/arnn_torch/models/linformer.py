"""The Linformer's attention in arnn_torch's transformer, transcribed from docs/models/transformer.md, eqs.
(13)-(15): each attention it replaces (each encoder layer's self-attention, each decoder layer's
cross-attention) has learned projections E and F [k, n] along the sequence, shared by its heads, stored as
`<attention>.linformer_e` and `<attention>.linformer_f`.

A batch padded to S ≤ n positions uses the first S columns of E and F, with the keys and values of padded
positions set to 0 first: a sentence then gets the projected keys and values it gets alone, as if every
sequence were padded to n with zero rows (the doc's "Linformer, sources shorter than n").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch


@dataclass
class LinformerKeys:
    """Eq. (13), the key side of one attention: E_S K̄ and F_S V̄ [B, h, k, d_k], F_S [k, S] for the implied
    map, and the real positions R [B, 1, 1, S] (1, or 0 at padding) when there is a mask."""
    keys: torch.Tensor
    values: torch.Tensor
    value_projection: torch.Tensor
    real: Optional[torch.Tensor]

    @classmethod
    def prepare(cls, k: torch.Tensor, v: torch.Tensor, mask: Optional[torch.Tensor], e: torch.Tensor,
                f: torch.Tensor) -> "LinformerKeys":
        """Keys and values [B, h, S, d_k], the source mask [B, 1, 1, S] (0 or −10⁹) or None, E and F [k, n ≥ S].
        Zeroed padded rows add nothing to the k projected rows, which are then all real: eq. (14) needs no
        mask."""
        s = k.shape[-2]
        es, fs = e[:, :s], f[:, :s]                                               # E_S, F_S
        real = None
        if mask is not None:
            real = (mask == 0).to(k.dtype)
            column = real.transpose(-1, -2)                                       # [B, 1, S, 1]
            k, v = k * column, v * column                                         # K̄, V̄
        return cls(es @ k, fs @ v, fs, real)

    def attend(self, q: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Eqs. (14), (15), the query side, for queries [B, h, T_q, d_k]: P = softmax(Q (E_S K̄)ᵀ / √d_k) over
        the k rows, the output P (F_S V̄), and the map over source positions it implies, Ã = P F_S R
        [B, h, T_q, S], so that the output is Ã V."""
        p = torch.softmax((q * q.shape[-1] ** -0.5) @ self.keys.transpose(-1, -2), -1)      # (14)
        implied = p @ self.value_projection                                                 # (15)
        if self.real is not None:
            implied = implied * self.real
        return p @ self.values, implied
