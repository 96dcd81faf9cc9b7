"""The Neural Programmer: the Swift parity fixture's numbers, programs run by hand on a small table (as
Tests/ModelsTests/NeuralProgrammerTests.swift), the loss by hand, batching and padding, hard selection, its
checkpoint layout, and arnn's trace of a checkpoint this package wrote or arnn trained.

The tests that run arnn need the binary: $ARNN, or .build/release/arnn of this repository; they are skipped
without one."""

import csv
import json
import math
import pathlib

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

import arnn_torch
from arnn_torch import ArnnError, NeuralProgrammer, NeuralProgrammerConfig, TableQuestion
from arnn_torch.models.np import OPERATIONS, table_answer_loss
from test_neural_stack import arnn, needs_arnn

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests" / "Fixtures" / "np_parity.safetensors"

# Three rows, two columns; the question's numbers 2 (after its second word) and 4 (after its third): the table
# of NeuralProgrammerTests.swift.
QUESTION = TableQuestion(word_ids=[3, 4, 5], number_values=[2, 4], number_contexts=[2, 3],
                         cells=[[3, 1], [0, 2], [5, 4]], column_name_ids=[6, 7])
LARGER = TableQuestion(word_ids=[4, 3, 5, 4], number_values=[1, 3, 0], number_contexts=[0, 1, 4],
                       cells=[[1, 2, 0], [2, 0, 1], [3, 3, 3], [0, 1, 2]], column_name_ids=[7, 8, 6])


def model(d=6, steps=5, rows=4, columns=3, seed=1, scale=1.0):
    torch.manual_seed(seed)
    m = NeuralProgrammer(NeuralProgrammerConfig(vocabularySize=9, embeddingSize=d, steps=steps, maxRows=rows,
                                                maxColumns=columns))
    if scale != 1.0:
        with torch.no_grad():
            for p in m.parameters():
                p.mul_(scale)
    return m


def run(program, question=QUESTION):
    """The answer record of `program`: s_T, α(print), the cell count, and the lookup as [maxRows][maxColumns]."""
    m = model(steps=len(program))
    with torch.no_grad():
        record = m([question], selection=program)[0]
    return record[0].item(), record[1].item(), record[2].item(), record[3:].reshape(4, 3).tolist()


def test_reproduces_the_swift_parity_fixture():
    """Tests/Fixtures/np_parity.safetensors, which NeuralProgrammerParityTests checks arnn against: the records
    and every step's quantities at soft and hard selection, the loss and the gradients."""
    with safe_open(str(FIXTURE), framework="pt") as f:
        meta = f.metadata()
    ref = load_file(str(FIXTURE))
    m = NeuralProgrammer(NeuralProgrammerConfig.from_json(meta["arnn.config"]))
    m.load_state_dict({n: ref[n] for n in m.state_dict()})
    qs = [TableQuestion(q["wordIds"], q["numberValues"], q["numberContexts"], q["cells"], q["columnNameIds"])
          for q in json.loads(meta["questions"])]
    rights = [y if y is not None else tuple(c)
              for y, c in zip(json.loads(meta["right_numbers"]), json.loads(meta["right_cells"]))]
    record, inner = m(qs, internals=True)
    losses = m.loss(record, rights, qs)
    losses.sum().backward()
    hard, hard_inner = m(qs, selection="hard", internals=True)

    def close(ours, name):
        theirs = ref[name]
        assert ((ours.detach() - theirs).abs() / theirs.abs().clamp(min=1)).max().item() < 1e-6, name

    for tag, rec, inn in (("reference.", record, inner), ("reference.hard.", hard, hard_inner)):
        close(rec, tag + "answer")
        for key in ("operation_weights", "column_weights", "rows_before", "rows", "scalar", "history"):
            close(inn[key].transpose(0, 1), tag + key)
        close(inn["lookup"].flatten(2).transpose(0, 1), tag + "lookup")
        for key in ("greater_weights", "lesser_weights"):                                # [B, T, N] -> [T, B, N]
            n = torch.tensor([len(q.number_values) for q in qs])
            close((inn[key] * (torch.arange(inn[key].shape[2]) < n[:, None, None])).transpose(0, 1), tag + key)
    for key in ("used_operations", "used_columns"):
        close(hard_inner[key].transpose(0, 1), "reference.hard." + key)
    close(losses, "reference.losses")
    close(losses.sum().reshape(1), "reference.loss")
    for name, p in m.named_parameters():
        close(p.grad, f"reference.grad.{name}")


