"""Independent correct answers: whole answer sets, written from the task text alone.

An answer set answers every part of one notebook in one style, as a student would, so that
grading it proves the checks do not fail correct code. It lives beside the chapter's zoo:

    autograder/<chapter>/alternatives/<notebook>/<name>.py

and holds one section per solution cell, each starting with a line `# %% part: <grade id>`;
a section replaces that cell's code in the release notebook. Code before the first section
(a docstring saying what the style is) is not used. `fill_notebook` writes the release
notebook with those cells filled in, which is then graded exactly like a submission.

    python -m igcourse.grading.alternatives fill ANSWERS.py OUT.ipynb
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from igcourse.i18n import _
from igcourse.notebooks import is_solution_cell, nbgrader_meta

SECTION = re.compile(r"^# %% part: *(?P<part>[A-Za-z0-9_]+) *$", re.MULTILINE)
FOLDER = "alternatives"


class AnswerSetError(ValueError):
    """An answer set that does not fit its notebook (an unknown or missing part, say)."""


@dataclass(frozen=True)
class AnswerSet:
    path: Path
    chapter: str
    notebook: str
    cells: dict  # grade id -> code

    @property
    def name(self):
        return f"{self.notebook}/{self.path.stem}"


def parse_sections(text):
    """{grade id: code} of an answer set's text."""
    matches = list(SECTION.finditer(text))
    cells = {}
    for match, following in zip(matches, matches[1:] + [None], strict=True):
        end = following.start() if following else len(text)
        part = match.group("part")
        if part in cells:
            raise AnswerSetError(_("part {part} answered twice").format(part=part))
        cells[part] = text[match.end() : end].strip("\n") + "\n"
    return cells


def read_answer_set(path):
    """The answer set at autograder/<chapter>/alternatives/<notebook>/<name>.py."""
    path = Path(path)
    cells = parse_sections(path.read_text(encoding="utf-8"))
    if not cells:
        raise AnswerSetError(
            _("{path}: no section starts with '# %% part: <grade id>'").format(path=path)
        )
    return AnswerSet(path, path.parent.parent.parent.name, path.parent.name, cells)


def discover_answer_sets(chapter_folder):
    """Every answer set of a chapter's check folder, sorted by notebook and name."""
    base = Path(chapter_folder) / FOLDER
    if not base.is_dir():
        return []
    return [read_answer_set(p) for p in sorted(base.glob("*/*.py")) if not p.name.startswith("_")]


def fill_notebook(release_path, cells):
    """The release notebook at release_path with its solution cells replaced by `cells`.

    Every solution cell must be answered and every answer must have a solution cell.
    """
    import nbformat

    notebook = nbformat.read(str(release_path), as_version=4)
    solution_ids = [
        nbgrader_meta(cell)["grade_id"] for cell in notebook.cells if is_solution_cell(cell)
    ]
    unknown = sorted(set(cells) - set(solution_ids))
    missing = [part for part in solution_ids if part not in cells]
    if unknown or missing:
        raise AnswerSetError(
            _(
                "answers do not fit {notebook}: unknown parts {unknown}, missing parts {missing}"
            ).format(notebook=Path(release_path).name, unknown=unknown, missing=missing)
        )
    for cell in notebook.cells:
        if is_solution_cell(cell):
            cell.source = cells[nbgrader_meta(cell)["grade_id"]].rstrip("\n")
    return notebook


def write_filled(answer_set, root, out_path):
    """Write the answer set's notebook (its chapter's English release, filled) to out_path."""
    import nbformat

    release = Path(root) / "release" / answer_set.chapter / f"{answer_set.notebook}.ipynb"
    notebook = fill_notebook(release, answer_set.cells)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(out_path))
    return out_path


def main(argv=None):
    from igcourse.paths import repo_root

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] != "fill":
        print("usage: python -m igcourse.grading.alternatives fill ANSWERS.py OUT.ipynb")
        return 2
    answer_set = read_answer_set(Path(argv[1]).absolute())
    print(write_filled(answer_set, repo_root(), argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---------------------------------------------------------------- trivial answers
TRIVIAL_STYLES = {
    # style: what a stub's `raise NotImplementedError()` becomes (FIRST: its first argument)
    "none": "return None",
    "identity": "return FIRST",
    "zeros": "return __import__('numpy').zeros_like(FIRST)",
    "constant": "return 0.5",
}
_SETUP_METHODS = ("__init__", "build", "get_config")


class _Trivialise(ast.NodeTransformer):
    """Replace every `raise NotImplementedError(...)` with a trivial statement of one style."""

    def __init__(self, style):
        self.style = style

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        arguments = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg != "self"]
        if node.name in _SETUP_METHODS:
            text = "pass"
        elif "FIRST" in TRIVIAL_STYLES[self.style] and not arguments:
            text = "return None"
        else:
            text = TRIVIAL_STYLES[self.style].replace("FIRST", arguments[0] if arguments else "")
        node.body = [_replace_raise(statement, text) for statement in node.body]
        return node


def _is_not_implemented(statement):
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def _replace_raise(statement, text):
    return ast.parse(text).body[0] if _is_not_implemented(statement) else statement


def trivial_cells(release_path, style):
    """{grade id: code}: the release's stubs with every NotImplementedError made trivial."""
    import nbformat

    notebook = nbformat.read(str(release_path), as_version=4)
    cells = {}
    for cell in notebook.cells:
        if is_solution_cell(cell):
            tree = _Trivialise(style).visit(ast.parse(cell.source))
            cells[nbgrader_meta(cell)["grade_id"]] = ast.unparse(ast.fix_missing_locations(tree))
    return cells


def write_trivial(release_path, folder):
    """[(style, path)]: one notebook per trivial style, written under folder/<style>/."""
    import nbformat

    release_path = Path(release_path)
    written = []
    for style in TRIVIAL_STYLES:
        path = Path(folder) / style / release_path.name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill_notebook(release_path, trivial_cells(release_path, style)), str(path))
        written.append((style, path))
    return written
