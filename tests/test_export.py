"""Do exports keep definitions only, strictly for masters and leniently for submissions?"""

import nbformat
import pytest
from course_factory import tiny_notebook
from nbformat import v4

from igcourse.export import (
    ExportError,
    definitions,
    reference_module_source,
    submission_module_source,
)


def test_definitions_keep_imports_functions_classes_decorators_and_constants():
    source = (
        "import numpy as np\nfrom math import pi\nLEVELS = 2\n_PRIVATE_CONST = (1, 2)\n"
        "@staticmethod\ndef f(x):\n    return x\nclass Net:\n    pass\n"
    )
    assert definitions(source, strict=True) == source.rstrip("\n")


@pytest.mark.parametrize(
    "statement",
    [
        "model.fit(x)",
        "for i in range(3):\n    pass",
        "losses = []",
        "LEVELS = compute()",
        "plt.show()",
        "x += 1",
    ],
)
def test_strict_export_refuses_anything_else_and_names_the_line(statement):
    with pytest.raises(ExportError, match="cell 7: line 2"):
        definitions("import os\n" + statement, strict=True, where="cell 7")


def test_lenient_export_drops_calls_loops_magics_and_shell_lines():
    source = "%matplotlib inline\n!pip install x\nimport os\ntrain(1000)\ndef f():\n    return 1"
    assert definitions(source, strict=False) == "import os\ndef f():\n    return 1"


def test_the_reference_module_has_the_solution_without_markers_or_shared_cells():
    module = reference_module_source(tiny_notebook(), "basics")
    assert "### BEGIN SOLUTION" not in module
    assert "print('a shared cell')" not in module
    assert "assert add" not in module  # check cells are not exported
    namespace = {}
    exec(compile(module, "basics", "exec"), namespace)
    assert namespace["add"](1, 2) == 6


def test_submissions_survive_broken_cells_and_changed_cell_types():
    notebook = v4.new_notebook(
        cells=[
            v4.new_code_cell("def add(a, b):\n    return a + b"),
            v4.new_code_cell("def broken(:\n"),
            v4.new_markdown_cell("def not_code(): pass"),
            v4.new_code_cell("run_training_for_an_hour()\nSCALE = 3"),
        ]
    )
    notebook = nbformat.from_dict(notebook)
    namespace = {}
    exec(submission_module_source(notebook), namespace)
    assert namespace["add"](1, 2) == 3 and namespace["SCALE"] == 3
    assert "broken" not in namespace and "not_code" not in namespace


def test_a_later_definition_wins_as_it_would_in_the_notebook():
    notebook = v4.new_notebook(
        cells=[
            v4.new_code_cell("def add(a, b):\n    return 0"),
            v4.new_code_cell("def add(a, b):\n    return a + b"),
        ]
    )
    namespace = {}
    exec(submission_module_source(notebook), namespace)
    assert namespace["add"](2, 2) == 4


def test_reference_modules_import_tensorflow_optionally_for_the_jax_backend():
    notebook = tiny_notebook()
    notebook.cells[2].source = "import keras\nimport tensorflow as tf\nSCALE = 2"
    module = reference_module_source(notebook, "basics")
    assert "\nimport tensorflow as tf\n" not in "\n" + module
    assert "except ImportError:" in module
    namespace = {}
    exec(compile(module, "basics", "exec"), namespace)  # imports where TensorFlow exists too
    assert namespace["tf"] is not None


def test_answer_cells_keep_objects_built_at_module_level_but_not_bare_calls():
    answer = v4.new_code_cell(
        "import numpy as np\nlevels = 2 ** 8\nTABLE = np.arange(levels)\nprint('debug')\n"
        "def top():\n    return TABLE[-1] + levels"
    )
    answer.metadata["nbgrader"] = {"solution": True, "grade_id": "top"}
    other = v4.new_code_cell("steps = 2 ** 20\ntrain(steps)")
    notebook = nbformat.from_dict(v4.new_notebook(cells=[answer, other]))
    source = submission_module_source(notebook)
    namespace = {}
    exec(source, namespace)
    assert namespace["top"]() == 511
    assert "print('debug')" not in source and "train(" not in source and "steps" not in namespace
