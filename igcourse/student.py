"""`igcourse check NOTEBOOK`: the public checks of a saved notebook, from a terminal.

The checks run on the notebook's code as grading loads it (igcourse.export: the answer cells'
statements and the other cells' definitions), as the check cells do inside the notebook;
training and plotting cells are not run. The parts are
the notebook's own solution cells; its chapter is recorded in the notebook's metadata by the
build (or read from the folder name).
"""

import sys
import types
from pathlib import Path

from igcourse.checks import public_checks, report, run_part
from igcourse.export import read_notebook, submission_module_source
from igcourse.i18n import _
from igcourse.notebooks import is_solution_cell, nbgrader_meta


class NotACourseNotebook(ValueError):
    """The file is not a notebook of this course; the message says why."""


def notebook_identity(path, notebook):
    """(chapter, notebook name) of a course notebook."""
    origin = notebook.metadata.get("igcourse", {}).get("generated_from", "")
    parts = Path(origin).parts if origin else Path(path).resolve().parts[-2:]
    chapter, name = parts[-2], Path(parts[-1]).name.split(".")[0]
    if not (chapter.startswith("ch") and chapter[2:4].isdigit()):
        raise NotACourseNotebook(
            _(
                "{path} is not a notebook of this course (no chapter in its metadata or folder)"
            ).format(path=path)
        )
    return chapter, name


def graded_parts(notebook):
    return [
        nbgrader_meta(c)["grade_id"]
        for c in notebook.cells
        if is_solution_cell(c) and nbgrader_meta(c).get("grade_id")
    ]


def load_definitions(notebook, name):
    """The notebook's code as grading loads it, run statement by statement in a fresh module
    (one that fails does not stop the others); returns (namespace, errors)."""
    import ast
    import linecache

    module = types.ModuleType(f"student_{name}")
    source = submission_module_source(notebook)
    filename = f"<{name}.ipynb>"
    # Registered, so that tf.function's AutoGraph can read the code (a loop over tf.range).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    sys.modules[module.__name__] = module
    errors = []
    for node in ast.parse(source, filename).body:
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
        try:
            exec(code, module.__dict__)  # noqa: S102
        except Exception as error:  # noqa: BLE001 (reported; the rest still loads)
            errors.append(f"{type(error).__name__}: {error}")
    return vars(module), errors


def check_notebook(path, out=None):
    """Run every public check of the notebook's parts; print a report; return the exit code."""
    out = out or sys.stdout
    path = Path(path)
    try:
        notebook = read_notebook(path)
    except FileNotFoundError:
        print(_("{path}: no such file").format(path=path), file=out)
        return 2
    except Exception as error:  # broken JSON, not UTF-8, not a notebook
        print(
            _("{path} is not a readable notebook: {error}").format(path=path, error=error), file=out
        )
        return 2
    chapter, name = notebook_identity(path, notebook)
    table = public_checks(chapter)
    parts = [part for part in graded_parts(notebook) if part in table]
    try:
        namespace, errors = load_definitions(notebook, name)
    except SyntaxError as error:
        print(_("Your notebook's code does not parse: {error}").format(error=error), file=out)
        return 1
    for error in errors:  # e.g. a bad import: the parts that do not need it are still checked
        print(_("Running your notebook's code failed: {error}").format(error=error), file=out)
    failed_parts = 0
    for part in parts:
        results = run_part(chapter, part, namespace)
        passed = sum(r.passed for r in results)
        print(
            _("{part}: {passed} of {total} public checks passed").format(
                part=part, passed=passed, total=len(results)
            ),
            file=out,
        )
        report(results, file=out)
        failed_parts += passed < len(results)
    print(
        _("{ok} of {total} parts pass their public checks.").format(
            ok=len(parts) - failed_parts, total=len(parts)
        ),
        file=out,
    )
    return 1 if failed_parts else 0
