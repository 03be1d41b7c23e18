"""`igcourse gradescope CHAPTER`: the autograder zip an instructor uploads to Gradescope.

Gradescope unpacks the zip into /autograder/source, runs setup.sh there once while it builds
the autograder's image, and runs run_autograder once per submission, with the student's files
in /autograder/submission; run_autograder must write /autograder/results/results.json.

The zip is the instructor's (Gradescope keeps it private) and holds what grading reads:
  setup.sh, run_autograder      from gradescope_files/, with the chapter filled in
  requirements.txt              the course's pins of what grading imports, and what they need
  igcourse/                     the engine, as it runs here
  course_config.py              parts, points, limits and thresholds
  datasets/catalog.json         where setup.sh fetches the data the checks read
  autograder/<chapter>/         the hidden checks, their probes and the zoo of mistakes
                                (not the alternatives: validation alone reads them)
  solutions/<chapter>/*.py      the reference modules the checks compare with
  .igcourse/grading-secret      a secret derived from the course's (grading.secret)
  fallback-results.json         what a student reads if Python itself cannot run

Building, in order: plan (the notebooks graded), collect (the files above), render (the two
scripts and the fallback), zip (sorted, dated, scripts executable). Grading, in run_autograder:
find (the chapter's notebooks in the submission folder), grade (each with jobs.grade_submission,
as `igcourse grade` does: staged, sandboxed, hidden checks), report (results.json from
reports.gradescope_results, written whatever happened).
"""

import hashlib
import hmac
import json
import re
import shlex
import sys
import time
import traceback
from pathlib import Path

from igcourse.bundle import STUDENT_REQUIREMENTS
from igcourse.i18n import _

TEMPLATES = Path(__file__).resolve().with_name("gradescope_files")
ENGINE = Path(__file__).resolve().parents[1]  # the igcourse package that runs this
SETUP, RUN = "setup.sh", "run_autograder"
REQUIREMENTS = "requirements.txt"
FALLBACK = "fallback-results.json"
CATALOG = "datasets/catalog.json"
EXECUTABLE = (SETUP, RUN)
# What grading imports: the student's definitions run in the worker with what the notebooks
# import (the student bundle's list, JupyterLab aside), the checks with pytest and traitlets.
GRADING_REQUIREMENTS = tuple(
    name for name in STUDENT_REQUIREMENTS if not name.startswith("jupyterlab")
) + ("pytest", "traitlets")
# Left to pip: the environment's own tools, whose pins here are whatever the venv came with.
PACKAGING_TOOLS = ("pip", "setuptools", "wheel")
GRADING_DATA = ("fashion-mnist",)  # every dataset the hidden checks load
CHECKS_LEFT_OUT = ("alternatives",)  # validation's correct answers: grading never reads them
STUDENT = "submission"  # Gradescope grades one student's files at a time
MAX_DEPTH = 4  # how deep in the submission notebooks are looked for (a zip's or a repo's folders)


class GradescopeError(RuntimeError):
    """The autograder cannot be built; the message says why."""


# ---------------------------------------------------------------- build: plan and collect


def graded_notebooks(root, chapter, notebooks=None):
    """{notebook: {part: points}} that the autograder grades: the chapter's, or those named."""
    from igcourse.grading.course import chapter_parts

    try:
        parts = chapter_parts(root, chapter)
    except KeyError as error:
        raise GradescopeError(error.args[0]) from None
    unknown = [name for name in notebooks or () if name not in parts]
    if unknown:
        raise GradescopeError(
            _("{chapter} has no notebook {names} (its notebooks: {known})").format(
                chapter=chapter, names=", ".join(unknown), known=", ".join(parts)
            )
        )
    return {name: points for name, points in parts.items() if not notebooks or name in notebooks}


