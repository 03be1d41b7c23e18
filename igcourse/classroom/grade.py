"""The instructor's entry point: grade a folder of submissions and hand back every report."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from igcourse.classroom import reports
from igcourse.classroom.batch import grade_found
from igcourse.classroom.submissions import find_submissions
from igcourse.config import load_config
from igcourse.grading.course import chapter_parts
from igcourse.i18n import _


def grade_class(
    folder, chapter, root, out=None, workers=2, scheduler=None, db_url=None, progress=True
):
    """Grade, record in the gradebook, write feedback, CSV, Gradescope JSON and the class
    report; print a table."""
    root = Path(root)
    config = load_config(root)
    out = Path(out) if out else root / "grading"
    # Found once for grading and for similarity (an LMS zip is unpacked once).
    notebooks = chapter_parts(root, chapter)
    submissions = find_submissions(folder, chapter, notebooks)
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    course_id = config.raw.CourseDirectory.get("course_id", "course")
    with ThreadPoolExecutor(max_workers=1) as side:
        # While the checks run (their processes do the work), what does not need their results.
        pairs = side.submit(_while_grading, submissions, chapter, root, (db_url, course_id))
        graded = grade_found(
            submissions,
            chapter,
            root,
            out / "results",
            workers=workers,
            scheduler=scheduler,
            time_limit_s=config.limits.time_limit_s,
            progress=progress,
        )
    from igcourse.classroom.class_report import write_class_report
    from igcourse.classroom.gradebook import record

    record(db_url, course_id, chapter, notebooks, graded)
    feedback = reports.write_feedback(graded, chapter, out / "feedback")
    csv_path = reports.write_csv(graded, out / f"{chapter}-scores.csv")
    reports.write_gradescope(graded, chapter, out / "gradescope")
    page, data = write_class_report(graded, chapter, root, out, pairs=pairs.result())
    print(reports.table(graded))
    print()
    print(_("gradebook: {db}").format(db=db_url))
    print(_("scores: {csv}").format(csv=csv_path))
    print(_("feedback: {n} files under {folder}").format(n=len(feedback), folder=out / "feedback"))
    print(_("class report: {page} (its data: {csv})").format(page=page, csv=data))
    return graded


def _while_grading(submissions, chapter, root, gradebook):
    """The similar pairs of the class; the gradebook's and the class report's libraries are
    imported here too (nbgrader's alone takes a second), and a new gradebook gets its tables,
    so that little is left to wait for once the scores are in."""
    import igcourse.classroom.class_report  # noqa: F401 (imported ahead, see above)
    from igcourse.classroom.gradebook import create_tables
    from igcourse.classroom.similarity import similar_pairs_of

    try:
        create_tables(*gradebook)
    except Exception:  # noqa: BLE001 (recording the scores reports it, after grading)
        pass
    return similar_pairs_of(submissions, chapter, root)
