"""Rules every master notebook obeys, and the leak check for release notebooks.

Each rule is a small function returning a list of problems (strings naming the cell);
`check_source` runs them all, in order.
"""

from igcourse.export import BEGIN_SOLUTION, END_SOLUTION
from igcourse.i18n import _
from igcourse.notebooks import cell_language, is_check_cell, is_solution_cell, nbgrader_meta

CHECK_SUFFIX = "_check"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _cell(index, cell):
    return _("cell {index} ({kind})").format(index=index, kind=cell.cell_type)


def rule_no_outputs(notebook):
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(
                _("{cell}: has outputs or an execution count; clear them before committing").format(
                    cell=_cell(index, cell)
                )
            )
    return problems


def rule_python_kernel(notebook):
    kernelspec = notebook.metadata.get("kernelspec", {})
    if kernelspec.get("name") != "python3" or kernelspec.get("language") != "python":
        return [
            _("the kernelspec must be python3 (Python 3), not {spec!r}").format(spec=kernelspec)
        ]
    return []


def rule_nbgrader_metadata(notebook, parts, handed_in=frozenset()):
    """Valid nbgrader metadata; one solution and one check cell per configured part (a part
    graded from handed-in files has only its check cell)."""
    problems, seen = [], {}
    for index, cell in enumerate(notebook.cells):
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        where = _cell(index, cell)
        grade_id = meta.get("grade_id")
        if meta.get("schema_version") != 3:
            problems.append(_("{cell}: nbgrader schema_version must be 3").format(cell=where))
        if not meta.get("grade") and not meta.get("solution") and not meta.get("locked"):
            continue  # nbgrader's plain cells carry no grade id
        if not grade_id:
            problems.append(_("{cell}: nbgrader cell without a grade_id").format(cell=where))
            continue
        if grade_id in seen:
            problems.append(
                _("{cell}: grade_id {grade_id!r} is used again (first in cell {first})").format(
                    cell=where, grade_id=grade_id, first=seen[grade_id]
                )
            )
        seen[grade_id] = index
        problems += _check_graded_cell(where, cell, meta, grade_id, parts)
    for part in parts:
        for grade_id, kind in ((part, _("solution")), (part + CHECK_SUFFIX, _("check"))):
            if grade_id == part and part in handed_in:
                continue
            if grade_id not in seen:
                problems.append(
                    _(
                        "part {part!r} of course_config.py has no {kind} cell (grade_id "
                        "{grade_id!r})"
                    ).format(part=part, kind=kind, grade_id=grade_id)
                )
    return problems


def _check_graded_cell(where, cell, meta, grade_id, parts):
    if is_solution_cell(cell):
        if cell.cell_type == "code" and grade_id not in parts:
            return [
                _("{cell}: solution cell {grade_id!r} is not a part in course_config.py").format(
                    cell=where, grade_id=grade_id
                )
            ]
        return []
    if not is_check_cell(cell):
        return []
    problems = []
    if not meta.get("locked"):
        problems.append(_("{cell}: check cells must be locked").format(cell=where))
    part = grade_id[: -len(CHECK_SUFFIX)] if grade_id.endswith(CHECK_SUFFIX) else None
    if part not in parts:
        problems.append(
            _(
                "{cell}: check cell {grade_id!r} must be named <part>_check for a part in "
                "course_config.py"
            ).format(cell=where, grade_id=grade_id)
        )
    elif meta.get("points") != parts[part]:
        problems.append(
            _(
                "{cell}: {grade_id!r} has {points} points but course_config.py gives part "
                "{part!r} {expected}"
            ).format(
                cell=where,
                grade_id=grade_id,
                points=meta.get("points"),
                part=part,
                expected=parts[part],
            )
        )
    return problems


