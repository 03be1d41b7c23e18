"""Scores into nbgrader's gradebook, so `nbgrader export` and formgrader keep working.

Each part is an nbgrader grade cell named `<part>_check` (the public check cell of the
notebook) worth the part's points; a submission's score for the part is its auto_score.
"""

import warnings

from igcourse.build import alembic_schema_patch
from igcourse.hygiene import CHECK_SUFFIX


def create_tables(db_url, course_id):
    """Open the gradebook at db_url once, which gives a new one its tables (a quarter of a
    second), so that `record` only writes."""
    from nbgrader.api import Gradebook

    alembic_schema_patch()
    with warnings.catch_warnings(), Gradebook(db_url, course_id):
        warnings.simplefilter("ignore", category=Warning)


def record(db_url, course_id, chapter, notebooks, graded):
    """Write every Graded result of a chapter into the gradebook at db_url."""
    from nbgrader.api import Gradebook

    alembic_schema_patch()
    with warnings.catch_warnings(), Gradebook(db_url, course_id) as gradebook:
        # nbgrader's own session handling warns on every new submission; nothing is lost.
        warnings.simplefilter("ignore", category=Warning)
        gradebook.update_or_create_assignment(chapter)
        for notebook, parts in notebooks.items():
            gradebook.update_or_create_notebook(notebook, chapter)
            for part, points in parts.items():
                gradebook.update_or_create_grade_cell(
                    part + CHECK_SUFFIX, notebook, chapter, max_score=points, cell_type="code"
                )
        for result in graded:
            gradebook.update_or_create_student(result.student)
            gradebook.update_or_create_submission(chapter, result.student)
            for part, score in result.scores.items():
                grade = gradebook.find_grade(
                    part + CHECK_SUFFIX, result.notebook, chapter, result.student
                )
                grade.auto_score = score
            gradebook.db.commit()
