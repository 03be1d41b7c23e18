"""Is every student's result theirs alone? (issue #26, grading that cannot be fooled)

One test per hole an attacker found: results shared by notebook content alone, handed-in
files looked up in a folder that every flat-layout student shares, a notebook planted under
a classmate's name, student ids that collide in file names or run as spreadsheet formulas,
and an honest notebook refused for the size of its saved outputs.
"""

import csv
import html
import os
import time

import pytest
from course_factory import add_checks, student_notebook, write_notebook
from nbformat import v4

from igcourse.build import build
from igcourse.classroom import reports
from igcourse.classroom.batch import grade_all
from igcourse.classroom.grade import grade_class
from igcourse.classroom.jobs import Graded
from igcourse.classroom.submissions import MAX_NOTEBOOK_BYTES, find_submissions, make_submission

CHAPTER = "ch00_tiny"
NOTEBOOKS = {"basics": {"add": 2}}
RIGHT = "SCALE = 2\ndef add(a, b):\n    return (a + b) * SCALE\n"
WRONG = "def add(a, b):\n    return a + b\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A part that needs a handed-in file, as the chapters' trained models do.
MODEL_CHECK = """

@pytest.mark.part("add")
def test_the_trained_model_is_handed_in(submission):
    text = submission.probe("add", probes.handed_in, "model.txt")
    assert text == "trained", "hand in model.txt beside the notebook"
"""

MODEL_PROBE = """

def handed_in(ns, name):
    path = ns.folder / name if ns.folder else None
    return path.read_text().strip() if path is not None and path.is_file() else None
"""


@pytest.fixture
def course(tiny_course):
    assert build(tiny_course).problems == []
    checks = add_checks(tiny_course)
    with open(checks / "test_basics.py", "a") as file:
        file.write(MODEL_CHECK)
    with open(checks / "probes_basics.py", "a") as file:
        file.write(MODEL_PROBE)
    return tiny_course


def submit(folder, student, body, name="basics.ipynb"):
    return write_notebook(folder / student / CHAPTER / name, student_notebook(body))


def grade(folder, course, tmp_path):
    results = grade_all(folder, CHAPTER, course, tmp_path / "results", progress=False)
    return {graded.student: graded for graded in results}


def test_the_same_notebook_without_the_trained_model_is_graded_on_its_own(
    course, tmp_path, monkeypatch
):
    """Hole 1: results were stored by the notebook's bytes alone, so bob, who handed in
    alice's notebook without her trained model, read back alice's full marks."""
    subs = tmp_path / "subs"
    alice = submit(subs, "alice", RIGHT)
    (alice.parent / "model.txt").write_text("trained")
    assert grade(subs, course, tmp_path)["alice"].scores == {"add": 2.0}
    bob = subs / "bob" / CHAPTER / "basics.ipynb"
    bob.parent.mkdir(parents=True)
    bob.write_bytes(alice.read_bytes())
    second = grade(subs, course, tmp_path)
    assert second["alice"].scores == {"add": 2.0}
    assert second["bob"].scores["add"] < 2.0  # the model's check failed: not full marks
    assert "hand in model.txt" in " ".join(second["bob"].failure_messages("add"))
    import igcourse.classroom.batch as batch

    calls = []
    monkeypatch.setattr(batch, "grade_submissions", lambda *a, **k: calls.append(a))
    again = grade(subs, course, tmp_path)  # a re-run: everything from the store, unchanged
    assert calls == []
    assert {s: g.scores for s, g in again.items()} == {s: g.scores for s, g in second.items()}


def test_in_a_flat_folder_each_student_hands_in_only_their_own_files(course, tmp_path):
    """Hole 2: in <folder>/<student>_<notebook>.ipynb, every student's handed-in model was
    looked up in the one folder they all share, so one model.txt served the whole class."""
    plain = tmp_path / "plain"
    write_notebook(plain / "alice_basics.ipynb", student_notebook(RIGHT))
    (plain / "alice_model.txt").write_text("trained")
    write_notebook(plain / "bob_basics.ipynb", student_notebook(RIGHT + "# bob's copy\n"))
    (plain / "model.txt").write_text("trained")  # no student's name: nobody's
    graded = grade(plain, course, tmp_path)
    assert graded["alice"].scores == {"add": 2.0}
    assert graded["bob"].scores["add"] < 2.0
    assert "hand in model.txt" in " ".join(graded["bob"].failure_messages("add"))
    found = {s.student: s for s in find_submissions(plain, CHAPTER, NOTEBOOKS)}
    assert found["alice"].files == ((plain / "alice_model.txt", "model.txt"),)
    assert found["bob"].files == ()
    # A file that fits two students' names is the longer id's only.
    shared = tmp_path / "shared"
    write_notebook(shared / "ann_basics.ipynb", student_notebook(RIGHT))
    write_notebook(shared / "ann_lee_basics.ipynb", student_notebook(RIGHT))
    (shared / "ann_lee_model.txt").write_text("trained")
    found = {s.student: s.files for s in find_submissions(shared, CHAPTER, NOTEBOOKS)}
    assert found == {"ann": (), "ann_lee": ((shared / "ann_lee_model.txt", "model.txt"),)}


