"""Does the course work with nbgrader's exchange, as on a JupyterHub, from release to gradebook?

An instructor releases chapter 1 from a copy of the course, a student fetches it, answers in
English (leaving the Chinese copy as it came) and submits, the instructor collects the
submission and grades it with the course's grader; the gradebook then holds full marks. The
exchange, the course and the student's folder are temporary; each nbgrader command runs as
its own process with its working folder and nbgrader_config.py, as on a hub. Only one
notebook of the chapter is released, to keep grading short.
"""

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

from igcourse.build import alembic_schema_patch
from igcourse.config import load_config
from igcourse.notebooks import is_solution_cell, nbgrader_meta
from igcourse.paths import repo_root

ROOT = repo_root()
CHAPTER = "ch01_pixelcnn"
NOTEBOOK = "pixel_probabilities"
BIN = Path(sys.executable).parent  # nbgrader, alembic and igcourse of this environment


def course_id():
    return load_config(ROOT).raw.CourseDirectory.course_id


def instructor_course(tmp_path):
    """The course folder an instructor keeps on the hub: config, source/ and release/."""
    course = tmp_path / "course"
    for folder in ("source", "release"):
        (course / folder / CHAPTER).mkdir(parents=True)
    for path in (ROOT / "release" / CHAPTER).glob(f"{NOTEBOOK}.*ipynb"):
        shutil.copyfile(path, course / "release" / CHAPTER / path.name)
    source = ROOT / "source" / CHAPTER / f"{NOTEBOOK}.ipynb"
    shutil.copyfile(source, course / "source" / CHAPTER / source.name)
    shutil.copyfile(ROOT / "course_config.py", course / "course_config.py")
    config = (ROOT / "nbgrader_config.py").read_text()
    config += f"c.CourseDirectory.root = {str(course)!r}\n"
    config += f"c.Exchange.root = {str(tmp_path / 'exchange')!r}\n"
    (course / "nbgrader_config.py").write_text(config)
    return course


def student_home(tmp_path):
    """A student's folder; the hub's global nbgrader config names the course and exchange."""
    home = tmp_path / "student"
    home.mkdir()
    (home / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id()!r}\n"
        f"c.Exchange.root = {str(tmp_path / 'exchange')!r}\n"
    )
    return home


def answer(path):
    """Write the reference answer into each solution cell of a fetched notebook."""
    master = nbformat.read(str(ROOT / "source" / CHAPTER / path.name), as_version=4)
    answers = {nbgrader_meta(c)["grade_id"]: c.source for c in master.cells if is_solution_cell(c)}
    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if is_solution_cell(cell):
            cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    nbformat.write(notebook, str(path))


def run(command, cwd, env, timeout=150):
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def gradebook_grades(db_url, student):
    """{grade cell: (auto score, max score)} of the student's notebook, from nbgrader's API."""
    from nbgrader.api import Gradebook

    alembic_schema_patch()
    with warnings.catch_warnings(), Gradebook(db_url, course_id()) as gradebook:
        warnings.simplefilter("ignore")
        notebook = gradebook.find_submission_notebook(NOTEBOOK, CHAPTER, student)
        return {g.name: (g.auto_score, g.max_score) for g in notebook.grades}


@pytest.mark.slow
def test_release_fetch_submit_collect_grade_and_the_score_is_in_the_gradebook(tmp_path):
    from nbgrader.utils import get_username

    course, home = instructor_course(tmp_path), student_home(tmp_path)
    env = os.environ | {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",  # nbgrader runs `alembic` from PATH
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),  # not the developer's
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),  # the student's submit cache
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    nbgrader = BIN / "nbgrader"
    exchange = tmp_path / "exchange" / course_id()
    names = {f"{NOTEBOOK}.ipynb", f"{NOTEBOOK}.zh.ipynb"}

    run([nbgrader, "release_assignment", CHAPTER], course, env)
    assert {p.name for p in (exchange / "outbound" / CHAPTER).iterdir()} == names

    run([nbgrader, "fetch_assignment", CHAPTER], home, env)
    fetched = home / CHAPTER
    assert {p.name for p in fetched.iterdir()} == names
    answer(fetched / f"{NOTEBOOK}.ipynb")

    run([nbgrader, "submit", CHAPTER], home, env)
    assert len(list((exchange / "inbound").iterdir())) == 1

    run([nbgrader, "collect", CHAPTER], course, env)
    student = get_username()
    submitted = course / "submitted" / student / CHAPTER
    assert names <= {p.name for p in submitted.iterdir()}

    db_url = f"sqlite:///{course / 'gradebook.db'}"
    grade = [BIN / "igcourse", "--root", ROOT, "grade", CHAPTER, course / "submitted"]
    grade += ["--gradebook", db_url, "--out", tmp_path / "grading"]
    run(grade, course, env, timeout=300)

    points = load_config(ROOT).chapters[CHAPTER][NOTEBOOK]
    expected = {f"{part}_check": (float(p), float(p)) for part, p in points.items()}
    scores = (tmp_path / "grading" / f"{CHAPTER}-scores.csv").read_text()
    assert gradebook_grades(db_url, student) == expected, scores
