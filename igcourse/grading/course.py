"""The chapters, notebooks, parts and points that grading reads from course_config.py."""

from pathlib import Path

from igcourse.i18n import _


def chapter_parts(root, chapter):
    """Return {notebook: {part: points}} of one chapter, in course_config.py's order."""
    from igcourse.config import load_config

    chapters = load_config(Path(root)).chapters
    if chapter not in chapters:
        known = ", ".join(sorted(chapters)) or "-"
        raise KeyError(
            _("chapter {chapter!r} is not in course_config.py (chapters: {known})").format(
                chapter=chapter, known=known
            )
        )
    return {notebook: dict(parts) for notebook, parts in chapters[chapter].items()}


def notebook_of_part(notebooks, part):
    """The notebook that holds `part`, or None."""
    for notebook, parts in notebooks.items():
        if part in parts:
            return notebook
    return None


def handed_in_parts(root, chapter):
    """The chapter's parts graded only from handed-in files (Course.handed_in)."""
    from igcourse.config import load_config

    return load_config(Path(root)).course.handed_in_parts(chapter)
