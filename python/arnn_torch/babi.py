"""The `babi` task's words, answers, typed stories and bAbI's own files (docs/tasks/babi.md), so word ids mean
in PyTorch what they mean in arnn. The story generator is not here: stories come from bAbI's files
(`read_babi_file`), from typed text (`BabiTask.sample_text`) or from arnn.

The vocabulary is arnn's `BabiTask.vocabulary` (Sources/Tasks/Babi/BabiTask.swift): `<pad>` 0, `<unk>` 1,
then every word of the five tasks and every answer, sorted (56 ids). The answers are `BabiTask.answers`:
the six places, `yes`, `no`, the four animals (answer ids 0 … 11).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

from .errors import ArnnError

PAD, UNK = 0, 1

ACTORS = ("mary", "john", "sandra", "daniel")
LOCATIONS = ("bathroom", "bedroom", "garden", "hallway", "kitchen", "office")
OBJECTS = ("football", "apple", "milk")
NAMES = ("gertrude", "winona", "emily", "jessica")
SPECIES = (("mouse", "mice"), ("sheep", "sheep"), ("wolf", "wolves"), ("cat", "cats"))
_VERBS = "went journeyed travelled moved back got grabbed picked up took dropped discarded left put down".split()
_OTHER = "to the there where is was before in what afraid of are a yes no".split()

VOCABULARY: tuple[str, ...] = ("<pad>", "<unk>") + tuple(sorted(
    set(ACTORS + LOCATIONS + OBJECTS + NAMES) | set(_VERBS) | {w for pair in SPECIES for w in pair} | set(_OTHER)))
ANSWERS: tuple[str, ...] = LOCATIONS + ("yes", "no") + tuple(one for one, _ in SPECIES)
_INDEX = {w: i for i, w in enumerate(VOCABULARY)}
# r(a) of docs/models/memn2n.md: the vocabulary id of each answer, in answer order.
ANSWER_WORDS: tuple[int, ...] = tuple(_INDEX[a] for a in ANSWERS)
KNOWN_TASKS = (1, 2, 3, 6, 15)


def words(text: str) -> list[str]:
    """arnn's `StoryQuestion.words`: lower-case, split at spaces, a final `.` or `?` dropped."""
    t = text.strip(" ")
    while t and t[-1] in ".?":
        t = t[:-1]
    return [w.lower() for w in t.split(" ") if w]


@dataclass
class StoryQuestion:
    """One question of a story: the statements before it (oldest first, each as its words), the question's
    words, the answer word (None for a typed question), the supporting statements (indices into
    `sentences`, bAbI's order) and the task (`qa3`)."""

    sentences: list[list[str]]
    question: list[str]
    answer: Optional[str] = None
    supporting: list[int] = field(default_factory=list)
    task: str = ""


@dataclass
class StorySample:
    """A question as a model reads it: word ids of the statements and the question, and the answer id
    (an index of ANSWERS; None when the answer is unknown or not one of them)."""

    sentence_ids: list[list[int]]
    question_ids: list[int]
    answer: Optional[int]
    story: StoryQuestion


def encode_words(ws: Sequence[str]) -> list[int]:
    """Ids of `ws`; a word outside the vocabulary becomes `<unk>` (1), as arnn reads bAbI's files."""
    return [_INDEX.get(w, UNK) for w in ws]


