"""Chapter 3's hidden checks and zoo: well formed (fast), and validated end to end (slow).

The slow test runs `igcourse validate ch03_gan`: the reference must score full marks, the
release zero, and every mutant must lose points on its part with its mistake named.
"""

import ast
import shutil
from pathlib import Path

import pytest

from igcourse.export import read_notebook
from igcourse.grading.course import chapter_parts
from igcourse.grading.mutants import discover_mutants
from igcourse.grading.validate import run_validation

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "ch03_gan"
CHECKS = ROOT / "autograder" / CHAPTER
NOTEBOOKS = chapter_parts(ROOT, CHAPTER)
MUTANTS = discover_mutants(CHECKS / "mutants")


def _module(notebook):
    return ast.parse((CHECKS / f"test_{notebook}.py").read_text())


def _marked_parts(tree):
    parts = set()
    for node in ast.walk(tree):
        is_mark = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "part"
        )
        if is_mark and node.args and isinstance(node.args[0], ast.Constant):
            parts.add(node.args[0].value)
    return parts


def _part_names(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PART_NAMES":
            return ast.literal_eval(node.value)
    return None


def _defined_names(source):
    return {
        node.name
        for node in ast.parse(source).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_every_part_has_hidden_checks(notebook):
    assert _marked_parts(_module(notebook)) == set(NOTEBOOKS[notebook])


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_part_names_match_the_solution_cells_of_the_master_notebook(notebook):
    """PART_NAMES (used to grade each part alone) lists what each solution cell defines."""
    master = read_notebook(ROOT / "source" / CHAPTER / f"{notebook}.ipynb")
    defined = {}
    for cell in master.cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and nbgrader.get("solution"):
            names = _defined_names(cell.source)
            defined.setdefault(nbgrader["grade_id"], set()).update(names)
    part_names = _part_names(_module(notebook))
    assert set(part_names) == set(NOTEBOOKS[notebook])
    for part, names in part_names.items():
        assert set(names) <= defined.get(part, set()), (part, names, defined.get(part))


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_each_notebook_has_at_least_eight_mutants(notebook):
    parts = set(NOTEBOOKS[notebook])
    assert len([m for m in MUTANTS if m.part in parts]) >= 8


def test_every_part_has_a_mutant_and_every_mutant_a_part():
    all_parts = {part for parts in NOTEBOOKS.values() for part in parts}
    assert {m.part for m in MUTANTS} == all_parts


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutants_redefine_only_what_their_part_defines(mutant):
    notebook = next(nb for nb, parts in NOTEBOOKS.items() if mutant.part in parts)
    allowed = set(_part_names(_module(notebook))[mutant.part])
    defined = _defined_names(mutant.path.read_text())
    assert defined and defined <= allowed, defined
    assert mutant.mistake.endswith(".") and len(mutant.mistake) < 300


@pytest.mark.slow
def test_validation_of_chapter_3_passes(capsys):
    """Reference full marks, release zero, every mutant caught and named (a few minutes)."""
    code = run_validation(CHAPTER, ROOT, workers=2)
    out = capsys.readouterr().out
    assert code == 0, out


def test_an_untrained_handed_in_generator_fails_the_threshold(tmp_path):
    """The master notebook's code with an untrained generator beside it: too far from real."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    shutil.copyfile(root / "source/ch03_gan/dcgan.ipynb", tmp_path / "dcgan.ipynb")
    script = (
        "import importlib.util, keras\n"
        "spec = importlib.util.spec_from_file_location("
        f"'r', r'{root}/solutions/ch03_gan/dcgan.py')\n"
        "r = importlib.util.module_from_spec(spec); spec.loader.exec_module(r)\n"
        "keras.utils.set_random_seed(0)\n"
        f"r.build_generator(100, 32).save_weights(r'{tmp_path}/dcgan_generator.weights.h5')\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    (tmp_path / "dcgan_generator.json").write_text(json.dumps({"z_dim": 100, "filters": 32}))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            str(root / "autograder/ch03_gan/test_dcgan.py"),
            "-k",
            "handed_in",
            f"--implementation=notebook:{tmp_path / 'dcgan.ipynb'}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert "the course asks for 200.0 or less" in done.stdout, done.stdout[-2000:]


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_checks_reach_the_submission_only_through_probes(notebook):
    """In the sandbox a check gets data from probes; touching a student object would break."""
    touched = {
        node.attr
        for node in ast.walk(_module(notebook))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "submission"
    }
    assert touched <= {"probe", "folder"}, touched
    probes = ast.parse((CHECKS / f"probes_{notebook}.py").read_text())
    imported = set()
    for node in ast.walk(probes):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    allowed = {"json", "keras", "numpy", "tensorflow", "igcourse.grading.checks"}
    assert imported <= allowed, imported


@pytest.mark.slow
def test_the_master_notebooks_graded_as_submissions_in_the_sandbox_score_full_marks(tmp_path):
    """As `igcourse grade` does it: the student's code in the sandbox worker, checks outside."""
    import shutil

    from igcourse.classroom.batch import grade_all
    from igcourse.demo import reference_artifacts

    for student, folder in (("master", "source"), ("release", "release")):
        target = tmp_path / "subs" / student / CHAPTER
        target.mkdir(parents=True)
        for notebook in NOTEBOOKS:
            shutil.copyfile(
                ROOT / folder / CHAPTER / f"{notebook}.ipynb", target / f"{notebook}.ipynb"
            )
        if student == "master":
            for artifact in reference_artifacts(ROOT, CHAPTER):
                shutil.copyfile(artifact, target / artifact.name)
    graded = grade_all(tmp_path / "subs", CHAPTER, ROOT, tmp_path / "results", progress=False)
    for result in graded:
        failed = [c for c in result.checks if c["outcome"] == "failed"]
        if result.student == "master":
            assert result.total == result.max_total, (result.error, failed)
        else:
            assert result.total == 0 and not result.error, result.scores
