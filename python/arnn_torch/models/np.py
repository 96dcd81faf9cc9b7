"""arnn's Neural Programmer (`np`) in PyTorch, written from docs/models/neural-programmer.md (equation numbers
cite it): the question RNN (1)-(2), the history RNN and the selectors (3)-(6), the pivots (7)-(8), the 13
operations on whole tables (9)-(12), each step's outputs (13)-(15), the answer record, and the loss (16)-(17).

Parameter names are arnn's checkpoint names: `words.weight` 𝐕 [V, d] (row 0, padding, zero), `operations.weight`
U [O, d], `question.weight` W^q [d, 2d], `history.weight` W^h [d, 3d], `operationSelector.weight` W^op [d, 2d],
`columnSelector.weight` W^col [d, 2d]. Tests/Fixtures/make_np_fixture.py uses it from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence, Union

import torch
from torch import nn

from ..config import Config, Field, in_range
from ..errors import ArnnError

# The operations in the doc's order: an operation's index is its row of U.
OPERATIONS = ("sum", "count", "difference", "greater", "lesser", "and", "or", "print", "reset", "greatest", "lowest",
              "first", "last")
OP = {name: i for i, name in enumerate(OPERATIONS)}
SCALAR_OPERATIONS = ("sum", "count", "difference")
ROW_OPERATIONS = ("greater", "lesser", "and", "or", "reset", "greatest", "lowest", "first", "last")
# The answer record's leading entries before the lookup: s_T, α^op_T(print), the table's cell count M·C.
HEADER = 3


def _positive(v: float) -> bool:
    return math.isfinite(v) and v > 0


class NeuralProgrammerConfig(Config):
    """arnn's `NeuralProgrammerConfig` (Sources/Models/NeuralProgrammer/NeuralProgrammerConfig.swift): the fields
    arnn writes, with its ranges. `lookupWeight` (λ) and `huberDelta` (δ) are the loss's (16), (17)."""

    model = "Neural Programmer"
    reads = "tables"
    fields = (
        Field("vocabularySize", int, check=lambda v: v >= 2, expected="at least 2"),
        Field("embeddingSize", int, 64, in_range(1, 1024), "in 1...1024"),
        Field("steps", int, 5, in_range(1, 16), "in 1...16"),
        Field("maxRows", int, 32, in_range(1, 256), "in 1...256"),
        Field("maxColumns", int, 5, in_range(1, 32), "in 1...32"),
        Field("lookupWeight", float, 50.0, _positive, "a positive number"),
        Field("huberDelta", float, 10.0, _positive, "a positive number"),
    )

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(words V, lookup cells maxRows × maxColumns)."""
        return self.vocabularySize, self.maxRows * self.maxColumns


@dataclass
class TableQuestion:
    """What the model reads (arnn's `TableQuestionInput`): the question's word ids with its numbers taken out,
    the numbers' values in order, for each number how many of the word ids come before it (ℓ_k; 0 when the
    number comes first), the cells row by row, and each column's name as a word id."""

    word_ids: list
    number_values: list
    number_contexts: list
    cells: list
    column_name_ids: list

    @property
    def rows(self) -> int:
        return len(self.cells)

    @property
    def columns(self) -> int:
        return len(self.column_name_ids)


# A right answer: a number y, or a cell (row, column) of the table; None scores nothing.
Right = Union[float, int, tuple, None]


