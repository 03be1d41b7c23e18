"""Is every chapter's grading well formed: checks for every part, a zoo for every part, probes only?

One set of questions for every chapter of course_config.py, so a new chapter is held to them
from its first commit. The per-chapter files (tests/test_validation_chNN.py) run the validator
and the chapter's own handed-in model checks.
"""

import ast
import shutil

import pytest
from proved import proved_once

from igcourse.config import load_config
from igcourse.export import read_notebook
from igcourse.grading.course import chapter_parts, handed_in_parts
from igcourse.grading.mutants import discover_mutants
from igcourse.paths import repo_root

ROOT = repo_root()
CHAPTERS = sorted(load_config(ROOT).chapters)
NOTEBOOKS = [
    (chapter, notebook) for chapter in CHAPTERS for notebook in chapter_parts(ROOT, chapter)
]
MUTANTS = [
    (chapter, mutant)
    for chapter in CHAPTERS
    for mutant in discover_mutants(ROOT / "autograder" / chapter / "mutants")
]
# What a probe may import: the frameworks, and the checks' seeded-input and gradient helpers.
PROBE_IMPORTS = {"json", "re", "keras", "numpy", "tensorflow"}
PROBE_IMPORTS |= {"igcourse.grading.checks", "igcourse.grading.gradients"}
PROBE_IMPORTS |= {"igcourse.grading.steptrace"}  # recorders of a training step's calls
PROBE_IMPORTS |= {"igcourse.grading.gansteps"}  # the stand-in losses of a GAN's steps
PROBE_IMPORTS |= {"igcourse.grading.architecture"}  # a network's layers as steps
PROBE_IMPORTS |= {"igcourse.grading.public"}  # the public checks, run again in grading
PROBE_IMPORTS |= {"igcourse.checks.networks"}  # measurements shared with the public checks
PROBE_IMPORTS |= {"igcourse.grading.handed_in"}  # a trained network handed in, loaded
PROBE_IMPORTS |= {"igcourse.grading.seeded_weights"}  # the same weights for any code of a table
PROBE_IMPORTS |= {"igcourse.grading.probing"}  # a call's value, or what it raised
PROBE_IMPORTS |= {"igcourse.data.vgg19"}  # the VGG19 that AdaIN's handed-in decoder trained on
# Besides these, a chapter's probes may import the chapter's own grading modules (its correct
# stand-ins, say), named after it: igcourse.grading.chNN_<notebook>. A new chapter's module needs
# no line here (a change here would make every chapter's proofs run again).


def _parts(chapter, notebook):
    return set(chapter_parts(ROOT, chapter)[notebook])


def _check_module(chapter, notebook):
    return ast.parse((ROOT / "autograder" / chapter / f"test_{notebook}.py").read_text())


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


def _notebook_of(chapter, part):
    return next(nb for nb, parts in chapter_parts(ROOT, chapter).items() if part in parts)


def _ids(pair):
    chapter, item = pair
    return f"{chapter}/{getattr(item, 'name', item)}"


@pytest.mark.parametrize("where", NOTEBOOKS, ids=_ids)
def test_every_part_has_hidden_checks(where):
    assert _marked_parts(_check_module(*where)) == _parts(*where)


@pytest.mark.parametrize("where", NOTEBOOKS, ids=_ids)
def test_part_names_match_the_solution_cells_of_the_master_notebook(where):
    """PART_NAMES (used to grade each part alone) lists what each solution cell defines."""
    chapter, notebook = where
    master = read_notebook(ROOT / "source" / chapter / f"{notebook}.ipynb")
    defined = {}
    for cell in master.cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and nbgrader.get("solution"):
            names = _defined_names(cell.source)
            defined.setdefault(nbgrader["grade_id"], set()).update(names)
    part_names = _part_names(_check_module(chapter, notebook))
    assert set(part_names) == _parts(chapter, notebook)
    for part, names in part_names.items():
        assert set(names) <= defined.get(part, set()), (part, names, defined.get(part))


