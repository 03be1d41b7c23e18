"""Does the Gradescope autograder grade a submission as `igcourse grade` does, in a folder laid
out as Gradescope lays it out (<root>/source = the zip, <root>/submission, <root>/results)?

run_autograder runs here with this environment's Python (IGCOURSE_PYTHON) instead of the
virtual environment setup.sh installs; setup.sh itself is only parsed (`bash -n`), since it
installs from apt and PyPI.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from course_factory import add_checks, student_notebook, write_notebook

from igcourse.build import build
from igcourse.classroom import gradescope
from igcourse.classroom.gradescope import build_autograder, find_notebooks
from igcourse.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "ch01_pixelcnn"
NOTEBOOK = "pixel_probabilities"  # chapter 1's smallest notebook: no TensorFlow, no training
TINY = "ch00_tiny"
RIGHT = "SCALE = 2\ndef add(a, b):\n    return (a + b) * SCALE\n"
WRONG = "def add(a, b):\n    return a + b\n"
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(autouse=True)
def _course_secret(monkeypatch):
    # Building reads the course's secret; a given one keeps the repository's own untouched.
    monkeypatch.setenv("IGCOURSE_GRADING_SECRET", "a secret of the tests")


def unpack(archive, folder):
    """Unzip as Gradescope's `unzip` does: the permissions the zip records are kept."""
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            path = Path(zipped.extract(info, folder))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)


def autograder_root(archive, folder, files=()):
    """<folder>/source = the zip, run_autograder copied beside it, the student's files in
    <folder>/submission, an empty <folder>/results: Gradescope's layout."""
    unpack(archive, folder / "source")
    shutil.copy2(folder / "source" / "run_autograder", folder / "run_autograder")
    (folder / "submission").mkdir()
    (folder / "results").mkdir()
    for path, name in files:
        target = folder / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return folder


