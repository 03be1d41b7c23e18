"""Does grading a class give each submission its own correct report, whatever the others do?"""

import json
import zipfile

import pytest
from course_factory import add_checks, student_notebook, write_notebook

from igcourse.build import build
from igcourse.classroom import reports
from igcourse.classroom.batch import grade_all
from igcourse.classroom.grade import grade_class
from igcourse.classroom.submissions import MAX_NOTEBOOK_BYTES, find_submissions
from igcourse.data.errors import UnsafeArchive

CHAPTER = "ch00_tiny"
NOTEBOOKS = {"basics": {"add": 2}}
RIGHT = "SCALE = 2\ndef add(a, b):\n    return (a + b) * SCALE\n"
WRONG = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def course(tiny_course):
    assert build(tiny_course).problems == []
    add_checks(tiny_course)
    return tiny_course


def submit(folder, student, body, name="basics.ipynb"):
    return write_notebook(folder / student / CHAPTER / name, student_notebook(body))


def test_submissions_are_found_in_the_nbgrader_layout_and_plain_folders(tmp_path):
    submit(tmp_path / "nbgrader", "alice", RIGHT)
    plain = tmp_path / "plain"
    write_notebook(plain / "bob_basics.ipynb", student_notebook(RIGHT))
    write_notebook(plain / "carol" / "basics.zh.ipynb", student_notebook(RIGHT))
    write_notebook(plain / ".ipynb_checkpoints" / "dan_basics.ipynb", student_notebook(RIGHT))
    write_notebook(plain / "notes.ipynb", student_notebook("x = 1"))
    found = find_submissions(tmp_path / "nbgrader", CHAPTER, NOTEBOOKS)
    assert [(s.student, s.notebook) for s in found] == [("alice", "basics")]
    found = find_submissions(plain, CHAPTER, NOTEBOOKS)
    assert sorted((s.student, s.notebook) for s in found) == [
        ("bob", "basics"),
        ("carol", "basics"),
    ]


def test_symlinks_and_huge_files_are_refused_with_a_reason(tmp_path):
    secret = tmp_path / "other_student.ipynb"
    write_notebook(secret, student_notebook(RIGHT))
    folder = tmp_path / "subs"
    (folder / "eve" / CHAPTER).mkdir(parents=True)
    (folder / "eve" / CHAPTER / "basics.ipynb").symlink_to(secret)
    huge = folder / "mallory" / CHAPTER / "basics.ipynb"
    huge.parent.mkdir(parents=True)
    huge.write_bytes(b"{" + b" " * (MAX_NOTEBOOK_BYTES + 1) + b"}")
    problems = {s.student: s.problem for s in find_submissions(folder, CHAPTER, NOTEBOOKS)}
    assert "symbolic link" in problems["eve"] and "MB" in problems["mallory"]


def test_an_lms_zip_is_unpacked_safely(tmp_path):
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("alice_basics.ipynb", json.dumps(student_notebook(RIGHT)))
    assert [s.student for s in find_submissions(archive, CHAPTER, NOTEBOOKS)] == ["alice"]
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escaped_basics.ipynb", "{}")
    with pytest.raises(UnsafeArchive, match="climbs out"):
        find_submissions(evil, CHAPTER, NOTEBOOKS)
    assert not (tmp_path.parent / "escaped_basics.ipynb").exists()


def test_each_submission_gets_its_own_correct_grade(course, tmp_path):
    subs = tmp_path / "subs"
    submit(subs, "alice", RIGHT)
    submit(subs, "bob", WRONG)
    stub = subs / "carl" / CHAPTER / "basics.ipynb"
    stub.parent.mkdir(parents=True)
    stub.write_bytes((course / "release" / CHAPTER / "basics.ipynb").read_bytes())
    broken = subs / "dora" / CHAPTER / "basics.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xff\xfe not json at all")
    submit(subs, "ezra", RIGHT + "def helper():\n    while True:\n        pass\nhelper()\n")
    submit(subs, "fay", "import os\nos._exit(0)\n" + RIGHT)
    graded = {
        g.student: g
        for g in grade_all(
            subs, CHAPTER, course, tmp_path / "results", workers=2, time_limit_s=60, progress=False
        )
    }
    assert graded["alice"].scores == {"add": 2.0}
    assert graded["bob"].scores == {"add": 0.0}
    assert "add(1, 2) should be" in graded["bob"].checks[0]["message"]
    assert graded["carl"].scores == {"add": 0.0}
    assert graded["dora"].scores == {"add": 0.0} and graded["dora"].error
    assert graded["ezra"].scores == {"add": 2.0}  # the stray call is not run when grading
    assert graded["fay"].scores == {"add": 2.0}  # os._exit is a call: dropped too