def test_state_dict_is_arnns_checkpoint_layout_and_the_docs_initialisation():
    m = model(d=4)
    assert [(n, tuple(t.shape)) for n, t in m.state_dict().items()] == [
        ("words.weight", (9, 4)), ("operations.weight", (13, 4)), ("question.weight", (4, 8)),
        ("history.weight", (4, 12)), ("operationSelector.weight", (4, 8)), ("columnSelector.weight", (4, 8)),
        ("pivotSelector.weight", (4, 4))]
    torch.manual_seed(0)
    big = NeuralProgrammer(NeuralProgrammerConfig(vocabularySize=200, embeddingSize=64))
    assert torch.equal(big.words.weight[0], torch.zeros(64))                     # <pad> is zero
    assert 0.09 < big.words.weight[1:].std().item() < 0.11                       # N(0, 0.1²)
    assert 0.08 < big.operations.weight.std().item() < 0.12
    for layer, bound in ((big.question, math.sqrt(3 / 64)), (big.history, math.sqrt(3 / 64)),   # the RNNs: U(±√(3/d))
                         (big.operationSelector, 1 / math.sqrt(128)), (big.columnSelector, 1 / math.sqrt(128)),
                         (big.pivotSelector, 1 / math.sqrt(64))):
        assert layer.weight.abs().max().item() <= bound                           # the selectors: U(±1/√fan-in)
        assert layer.weight.abs().max().item() > 0.9 * bound


def test_sum_count_and_difference_read_the_rows_selected_before():
    assert run([("reset",), ("sum", 0)])[0] == 8                                  # 3 + 0 + 5
    assert run([("greater", 0, 0), ("count",)])[0] == 2                           # 3 and 5 exceed 2
    assert run([("lesser", 1, 1), ("sum", 0)])[0] == 3                            # rows 0, 1: 3 + 0
    # First minus last of column 1: 1 − 4, the scalars three steps and one step before (9).
    s, printed, _, _ = run([("first",), ("sum", 1), ("last",), ("sum", 1), ("difference",)])
    assert (s, printed) == (-3, 0)


def test_and_and_or_combine_the_two_selections_before():
    # Column 0 > 2: rows 0, 2; column 1 < 4: rows 0, 1.
    assert run([("greater", 0, 0), ("lesser", 1, 1), ("and",), ("count",)])[0] == 1
    assert run([("greater", 0, 0), ("lesser", 1, 1), ("or",), ("count",)])[0] == 3


def test_print_looks_up_the_chosen_column_of_the_selected_rows():
    s, printed, cells, lookup = run([("greatest", 1), ("print", 0)])           # where column 1 is greatest: row 2
    assert (printed, cells) == (1, 6)
    assert lookup == [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0]]
    _, _, _, lookup = run([("lowest", 0), ("print", 1)])
    assert lookup[1] == [0, 1, 0] and sum(map(sum, lookup)) == 1


def test_a_step_of_one_kind_writes_nothing_to_the_others():
    assert run([("sum", 0), ("count",)])[0] == 0                                  # rs after a sum is empty
    assert run([("sum", 0), ("reset",), ("count",)])[0] == 3
    s, _, _, lookup = run([("print", 0)])
    assert s == 0 and sum(map(sum, lookup)) == 3


def test_greatest_and_lowest_take_every_tied_row_and_first_and_last_the_tables_own():
    tied = TableQuestion([3], [], [], [[5, 1], [2, 1], [5, 0]], [6, 7])
    assert run([("greatest", 0), ("count",)], tied)[0] == 2
    assert run([("lowest", 1), ("count",)], tied)[0] == 1
    assert run([("last",), ("sum", 0)], tied)[0] == 5                             # row 2 of 3, not of maxRows
    # A question without numbers: greater and lesser select nothing.
    assert run([("greater", 0), ("count",)], tied)[0] == 0