def table_answer_loss(record: torch.Tensor, rights: Sequence[Right], questions: Sequence[TableQuestion],
                      columns: int, lookup_weight: float, huber_delta: float) -> torch.Tensor:
    """Each question's loss [B] from its answer record [B, 3 + R·C] (R·C the record's lookup cells, `columns` C
    per row). A number y costs the Huber loss (16) of a = |s_T − y|; a cell (i, j) costs λ times the mean over
    the table's own M × C cells (17) of the log loss of lookup_T, clamped to [1e-6, 1 − 1e-6] so that a lookup
    of exactly 0 or 1 costs a finite amount. Cells outside the table are not part of (17) and are left out."""
    b, width = record.shape
    cells = width - HEADER
    if cells <= 0 or cells % columns:
        raise ArnnError(f"np: an answer record of {width} entries for {columns} columns")
    if len(rights) != b or len(questions) != b:
        raise ArnnError(f"np: {b} answer records, {len(rights)} right answers and {len(questions)} questions")
    s = record[:, 0]
    lookup = record[:, HEADER:].reshape(b, cells // columns, columns).clamp(1e-6, 1 - 1e-6)
    losses = []
    for i, (right, q) in enumerate(zip(rights, questions)):
        if right is None:
            losses.append(s.new_zeros(()))
        elif isinstance(right, (tuple, list)):
            row, column = right
            if not (0 <= row < q.rows and 0 <= column < q.columns):
                raise ArnnError(f"np: the right cell ({row}, {column}) is outside question {i}'s "
                                f"{q.rows} × {q.columns} table")
            table = lookup[i, :q.rows, :q.columns]
            y = torch.zeros_like(table)
            y[row, column] = 1
            log_loss = -(y * table.log() + (1 - y) * (1 - table).log())                         # (17)
            losses.append(lookup_weight * log_loss.mean())
        else:
            a = (s[i] - float(right)).abs()
            losses.append(torch.where(a <= huber_delta, 0.5 * a * a, huber_delta * a - 0.5 * huber_delta ** 2))  # (16)
    return torch.stack(losses)


class NeuralProgrammer(nn.Module):
    """arnn's `np`. Table questions in, one answer record per question out.

    - `model(questions)`: `questions` a list of `TableQuestion`. Returns the answer record [B, 3 + R·C] (R, C =
      maxRows, maxColumns): s_T, α^op_T(print), the table's cell count M·C, then lookup_T row by row over
      R × C cells (cells outside the table 0).
    - `selection=`: "soft" (training, the default: the softmaxes), "hard" (evaluation: each of α^op, α^col and
      β replaced by the one-hot of its argmax), or a program, a list of T steps `(operation, column, number)`
      (an operation's name or index; column and number default to 0) that every question runs.
    - `internals=True` also returns, per step t (axis 1, T entries): `operation_weights` α^op [B, T, O] and
      `column_weights` α^col [B, T, C] as the softmaxes give them (padded columns 0), `used_operations` and
      `used_columns`, what the step used (the one-hot at hard selection), `rows_before` rs_{t−1} and `rows`
      rs_t [B, T, R] (padded rows 0), `scalar` s_t [B, T], `lookup` lookup_t [B, T, R, C], `history` h_t
      [B, T, d], `greater_weights`, `lesser_weights` β [B, T, N] (7) as the softmax gives them, `used_greater`,
      `used_lesser` (one-hot at hard selection); and once `question` q [B, d] (2).
    """

    kind = "np"
    Config = NeuralProgrammerConfig

    def __init__(self, config: NeuralProgrammerConfig) -> None:
        super().__init__()
        self.config = config
        v, d, o = config.vocabularySize, config.embeddingSize, len(OPERATIONS)
        self.words = nn.Embedding(v, d, padding_idx=0, _weight=torch.empty(v, d))
        self.operations = nn.Embedding(o, d, _weight=torch.empty(o, d))
        self.question = nn.Linear(2 * d, d, bias=False)
        self.history = nn.Linear(3 * d, d, bias=False)
        self.operationSelector = nn.Linear(2 * d, d, bias=False)
        self.columnSelector = nn.Linear(2 * d, d, bias=False)
        self.pivotSelector = nn.Linear(d, d, bias=False)                                    # W^β (7)
        # Initialisation (the doc's proposal): 𝐕 and U from N(0, 0.1²), row 0 of 𝐕 zero; the two RNNs' matrices
        # uniform in ±√(3/d) (a recurrent part of spectral radius near 1), the selectors' in ±1/√(fan-in).
        with torch.no_grad():
            self.words.weight.normal_(0, 0.1)
            self.words.weight[0].zero_()
            self.operations.weight.normal_(0, 0.1)
            for m in (self.question, self.history):
                a = math.sqrt(3 / d)
                m.weight.uniform_(-a, a)
            for m in (self.operationSelector, self.columnSelector, self.pivotSelector):
                a = 1 / math.sqrt(m.in_features)
                m.weight.uniform_(-a, a)

    def _check(self, questions: Sequence[TableQuestion]) -> None:
        c = self.config
        if not questions:
            raise ArnnError("np: no questions")
        for b, q in enumerate(questions):
            if not (1 <= q.rows <= c.maxRows and 1 <= q.columns <= c.maxColumns):
                raise ArnnError(f"np: question {b}'s table is {q.rows} × {q.columns}; the model reads 1...{c.maxRows} "
                                f"rows and 1...{c.maxColumns} columns")
            if any(len(row) != q.columns for row in q.cells):
                raise ArnnError(f"np: question {b}'s table needs one cell per column in every row")
            if len(q.number_values) != len(q.number_contexts):
                raise ArnnError(f"np: question {b} has {len(q.number_values)} numbers and "
                                f"{len(q.number_contexts)} number contexts")
            if any(not 0 <= k <= len(q.word_ids) for k in q.number_contexts):
                raise ArnnError(f"np: question {b}'s number contexts must be in 0...{len(q.word_ids)}")
            for what, ids in (("question", q.word_ids), ("column name", q.column_name_ids)):
                bad = [i for i in ids if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < c.vocabularySize]
                if bad:
                    raise ArnnError(f"np: a {what} holds id {bad[0]!r}, outside the vocabulary of {c.vocabularySize}")

    def forward(self, questions: Sequence[TableQuestion], selection="soft", internals: bool = False):
        self._check(questions)
        c = self.config
        bs, d, o, r, cc = len(questions), c.embeddingSize, len(OPERATIONS), c.maxRows, c.maxColumns
        device, dtype = self.words.weight.device, self.words.weight.dtype
        rows_of = [q.rows for q in questions]
        columns_of = [q.columns for q in questions]
        numbers_of = [len(q.number_values) for q in questions]
        n = max(max(numbers_of), 1)
        qlen = max(max(len(q.word_ids) for q in questions), 1)
        program = None
        if not isinstance(selection, str):
            program = [self._program_step(step, n) for step in selection]
            if len(program) != c.steps:
                raise ArnnError(f"np: a program of {len(program)} steps for a model of {c.steps}")
        elif selection not in ("soft", "hard"):
            raise ArnnError(f"np: selection must be 'soft', 'hard' or a program, got {selection!r}")

        # The table M [B, R, C] in float64 for the comparisons of (11), (12), which give 0/1 constants.
        table = torch.zeros(bs, r, cc, dtype=torch.float64)
        row_mask = torch.zeros(bs, r, dtype=torch.bool)
        column_mask = torch.zeros(bs, cc, dtype=torch.bool)
        number_mask = torch.zeros(bs, n, dtype=torch.bool)
        values = torch.zeros(bs, n, dtype=torch.float64)
        contexts = torch.zeros(bs, n, dtype=torch.long)
        first = torch.zeros(bs, r)
        last = torch.zeros(bs, r)
        for b, q in enumerate(questions):
            table[b, :q.rows, :q.columns] = torch.tensor(q.cells, dtype=torch.float64)
            row_mask[b, :q.rows] = True
            column_mask[b, :q.columns] = True
            number_mask[b, :len(q.number_values)] = True
            values[b, :len(q.number_values)] = torch.tensor(q.number_values, dtype=torch.float64)
            contexts[b, :len(q.number_contexts)] = torch.tensor(q.number_contexts, dtype=torch.long)
            first[b, 0] = 1                                                                  # (12) [i = 1]
            last[b, q.rows - 1] = 1                                                          # (12) [i = M]
        cells = (row_mask[:, :, None] & column_mask[:, None, :])                             # [B, R, C]
        # (11): [M_ij > qn_k], [M_ij < qn_k] [B, N, R, C], only on the table's cells and real numbers.
        real = cells[:, None] & number_mask[:, :, None, None]
        greater_cells = ((table[:, None] > values[:, :, None, None]) & real).to(dtype)
        lesser_cells = ((table[:, None] < values[:, :, None, None]) & real).to(dtype)
        # (12): [M_ij = max_k M_kj], [M_ij = min_k M_kj] over the table's rows.
        top = table.masked_fill(~row_mask[:, :, None], -math.inf).amax(1, keepdim=True)
        bottom = table.masked_fill(~row_mask[:, :, None], math.inf).amin(1, keepdim=True)
        greatest_cells = ((table == top) & cells).to(dtype)
        lowest_cells = ((table == bottom) & cells).to(dtype)
        table, rows_all = table.to(dtype), row_mask.to(dtype)
        first, last = first.to(dtype), last.to(dtype)
        for b in range(bs):
            if numbers_of[b] == 0:
                number_mask[b, 0] = True                # a softmax needs an entry; it compares with nothing
        to = dict(device=device)
        table, rows_all, first, last = table.to(**to), rows_all.to(**to), first.to(**to), last.to(**to)
        greater_cells, lesser_cells = greater_cells.to(**to), lesser_cells.to(**to)
        greatest_cells, lowest_cells = greatest_cells.to(**to), lowest_cells.to(**to)
        column_mask, number_mask, contexts = column_mask.to(**to), number_mask.to(**to), contexts.to(**to)

        vocabulary, u = self.words.weight, self.operations.weight
        # (1), (2): the question RNN over each question's own words; a shorter one keeps its last state.
        ids = torch.zeros(bs, qlen, dtype=torch.long)
        present = torch.zeros(bs, qlen, dtype=torch.bool)
        for b, q in enumerate(questions):
            ids[b, :len(q.word_ids)] = torch.tensor(q.word_ids, dtype=torch.long)
            present[b, :len(q.word_ids)] = True
        embedded = vocabulary[ids.to(device)]
        present = present.to(device)
        z = vocabulary.new_zeros(bs, d)
        states = [z]                                                                         # z₀ = 0
        for i in range(qlen):
            nxt = torch.tanh(self.question(torch.cat([z, embedded[:, i]], 1)))
            z = torch.where(present[:, i, None], nxt, z)
            states.append(z)
        q_vec = z
        # (7): Z_k = z_{ℓ_k}, the numbers' left contexts; β is computed at each step below.
        zk = torch.stack(states, 1)[torch.arange(bs, device=device)[:, None], contexts]      # [B, N, d]
        # P [B, C, d]: each column's name embedding (padded columns read row 0, never chosen).
        names = torch.zeros(bs, cc, dtype=torch.long)
        for b, q in enumerate(questions):
            names[b, :q.columns] = torch.tensor(q.column_name_ids, dtype=torch.long)
        p = vocabulary[names.to(device)]

        h = vocabulary.new_zeros(bs, d)                                                      # h₀ = 0
        previous = None
        rs1 = rs2 = rows_all                                                                 # rs₀ = rs₋₁ = 1
        zero = vocabulary.new_zeros(bs)
        s1 = s2 = s3 = zero                                                                  # s_t = 0 for t ≤ 0
        trace = {key: [] for key in ("operation_weights", "column_weights", "used_operations", "used_columns",
                                     "rows_before", "rows", "scalar", "lookup", "history", "greater_weights",
                                     "lesser_weights", "used_greater", "used_lesser")}
        lookup = used_print = None
        for t in range(c.steps):
            # (3), (4): the history RNN reads the last step's choices (c₁ = 0).
            if previous is None:
                ct = vocabulary.new_zeros(bs, 2 * d)
            else:
                ct = torch.cat([previous[0] @ u, (previous[1][:, :, None] * p).sum(1)], 1)
            h = torch.tanh(self.history(torch.cat([ct, h], 1)))
            qh = torch.cat([q_vec, h], 1)
            alpha_op = torch.softmax(torch.tanh(self.operationSelector(qh)) @ u.T, -1)          # (5)
            column_scores = (p @ torch.tanh(self.columnSelector(qh))[:, :, None])[:, :, 0]
            alpha_col = torch.softmax(column_scores.masked_fill(~column_mask, -math.inf), -1)   # (6)
            # (7): β of greater and lesser at this step: U_op + W^β h_t attending over the numbers' contexts.
            step_key = self.pivotSelector(h)
            beta = {op: torch.softmax((zk @ (u[OP[op]] + step_key)[:, :, None])[:, :, 0].masked_fill(~number_mask, -math.inf), -1)
                    for op in ("greater", "lesser")}
            op_use, col_use, bg, bl = alpha_op, alpha_col, beta["greater"], beta["lesser"]
            if selection == "hard":
                bg, bl = (self._one_hot(beta[op].masked_fill(~number_mask, -math.inf).argmax(-1), n, dtype, device)
                          for op in ("greater", "lesser"))
                op_use = self._one_hot(alpha_op.argmax(-1), o, dtype, device)
                col_use = self._one_hot(alpha_col.masked_fill(~column_mask, -math.inf).argmax(-1), cc, dtype, device)
            elif program is not None:
                operation, column, number = program[t]
                if column >= min(columns_of):
                    raise ArnnError(f"np: program step {t + 1} chooses column {column} of a table of "
                                    f"{min(columns_of)} columns")
                op_use = self._one_hot(torch.full((bs,), operation), o, dtype, device)
                col_use = self._one_hot(torch.full((bs,), column), cc, dtype, device)
                bg = bl = self._one_hot(torch.full((bs,), number), n, dtype, device)
            w = {name: op_use[:, i] for name, i in OP.items()}                                # [B] each

            def by_column(x):                                                                 # Σ_j α^col(j) x_ij
                return (x * col_use[:, None, :]).sum(-1)

            # (9)
            total = by_column((rs1[:, :, None] * table).sum(1, keepdim=True))[:, 0]
            count = rs1.sum(1)
            diff = s3 - s1
            # (10), (11), (12)
            terms = {
                "greater": by_column((bg[:, :, None, None] * greater_cells).sum(1)),
                "lesser": by_column((bl[:, :, None, None] * lesser_cells).sum(1)),
                "and": torch.minimum(rs1, rs2),
                "or": torch.maximum(rs1, rs2),
                "reset": rows_all,
                "greatest": by_column(greatest_cells),
                "lowest": by_column(lowest_cells),
                "first": first,
                "last": last,
            }
            # (13), (14), (15)
            scalar = w["sum"] * total + w["count"] * count + w["difference"] * diff
            used_print = w["print"]
            lookup = used_print[:, None, None] * rs1[:, :, None] * col_use[:, None, :]
            rows = sum(w[name][:, None] * terms[name] for name in ROW_OPERATIONS)
            if internals:
                for key, value in (("operation_weights", alpha_op), ("column_weights", alpha_col),
                                   ("used_operations", op_use), ("used_columns", col_use), ("rows_before", rs1),
                                   ("rows", rows), ("scalar", scalar), ("lookup", lookup), ("history", h),
                                   ("greater_weights", beta["greater"]), ("lesser_weights", beta["lesser"]),
                                   ("used_greater", bg), ("used_lesser", bl)):
                    trace[key].append(value)
            previous = (op_use, col_use)
            rs2, rs1 = rs1, rows
            s3, s2, s1 = s2, s1, scalar
        count_cells = torch.tensor([float(a * b) for a, b in zip(rows_of, columns_of)], dtype=dtype, device=device)
        record = torch.cat([s1[:, None], used_print[:, None], count_cells[:, None], lookup.reshape(bs, r * cc)], 1)
        if not internals:
            return record
        inner = {key: torch.stack(values, 1) for key, values in trace.items()}
        inner["question"] = q_vec
        return record, inner

    def loss(self, record: torch.Tensor, rights: Sequence[Right], questions: Sequence[TableQuestion]) -> torch.Tensor:
        """Each question's loss [B] (16), (17) with this model's λ and δ; `table_answer_loss` says how."""
        c = self.config
        return table_answer_loss(record, rights, questions, c.maxColumns, c.lookupWeight, c.huberDelta)

    @staticmethod
    def given(record: torch.Tensor, columns: int) -> list:
        """What each record answers: a number when α^op_T(print) < ½, else the cell (row, column) of the largest
        lookup entry."""
        out = []
        for row in record.detach().tolist():
            if row[1] < 0.5:
                out.append(row[0])
            else:
                lookup = row[HEADER:]
                best = max(range(len(lookup)), key=lambda k: lookup[k])
                out.append((best // columns, best % columns))
        return out

    @staticmethod
    def _one_hot(index: torch.Tensor, width: int, dtype, device) -> torch.Tensor:
        return torch.nn.functional.one_hot(index.to(device), width).to(dtype)

    @staticmethod
    def _program_step(step, numbers: int) -> tuple[int, int, int]:
        if isinstance(step, (str, int)):
            step = (step,)
        operation, column, number = (tuple(step) + (0, 0))[:3]
        if isinstance(operation, str):
            if operation not in OP:
                raise ArnnError(f"np: unknown operation {operation!r} ({', '.join(OPERATIONS)})")
            operation = OP[operation]
        if not 0 <= operation < len(OPERATIONS):
            raise ArnnError(f"np: operation {operation} is not in 0...{len(OPERATIONS) - 1}")
        if not 0 <= number < numbers:
            raise ArnnError(f"np: a program step compares with number {number}, the questions have {numbers}")
        return operation, column, number