def read_babi_file(path: Union[str, os.PathLike], task: Optional[str] = None) -> list[StoryQuestion]:
    """Every question of a file in bAbI's format (arnn's `BabiFile`): numbered lines starting again at 1 with
    each story; a statement is `N text.`; a question `N text?<TAB>answer<TAB>supporting line numbers`. Each
    question's story is its story's statements before it. `task` defaults to the file name's `qaN` prefix.
    Errors are one line naming the file and line."""
    path = os.fspath(path)
    if task is None:
        name = os.path.basename(path)
        prefix = name.split("_", 1)[0]
        task = prefix if "_" in name and prefix.startswith("qa") and prefix[2:].isdigit() else ""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        raise ArnnError(f"{path}: cannot be read") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArnnError(f"{path}: is not UTF-8 text") from None
    questions: list[StoryQuestion] = []
    statements: list[list[str]] = []
    line_of_statement: dict[int, int] = {}
    previous = 0
    for index, raw in enumerate(text.split("\n")):
        line = raw[:-1] if raw.endswith("\r") else raw
        if all(c in " \t" for c in line):
            continue
        here = f"{path}:{index + 1}"
        head, space, rest = line.partition(" ")
        if not space or not head.isdigit() or int(head) < 1:
            raise ArnnError(f"{here}: a line starts with its number and a space")
        number = int(head)
        if number == 1:
            statements, line_of_statement = [], {}
        elif number != previous + 1:
            raise ArnnError(f"{here}: line number {number} after {previous} (a story counts 1, 2, 3, …)")
        previous = number
        fields = rest.split("\t")
        if len(fields) == 1:
            line_of_statement[number] = len(statements)
            statements.append(words(fields[0]))
            continue
        if not fields[1].strip(" "):
            raise ArnnError(f"{here}: a question needs an answer after a tab")
        supporting = []
        if len(fields) >= 3:
            for item in fields[2].split(" "):
                if not item:
                    continue
                if not item.isdigit() or int(item) not in line_of_statement:
                    raise ArnnError(f"{here}: supporting fact \"{item}\" is not a statement of this story")
                supporting.append(line_of_statement[int(item)])
        questions.append(StoryQuestion([list(s) for s in statements], words(fields[0]),
                                       fields[1].strip(" ").lower(), supporting, task))
    if not questions:
        raise ArnnError(f"{path}: holds no question (a line with a tab, then the answer)")
    return questions