def test_grading_is_idempotent_by_content_and_resumes(course, tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    alice = submit(subs, "alice", RIGHT)
    first = grade_all(subs, CHAPTER, course, tmp_path / "results", progress=False)
    bob = subs / "bob" / CHAPTER / "basics.ipynb"  # the same file, handed in by another student
    bob.parent.mkdir(parents=True)
    bob.write_bytes(alice.read_bytes())
    calls = []
    import igcourse.classroom.batch as batch

    monkeypatch.setattr(batch, "grade_submissions", lambda *a, **k: calls.append(a))
    again = grade_all(subs, CHAPTER, course, tmp_path / "results", progress=False)
    assert calls == []  # nothing ran: both results came from the store
    assert [g.student for g in again] == ["alice", "bob"]
    assert again[0].scores == first[0].scores == again[1].scores


def test_the_gradebook_feedback_csv_and_gradescope_files(course, tmp_path, capsys):
    subs = tmp_path / "subs"
    submit(subs, "alice", RIGHT)
    submit(subs, "bob", WRONG)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    grade_class(subs, CHAPTER, course, out=tmp_path / "out", db_url=db, progress=False)
    from nbgrader.api import Gradebook

    with Gradebook(db, "tiny") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(CHAPTER).submissions}
    assert scores == {"alice": 2.0, "bob": 0.0}
    page = (tmp_path / "out/feedback/bob" / CHAPTER / "basics.html").read_text()
    assert "add(1, 2) should be" in page and "0 / 2" in page
    assert "def test_" not in page and "submission.add" not in page  # no hidden check code
    csv_text = (tmp_path / "out" / f"{CHAPTER}-scores.csv").read_text()
    assert "alice,basics,2.0,2.0,2" in csv_text
    results = json.loads(
        (tmp_path / "out/gradescope/bob" / CHAPTER / "basics.results.json").read_text()
    )
    assert results["score"] == 0 and results["tests"][0]["max_score"] == 2
    assert "alice" in capsys.readouterr().out