def plant(path):
    """A notebook that claims to be newer than anything handed in honestly."""
    write_notebook(path, student_notebook(WRONG))
    future = time.time() + 86400
    os.utime(path, (future, future))


def test_a_notebook_planted_under_a_classmates_name_is_nobodys(tmp_path):
    """Hole 3: a notebook named after alice anywhere in mallory's folder, newer than alice's
    own, replaced alice's submission."""
    plain = tmp_path / "plain"
    alice = write_notebook(plain / "alice_basics.ipynb", student_notebook(RIGHT))
    mallory = write_notebook(plain / "mallory" / "basics.ipynb", student_notebook(WRONG))
    for where in ("deep", CHAPTER, "."):
        plant(plain / "mallory" / where / "alice_basics.ipynb")
    plant(plain / "mallory" / "deep" / "basics.ipynb")  # deeper than the layout's one level
    found = find_submissions(plain, CHAPTER, NOTEBOOKS)
    assert {s.student: s.path for s in found} == {"alice": alice, "mallory": mallory}

    subs = tmp_path / "subs"
    alice = submit(subs, "alice", RIGHT)
    mallory = submit(subs, "mallory", WRONG)
    for where in (f"{CHAPTER}/more", "other", ".", CHAPTER):
        plant(subs / "mallory" / where / "alice_basics.ipynb")
    plant(subs / "mallory" / CHAPTER / "more" / "basics.ipynb")
    found = find_submissions(subs, CHAPTER, NOTEBOOKS)
    assert {s.student: s.path for s in found} == {"alice": alice, "mallory": mallory}


def test_distinct_student_ids_never_share_a_file_or_run_as_a_formula(tmp_path):
    """Hole 4: ids that differ only in what file names drop overwrote each other's feedback
    and Gradescope files, and ids starting with = + - @ went into the CSV as formulas."""
    ids = [
        "alice",
        "alice.",
        "Alice",
        "a/b",
        "a_b",
        "..",
        '=HYPERLINK("http://evil.example","click")',
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\x1b[2Jx",
        "张三",
    ]
    graded = [Graded(s, "basics", "0", scores={"add": 2.0}, max_scores={"add": 2}) for s in ids]
    for written in (
        reports.write_feedback(graded, CHAPTER, tmp_path / "feedback"),
        reports.write_gradescope(graded, CHAPTER, tmp_path / "gradescope"),
    ):
        assert len({str(path).lower() for path in written}) == len(ids)  # case folded, too
        assert all(path.resolve().is_relative_to(tmp_path) for path in written)
    pages = reports.write_feedback(graded, CHAPTER, tmp_path / "feedback")
    for student, page in zip(ids, pages, strict=True):  # each page still holds its student's
        assert html.escape(student) in page.read_bytes().decode("utf-8")
    with open(reports.write_csv(graded, tmp_path / "scores.csv"), newline="") as file:
        rows = list(csv.reader(file))
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
    students = [row[0] for row in rows[1:]]
    assert students == [("'" + s) if s.startswith(FORMULA_START) else s for s in ids]
    assert rows[1][2:5] == ["2.0", "2.0", "2"]  # numbers stay numbers
    assert "\x1b" not in reports.table(graded)


def test_a_notebook_too_big_only_for_its_outputs_is_graded_without_them(course, tmp_path):
    """Hole 5: an honest notebook with tens of MB of saved plots was refused, not graded."""
    picture = "A" * (MAX_NOTEBOOK_BYTES + 2**20)  # a saved plot, as base64
    notebook = student_notebook(RIGHT)
    notebook.cells[0].outputs = [v4.new_output("display_data", data={"image/png": picture})]
    notebook.cells.append(
        v4.new_markdown_cell(
            "![plot](attachment:p.png)", attachments={"p.png": {"image/png": picture}}
        )
    )
    subs = tmp_path / "subs"
    write_notebook(subs / "alice" / CHAPTER / "basics.ipynb", notebook)
    (subs / "alice" / CHAPTER / "model.txt").write_text("trained")
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    graded = grade_class(subs, CHAPTER, course, out=tmp_path / "out", db_url=db, progress=False)
    assert graded[0].scores == {"add": 2.0} and not graded[0].error
    assert "without its outputs" in graded[0].note
    page = (tmp_path / "out/feedback/alice" / CHAPTER / "basics.html").read_text()
    assert "without its outputs" in page
    with open(tmp_path / "out" / f"{CHAPTER}-scores.csv", newline="") as file:
        assert "without its outputs" in next(csv.DictReader(file))["note"]
    # Too big even without outputs: refused, with the reason.
    code = write_notebook(tmp_path / "code.ipynb", student_notebook("#" * (MAX_NOTEBOOK_BYTES + 1)))
    refused = make_submission("bob", "basics", code)
    assert "MB" in refused.problem and not refused.sha256
    nested = tmp_path / "nested.ipynb"  # nested past json's recursion limit: refused, no crash
    nested.write_text("[" * (MAX_NOTEBOOK_BYTES // 2 + 1) + "]" * (MAX_NOTEBOOK_BYTES // 2 + 1))
    assert "MB" in make_submission("eve", "basics", nested).problem
