"""The babi task's words, answers, typed stories and bAbI's files, as arnn reads them."""

import pytest

import arnn_torch
from arnn_torch import ArnnError, BabiTask, read_babi_file
from arnn_torch.babi import ANSWER_WORDS, ANSWERS, VOCABULARY


def test_vocabulary_and_answers_are_arnns():
    """docs/tasks/babi.md: 56 ids, <pad> 0, <unk> 1, then every word and answer sorted; docs/models/memn2n.md's
    table of r(a)."""
    assert len(VOCABULARY) == 56 and VOCABULARY[:4] == ("<pad>", "<unk>", "a", "afraid")
    assert list(VOCABULARY[2:]) == sorted(VOCABULARY[2:])
    assert ANSWERS == ("bathroom", "bedroom", "garden", "hallway", "kitchen", "office", "yes", "no", "mouse", "sheep",
                       "wolf", "cat")
    assert ANSWER_WORDS == (7, 8, 18, 22, 28, 37, 55, 35, 33, 41, 53, 10)
    assert BabiTask().io_sizes == (56, 12)


def test_a_typed_story_reads_as_arnn_reads_it():
    s = BabiTask().sample_text("Mary moved to the bathroom. John went to the hallway. Where is Mary?")
    assert [[VOCABULARY[i] for i in x] for x in s.sentence_ids] == [["mary", "moved", "to", "the", "bathroom"],
                                                                   ["john", "went", "to", "the", "hallway"]]
    assert s.question_ids == [51, 24, 30] and s.answer is None and s.story.task == "qa1"


@pytest.mark.parametrize("text, message", [
    ("Mary moved to the bathroom. Where is Marry?", 'unknown word "marry" \\(closest known word: "mary"\\)'),
    ("Mary moved to the bathroom. Where is Xyzzy?", 'unknown word "xyzzy"$'),
    ("Where is Mary?", "the story is empty"),
    ("Mary moved to the bathroom.", "no question"),
    ("Where is Mary? Mary moved to the bathroom.", "the question must come last"),
    ("Mary moved to the bathroom. Where is", 'end the story\'s sentences with "." and the question with "?"'),
    ("Mary moved to the bathroom. Where is the bathroom?", 'no task asks "where is the bathroom\\?"'),
])
def test_bad_typed_stories_are_refused_in_one_line(text, message):
    with pytest.raises(ArnnError, match=message):
        BabiTask().sample_text(text)


def test_reads_babis_files(tmp_path):
    path = tmp_path / "qa2_two-supporting-facts_test.txt"
    path.write_text("1 Mary got the milk there.\n2 John moved to the bedroom.\n3 Mary travelled to the hallway.\n"
                    "4 Where is the milk? \thallway\t1 3\n1 Sandra went to the garden.\n"
                    "2 Where is Sandra? \tgarden\t1\n")
    questions = read_babi_file(path)
    assert [q.task for q in questions] == ["qa2", "qa2"]
    assert questions[0].sentences[2] == ["mary", "travelled", "to", "the", "hallway"]
    assert questions[0].question == ["where", "is", "the", "milk"] and questions[0].supporting == [0, 2]
    assert questions[1].sentences == [["sandra", "went", "to", "the", "garden"]]
    samples = BabiTask().read_file(path)
    assert [s.answer for s in samples] == [3, 2]


@pytest.mark.parametrize("text, message", [
    ("1 Mary moved.\n3 John moved.\n", r"x.txt:2: line number 3 after 1 \(a story counts 1, 2, 3, …\)"),
    ("Mary moved.\n", "x.txt:1: a line starts with its number and a space"),
    ("1 Mary moved.\n2 Where is Mary?\t\t1\n", "x.txt:2: a question needs an answer after a tab"),
    ("1 Mary moved.\n2 Where is Mary?\tkitchen\t7\n", 'x.txt:2: supporting fact "7" is not a statement of this story'),
    ("1 Mary moved.\n", "x.txt: holds no question"),
])
def test_bad_babi_files_are_refused_naming_file_and_line(tmp_path, text, message):
    path = tmp_path / "x.txt"
    path.write_text(text)
    with pytest.raises(ArnnError, match=message):
        read_babi_file(path)


def test_task_config_and_settings():
    assert BabiTask().config() == {"name": "babi", "tasks": [1, 2, 3, 6, 15], "trainingStories": 2000,
                                   "split": "train", "storySeed": 19}
    assert arnn_torch.make_task("babi", tasks=[3]).tasks == [3]
    with pytest.raises(ArnnError, match="babi: task 4 is not generated; the tasks are 1, 2, 3, 6 and 15"):
        BabiTask(tasks=[1, 4])
    with pytest.raises(ArnnError, match="babi: split must be train or heldOut"):
        BabiTask(split="test")
    with pytest.raises(ArnnError, match="babi: arnn_torch has no story generator"):
        BabiTask().example(arnn_torch.SeededRNG(1))