def test_a_dask_cluster_grades_the_same_as_local_workers(course, tmp_path):
    from dask.distributed import LocalCluster

    subs = tmp_path / "subs"
    submit(subs, "alice", RIGHT)
    submit(subs, "bob", WRONG)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        graded = grade_all(
            subs,
            CHAPTER,
            course,
            tmp_path / "results",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    assert [g.total for g in graded] == [2.0, 0.0]


def test_feedback_escapes_what_a_student_wrote():
    from igcourse.classroom.jobs import Graded

    graded = Graded(
        "<script>x</script>",
        "basics",
        "0",
        scores={"add": 0.0},
        max_scores={"add": 2},
        checks=[
            {
                "check": "c",
                "part": "add",
                "outcome": "failed",
                "message": "<img src=x onerror=alert(1)>",
            }
        ],
    )
    page = reports.feedback_html(graded, CHAPTER)
    assert "<script>x" not in page and "<img" not in page


def test_the_copy_a_student_answered_in_is_graded_not_the_untouched_other_language(
    course, tmp_path
):
    subs = tmp_path / "subs"
    answered = submit(subs, "alice", RIGHT)
    untouched = subs / "alice" / CHAPTER / "basics.zh.ipynb"
    untouched.write_bytes((course / "release" / CHAPTER / "basics.zh.ipynb").read_bytes())
    found = find_submissions(subs, CHAPTER, NOTEBOOKS)
    assert [s.path for s in found] == [answered]


def test_feedback_shows_the_pictures_a_check_chose_and_nothing_else():
    import numpy as np

    from igcourse.classroom.jobs import Graded
    from igcourse.grading.pictures import png_base64

    png = png_base64(np.eye(3))
    failed = {"check": "test_mask", "part": "add", "outcome": "failed", "message": "wrong mask"}
    images = [
        {"caption": "<b>your mask</b>", "png": png},
        {"caption": "not a picture", "png": "javascript:alert(1)"},
    ]
    graded = Graded("amy", "basics", "x", {"add": 0.0}, {"add": 2}, [dict(failed, images=images)])
    page = reports.feedback_html(graded, CHAPTER)
    assert page.count(f'src="data:image/png;base64,{png}"') == 1
    assert "&lt;b&gt;your mask&lt;/b&gt;" in page and "javascript" not in page


def test_a_notebook_named_after_its_student_is_graded_as_its_notebook(course, tmp_path):
    """LMS and plain folders name files alice_basics.ipynb; the checks of basics still run."""
    plain = tmp_path / "plain"
    write_notebook(plain / "alice_basics.ipynb", student_notebook(RIGHT))
    write_notebook(plain / "bob-basics.zh.ipynb", student_notebook(WRONG))
    graded = {
        g.student: g
        for g in grade_all(plain, CHAPTER, course, tmp_path / "results", progress=False)
    }
    assert graded["alice"].scores == {"add": 2.0} and not graded["alice"].error
    assert graded["bob"].scores == {"add": 0.0} and len(graded["bob"].checks) == 2


def test_a_part_half_checked_when_the_time_ran_out_scores_nothing():
    from igcourse.classroom.jobs import _complete_parts
    from igcourse.grading.results import CheckResult

    results = [CheckResult("a1", "add", "passed"), CheckResult("m1", "mean", "passed")]
    kept = _complete_parts(results, {"add": 2, "mean": 1})
    assert [r.check for r in kept] == ["m1"]  # add's second check never ran


def test_the_same_content_in_one_run_is_graded_once(course, tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    alice = submit(subs, "alice", RIGHT)
    for student in ("bob", "carl"):  # alice's file, handed in again
        copy = subs / student / CHAPTER / "basics.ipynb"
        copy.parent.mkdir(parents=True)
        copy.write_bytes(alice.read_bytes())
    submit(subs, "dora", WRONG)
    import igcourse.classroom.batch as batch

    graded_students = []
    real = batch.grade_submissions

    def counting(submissions, *args, **kwargs):
        graded_students.extend(s.student for s in submissions)
        return real(submissions, *args, **kwargs)

    class Bar:  # the progress bar counts each submission once, copies too
        def __init__(self, total, initial, **options):
            self.total, self.n = total, initial

        def update(self, count):
            self.n += count

        def close(self):
            bars.append((self.n, self.total))

    bars = []
    monkeypatch.setattr(batch, "grade_submissions", counting)
    monkeypatch.setattr(batch, "tqdm", Bar)
    graded = grade_all(subs, CHAPTER, course, tmp_path / "results", progress=False)
    assert bars == [(4, 4)]
    assert sorted(graded_students) == ["alice", "dora"]
    assert [g.student for g in graded] == ["alice", "bob", "carl", "dora"]
    assert [g.total for g in graded] == [2.0, 2.0, 2.0, 0.0]
    assert graded[1].checks == graded[0].checks and graded[1] is not graded[0]


def test_batches_share_out_the_costly_submissions_and_start_with_them(tmp_path):
    from igcourse.classroom.batch import batches
    from igcourse.classroom.submissions import Submission

    def make(student, notebook, size, files=()):
        path = tmp_path / f"{student}-{notebook}.ipynb"
        path.write_bytes(b"x" * size)
        return Submission(student, notebook, path, student + notebook, files=files)

    model = ((tmp_path / "w.h5", "w.h5"),)
    subs = [make("a", "small", 10), make("b", "small", 10)]
    subs += [make(s, "big", 10) for s in ("c", "d")] + [make(s, "big", 50, model) for s in "ef"]
    chunks = batches(subs, list(range(len(subs))), workers=2)
    assert sorted(len(c) for c in chunks) == [1, 1, 2, 2]
    trained = {4, 5}
    assert [len(trained & set(c)) for c in chunks[:2]] == [1, 1]  # one model each, first
    assert sorted(i for c in chunks for i in c) == list(range(len(subs)))


def test_an_untouched_notebook_joins_a_batch_rather_than_start_one(course, tmp_path):
    """An untouched release costs its checks a few seconds once its worker runs: it shares a
    check process with a changed notebook; two changed ones still get a batch each."""
    from igcourse.classroom.batch import batches, release_code_cells, untouched

    release = course / "release" / CHAPTER / "basics.ipynb"
    folder = tmp_path / "subs"
    for student in ("ann", "ben"):
        target = folder / student / CHAPTER / "basics.ipynb"
        target.parent.mkdir(parents=True)
        target.write_bytes(release.read_bytes())
    submit(folder, "cid", RIGHT)
    code = release_code_cells(course, CHAPTER, NOTEBOOKS)
    subs = find_submissions(folder, CHAPTER, NOTEBOOKS)
    students = [s.student for s in subs]
    assert [untouched(s, code) for s in subs] == [True, True, False]
    chunks = batches(subs, [0, 1, 2], workers=2, release_code=code)
    assert [[students[i] for i in chunk] for chunk in chunks] == [["cid", "ann", "ben"]]
    submit(folder, "dee", WRONG)
    subs = find_submissions(folder, CHAPTER, NOTEBOOKS)
    students = [s.student for s in subs]
    chunks = batches(subs, [0, 1, 2, 3], workers=2, release_code=code)
    assert sorted(students[chunk[0]] for chunk in chunks) == ["cid", "dee"]
    assert sorted(len(chunk) for chunk in chunks) == [2, 2]
    # Without the release to compare with, every notebook counts as changed.
    assert len(batches(subs, [0, 1, 2, 3], workers=2)) == 2


def test_second_copies_from_a_browser_or_an_lms_are_found_in_their_language(tmp_path):
    from igcourse.classroom.staging import messages_language, staged_name

    write_notebook(tmp_path / "alice" / CHAPTER / "basics.zh (1).ipynb", student_notebook(RIGHT))
    write_notebook(tmp_path / "bob" / "basics (2).ipynb", student_notebook(RIGHT))
    write_notebook(tmp_path / "carl_basics-1.ipynb", student_notebook(RIGHT))
    write_notebook(tmp_path / "dora_basics.zh-2.ipynb", student_notebook(RIGHT))
    found = {s.student: s for s in find_submissions(tmp_path, CHAPTER, NOTEBOOKS)}
    assert sorted(found) == ["alice", "bob", "carl", "dora"]
    assert {s.notebook for s in found.values()} == {"basics"}
    languages = {name: messages_language(s.path.name) for name, s in found.items()}
    assert languages["alice"] == languages["dora"] == "zh"
    assert staged_name(found["alice"].path, "basics") == "basics.zh.ipynb"
    assert staged_name(found["carl"].path, "basics") == "basics.ipynb"