def test_the_soft_step_is_the_mixture_of_equations_13_to_15():
    m = model(scale=3.0)
    with torch.no_grad():
        record, inner = m([QUESTION], internals=True)
    a, rs_before = inner["operation_weights"][0], inner["rows_before"][0]
    col = inner["column_weights"][0]
    table = torch.tensor([[3.0, 1.0], [0.0, 2.0], [5.0, 4.0], [0.0, 0.0]])
    for t in range(5):
        w = dict(zip(OPERATIONS, a[t].tolist()))
        total = (col[t, :2] * (rs_before[t][:, None] * table).sum(0)).sum()
        before3 = inner["scalar"][0, t - 3] if t >= 3 else 0.0
        before1 = inner["scalar"][0, t - 1] if t >= 1 else 0.0
        s = w["sum"] * total + w["count"] * rs_before[t].sum() + w["difference"] * (before3 - before1)
        assert abs(inner["scalar"][0, t].item() - float(s)) < 1e-5
        assert torch.allclose(inner["lookup"][0, t], w["print"] * rs_before[t][:, None] * col[t][None, :], atol=1e-7)
        assert inner["rows"][0, t, 3].item() == 0 and inner["column_weights"][0, t, 2].item() == 0   # padding
    assert torch.allclose(inner["rows_before"][0, 1:], inner["rows"][0, :-1])
    assert torch.equal(inner["rows_before"][0, 0], torch.tensor([1.0, 1, 1, 0]))   # rs₀ = 1 on the table's rows
    assert record[0, 1].item() == inner["operation_weights"][0, -1, OPERATIONS.index("print")].item()


def test_an_answer_is_the_same_alone_and_in_a_batch_of_larger_tables():
    m = model(scale=3.0)
    for selection in ("soft", "hard"):
        with torch.no_grad():
            alone = m([QUESTION], selection=selection)[0]
            batched = m([LARGER, QUESTION], selection=selection)[1]
        assert (alone - batched).abs().max().item() < 1e-5


def test_hard_selection_chooses_one_operation_one_column_and_one_number_per_step():
    m = model(scale=3.0)
    with torch.no_grad():
        record, inner = m([QUESTION, LARGER], selection="hard", internals=True)
    for b in range(2):
        ops, cols = inner["used_operations"][b], inner["used_columns"][b]
        assert torch.equal(ops.argmax(-1), inner["operation_weights"][b].argmax(-1))
        assert torch.equal(ops.sum(-1), torch.ones(5)) and set(ops.flatten().tolist()) <= {0.0, 1.0}
        assert torch.equal(cols.argmax(-1), inner["column_weights"][b].argmax(-1))
        assert set(inner["rows"][b].flatten().tolist()) <= {0.0, 1.0}
        for op in ("greater", "lesser"):                                                   # β per step (7)
            assert torch.equal(inner[f"used_{op}"][b].argmax(-1), inner[f"{op}_weights"][b].argmax(-1))
            assert torch.equal(inner[f"used_{op}"][b].sum(-1), torch.ones(5))
        assert record[b, 1].item() in (0.0, 1.0)


def test_the_loss_is_huber_for_numbers_and_the_mean_log_loss_over_the_tables_cells_for_a_cell():
    cells, columns = 4 * 3, 3
    record = torch.zeros(3, 3 + cells)
    record[0, 0], record[1, 0] = 7.0, -20.0
    record[2, 3:] = torch.tensor([0.9, 0.2, 0.0, 0.1, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])   # a 2 × 2 table
    small = TableQuestion([3], [], [], [[1, 2], [3, 4]], [6, 7])
    losses = table_answer_loss(record, [5.0, 3.0, (0, 0)], [QUESTION, QUESTION, small], columns, 50.0, 10.0)
    assert losses[0].item() == pytest.approx(0.5 * 2 ** 2)                        # |a| ≤ δ: ½ a²
    assert losses[1].item() == pytest.approx(10 * 23 - 0.5 * 100)                  # δ a − ½ δ²
    by_hand = -(math.log(0.9) + math.log(0.8) + math.log(0.9) + math.log(0.6)) / 4
    assert losses[2].item() == pytest.approx(50 * by_hand, rel=1e-6)               # cells outside the table: none
    record[2, 3] = 1.0                                                             # clamped to 1 − 1e-6
    at_one = table_answer_loss(record, [None, None, (0, 1)], [QUESTION, QUESTION, small], columns, 50.0, 10.0)
    assert at_one[:2].tolist() == [0, 0] and math.isfinite(at_one[2].item())
    with pytest.raises(ArnnError, match=r"np: the right cell \(2, 0\) is outside question 2's 2 × 2 table"):
        table_answer_loss(record, [None, None, (2, 0)], [QUESTION, QUESTION, small], columns, 50.0, 10.0)


def test_save_and_load_round_trip_through_arnns_checkpoint_format(tmp_path):
    m = model(scale=3.0)
    path = tmp_path / "np.safetensors"
    arnn_torch.save(m, path)
    loaded, meta = arnn_torch.load(path)
    assert isinstance(loaded, NeuralProgrammer) and loaded.config == m.config
    assert meta["arnn.kind"] == "np"
    assert meta["arnn.config"] == ('{"embeddingSize":6,"huberDelta":10.0,"lookupWeight":50.0,"maxColumns":3,'
                                   '"maxRows":4,"steps":5,"vocabularySize":9}')
    with torch.no_grad():
        assert torch.equal(m([QUESTION, LARGER]), loaded([QUESTION, LARGER]))


