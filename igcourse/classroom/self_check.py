"""`igcourse check --hidden`: a self-learner grades their own notebook with the hidden checks."""

from pathlib import Path

from igcourse.classroom.jobs import grade_submission
from igcourse.classroom.submissions import files_beside, make_submission
from igcourse.config import load_config
from igcourse.export import read_notebook
from igcourse.i18n import _
from igcourse.paths import repo_root
from igcourse.student import notebook_identity


def hidden_report(path, root=None):
    """Grade one notebook as the instructor would; print scores and messages; exit code."""
    root = Path(root) if root else repo_root()
    config = load_config(root)
    path = Path(path)
    chapter, name = notebook_identity(path, read_notebook(path))
    points = config.chapters[chapter][name]
    print()
    print(
        _("Hidden checks of {chapter}/{notebook} (this takes a minute) ...").format(
            chapter=chapter, notebook=name
        )
    )
    # As in a class: the notebook and the files beside it (a trained model), staged.
    submission = make_submission("you", name, path, files_beside(path.parent))
    graded = grade_submission(submission, root, chapter, points, config.limits.time_limit_s)
    for text in (graded.error, graded.note):
        if text:
            print(text)
    for part, available in points.items():
        print(f"  {part:<22} {graded.scores.get(part, 0):g} / {available:g}")
        for message in graded.failure_messages(part):
            print("      " + message.replace("\n", "\n      "))
    print(
        _("Total: {total:g} / {max_total:g}").format(total=graded.total, max_total=graded.max_total)
    )
    return 0 if graded.total == graded.max_total else 1
