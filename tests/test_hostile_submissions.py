"""Broken and hostile submissions, graded through the real batch path in one shared batch.

A small course (no TensorFlow: add, mean and a handed-in answer file) is graded once with
grade_class, as an instructor would: many students, two workers, the gradebook, feedback,
CSV. Each student's submission breaks or attacks one thing; every test then checks that this
student got exactly the grade their code deserves, with a message that says why, and that
nobody else's grade, the gradebook or the stored results moved. What test_classroom.py and
test_sandbox.py already cover (the notebook itself a link or too big, a zip climbing out with
'..', top-level os._exit, a stray top-level call, the sandbox's own fences) is not repeated.
"""

import csv
import json
import os
import warnings
import zipfile

import nbformat
import pytest
from nbformat import v4

from igcourse.classroom.batch import grade_all
from igcourse.classroom.grade import grade_class
from igcourse.data.errors import UnsafeArchive
from igcourse.sandbox.isolation import bubblewrap_works

pytestmark = pytest.mark.slow

CHAPTER = "ch00_hostile"
POINTS = {"add": 2, "mean": 2, "answer": 1}
FULL = {"add": 2.0, "mean": 2.0, "answer": 1.0}
FENCED = pytest.mark.skipif(
    not bubblewrap_works(), reason="the allow-list sandbox needs bubblewrap (Debian: bubblewrap)"
)

CONFIG = f"""c = get_config()
c.CourseDirectory.course_id = "hostile"
c.Course.chapters = {{"{CHAPTER}": {{"basics": {POINTS!r}}}}}
c.GradingLimits.time_limit_s = 60.0
c.GradingLimits.part_time_limit_s = 8.0
"""

REFERENCE = '''import numpy as np


def add(a, b):
    """The sum."""
    return a + b  # REFERENCE-ONLY-MARKER


def mean(x):
    return float(np.mean(x))
'''

CHECKS = """
import numpy as np
import probes_basics as probes
import pytest

from igcourse.grading.checks import assert_close, check

PART_NAMES = {"add": ["add"], "mean": ["mean"], "answer": []}


@pytest.mark.part("add")
def test_add(submission, reference):  # HIDDEN-CHECK-MARKER
    for a, b in ((1, 2), (-1, -2)):
        value = submission.probe("add", probes.call, "add", a, b)
        expected = reference.probe("add", probes.call, "add", a, b)
        assert_close(value, expected, f"add({a}, {b})")


@pytest.mark.part("add")
def test_add_of_zero(submission):
    assert_close(submission.probe("add", probes.call, "add", 0, 5), 5, "add(0, 5)")


@pytest.mark.part("mean")
def test_mean(submission):
    x = np.arange(6.0).reshape(2, 3)
    assert_close(submission.probe("mean", probes.call, "mean", x), np.mean(x), "mean(x)")


@pytest.mark.part("answer")
def test_answer_file(submission):
    text = submission.probe("answer", probes.handed_in, "answer.txt")
    check(text == "42", f"answer.txt should hold 42, not {text!r}.")
"""

PROBES = """
def call(ns, name, *args):
    return getattr(ns, name)(*args)


def handed_in(ns, name):
    path = ns.folder / name if ns.folder else None
    return path.read_text().strip() if path is not None and path.is_file() else None
"""

IMPORT = "import numpy as np"
ADD = "def add(a, b):\n    return a + b"
MEAN = "def mean(x):\n    return float(np.mean(x))"
RIGHT = [IMPORT, ADD, MEAN]


def course(root):
    root.mkdir(parents=True, exist_ok=True)
    (root / "course_config.py").write_text(CONFIG)
    (root / "solutions" / CHAPTER).mkdir(parents=True)
    (root / "solutions" / CHAPTER / "basics.py").write_text(REFERENCE)
    checks = root / "autograder" / CHAPTER
    checks.mkdir(parents=True)
    (checks / "conftest.py").write_text('pytest_plugins = ["igcourse.grading.plugin"]\n')
    (checks / "test_basics.py").write_text(CHECKS)
    (checks / "probes_basics.py").write_text(PROBES)
    return root