def _tree(folder, prefix, left_out=()):
    """{prefix/relative path: file} of a folder's files; caches and hidden files left out."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or relative.parts[0] in left_out:
            continue
        if path.suffix in (".pyc", ".pyo") or any(
            part == "__pycache__" or part.startswith(".") for part in relative.parts
        ):
            continue
        found[f"{prefix}/{relative.as_posix()}"] = path
    return found


def course_files(root, chapter):
    """{name in the zip: file} of everything grading reads from the course and the engine."""
    root = Path(root)
    checks = root / "autograder" / chapter
    if not checks.is_dir():
        raise GradescopeError(
            _("{chapter} has no hidden checks ({folder} is missing)").format(
                chapter=chapter, folder=checks
            )
        )
    files = {"course_config.py": root / "course_config.py"}
    if (root / CATALOG).is_file():
        files[CATALOG] = root / CATALOG
    files.update(_tree(ENGINE, "igcourse"))
    checks_files = _tree(checks, f"autograder/{chapter}", CHECKS_LEFT_OUT)
    files.update({name: path for name, path in checks_files.items() if path.suffix != ".md"})
    for path in sorted((root / "solutions" / chapter).glob("*.py")):
        files[f"solutions/{chapter}/{path.name}"] = path
    return files


def grading_requirements(root):
    """requirements.txt for Gradescope: the course's pins of GRADING_REQUIREMENTS and all that
    they need, as installed here."""
    from igcourse.bundle import BundleError, student_pins

    try:
        pins = student_pins(Path(root) / "requirements.txt", GRADING_REQUIREMENTS)
    except BundleError as error:
        raise GradescopeError(str(error)) from None
    pins = [pin for pin in pins if _name(pin) not in PACKAGING_TOOLS]
    header = "# The course's pins of what grading imports (written by `igcourse gradescope`).\n"
    return (header + "\n".join(pins) + "\n").encode()


def _name(pin):
    return re.sub(r"[-_.]+", "-", pin.split("==", 1)[0]).lower()


def gradescope_secret(root):
    """The grading secret the zip carries: derived from the course's, so that a rebuilt zip
    draws the same inputs for the same submission, and the course's own secret stays here."""
    from igcourse.grading.secret import course_secret

    key = course_secret(root).encode()
    return (hmac.new(key, b"gradescope", hashlib.sha256).hexdigest() + "\n").encode()


# ---------------------------------------------------------------- build: render and zip


def render(template, values):
    """A file of gradescope_files/ with each @NAME@ replaced by values[NAME]."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise GradescopeError(
            _("{template}: no value for {names}").format(template=template, names=", ".join(left))
        )
    return text.encode()


def scripts(chapter, notebooks=None):
    """{name: bytes} of setup.sh and run_autograder for one chapter (and notebooks)."""
    names = " ".join(f"--notebook {shlex.quote(name)}" for name in notebooks or ())
    return {
        SETUP: render(SETUP, {"DATASETS": " ".join(map(shlex.quote, GRADING_DATA))}),
        RUN: render(RUN, {"CHAPTER": shlex.quote(chapter), "NOTEBOOK_ARGS": names}),
    }


def fallback_results(points):
    """results.json for a submission that could not be graded at all (Python did not run)."""
    graded = [_nothing_graded(name, parts, "") for name, parts in points.items()]
    message = _(
        "The autograder could not run, so nothing was graded. This is not a problem with your "
        "submission: tell your instructor, who can see what went wrong in the autograder's "
        "output, and submit again later."
    )
    return _as_json(chapter_results(graded, message))


def write_zip(path, entries):
    """A deterministic zip of {name: bytes} (bundle.write_zip), the scripts executable."""
    from igcourse.bundle import write_zip as write_deterministic_zip

    def mode_of(name):  # a regular file with these permissions
        return 0o100000 | (
            0o755 if name in EXECUTABLE else 0o600 if name.startswith(".") else 0o644
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    write_deterministic_zip(path, entries, mode_of)
    return path


def zip_name(chapter, notebooks=None):
    return "-".join(["gradescope", chapter, *(notebooks or ())]) + ".zip"


def build_autograder(root, chapter, out=None, notebooks=None):
    """Write the autograder zip of a chapter (or of some of its notebooks); returns its path."""
    root = Path(root).resolve()
    points = graded_notebooks(root, chapter, notebooks)
    entries = {name: path.read_bytes() for name, path in course_files(root, chapter).items()}
    entries[REQUIREMENTS] = grading_requirements(root)
    entries[".igcourse/grading-secret"] = gradescope_secret(root)
    entries[FALLBACK] = fallback_results(points)
    entries.update(scripts(chapter, notebooks))
    out = Path(out) if out else root / "dist"
    return write_zip(out / zip_name(chapter, notebooks), entries)


# ---------------------------------------------------------------- grade: find


def notebook_answered(name, notebooks):
    """The notebook a file in a submission answers, by its name, or None:
    pixelcnn.ipynb, pixelcnn.zh.ipynb, 'pixelcnn (1).ipynb' and ann_pixelcnn.ipynb are
    pixelcnn's."""
    from igcourse.classroom.staging import notebook_stem
    from igcourse.classroom.submissions import flat_name

    if not name.endswith(".ipynb"):
        return None
    stem = notebook_stem(name)[0]
    return stem if stem in notebooks else flat_name(name, notebooks)[1]


