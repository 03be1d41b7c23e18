"""Does each hygiene rule catch the mistake it exists for, and pass a clean notebook?"""

import pytest
from course_factory import narrative, tiny_notebook
from nbformat import v4

from igcourse import hygiene

PARTS = {"add": 2}
LANGS = ["en", "zh"]


def problems(notebook):
    return hygiene.check_source(notebook, PARTS, LANGS)


def test_a_clean_master_notebook_has_no_problems():
    assert problems(tiny_notebook()) == []


def cell_with(notebook, grade_id):
    return next(
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def with_outputs(nb):
    nb.cells[2].outputs = [v4.new_output("stream", text="hi")]
    nb.cells[2].execution_count = 3


def with_bad_kernel(nb):
    nb.metadata["kernelspec"] = {"name": "ir", "language": "R"}


def with_duplicate_grade_id(nb):
    nb.cells.append(
        v4.new_code_cell(
            "x = 1", metadata={"nbgrader": dict(cell_with(nb, "add").metadata["nbgrader"])}
        )
    )


def with_wrong_points(nb):
    cell_with(nb, "add_check").metadata["nbgrader"]["points"] = 5


def without_check_cell(nb):
    nb.cells.remove(cell_with(nb, "add_check"))


def with_unknown_part(nb):
    cell_with(nb, "add").metadata["nbgrader"]["grade_id"] = "subtract"


def with_unlocked_check(nb):
    cell_with(nb, "add_check").metadata["nbgrader"]["locked"] = False


def with_solution_outside_solution_cell(nb):
    nb.cells[2].source = "### BEGIN SOLUTION\nsecret = 42\n### END SOLUTION"


def with_unbalanced_markers(nb):
    cell_with(nb, "add").source = "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b"


def with_solution_cell_without_region(nb):
    cell_with(nb, "add").source = "def add(a, b):\n    return (a + b) * SCALE"


def with_missing_translation(nb):
    del nb.cells[1]


def with_chinese_first(nb):
    nb.cells[0], nb.cells[1] = nb.cells[1], nb.cells[0]


def with_unmarked_narrative(nb):
    nb.cells.append(v4.new_markdown_cell("Plain prose with no language"))


def with_bad_schema(nb):
    cell_with(nb, "add").metadata["nbgrader"]["schema_version"] = 1


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (with_outputs, "outputs"),
        (with_bad_kernel, "kernelspec"),
        (with_duplicate_grade_id, "used again"),
        (with_wrong_points, "5 points but course_config.py gives part 'add' 2"),
        (without_check_cell, "no check cell"),
        (with_unknown_part, "not a part in course_config.py"),
        (with_unlocked_check, "must be locked"),
        (with_solution_outside_solution_cell, "not an nbgrader solution cell"),
        (with_unbalanced_markers, "not balanced"),
        (with_solution_cell_without_region, "without ### BEGIN SOLUTION"),
        (with_missing_translation, "no zh translation"),
        (with_chinese_first, "must follow its en twin"),
        (with_unmarked_narrative, "without a language"),
        (with_bad_schema, "schema_version"),
    ],
)
def test_each_rule_catches_its_mistake(breakage, expected):
    notebook = tiny_notebook()
    breakage(notebook)
    found = problems(notebook)
    assert any(expected in p for p in found), found


def test_three_languages_need_every_twin():
    notebook = tiny_notebook()
    notebook.cells[:2] = narrative("Hello", "你好")
    assert hygiene.rule_translations(notebook, ["en", "zh", "fr"])


def test_leaks_are_found_in_a_release_notebook_and_shared_lines_are_not():
    master = tiny_notebook()
    release = tiny_notebook()
    release.cells = [c for c in release.cells if "BEGIN SOLUTION" not in c.source]
    cell_with(release, "add_check").source = "assert add(1, 2) == 6"
    assert hygiene.leaked_lines(release, master) == []
    release.cells.append(v4.new_code_cell("    total_of_both = (a + b) * SCALE"))
    assert hygiene.leaked_lines(release, master) == ["total_of_both = (a + b) * SCALE"]