@pytest.mark.parametrize("where", NOTEBOOKS, ids=_ids)
def test_each_notebook_has_at_least_eight_mutants(where):
    chapter, notebook = where
    parts = _parts(chapter, notebook)
    assert len([m for c, m in MUTANTS if c == chapter and m.part in parts]) >= 8


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_part_has_a_mutant_and_every_mutant_a_part(chapter):
    """A part graded from handed-in files defines no code of its own, so it needs no mutant (its
    proofs are the chapter's handed-in model tests, tests/test_validation_chNN.py); it may have
    some (a model that cheats once its weights are loaded)."""
    all_parts = {part for parts in chapter_parts(ROOT, chapter).values() for part in parts}
    coded = all_parts - handed_in_parts(ROOT, chapter)
    mutated = {m.part for c, m in MUTANTS if c == chapter}
    assert coded <= mutated <= all_parts


@pytest.mark.parametrize("where", MUTANTS, ids=_ids)
def test_mutants_redefine_only_what_their_part_defines(where):
    chapter, mutant = where
    tree = _check_module(chapter, _notebook_of(chapter, mutant.part))
    allowed = set(_part_names(tree)[mutant.part])
    if mutant.part in handed_in_parts(ROOT, chapter):  # it cheats through the notebook's code
        allowed = {name for names in _part_names(tree).values() for name in names}
    defined = _defined_names(mutant.path.read_text())
    assert defined and defined <= allowed, defined
    assert mutant.mistake.endswith(".") and len(mutant.mistake) < 300


@pytest.mark.parametrize("where", NOTEBOOKS, ids=_ids)
def test_checks_reach_the_submission_only_through_probes(where):
    """In the sandbox a check gets data from probes; touching a student object would break."""
    chapter, notebook = where
    touched = {
        node.attr
        for node in ast.walk(_check_module(chapter, notebook))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "submission"
    }
    # start_early: a probe started ahead, on a worker of its own (early_probes), still a probe.
    assert touched <= {"probe", "folder", "start_early"}, touched
    probes = ast.parse((ROOT / "autograder" / chapter / f"probes_{notebook}.py").read_text())
    imported = set()
    for node in ast.walk(probes):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "igcourse.grading":
            imported |= {f"igcourse.grading.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    own = {name for name in imported if name.startswith(f"igcourse.grading.{chapter[:4]}_")}
    assert imported - own <= PROBE_IMPORTS, imported


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_master_notebooks_graded_in_the_sandbox_score_full_marks_and_the_release_zero(
    chapter, tmp_path
):
    """As `igcourse grade` does it: the student's code in the sandbox worker, checks outside.
    Two copies of the master notebooks (one with an extra cell, so another salt) are graded in
    the same check process: a result that a check keeps between submissions must not leak.
    A recorded proof (tests/proved.py): skipped when proofs/<chapter>.json records a pass for
    exactly this content."""
    with proved_once(chapter, "graded in the sandbox", __file__) as summary:
        import nbformat

        from igcourse.classroom.batch import grade_all
        from igcourse.demo import reference_artifacts

        students = (("master", "source"), ("master_too", "source"), ("release", "release"))
        for student, folder in students:
            target = tmp_path / "subs" / student / chapter
            target.mkdir(parents=True)
            for notebook in chapter_parts(ROOT, chapter):
                copy = nbformat.read(str(ROOT / folder / chapter / f"{notebook}.ipynb"), 4)
                if student == "master_too":
                    copy.cells.append(nbformat.v4.new_code_cell("ANOTHER_SUBMISSION = True"))
                nbformat.write(copy, str(target / f"{notebook}.ipynb"))
            if student.startswith("master"):
                for artifact in reference_artifacts(ROOT, chapter):
                    shutil.copyfile(artifact, target / artifact.name)
        graded = grade_all(tmp_path / "subs", chapter, ROOT, tmp_path / "results", progress=False)
        assert {result.student for result in graded} == {student for student, _ in students}
        for result in graded:
            failed = [c for c in result.checks if c["outcome"] == "failed"]
            if result.student.startswith("master"):
                assert result.total == result.max_total, (result.notebook, result.error, failed)
            else:
                assert result.total == 0 and not result.error, (result.notebook, result.scores)
        summary.append(
            f"{chapter}: {len(graded)} notebooks graded, the masters full, the release 0"
        )
