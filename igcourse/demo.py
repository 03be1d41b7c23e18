"""The main job on the embedded default: build every chapter, then grade example submissions.

The examples are what an instructor meets in a real class: the reference answer, the
untouched release, and students who made known mistakes (zoo mutants written into a copy
of the master notebook as a last cell, the way a student would redefine a function).
"""

import shutil
from pathlib import Path

import nbformat

from igcourse.build import build
from igcourse.classroom.grade import grade_class
from igcourse.config import load_config
from igcourse.grading.mutants import discover_mutants
from igcourse.i18n import _
from igcourse.paths import repo_root
from igcourse.student import quiet_tensorflow

DEMO_CHAPTER = "ch01_pixelcnn"
MUTANTS_PER_NOTEBOOK = 2


def reference_artifacts(root, chapter):
    """Files the reference hands in beside its notebooks (trained weights and their settings)."""
    folder = root / "solutions" / chapter
    return sorted(folder.glob("*.weights.h5")) + sorted(folder.glob("*.json"))


def example_submissions(root, chapter, notebooks, folder):
    """Write the example class into folder (nbgrader's submitted/ layout)."""
    for notebook in notebooks:
        master = root / "source" / chapter / f"{notebook}.ipynb"
        release = root / "release" / chapter / f"{notebook}.ipynb"
        for student, path in (("reference", master), ("untouched_release", release)):
            target = folder / student / chapter / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        for artifact in reference_artifacts(root, chapter):  # the reference's trained model
            shutil.copyfile(artifact, folder / "reference" / chapter / artifact.name)
        mutants = [
            m
            for m in discover_mutants(root / "autograder" / chapter / "mutants")
            if m.part in notebooks[notebook]
        ]
        for mutant in mutants[:MUTANTS_PER_NOTEBOOK]:
            student_notebook = nbformat.read(str(master), as_version=4)
            student_notebook.cells.append(nbformat.v4.new_code_cell(mutant.path.read_text()))
            target = folder / f"mistake_{mutant.name}" / chapter / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(student_notebook, str(target))
            for artifact in reference_artifacts(root, chapter):  # trained, so only the bug costs
                shutil.copyfile(artifact, target.parent / artifact.name)


def run_demo(root=None):
    """Build, then grade the example class; prints the course's progress and nothing else."""
    quiet_tensorflow()  # should anything here import TensorFlow, its start-up log stays out
    root = Path(root) if root else repo_root()
    config = load_config(root)
    print(_("1. Building every chapter from source/ ..."))
    result = build(root)
    for problem in result.problems:
        print(problem)
    if result.problems:
        return 1
    for path in sorted(result.files):
        print(f"   {path}")
    out = root / "grading-demo"
    shutil.rmtree(out, ignore_errors=True)
    submitted = out / "submitted"
    example_submissions(root, DEMO_CHAPTER, config.chapters[DEMO_CHAPTER], submitted)
    print()
    print(
        _("2. Grading an example class of {chapter} ({folder}) ...").format(
            chapter=DEMO_CHAPTER, folder=submitted
        )
    )
    grade_class(submitted, DEMO_CHAPTER, root, out=out, db_url=f"sqlite:///{out / 'gradebook.db'}")
    return 0
