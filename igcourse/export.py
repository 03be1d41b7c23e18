"""Turn notebook code cells into a clean Python module.

The same filter serves two jobs: exporting the reference modules in solutions/ from the
master notebooks (strict: anything but a definition is an authoring error), and loading a
student's submission for grading. There, the answer cells (nbgrader solution cells) keep every
statement but bare calls, so that `bce = keras.losses.BinaryCrossentropy(from_logits=True)` or
`LEVELS = 2 ** 8` in an answer is graded as it runs in the notebook; the other cells keep only
definitions, so training loops, plots and stray calls never run while grading.
"""

import ast

from igcourse.i18n import _

EXPORT_TAG = "export"
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"


class ExportError(ValueError):
    """An exported cell holds something other than definitions."""


def is_constant_name(name):
    return name.isupper() or (name.startswith("_") and name[1:].isupper())


def _is_literal(node):
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def is_definition(node):
    """Imports, functions, classes and ALL_CAPS constants with literal values."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.AsyncFunctionDef):
        return True
    if isinstance(node, ast.Assign) and node.value is not None:
        names_ok = all(isinstance(t, ast.Name) and is_constant_name(t.id) for t in node.targets)
        return names_ok and _is_literal(node.value)
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return (
            isinstance(node.target, ast.Name)
            and is_constant_name(node.target.id)
            and _is_literal(node.value)
        )
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return isinstance(node.value.value, str)  # a docstring
    return False


def strip_magics(source):
    """Blank out IPython magics and shell lines, keeping line numbers."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append("" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def strip_solution_markers(source):
    kept = [
        line for line in source.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)
    ]
    return "\n".join(kept)


def definitions(source, strict, where=""):
    """Return the definitions in `source` as code; raise ExportError if strict and any is not."""
    code = strip_magics(source)
    lines = code.splitlines()
    kept = []
    for node in ast.parse(code).body:
        if is_definition(node):
            # Decorators sit above the node's own first line.
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            kept.append("\n".join(lines[first - 1 : node.end_lineno]))
        elif strict:
            raise ExportError(
                _(
                    "{where}: line {line} is not a definition ({kind}); exported cells may hold "
                    "only imports, def, class and ALL_CAPS literal constants"
                ).format(where=where, line=node.lineno, kind=type(node).__name__)
            )
    return "\n".join(kept)


def is_exported_cell(cell):
    if cell.cell_type != "code":
        return False
    nbgrader = cell.metadata.get("nbgrader", {})
    return EXPORT_TAG in cell.metadata.get("tags", []) or bool(nbgrader.get("solution"))


TENSORFLOW_IMPORT = "import tensorflow as tf"
OPTIONAL_TENSORFLOW = """try:
    import tensorflow as tf
except ImportError:  # the JAX backend (the GPU machine has no TensorFlow): models still import
    tf = None"""


def reference_module_source(notebook, where):
    """The reference module of a master notebook: its exported and solution cells.

    `import tensorflow as tf` becomes optional, so that the models and losses (written with
    keras.ops) import on the JAX backend; only the TensorFlow training steps need it.
    """
    chunks = []
    for index, cell in enumerate(notebook.cells):
        if is_exported_cell(cell):
            code = strip_solution_markers(cell.source)
            chunks.append(definitions(code, strict=True, where=f"{where}, cell {index}"))
    lines = "\n\n\n".join(chunk for chunk in chunks if chunk.strip()).splitlines()
    lines = [OPTIONAL_TENSORFLOW if line == TENSORFLOW_IMPORT else line for line in lines]
    return "\n".join(lines) + "\n"


def answer_statements(source):
    """The statements of an answer cell, without bare calls (print(...), model.fit(...)),
    which define nothing and may run for long; magics and shell lines are blanked."""
    code = strip_magics(source)
    lines = code.splitlines()
    kept = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.Expr) and not is_definition(node):
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        kept.append("\n".join(lines[first - 1 : node.end_lineno]))
    return "\n".join(kept)


def _is_answer_cell(cell):
    metadata = cell.get("metadata", {}) or {}
    return bool((metadata.get("nbgrader", {}) or {}).get("solution"))


def submission_module_source(notebook):
    """A student's code cells as one module, in notebook order: every statement of the answer
    cells but bare calls, and the definitions of the other cells.

    A cell that does not parse is skipped whole (it cannot define anything reliably).
    """
    chunks = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            if _is_answer_cell(cell):
                chunks.append(answer_statements(source))
            else:
                chunks.append(definitions(source, strict=False))
        except SyntaxError:
            continue
    return "\n\n\n".join(chunk for chunk in chunks if chunk.strip()) + "\n"


def read_notebook(path):
    import nbformat  # imported here: it takes seconds, and grading processes start often

    return nbformat.read(str(path), as_version=4)