def notebook(*cells):
    """A notebook of code cells; a (kind, text) pair is a cell of that kind."""
    made = []
    for cell in cells:
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        maker = {"code": v4.new_code_cell, "markdown": v4.new_markdown_cell, "raw": v4.new_raw_cell}
        made.append(maker[kind](text))
    nb = v4.new_notebook(cells=made)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nbformat.writes(nb).encode("utf-8")


def reads(path):
    return f"    raise ValueError(open({str(path)!r}).read())"


# student -> (notebook bytes, {file name: bytes, or a callable(folder) making it}, expected)
def cases(root):
    hidden = root / "autograder" / CHAPTER / "test_basics.py"
    solution = root / "solutions" / CHAPTER / "basics.py"
    answer = {"answer.txt": b"42\n"}
    return {
        "right": (notebook(*RIGHT), answer, FULL),
        "deleted_add_cell": (notebook(IMPORT, MEAN), answer, {**FULL, "add": 0.0}),
        "duplicated_fixed_later": (
            notebook(IMPORT, "def add(a, b):\n    return a - b", MEAN, ADD),
            answer,
            FULL,
        ),
        "duplicated_broken_later": (
            notebook(IMPORT, ADD, MEAN, "def add(a, b):\n    return a - b"),
            answer,
            {**FULL, "add": 0.0},
        ),
        "reordered_cells": (notebook(MEAN, ADD, IMPORT), answer, FULL),
        "split_cells": (
            notebook(
                IMPORT,
                "OFFSET = 0",
                "def _plus(a, b):\n    return a + b + OFFSET",
                "def add(a, b):\n    return _plus(a, b)",
                MEAN,
            ),
            answer,
            FULL,
        ),
        "cell_turned_markdown": (
            notebook(IMPORT, ADD, ("markdown", MEAN), ("raw", "def mean(x):\n    return 0")),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "magics_and_shell": (
            notebook(
                "%matplotlib inline\n" + IMPORT,
                "!pip install nothing\n" + ADD,
                "%%capture\nprint('hidden')",
                "%time x = 1\n" + MEAN,
            ),
            answer,
            FULL,
        ),
        "missing_part": (notebook(IMPORT, ADD), answer, {**FULL, "mean": 0.0}),
        "syntax_error_cell": (
            notebook(IMPORT, "def add(a, b):\n    return a +", MEAN),
            answer,
            {**FULL, "add": 0.0},
        ),
        "import_fails_at_top": (notebook("import not_a_module_anywhere", *RIGHT), answer, FULL),
        "corrupt_json": (b'{"cells": [', answer, dict.fromkeys(POINTS, 0.0)),
        "latin1_notebook": (
            notebook(*RIGHT, "NAME = 'Zoë'").decode("utf-8").encode("latin-1"),
            answer,
            dict.fromkeys(POINTS, 0.0),
        ),
        "infinite_loop": (
            notebook(IMPORT, ADD, "def mean(x):\n    while True:\n        pass"),
            answer,
            {**FULL, "mean": 0.0},
        ),
        # Three probes that loop: at 20 s each they used to pass the submission's 60 s, and
        # then every part scored 0; each part now has 8 s, and the answer file still counts.
        "two_parts_loop": (
            notebook(
                IMPORT,
                "def add(a, b):\n    while True:\n        pass",
                "def mean(x):\n    while True:\n        pass",
            ),
            answer,
            {**FULL, "add": 0.0, "mean": 0.0},
        ),
        "sys_exit": (
            notebook("import sys", IMPORT, "def add(a, b):\n    sys.exit(0)", MEAN),
            answer,
            {**FULL, "add": 0.0},
        ),
        "os_exit_in_a_function": (
            notebook("import os", IMPORT, ADD, "def mean(x):\n    os._exit(7)"),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "bounded_fork_bomb": (
            notebook(
                "import os",
                IMPORT,
                "def add(a, b):\n    for _ in range(7):\n        try:\n            os.fork()\n"
                "        except OSError:\n            break\n    return a + b",
                MEAN,
            ),
            answer,
            FULL,  # 128 processes, and only the worker itself answers
        ),
        "output_flood": (
            notebook(
                IMPORT, "def add(a, b):\n    print('SPAM ' * 2_000_000)\n    return a + b", MEAN
            ),
            answer,
            FULL,
        ),
        "memory_hog": (
            notebook(IMPORT, ADD, "def mean(x):\n    return len(bytearray(64 * 2**30))"),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "patches_numpy_and_the_checks": (  # patched while the probe runs (top-level
            notebook(  # assignments are not definitions, so grading drops them)
                IMPORT,
                "import igcourse.grading.checks as checks",
                ADD,
                "def mean(x):\n    np.isclose = lambda *a, **k: np.True_\n"
                "    np.allclose = lambda *a, **k: True\n"
                "    checks.assert_close = lambda *a, **k: None\n"
                "    checks.fail = lambda *a, **k: None\n    return 0.0",
            ),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "patches_keras": (
            notebook(
                IMPORT,
                "import keras",
                ADD,
                "def mean(x):\n    keras.ops.mean = lambda *a, **k: 0.0\n"
                "    keras.ops.isclose = lambda *a, **k: True\n"
                "    return float(keras.ops.mean(x))",
            ),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "reads_the_hidden_checks": (
            notebook(IMPORT, "def add(a, b):\n" + reads(hidden), MEAN),
            answer,
            {**FULL, "add": 0.0},
        ),
        "reads_the_reference": (
            notebook(IMPORT, ADD, "def mean(x):\n" + reads(solution)),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "kills_its_parent": (
            notebook(
                IMPORT,
                "import os, signal",
                "def add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return a + b",
                MEAN,
            ),
            answer,
            None,  # add scores 0 either way: a fenced worker may not, an unfenced one kills its run
        ),
        "linked_answer_file": (
            notebook(*RIGHT),
            {"answer.txt": lambda folder: (folder / "answer.txt").symlink_to(solution)},
            {**FULL, "answer": 0.0},
        ),
        "huge_answer_file": (
            notebook(*RIGHT),
            {"answer.txt": lambda folder: os.truncate(_touch(folder / "answer.txt"), 70 * 2**20)},
            {**FULL, "answer": 0.0},
        ),
        "nan_output": (
            notebook(IMPORT, ADD, "def mean(x):\n    return float('nan')"),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "wrong_dtype_output": (
            notebook(IMPORT, ADD, "def mean(x):\n    return str(np.mean(x))"),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "pretends_to_be_equal": (
            notebook(
                IMPORT,
                ADD,
                "class Anything(float):\n    def __eq__(self, other):\n        return True\n\n"
                "class Liar:\n    def __eq__(self, other):\n        return True\n"
                "    __array_priority__ = 1000\n\n"
                "def mean(x):\n    return Liar()",
            ),
            answer,
            {**FULL, "mean": 0.0},
        ),
        "huge_error_message": (
            notebook(IMPORT, "def add(a, b):\n    raise ValueError('x' * 100_000)", MEAN),
            answer,
            {**FULL, "add": 0.0},
        ),
        "infinite_recursion": (
            notebook(IMPORT, "def add(a, b):\n    return add(a, b)", MEAN),
            answer,
            {**FULL, "add": 0.0},
        ),
    }


def fenced_cases(root):
    grading = root / "grading"
    return {
        "writes_its_own_results": (
            notebook(
                "import glob, os, json",
                IMPORT,
                "def add(a, b):\n"
                "    forged = json.dumps({'score': 100})\n"
                f"    targets = glob.glob({str(grading)!r} + '/**', recursive=True)\n"
                "    targets += glob.glob('/tmp/igcourse-grade-*/results.json')\n"
                f"    targets += [{str(root / 'gradebook.db')!r}]\n"
                "    targets += ['../results.json', 'results.json']\n"
                "    for path in targets:\n"
                "        try:\n"
                "            if os.path.isfile(path) or path.endswith('.json'):\n"
                "                open(path, 'w').write(forged)\n"
                "        except OSError:\n"
                "            pass\n"
                "    return a - b",
                "def mean(x):\n    return 0.0",
            ),
            {"answer.txt": b"42\n"},
            {**FULL, "add": 0.0, "mean": 0.0},
        ),
    }


def _touch(path):
    path.write_bytes(b"")
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The whole class graded once: {student: Graded}, plus the course and its outputs."""
    root = course(tmp_path_factory.mktemp("hostile"))
    subs = root / "submitted"
    all_cases = cases(root)
    if bubblewrap_works():  # unfenced, a worker runs as the grader's user and could do both
        all_cases.update(fenced_cases(root))
        bomb = "def add(a, b):\n    while True:\n        os.fork()"
        all_cases["unbounded_fork_bomb"] = (
            notebook("import os", IMPORT, bomb, MEAN),
            {"answer.txt": b"42"},
            {**FULL, "add": 0.0},
        )
    for student, (body, files, _expected) in all_cases.items():
        folder = subs / student / CHAPTER
        folder.mkdir(parents=True)
        (folder / "basics.ipynb").write_bytes(body)
        for name, content in files.items():
            content(folder) if callable(content) else (folder / name).write_bytes(content)
    db = root / "gradebook.db"
    graded = grade_class(
        subs,
        CHAPTER,
        root,
        out=root / "grading",
        workers=2,
        db_url=f"sqlite:///{db}",
        progress=False,
    )
    return {
        "root": root,
        "cases": all_cases,
        "graded": {g.student: g for g in graded},
        "db": db,
    }


def messages(graded, part):
    return " | ".join(graded.failure_messages(part))


def feedback(batch, student):
    path = batch["root"] / "grading" / "feedback" / student / CHAPTER / "basics.html"
    return path.read_text(encoding="utf-8")


def test_every_submission_gets_exactly_the_grade_its_code_deserves(batch):
    wrong = {}
    for student, (_body, _files, expected) in batch["cases"].items():
        graded = batch["graded"][student]
        if expected is not None and graded.scores != expected:
            wrong[student] = (graded.scores, expected, graded.error, graded.checks)
    assert not wrong, wrong
    assert len(batch["cases"]) >= 30


def test_the_gradebook_csv_and_store_hold_the_same_grades(batch):
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(f"sqlite:///{batch['db']}", "hostile") as gb:
        warnings.simplefilter("ignore")
        for student, graded in batch["graded"].items():
            for part, score in graded.scores.items():
                grade = gb.find_grade(f"{part}_check", "basics", CHAPTER, student)
                assert grade.auto_score == score, (student, part)
    rows = list(csv.DictReader((batch["root"] / "grading" / f"{CHAPTER}-scores.csv").open()))
    assert {r["student"]: float(r["total"]) for r in rows} == {
        s: g.total for s, g in batch["graded"].items()
    }
    for path in (batch["root"] / "grading" / "results").rglob("*.json"):
        stored = json.loads(path.read_text())  # no forged file among the stored results
        assert isinstance(stored.get("scores"), dict) and stored["student"] in batch["graded"]


def test_a_broken_notebook_says_why(batch):
    graded = batch["graded"]
    assert "not a valid notebook" in graded["corrupt_json"].error
    assert "not UTF-8" in graded["latin1_notebook"].error
    assert "does not define `add`" in messages(graded["deleted_add_cell"], "add")
    assert "does not define `mean`" in messages(graded["missing_part"], "mean")
    assert "does not define `mean`" in messages(graded["cell_turned_markdown"], "mean")
    assert "does not define `add`" in messages(graded["syntax_error_cell"], "add")


def test_runaway_code_costs_only_its_own_part(batch):
    graded = batch["graded"]
    assert "did not finish within" in messages(graded["infinite_loop"], "mean")
    assert "used up its 8 s" in messages(graded["two_parts_loop"], "add")
    assert graded["two_parts_loop"].seconds < 50
    assert "SystemExit" in messages(graded["sys_exit"], "add")
    assert "ended the process (exit code 7)" in messages(graded["os_exit_in_a_function"], "mean")
    assert "MemoryError" in messages(graded["memory_hog"], "mean")
    assert "RecursionError" in messages(graded["infinite_recursion"], "add")
    assert graded["kills_its_parent"].scores["add"] == 0.0
    assert graded["kills_its_parent"].scores["mean"] in (0.0, 2.0)
    if "unbounded_fork_bomb" in graded:
        assert "add" in messages(graded["unbounded_fork_bomb"], "add")


def test_wrong_values_are_judged_where_the_submission_cannot_reach(batch):
    graded = batch["graded"]
    # Patching the grader's modules during a probe voids the probe; the value never counts.
    assert "replaced part of the grader's own code" in messages(
        graded["patches_numpy_and_the_checks"], "mean"
    )
    assert "mean(x) is 0, but should be 2.5" in messages(graded["patches_keras"], "mean")
    assert "mean(x) is nan, but should be 2.5" in messages(graded["nan_output"], "mean")
    assert "should hold numbers" in messages(graded["wrong_dtype_output"], "mean")
    assert "not data where call expected numbers" in messages(
        graded["pretends_to_be_equal"], "mean"
    )


def test_handed_in_links_and_huge_files_are_not_read(batch):
    graded = batch["graded"]
    assert graded["right"].scores["answer"] == 1.0
    assert "should hold 42, not None" in messages(graded["linked_answer_file"], "answer")
    assert "REFERENCE-ONLY-MARKER" not in feedback(batch, "linked_answer_file")
    assert "should hold 42, not None" in messages(graded["huge_answer_file"], "answer")


def test_output_and_errors_reach_feedback_only_as_short_messages(batch):
    assert "SPAM" not in feedback(batch, "output_flood")
    assert "SPAM" not in json.dumps(batch["graded"]["output_flood"].to_json())
    message = messages(batch["graded"]["huge_error_message"], "add")
    assert "ValueError" in message and len(message) < 1000


@FENCED
def test_the_hidden_checks_and_the_reference_cannot_be_read(batch):
    for student, marker in (
        ("reads_the_hidden_checks", "HIDDEN-CHECK-MARKER"),
        ("reads_the_reference", "REFERENCE-ONLY-MARKER"),
    ):
        graded = batch["graded"][student]
        text = json.dumps(graded.to_json()) + feedback(batch, student)
        assert marker not in text and "assert_close" not in text
        assert "Error" in " ".join(graded.failure_messages("add") + graded.failure_messages("mean"))


@FENCED
def test_a_submission_cannot_write_its_own_score_or_the_gradebook(batch):
    graded = batch["graded"]["writes_its_own_results"]
    assert graded.scores == {"add": 0.0, "mean": 0.0, "answer": 1.0}
    assert "add(1, 2) is -1, but should be 3" in messages(graded, "add")
    assert not (batch["root"] / "grading" / "results.json").exists()


def test_a_zip_with_a_link_out_of_the_folder_grades_nothing(tmp_path):
    root = course(tmp_path / "course")
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("alice_basics.ipynb", notebook(*RIGHT))
        link = zipfile.ZipInfo("bob_basics.ipynb")
        link.external_attr = 0o120777 << 16  # a symbolic link
        zf.writestr(link, str(root / "solutions" / CHAPTER / "basics.py"))
    with pytest.raises(UnsafeArchive, match="link"):
        grade_all(archive, CHAPTER, root, tmp_path / "results", progress=False)
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").rglob("*.json"))