def question_form(q: Sequence[str]) -> Optional[str]:
    """Which task asks a question of these words (`qa1` … `qa15`), or None (arnn's `BabiTask.form`)."""
    n = len(q)
    if n == 3 and q[0] == "where" and q[1] == "is" and q[2] in ACTORS:
        return "qa1"
    if n == 4 and q[:3] == ["where", "is", "the"] and q[3] in OBJECTS:
        return "qa2"
    if (n == 7 and q[:3] == ["where", "was", "the"] and q[3] in OBJECTS and q[4:6] == ["before", "the"]
            and q[6] in LOCATIONS):
        return "qa3"
    if n == 5 and q[0] == "is" and q[1] in ACTORS and q[2:4] == ["in", "the"] and q[4] in LOCATIONS:
        return "qa6"
    if n == 5 and q[:2] == ["what", "is"] and q[2] in NAMES and q[3:] == ["afraid", "of"]:
        return "qa15"
    return None


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours), as arnn's
    `Vocabulary.editDistance`."""
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j - 1] + (a[i - 1] != b[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _closest(word: str) -> Optional[str]:
    """arnn's `NameSuggestion.closest` over the words: the nearest in edit distance (the earlier on a tie),
    or None when more than 2 edits or more than half of `word` away."""
    best = min(VOCABULARY[2:], key=lambda w: _edit_distance(w, word.lower()))
    return best if _edit_distance(best, word.lower()) <= min(2, max(1, len(word) // 2)) else None


class BabiTask:
    """The `babi` task's configuration (`arnn.task_config`), words and answers; not its story generator
    (arnn_torch cannot draw the stories `arnn train` draws)."""

    name = "babi"
    reads = "stories"
    vocabulary = VOCABULARY
    answers = ANSWERS
    answer_words = ANSWER_WORDS
    _fields = {"tasks": [1, 2, 3, 6, 15], "trainingStories": 2000, "split": "train", "storySeed": 19}

    def __init__(self, **fields) -> None:
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise ArnnError(f"babi: unknown setting {unknown[0]!r} (known: {', '.join(sorted(self._fields))})")
        for key, default in self._fields.items():
            value = fields.get(key, default)
            if key == "split":
                if value not in ("train", "heldOut"):
                    raise ArnnError(f"babi: split must be train or heldOut, got {value!r}")
            elif key == "tasks":
                if not isinstance(value, (list, tuple)) or any(isinstance(t, bool) or not isinstance(t, int)
                                                               for t in value):
                    raise ArnnError(f"babi: tasks must be a list of task numbers, got {value!r}")
                value = list(value)
            elif isinstance(value, bool) or not isinstance(value, int):
                raise ArnnError(f"babi: {key} must be an integer, got {value!r}")
            setattr(self, key, value)
        self.validate()

    def validate(self) -> None:
        """arnn's checks and messages (BabiTask.validate)."""
        if not self.tasks:
            raise ArnnError("babi: tasks must name at least one of 1, 2, 3, 6, 15")
        for t in self.tasks:
            if t not in KNOWN_TASKS:
                raise ArnnError(f"babi: task {t} is not generated; the tasks are 1, 2, 3, 6 and 15")
        if self.trainingStories < 1:
            raise ArnnError(f"babi: trainingStories must be at least 1, got {self.trainingStories}")
        if not 0 <= self.storySeed < 2 ** 64:
            raise ArnnError(f"babi: storySeed must be in 0...2^64-1, got {self.storySeed}")

    @property
    def io_sizes(self) -> tuple[int, int]:
        """(words, answers): 56 and 12."""
        return len(VOCABULARY), len(ANSWERS)

    def config(self) -> dict:
        return {"name": self.name, **{k: getattr(self, k) for k in self._fields}}

    def __repr__(self) -> str:
        return f"BabiTask({', '.join(f'{k}={getattr(self, k)!r}' for k in self._fields)})"

    def encode(self, q: StoryQuestion) -> StorySample:
        """Word ids of a question's story (unknown words become `<unk>`) and its answer id."""
        answer = ANSWERS.index(q.answer) if q.answer in ANSWERS else None
        return StorySample([encode_words(s) for s in q.sentences], encode_words(q.question), answer, q)

    def read_file(self, path: Union[str, os.PathLike], task: Optional[str] = None) -> list[StorySample]:
        """Every question of a bAbI file, encoded (`read_babi_file`)."""
        return [self.encode(q) for q in read_babi_file(path, task)]

    def sample_text(self, text: str) -> StorySample:
        """A typed story and question, as arnn reads one (`BabiTask.sample(text:)`): sentences ending in `.`,
        then one question ending in `?` of one of the five tasks' forms. One-line errors name an unknown word
        and the closest known one, an empty story, a missing question, or a question of no task's form."""
        sentences: list[list[str]] = []
        question: Optional[list[str]] = None
        current = ""
        for c in text:
            if c in ".?":
                ws, current = words(current), ""
                if not ws:
                    continue
                if question is not None:
                    raise ArnnError("the question must come last (\"… Where is Mary?\")")
                if c == "?":
                    question = ws
                else:
                    sentences.append(ws)
            else:
                current += c
        if words(current):
            raise ArnnError("end the story's sentences with \".\" and the question with \"?\"")
        if not sentences:
            raise ArnnError("the story is empty: type sentences, then a question "
                            "(\"Mary moved to the bathroom. Where is Mary?\")")
        if question is None:
            raise ArnnError("no question: end with one such as \"Where is Mary?\"")
        for w in [w for s in sentences for w in s] + question:
            if w not in _INDEX:
                near = _closest(w)
                raise ArnnError(f"unknown word \"{w}\"" + (f" (closest known word: \"{near}\")" if near else ""))
        task = question_form(question)
        if task is None:
            raise ArnnError(f"no task asks \"{' '.join(question)}?\"; ask \"Where is Mary?\", \"Where is the milk?\", "
                            "\"Where was the milk before the office?\", \"Is Mary in the office?\" "
                            "or \"What is Gertrude afraid of?\"")
        return self.encode(StoryQuestion(sentences, question, None, [], task))

    def example(self, *args, **kwargs):
        raise ArnnError("babi: arnn_torch has no story generator; read bAbI's files with task.read_file(path), "
                        "type a story with task.sample_text(text), or draw stories with arnn")