def _notebook_files(folder, depth=0):
    """Every notebook under folder, down to MAX_DEPTH; hidden entries and links left out."""
    found = []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith(".") or path.is_symlink():
            continue
        if path.is_dir() and depth < MAX_DEPTH:
            found += _notebook_files(path, depth + 1)
        elif path.is_file() and path.name.endswith(".ipynb"):
            found.append(path)
    return found


def find_notebooks(folder, notebooks, chapter_notebooks=None):
    """{notebook: Submission} of the graded notebooks in Gradescope's submission folder.

    Everything in it is one student's, so every layout counts: the notebooks at the top, in
    a folder (a zip's or a repository's), nbgrader's <chapter>/, or named with a prefix, each
    with the files beside it. Where one notebook is graded and the folder holds exactly one
    notebook, named after none of the chapter's (chapter_notebooks), that one is graded
    whatever its name. Of several copies of a notebook, the one worked on (the most recently
    modified) is graded, as `igcourse grade` chooses.
    """
    from igcourse.classroom.submissions import files_beside, make_submission, one_copy_each

    folder = Path(folder)
    if not folder.is_dir() or folder.is_symlink():
        return {}
    paths = _notebook_files(folder)
    answered = [
        (path, notebook_answered(path.name, chapter_notebooks or notebooks)) for path in paths
    ]
    named = [(path, notebook) for path, notebook in answered if notebook in notebooks]
    if len(paths) == 1 and len(notebooks) == 1 and answered[0][1] is None:
        named = [(paths[0], next(iter(notebooks)))]
    found = [
        make_submission(STUDENT, notebook, path, files_beside(path.parent))
        for path, notebook in named
    ]
    return {s.notebook: s for s in one_copy_each(found)}


# ---------------------------------------------------------------- grade: grade and report


def _nothing_graded(notebook, parts, error):
    from igcourse.classroom.jobs import Graded

    scores = {part: 0.0 for part in parts}
    return Graded(STUDENT, notebook, "", scores=scores, max_scores=dict(parts), error=error)


def chapter_results(graded, output=""):
    """One results.json for the graded notebooks: their tests in order, the sum of their scores,
    `output` then each notebook's own (its error and note)."""
    from igcourse.classroom.reports import gradescope_results

    each = [gradescope_results(g) for g in graded]
    outputs = [output] if output else []
    for notebook, results in zip(graded, each, strict=True):
        if results["output"]:
            outputs.append(
                _("{notebook}.ipynb: {message}").format(
                    notebook=notebook.notebook, message=results["output"]
                )
            )
    return {
        "score": round(sum(results["score"] for results in each), 2),
        "execution_time": round(sum(g.seconds for g in graded)),
        "output": "\n\n".join(outputs),
        "stdout_visibility": "hidden",  # the grader's log: paths, timings, tracebacks
        "tests": [test for results in each for test in results["tests"]],
    }