def test_config_is_checked_as_arnn_checks_it():
    with pytest.raises(ArnnError, match="Neural Programmer config: steps must be in 1...16, got 17"):
        NeuralProgrammerConfig(vocabularySize=9, steps=17)
    with pytest.raises(ArnnError, match="Neural Programmer config: lookupWeight must be a positive number, got 0.0"):
        NeuralProgrammerConfig(vocabularySize=9, lookupWeight=0)
    c = NeuralProgrammerConfig.from_json('{"vocabularySize":38}')                 # arnn's defaults fill the rest
    assert (c.embeddingSize, c.steps, c.maxRows, c.maxColumns, c.lookupWeight, c.huberDelta) == (64, 5, 32, 5, 50, 10)


@pytest.mark.parametrize("questions, selection, message", [
    ([TableQuestion([3], [], [], [[1, 2]] * 5, [6, 7])], "soft", r"np: question 0's table is 5 × 2; the model reads"),
    ([TableQuestion([3], [], [], [[1, 2], [3]], [6, 7])], "soft", "np: question 0's table needs one cell per column"),
    ([TableQuestion([9], [], [], [[1]], [6])], "soft", "np: a question holds id 9, outside the vocabulary of 9"),
    ([TableQuestion([3], [1], [2], [[1]], [6])], "soft", r"np: question 0's number contexts must be in 0...1"),
    ([QUESTION], "argmax", "np: selection must be 'soft', 'hard' or a program"),
    ([QUESTION], [("sum", 0)], "np: a program of 1 steps for a model of 5"),
    ([QUESTION], [("print", 0, 2)] * 5, "np: a program step compares with number 2, the questions have 2"),
    ([QUESTION], [("assign", 0)] * 5, "np: unknown operation 'assign'"),
])
def test_bad_input_is_refused_in_one_line(questions, selection, message):
    with pytest.raises(ArnnError, match=message):
        model()(questions, selection=selection)


# Against the arnn binary: `arnn trace CHECKPOINT [--task table-qa] --table FILE --question TEXT`, whose frames are
# the hard run's steps.

# table-qa's vocabulary (Sources/Tasks/TableQA/TableQAVocabulary.swift, docs/tasks/table-qa.md "The grammar"):
# <pad>, <unk>, <number>, the grammar's 25 words, the ten column names. A wrong id here fails every test below.
WORDS = (["<pad>", "<unk>", "<number>", "?", "and", "are", "between", "difference", "first", "greatest", "greater",
          "have", "how", "is", "last", "less", "lowest", "many", "of", "or", "row", "rows", "sum", "than", "the",
          "there", "what", "where"]
         + ["price", "weight", "height", "age", "score", "length", "width", "speed", "distance", "volume"])
TABLE = [["price", "age", "score"], [12, 40, 7], [55, 3, 81], [30, 27, 64], [8, 91, 15]]
ASKED = ["how many rows have price greater than 20 ?", "what is the sum of score where age less than 30 ?",
         "what is the age where score is greatest ?",
         "how many rows have price greater than 10 and age less than 50 ?"]


def table_question(text, rows=TABLE):
    """A typed question as table-qa reads it: its words without the numbers, each number with how many words
    come before it."""
    words, values, contexts = [], [], []
    for token in text.lower().replace("?", " ?").split():
        try:
            values.append(float(token))
            contexts.append(len(words))
        except ValueError:
            words.append(WORDS.index(token))
    return TableQuestion(words, values, contexts, [list(map(float, r)) for r in rows[1:]],
                         [WORDS.index(name) for name in rows[0]])