def run_autograder(root, python=sys.executable):
    """Run <root>/run_autograder as Gradescope does (from <root>); return results.json."""
    env = dict(os.environ, IGCOURSE_PYTHON=python)
    env.pop("IGCOURSE_GRADING_SECRET")  # grading reads the secret the zip carries
    done = subprocess.run(
        [str(root / "run_autograder"), str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def assert_gradescope_format(results, parts):
    """results.json has the fields and types of Gradescope's specification, one test a part."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["execution_time"], int) and results["execution_time"] >= 0
    assert isinstance(results["output"], str)
    assert results["stdout_visibility"] in VISIBILITY
    assert [test["name"] for test in results["tests"]] == list(parts)
    for test in results["tests"]:
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], int)
        assert test["max_score"] == parts[test["name"]] and 0 <= test["score"] <= test["max_score"]
        assert isinstance(test["output"], str) and test["visibility"] in VISIBILITY
    assert results["score"] == pytest.approx(sum(test["score"] for test in results["tests"]))


# ---------------------------------------------------------------- the zip


@pytest.fixture(scope="module")
def chapter_zip(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IGCOURSE_GRADING_SECRET", "a secret of the tests")
        out = tmp_path_factory.mktemp("dist")
        return build_autograder(ROOT, CHAPTER, out, notebooks=[NOTEBOOK])


def test_the_zip_holds_the_scripts_engine_checks_and_reference_but_no_notebooks(chapter_zip):
    with zipfile.ZipFile(chapter_zip) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
        secret = archive.read(".igcourse/grading-secret").decode().strip()
    names = set(infos)
    for script in ("setup.sh", "run_autograder"):  # at the root, executable
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    assert {
        "course_config.py",
        "datasets/catalog.json",
        "igcourse/cli.py",
        "igcourse/grading/plugin.py",
        f"autograder/{CHAPTER}/test_{NOTEBOOK}.py",
        f"autograder/{CHAPTER}/probes_{NOTEBOOK}.py",
        f"solutions/{CHAPTER}/{NOTEBOOK}.py",
        "fallback-results.json",
    } <= names
    assert any(name.startswith(f"autograder/{CHAPTER}/mutants/") for name in names)
    # Grading reads no notebook, no validation answers, no reference model, no cache (the
    # engine's own evaluator weights aside).
    course = [n for n in names if not n.startswith("igcourse/")]
    assert not [n for n in course if n.endswith((".ipynb", ".md", ".weights.h5"))]
    assert not [n for n in names if n.endswith(".pyc")]
    assert not [n for n in names if "/alternatives/" in n or "__pycache__" in n]
    assert not [n for n in names if n.startswith(("source/", "release/", "proofs/", "tests/"))]
    for pin in ("tensorflow==", "keras==", "pytest==", "nbformat==", "traitlets=="):
        assert pin in requirements
    assert "setuptools==" not in requirements  # pip's own tools are left to pip
    assert len(secret) == 64 and secret != "a secret of the tests"


def test_the_same_course_gives_the_same_zip(chapter_zip, tmp_path):
    again = build_autograder(ROOT, CHAPTER, tmp_path, notebooks=[NOTEBOOK])
    assert again.read_bytes() == chapter_zip.read_bytes()


def test_setup_and_run_autograder_are_valid_bash_with_the_chapter_filled_in(chapter_zip, tmp_path):
    unpack(chapter_zip, tmp_path)
    for script in ("setup.sh", "run_autograder"):
        text = (tmp_path / script).read_text()
        assert text.startswith("#!/usr/bin/env bash\n") and not re.search(r"@[A-Z_]+@", text)
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True)
        assert done.returncode == 0, done.stderr
    run = (tmp_path / "run_autograder").read_text()
    assert f"gradescope {CHAPTER} --notebook {NOTEBOOK} --grade" in run
    assert "DATASETS=(fashion-mnist)" in (tmp_path / "setup.sh").read_text()


def test_an_unknown_chapter_or_notebook_is_one_message(tmp_path, capsys):
    assert main(["--root", str(ROOT), "gradescope", "ch99_none", "--out", str(tmp_path)]) == 1
    assert "ch99_none" in capsys.readouterr().err
    args = ["--root", str(ROOT), "gradescope", CHAPTER, "--notebook", "nope"]
    assert main([*args, "--out", str(tmp_path)]) == 1
    assert "nope" in capsys.readouterr().err and not list(tmp_path.iterdir())


# ---------------------------------------------------------------- finding the notebooks


def _notebook(path, body="x = 1"):
    return write_notebook(path, student_notebook(body))


def test_the_notebooks_are_found_in_every_layout_a_submission_comes_in(tmp_path):
    parts = {"pixel_probabilities": {}, "pixelcnn": {}}
    layouts = {
        "top": ["pixelcnn.ipynb", "pixel_probabilities.zh.ipynb"],
        "zip_folder": ["hw1/pixelcnn.ipynb", "hw1/pixel_probabilities.ipynb"],
        "nbgrader": [f"{CHAPTER}/pixelcnn.ipynb", f"{CHAPTER}/pixel_probabilities.ipynb"],
        "prefixed": ["ann_pixelcnn.ipynb", "ann-pixel_probabilities.ipynb"],
        "downloaded_twice": ["pixelcnn (1).ipynb", "pixel_probabilities (2).ipynb"],
    }
    for layout, names in layouts.items():
        for name in names:
            _notebook(tmp_path / layout / name)
        found = find_notebooks(tmp_path / layout, parts)
        assert sorted(found) == sorted(parts), layout
        assert {s.path.relative_to(tmp_path / layout).as_posix() for s in found.values()} == set(
            names
        ), layout


def test_handed_in_files_beside_a_notebook_go_with_it(tmp_path):
    _notebook(tmp_path / "hw" / "pixelcnn.ipynb")
    (tmp_path / "hw" / "pixelcnn.weights.h5").write_bytes(b"weights")
    (tmp_path / "hw" / ".ipynb_checkpoints").mkdir()
    _notebook(tmp_path / "hw" / ".ipynb_checkpoints" / "pixelcnn-checkpoint.ipynb")
    found = find_notebooks(tmp_path, {"pixelcnn": {}})
    assert [name for _path, name in found["pixelcnn"].files] == ["pixelcnn.weights.h5"]


def test_a_lone_notebook_of_any_name_is_graded_unless_named_after_another(tmp_path):
    chapter = {"pixel_probabilities": {}, "pixelcnn": {}}
    graded = {"pixel_probabilities": {}}
    _notebook(tmp_path / "mine" / "Untitled.ipynb")
    assert list(find_notebooks(tmp_path / "mine", graded, chapter)) == ["pixel_probabilities"]
    _notebook(tmp_path / "other" / "pixelcnn.ipynb")
    assert find_notebooks(tmp_path / "other", graded, chapter) == {}
    assert find_notebooks(tmp_path / "missing", graded, chapter) == {}


def test_of_two_copies_the_one_worked_on_is_graded(tmp_path):
    release = nbformat.read(ROOT / "release" / CHAPTER / f"{NOTEBOOK}.ipynb", as_version=4)
    nbformat.write(release, tmp_path / f"{NOTEBOOK}.ipynb")
    _notebook(tmp_path / "answers" / f"{NOTEBOOK}.zh.ipynb", "def quantize(x, levels):\n    1")
    os.utime(tmp_path / f"{NOTEBOOK}.ipynb")  # the untouched copy is the newer one
    found = find_notebooks(tmp_path, {NOTEBOOK: {}})
    assert found[NOTEBOOK].path.name == f"{NOTEBOOK}.zh.ipynb"


# ---------------------------------------------------------------- grading, fast (a tiny course)


@pytest.fixture
def tiny_zip(tiny_course, tmp_path):
    assert build(tiny_course).problems == []
    add_checks(tiny_course)
    shutil.copyfile(ROOT / "requirements.txt", tiny_course / "requirements.txt")
    return build_autograder(tiny_course, TINY, tmp_path / "dist")


@pytest.mark.slow
def test_run_autograder_grades_each_submission_and_writes_gradescope_results(tiny_zip, tmp_path):
    """A right and a wrong answer to the tiny course, each in its own root (about 30 s)."""
    right = _notebook(tmp_path / "right.ipynb", RIGHT)
    wrong = _notebook(tmp_path / "wrong.ipynb", WRONG)
    full = run_autograder(autograder_root(tiny_zip, tmp_path / "a", [(right, "basics.ipynb")]))
    assert_gradescope_format(full, {"add": 2})
    assert full["score"] == 2 and full["output"] == ""
    zero = run_autograder(autograder_root(tiny_zip, tmp_path / "b", [(wrong, "hw/basics.ipynb")]))
    assert_gradescope_format(zero, {"add": 2})
    assert zero["score"] == 0 and "add(1, 2) should be" in zero["tests"][0]["output"]


def test_an_empty_submission_scores_zero_and_says_what_to_upload(tiny_zip, tmp_path):
    results = run_autograder(autograder_root(tiny_zip, tmp_path / "root"))
    assert_gradescope_format(results, {"add": 2})
    assert results["score"] == 0 and results["tests"][0]["score"] == 0
    assert "No notebook of ch00_tiny was found" in results["output"]
    assert "basics.ipynb" in results["output"]


def test_a_broken_notebook_is_reported_in_the_output(tiny_zip, tmp_path):
    broken = tmp_path / "basics.ipynb"
    broken.write_text("{ not json")
    results = run_autograder(autograder_root(tiny_zip, tmp_path / "root", [(broken, broken.name)]))
    assert_gradescope_format(results, {"add": 2})
    assert results["score"] == 0 and "not a valid notebook" in results["output"]


def test_when_python_cannot_run_the_student_still_gets_a_results_json(tiny_zip, tmp_path):
    results = run_autograder(autograder_root(tiny_zip, tmp_path / "root"), python="/bin/false")
    assert_gradescope_format(results, {"add": 2})
    assert results["score"] == 0 and "could not run" in results["output"]


def test_when_grading_itself_fails_results_json_says_so(tmp_path, capsys):
    (tmp_path / "submission").mkdir()  # no source/: the course cannot be read
    results = gradescope.grade_autograder_root(tmp_path, TINY)
    assert results["score"] == 0 and results["tests"] == []
    assert "The autograder failed" in results["output"]
    assert json.loads((tmp_path / "results" / "results.json").read_text()) == results
    assert "Traceback" in capsys.readouterr().out  # for the instructor, in Gradescope's stdout


# ---------------------------------------------------------------- grading chapter 1 (slow)


@pytest.mark.slow
def test_the_reference_scores_full_marks_and_the_release_zero(chapter_zip, tmp_path):
    """The master notebook and the untouched release of pixel_probabilities, graded by
    run_autograder from the zip (about 20 s each)."""
    from igcourse.grading.course import chapter_parts

    parts = chapter_parts(ROOT, CHAPTER)[NOTEBOOK]
    master = ROOT / "source" / CHAPTER / f"{NOTEBOOK}.ipynb"
    release = ROOT / "release" / CHAPTER / f"{NOTEBOOK}.zh.ipynb"
    full = run_autograder(autograder_root(chapter_zip, tmp_path / "ref", [(master, master.name)]))
    assert_gradescope_format(full, parts)
    assert full["score"] == sum(parts.values()) and full["output"] == ""
    zero = run_autograder(
        autograder_root(chapter_zip, tmp_path / "release", [(release, f"ch1/{release.name}")])
    )
    assert_gradescope_format(zero, parts)
    assert zero["score"] == 0 and all(test["output"] for test in zero["tests"])
