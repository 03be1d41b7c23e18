"""A tiny course laid out like the real one, for testing the engine without TensorFlow."""

from pathlib import Path

import nbformat
from nbformat import v4

CONFIG = """c = get_config()
c.CourseDirectory.course_id = "tiny"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.Course.chapters = {chapters!r}
"""

CHAPTERS = {"ch00_tiny": {"basics": {"add": 2}}}


def narrative(en, zh):
    return [
        v4.new_markdown_cell(en, metadata={"course": {"lang": "en"}}),
        v4.new_markdown_cell(zh, metadata={"course": {"lang": "zh"}}),
    ]


def solution_cell(grade_id, source):
    meta = {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    return v4.new_code_cell(source, metadata={"nbgrader": meta})


def check_cell(grade_id, points, source):
    meta = {
        "grade": True,
        "grade_id": grade_id,
        "locked": True,
        "points": points,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return v4.new_code_cell(source, metadata={"nbgrader": meta})


def tiny_notebook():
    cells = [
        *narrative("# Adding numbers\nThe idea of $a + b$.", "# 数字相加\n$a + b$ 的思想。"),
        v4.new_code_cell("import math\nSCALE = 2", metadata={"tags": ["export"]}),
        v4.new_code_cell("print('a shared cell')"),
        solution_cell(
            "add",
            'def add(a, b):\n    """Return a + b, scaled."""\n    ### BEGIN SOLUTION\n'
            "    total_of_both = (a + b) * SCALE\n    return total_of_both\n"
            "    ### END SOLUTION",
        ),
        check_cell(
            "add_check",
            2,
            "assert add(1, 2) == 6\n### BEGIN HIDDEN TESTS\nassert add(2, 2) == 8\n"
            "### END HIDDEN TESTS",
        ),
        *narrative("That is all.", "就这些。"),
    ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def make_course(root, chapters=CHAPTERS, notebook=None):
    """Write course_config.py and the master notebook under root; return root."""
    root = Path(root)
    (root / "course_config.py").write_text(CONFIG.format(chapters=chapters))
    folder = root / "source" / "ch00_tiny"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook or tiny_notebook(), str(folder / "basics.ipynb"))
    return root


def master_path(root):
    return Path(root) / "source" / "ch00_tiny" / "basics.ipynb"


TINY_CHECKS = """
import probes_basics as probes
import pytest


@pytest.mark.part("add")
def test_adds_small_numbers(submission):
    value = submission.probe("add", probes.add_of, 1, 2)
    assert value == 6, "add(1, 2) should be (1 + 2) * SCALE = 6"


@pytest.mark.part("add")
def test_adds_negative_numbers(submission):
    assert submission.probe("add", probes.add_of, -1, -2) == -6, "add(-1, -2) should be -6"
"""

TINY_PROBES = """
def add_of(ns, a, b):
    return ns.add(a, b)
"""


def add_checks(root):
    """Hidden checks for the tiny course, run by the real grading plugin."""
    folder = Path(root) / "autograder" / "ch00_tiny"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conftest.py").write_text('pytest_plugins = ["igcourse.grading.plugin"]\n')
    (folder / "test_basics.py").write_text(TINY_CHECKS)
    (folder / "probes_basics.py").write_text(TINY_PROBES)
    return folder


def student_notebook(body):
    """A submission whose only code cell is `body`."""
    notebook = v4.new_notebook(cells=[v4.new_code_cell(body)])
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "name": "python3",
        "language": "python",
    }
    return notebook


def write_notebook(path, notebook):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return Path(path)
