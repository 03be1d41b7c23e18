"""What a cell of a master notebook is, and the per-language view of a notebook."""

import copy

import nbformat

LANG_KEY = "lang"
COURSE_KEY = "course"


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def cell_language(cell):
    """'en' or 'zh' for a narrative cell, None for a cell shared by every language."""
    return cell.get("metadata", {}).get(COURSE_KEY, {}).get(LANG_KEY)


def is_solution_cell(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def is_check_cell(cell):
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


GUARD_KEY = "kernel_guard"


def kernel_guard_cell(language):
    """The build's first code cell: the kernel check in `language`, standard library only."""
    from igcourse import i18n
    from igcourse.notebook import kernel_guard_source

    before = i18n.current_language()
    i18n.set_language(language)
    try:
        source = kernel_guard_source()
    finally:
        i18n.set_language(before)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata[COURSE_KEY] = {GUARD_KEY: True}
    cell.id = "igcourse-kernel-check"  # not nbformat's random one: a build must repeat exactly
    return cell


def for_language(notebook, language, generated_from):
    """The notebook as students of one language see it: other languages' narrative removed,
    and the kernel check put before the first code cell."""
    view = copy.deepcopy(notebook)
    view.cells = [cell for cell in view.cells if cell_language(cell) in (None, language)]
    first_code = next((i for i, c in enumerate(view.cells) if c.cell_type == "code"), None)
    if first_code is not None:
        view.cells.insert(first_code, kernel_guard_cell(language))
    view.metadata["igcourse"] = {
        "generated_from": generated_from,
        "generator": "igcourse build",
        "language": language,
    }
    view.metadata["language_info"] = {"name": "python"}
    return view


def release_name(notebook_name, language, default_language="en"):
    """pixelcnn.ipynb for the default language, pixelcnn.zh.ipynb for the others."""
    if language == default_language:
        return f"{notebook_name}.ipynb"
    return f"{notebook_name}.{language}.ipynb"


def dumps(notebook):
    """Canonical text of a notebook, so that regenerating it gives the same bytes."""
    return nbformat.writes(notebook) + "\n"