def grade_folder(folder, course, chapter, notebooks=None):
    """results.json's content for the submission in folder; grading errors go into it."""
    from igcourse.classroom.jobs import grade_submission
    from igcourse.classroom.reports import table
    from igcourse.config import load_config
    from igcourse.grading.course import chapter_parts

    points = graded_notebooks(course, chapter, notebooks)
    found = find_notebooks(folder, points, chapter_parts(course, chapter))
    names = ", ".join(f"{name}.ipynb" for name in points)
    if not found:
        output = _(
            "No notebook of {chapter} was found in your submission. Upload {names} (with the "
            "files that its training saved beside it, if the notebook asks for them) and "
            "submit again."
        ).format(chapter=chapter, names=names)
        return chapter_results([_nothing_graded(n, p, "") for n, p in points.items()], output)
    time_limit_s = load_config(course).limits.time_limit_s
    graded = []
    for notebook, parts in points.items():
        if notebook in found:
            path = found[notebook].path.relative_to(folder)
            print(_("grading {path}").format(path=path), flush=True)
            graded.append(grade_submission(found[notebook], course, chapter, parts, time_limit_s))
        else:
            missing = _(
                "{notebook}.ipynb was not in your submission, so its parts score nothing."
            ).format(notebook=notebook)
            graded.append(_nothing_graded(notebook, parts, missing))
    print(table(graded), flush=True)
    return chapter_results(graded)


def _failure(course, chapter, notebooks, error):
    """results.json's content when grading itself failed: every part at zero, and why."""
    try:
        points = graded_notebooks(course, chapter, notebooks)
    except Exception:  # noqa: BLE001 (the course itself cannot be read: no parts to list)
        points = {}
    output = _(
        "The autograder failed while grading this submission ({error}), so nothing was "
        "graded. Tell your instructor, who can see the details in the autograder's output."
    ).format(error=type(error).__name__)
    return chapter_results([_nothing_graded(n, p, "") for n, p in points.items()], output)


def _as_json(results):
    return (json.dumps(results, ensure_ascii=False, indent=1) + "\n").encode()


def write_results(path, results):
    """Write results.json whole: a reader never sees half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(_as_json(results))
    partial.replace(path)
    return path


def grade_autograder_root(autograder_root, chapter, notebooks=None):
    """Grade <root>/submission with the course in <root>/source and write
    <root>/results/results.json, as Gradescope lays them out; never raises. Returns the
    results."""
    started = time.monotonic()
    root = Path(autograder_root)
    course = root / "source"
    try:
        results = grade_folder(root / "submission", course, chapter, notebooks)
    except Exception as error:  # noqa: BLE001 (the student gets a results.json whatever broke)
        traceback.print_exc(file=sys.stdout)  # Gradescope shows stdout to instructors only
        results = _failure(course, chapter, notebooks, error)
    results["execution_time"] = round(time.monotonic() - started)
    write_results(root / "results" / "results.json", results)
    return results


# ---------------------------------------------------------------- command line


def add_gradescope_parser(subparsers):
    """Add `gradescope CHAPTER [--notebook NAME] [--out DIR] [--grade ROOT]`."""
    parser = subparsers.add_parser(
        "gradescope", help=_("write the autograder zip of a chapter for Gradescope")
    )
    parser.add_argument("chapter", help=_("chapter folder name, e.g. ch01_pixelcnn"))
    parser.add_argument(
        "--notebook",
        action="append",
        help=_("grade only this notebook (repeat for several); default: every notebook"),
    )
    parser.add_argument("--out", help=_("folder for the zip (default: dist/)"))
    parser.add_argument(
        "--grade",
        metavar="ROOT",
        help=_(
            "grade ROOT/submission with the course in ROOT/source and write "
            "ROOT/results/results.json, as Gradescope lays them out (run_autograder does this)"
        ),
    )
    parser.set_defaults(func=cmd_gradescope)
    return parser


def cmd_gradescope(args):
    """Build the zip, or (--grade) grade one submission; a GradescopeError is one message."""
    if args.grade:
        results = grade_autograder_root(args.grade, args.chapter, args.notebook)
        print(_("score: {score}").format(score=results["score"]))
        return 0
    from igcourse.paths import repo_root

    root = Path(args.root) if getattr(args, "root", None) else repo_root()
    try:
        path = build_autograder(root, args.chapter, args.out, args.notebook)
    except GradescopeError as error:
        print(_("gradescope: {error}").format(error=error), file=sys.stderr)
        return 1
    print(_("Gradescope autograder: {path}").format(path=path))
    return 0