def rule_solution_regions(notebook):
    """Solution and hidden-test markers are balanced and sit only where nbgrader strips them."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        lines = [line.strip() for line in cell.source.splitlines()]
        where = _cell(index, cell)
        for begin, end in ((MARKERS[0], MARKERS[1]), (MARKERS[2], MARKERS[3])):
            if lines.count(begin) != lines.count(end):
                problems.append(
                    _("{cell}: {begin!r} and {end!r} are not balanced").format(
                        cell=where, begin=begin, end=end
                    )
                )
        if BEGIN_SOLUTION in lines and not is_solution_cell(cell):
            problems.append(
                _(
                    "{cell}: has a solution region but is not an nbgrader solution cell, so the "
                    "release would keep the solution"
                ).format(cell=where)
            )
        if MARKERS[2] in lines and not is_check_cell(cell):
            problems.append(
                _("{cell}: hidden tests belong in a graded check cell").format(cell=where)
            )
        if is_solution_cell(cell) and cell.cell_type == "code" and BEGIN_SOLUTION not in lines:
            problems.append(
                _(
                    "{cell}: solution cell without {marker}: the release would show the whole "
                    "reference"
                ).format(cell=where, marker=BEGIN_SOLUTION)
            )
    return problems


def rule_translations(notebook, languages):
    """Each English narrative cell is followed by its twin in every other language."""
    problems = []
    cells = notebook.cells
    index = 0
    while index < len(cells):
        cell = cells[index]
        language = cell_language(cell)
        if cell.cell_type == "markdown" and language is None:
            problems.append(
                _("{cell}: narrative cell without a language (metadata course.lang)").format(
                    cell=_cell(index, cell)
                )
            )
        if language is None:
            index += 1
            continue
        if language != languages[0]:
            problems.append(
                _("{cell}: a {language} cell must follow its {first} twin").format(
                    cell=_cell(index, cell), language=language, first=languages[0]
                )
            )
            index += 1
            continue
        twins = [cell_language(c) for c in cells[index + 1 : index + len(languages)]]
        missing = [lang for lang in languages[1:] if lang not in twins]
        if missing:
            problems.append(
                _("{cell}: no {languages} translation right after it").format(
                    cell=_cell(index, cell), languages=", ".join(missing)
                )
            )
        index += 1 + len([t for t in twins if t in languages[1:]])
    return problems


def check_source(notebook, parts, languages, handed_in=frozenset()):
    """All the rules for a master notebook, in order; an empty list means clean."""
    return (
        rule_no_outputs(notebook)
        + rule_python_kernel(notebook)
        + rule_nbgrader_metadata(notebook, parts, handed_in)
        + rule_solution_regions(notebook)
        + rule_translations(notebook, languages)
    )


def _split_code_lines(notebook):
    """(lines inside solution regions, lines outside them) of a notebook's code cells."""
    inside, outside = set(), set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        in_region = False
        for raw in cell.source.splitlines():
            line = raw.strip()
            if line == BEGIN_SOLUTION:
                in_region = True
            elif line == END_SOLUTION:
                in_region = False
            elif in_region:
                inside.add(line)
            else:
                outside.add(line)
    return inside, outside


def _distinctive(inside, outside, min_length):
    return {
        line for line in inside - outside if len(line) >= min_length and not line.startswith("#")
    }


def solution_lines(notebook, min_length=12):
    """Distinctive lines of the reference solutions: in a solution region and nowhere else."""
    return _distinctive(*_split_code_lines(notebook), min_length)


def course_solution_lines(notebooks, min_length=12):
    """{line: index of its notebook} for solution lines that no notebook gives away.

    A line that one notebook asks for and a later one hands out (chapter 3's WGAN notebook
    gives the DCGAN generator that its first notebook asks students to write) is no secret.
    """
    split = [_split_code_lines(notebook) for notebook in notebooks]
    given = set().union(*(outside for _inside, outside in split))
    secrets = {}
    for index, (inside, _outside) in enumerate(split):
        for line in _distinctive(inside, given, min_length):
            secrets.setdefault(line, index)
    return secrets


def leaked_lines(release_notebook, source_notebook):
    """Solution lines or nbgrader markers that appear in a release notebook's cells."""
    secret = solution_lines(source_notebook) | set(MARKERS)
    found = []
    for cell in release_notebook.cells:
        for raw in cell.source.splitlines():
            if raw.strip() in secret:
                found.append(raw.strip())
    return found