def write_table(tmp_path, rows=TABLE):
    path = tmp_path / "table.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def check_trace(m, question, trace, argmax_margin=1e-4):
    """arnn's hard run of `question`, frame by frame, as this package computes it: the program arnn chose, run
    here, gives every step's α^op, α^col, β, row selectors, scalar, lookup and history state, and the answer;
    and arnn chose each step's argmax wherever it wins by `argmax_margin`. Returns the smallest margin."""
    frames = [f["np"] for f in trace["frames"]]
    assert len(frames) == m.config.steps and all(f["hard"] for f in frames)
    program = []
    for f in frames:
        pivots = f["lesserPivotWeights"] if OPERATIONS[f["operation"]] == "lesser" else f["greaterPivotWeights"]
        program.append((f["operation"], f["column"], max(range(len(pivots)), key=pivots.__getitem__) if pivots else 0))
    with torch.no_grad():
        record, inner = m([question], selection=program, internals=True)
    rows, columns, n = question.rows, question.columns, len(question.number_values)

    def close(ours, theirs, what, t):
        ours = torch.as_tensor(ours, dtype=torch.float32)
        theirs = torch.tensor(theirs, dtype=torch.float32)
        assert ours.shape == theirs.shape, f"step {t}: {what} {ours.shape} vs {theirs.shape}"
        if ours.numel():
            assert ((ours - theirs).abs() / theirs.abs().clamp(min=1)).max().item() < 1e-5, f"step {t}: {what}"

    margin = math.inf
    for t, f in enumerate(frames):
        close(inner["operation_weights"][0, t], f["operationWeights"], "α^op", t)
        close(inner["column_weights"][0, t, :columns], f["columnWeights"], "α^col", t)
        close(inner["greater_weights"][0, t, :n], f["greaterPivotWeights"], "β greater", t)
        close(inner["lesser_weights"][0, t, :n], f["lesserPivotWeights"], "β lesser", t)
        close(inner["rows_before"][0, t, :rows], f["rowsBefore"], "rs_{t−1}", t)
        close(inner["rows"][0, t, :rows], f["rows"], "rs_t", t)
        close(inner["scalar"][0, t], f["scalar"], "s_t", t)
        close(inner["lookup"][0, t, :rows, :columns], f["lookup"], "lookup_t", t)
        close(inner["history"][0, t], f["history"], "h_t", t)
        for weights, chosen in ((inner["operation_weights"][0, t], f["operation"]),
                                (inner["column_weights"][0, t, :columns], f["column"])):
            top = weights.topk(min(2, len(weights))).values.tolist()
            gap = top[0] - top[1] if len(top) > 1 else math.inf
            margin = min(margin, gap)
            if gap > argmax_margin:
                assert int(weights.argmax()) == chosen, f"step {t}: arnn chose {chosen}, torch {int(weights.argmax())}"
    close(record[0, :2], frames[-1]["answer"], "answer [s_T, α(print)]", len(frames) - 1)
    return margin


@needs_arnn
def test_arnn_traces_a_pytorch_np_checkpoint_as_this_package_runs_it(tmp_path):
    torch.manual_seed(3)
    m = NeuralProgrammer(NeuralProgrammerConfig(vocabularySize=len(WORDS), embeddingSize=8))
    with torch.no_grad():
        for name, p in m.named_parameters():
            p.mul_({"words.weight": 10.0, "operations.weight": 20.0}.get(name, 2.5))   # choices far from uniform
    path = tmp_path / "np.safetensors"
    arnn_torch.save(m, path)
    table = write_table(tmp_path)
    for text in ASKED:
        q = table_question(text)
        trace = json.loads(arnn("trace", str(path), "--task", "table-qa", "--table", str(table), "--question", text))
        assert trace["model"] == {"kind": "np", "config": m.config.to_dict()}
        # Every argmax wins clearly, so torch's own hard run is arnn's too: the same answer record.
        assert check_trace(m, q, trace) > 1e-3, text
        with torch.no_grad():
            hard = m([q], selection="hard")
        assert hard[0, :2].tolist() == pytest.approx(trace["frames"][-1]["np"]["answer"], abs=1e-5)
        assert hard[0, 3:].reshape(32, 5)[:q.rows, :q.columns].tolist() == trace["frames"][-1]["np"]["lookup"]


@needs_arnn
def test_a_checkpoint_arnn_trained_loads_and_runs_to_arnns_trace(tmp_path):
    path = tmp_path / "np.safetensors"
    arnn("train", "--model", "np", "--task", "table-qa", "--sequences", "200", "--batch-size", "20", "--optimizer",
         "adam", "--lr", "1e-2", "--seed", "2", "--set", "embeddingSize=16", "--out", str(path), cwd=tmp_path)
    m, meta = arnn_torch.load(path)                        # the optimiser state in the file is skipped
    assert isinstance(m, NeuralProgrammer) and meta["arnn.task"] == "table-qa" and m.config.embeddingSize == 16
    table = write_table(tmp_path)
    for text in ASKED:
        trace = json.loads(arnn("trace", str(path), "--table", str(table), "--question", text))
        check_trace(m, table_question(text), trace)
